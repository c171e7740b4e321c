"""Benchmark (not a test): the live preview's delay from saving a file to the served page showing it.

`compare()` (used by bench/run.py) starts `clss serve` on a project copy and `mkdocs serve --dirty`
on a bare MkDocs project of the same French pages, side by side, then N times in turn:

- edits a quartier's French page (a new paragraph at the end) of the clss project,
- edits that quartier's facts (YAML): the date of its latest observation, shown on its page,
- renames that quartier (YAML, its French name): the pages that show it (the quartier pages list
  it in their menu, some pages name it) are rendered again,
- edits the same page of the bare project,

and after each edit polls the served page every 50 ms until the edit shows. 1.5 s pause between
edits so that the watchers settle. Run on its own it measures `clss serve` only:

    .venv/bin/python bench/serve_bench.py [-n 5]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUARTIER = "marolles"


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, limit: float) -> float:
    t = time.perf_counter()
    while text not in _get(url) and time.perf_counter() - t < limit:
        time.sleep(0.05)
    return time.perf_counter() - t


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def compare(project: Path, bare: Path | None, n: int, env: dict, bare_env: dict) -> dict[str, list[float]]:
    """Seconds from save to served page, per kind of edit: "md", "yaml" (a fact), "rename"
    (clss serve) and "bare"
    (mkdocs serve --dirty, Markdown); "loads": the 1-minute load average before each round."""
    port = _port()
    clss = subprocess.Popen([sys.executable, "-m", "clss.cli", "serve", "--port", str(port)], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [clss]
    page = f"http://127.0.0.1:{port}/fr/quartiers/{QUARTIER}/"
    res: dict[str, list[float]] = {"md": [], "yaml": [], "rename": [], "bare": [], "loads": []}
    try:
        if bare is not None:
            bport = _port()
            procs.append(subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{bport}"],
                                          cwd=bare, env=bare_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            bpage = f"http://127.0.0.1:{bport}/quartiers/{QUARTIER}/"
        if _wait_for(page, "Marolles", 240) >= 240:
            raise RuntimeError("clss serve did not serve the page within 240 s")
        if bare is not None and _wait_for(bpage, "Marolles", 240) >= 240:
            raise RuntimeError("mkdocs serve did not serve the page within 240 s")
        md = project / "content/fr/quartiers" / f"{QUARTIER}.md"
        yml = project / "content/quartiers" / f"{QUARTIER}.yml"
        bmd = bare / "docs/quartiers" / f"{QUARTIER}.md" if bare is not None else None
        md0, yml0 = md.read_text(encoding="utf-8"), yml.read_text(encoding="utf-8")
        bmd0 = bmd.read_text(encoding="utf-8") if bmd is not None else ""
        for i in range(n):
            res["loads"].append(os.getloadavg()[0])
            time.sleep(1.5)
            mark = f"Paragraphe de mesure {i}"
            md.write_text(md0 + f"\n\n{mark}.\n", encoding="utf-8")
            res["md"].append(_wait_for(page, mark, 60))
            time.sleep(1.5)
            day = 10 + i % 15
            yml.write_text(yml0.replace("{date: 2025-11-25, status:", f"{{date: 2025-11-{day}, status:"), encoding="utf-8")
            res["yaml"].append(_wait_for(page, f"observé le {day} novembre 2025", 60))
            time.sleep(1.5)
            mark = f"Marolles {i} mesure"
            yml.write_text(yml0.replace('fr: "Marolles"', f'fr: "{mark}"'), encoding="utf-8")
            res["rename"].append(_wait_for(page, mark, 60))
            yml.write_text(yml0, encoding="utf-8")
            t = time.perf_counter()  # back to the name of the source before the next round
            while mark in _get(page) and time.perf_counter() - t < 60:
                time.sleep(0.05)
            if bmd is not None:
                time.sleep(1.5)
                mark = f"Paragraphe de mesure {i}"
                bmd.write_text(bmd0 + f"\n\n{mark}.\n", encoding="utf-8")
                res["bare"].append(_wait_for(bpage, mark, 60))
            print(f"  serve round {i + 1}/{n}: md {res['md'][-1]:.2f} s, yaml {res['yaml'][-1]:.2f} s, rename {res['rename'][-1]:.2f} s"
                  + (f", bare mkdocs serve --dirty {res['bare'][-1]:.2f} s" if bmd is not None else ""), flush=True)
        return res
    finally:
        for proc in procs:
            _stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory(prefix="clss-serve-bench-") as tmp:
        proj = Path(tmp)
        shutil.copytree(ROOT / "content", proj / "content")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        (proj / "plugins").symlink_to(ROOT / "plugins")
        env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
        res = compare(proj, None, n, env, env)
    for key in ("md", "yaml", "rename"):
        print(f"clss serve, {key} edit → page updated: median of {n}: {statistics.median(res[key]):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in res[key])})")


if __name__ == "__main__":
    main()
