"""Benchmark (not a test): our site build vs a bare `mkdocs build` of the same Markdown.

Runs each variant N times (default 5) per language in fresh subprocesses and prints medians
and the ratio. The bare variant gets the assembled Markdown written to a plain docs/ folder and
a mkdocs.yml with the same theme and extensions but without the clss plugin.

    .venv/bin/python bench/site_bench.py [-n 5]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))


def bare_project(tmp: Path, lang: str) -> Path:
    from clss import assemble, load

    content = load.load(ROOT / "content")
    a = assemble.assemble(content, lang, "site", "https://example.invalid/")
    docs = tmp / f"bare-{lang}" / "docs"
    for page in a.pages:
        p = docs / page.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(page.markdown, encoding="utf-8")
    for name, data in a.assets.items():
        p = docs / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    shutil.copytree(ROOT / "plugins/clss/site/assets", docs, dirs_exist_ok=True)
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("docs_dir: plugins/clss/site/assets", "docs_dir: docs")
    cfg = cfg.replace("custom_dir: plugins/clss/site/theme", f"custom_dir: {ROOT / 'plugins/clss/site/theme'}")
    cfg = cfg.replace("  - clss      # first: it sets the language that search and the theme then use\n", "")
    cfg = cfg.replace("strict: true", "strict: false").replace("language: fr", f"language: {lang}")
    (docs.parent / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    return docs.parent


def timed(cmd, cwd, env) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    args = ap.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for lang in ("fr", "nl"):
            bare = bare_project(tmp, lang)
            ours_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp / f"ours-{lang}")]
            bare_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(bare / "mkdocs.yml"), "-d", str(tmp / f"out-{lang}")]
            e = {**env, "CLSS_LANG": lang}  # mkdocs.yml: the language of a plain `mkdocs build`
            timed(ours_cmd, ROOT, e), timed(bare_cmd, bare, env)  # warm caches
            ours = [timed(ours_cmd, ROOT, e) for _ in range(args.n)]
            base = [timed(bare_cmd, bare, env) for _ in range(args.n)]
            rows.append((lang, statistics.median(ours), statistics.median(base)))
        # the user-facing command: both languages in one `clss build --no-print` process
        proj = tmp / "proj"
        shutil.copytree(ROOT / "content", proj / "content")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        (proj / "plugins").symlink_to(ROOT / "plugins")
        cmd = [py, "-m", "clss.cli", "build", "--no-print"]
        e = {**env, "CLSS_ROOT": str(proj)}
        timed(cmd, proj, e)
        both = statistics.median([timed(cmd, proj, e) for _ in range(args.n)])
    print(f"cores: {os.cpu_count()}, runs per variant: {args.n}\n")
    print("| language | clss site build (s) | bare mkdocs build (s) | ratio |")
    print("|---|---|---|---|")
    for lang, o, b in rows:
        print(f"| {lang} (mkdocs build) | {o:.2f} | {b:.2f} | {o / b:.2f}× |")
    bare_both = sum(b for _, _, b in rows)
    print(f"| fr + nl: `clss build --no-print` vs two bare builds | {both:.2f} | {bare_both:.2f} | {both / bare_both:.2f}× |")


if __name__ == "__main__":
    main()
