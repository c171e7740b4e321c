"""Benchmarks of clss against bare MkDocs and raw pandoc→Typst (not a test): `make bench` runs
this and writes bench/RESULTS.md.

    .venv/bin/python bench/run.py [-n 3] [--only noop,edit,...] [--ref HEAD] [--output bench/RESULTS.md]

Every figure is measured on copies of the project in a temporary folder (content/ and mkdocs.yml
copied, plugins/ a snapshot taken when the benchmark starts — of the working tree, or of a git
commit with --ref — so that edits made meanwhile in the repository change nothing; build/ and
.cache/ of the repository are never touched). Each run is a fresh process measured with its whole
process tree (bench/treemon.py: a child subreaper; CPU from RUSAGE_CHILDREN after every
descendant is reaped; peak memory = the largest sampled sum of PSS over the tree). The two sides
of a comparison are run alternately (A B A B …) and medians compared, so that a change of load
on this shared machine hits both sides alike; the 1-minute load average is recorded per row.

Rows (the table of issue #12), selectable with --only:
  noop     `clss build` with nothing changed vs `clss check`
  edit     one report chapter edited → `clss build`: what it remakes, and how long
  serve    `clss serve`: save → served page shows it (Markdown and YAML edits) vs bare
           `mkdocs serve --dirty` (Markdown edit) — bench/serve_bench.py
  site     `clss build --no-print --lang fr` (site forced, caches warm; and cold, CLSS_NO_CACHE=1)
           vs bare `mkdocs build`
  i18n     `clss build --no-print` (both languages, forced; warm and cold) vs one
           mkdocs-static-i18n build
  floor    `clss pdf rapport-2025 --lang fr` (warm, and cold) vs the raw floor (chapters → pandoc
           --citeproc → Typst)
  scale    full build (every output redone, CLSS_NO_CACHE=1) with 5× the quartiers vs 1×; its
           1× runs give the peak memory of a full build; site only (--no-print) likewise
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import treemon  # noqa: E402

HELPERS_BEGIN = "<!-- other measurements: begin (kept as is by bench/run.py) -->"
HELPERS_END = "<!-- other measurements: end -->"
ROWS = ("noop", "edit", "serve", "site", "i18n", "floor", "scale")


@dataclass
class Series:
    label: str
    runs: list[treemon.TreeRun] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    def add(self, run: treemon.TreeRun) -> None:
        self.runs.append(run)

    def med(self, attr: str = "seconds") -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def peak(self) -> float:
        return max(r.pss_mib for r in self.runs)

    def spread(self) -> str:
        s = [r.seconds for r in self.runs]
        return f"{min(s):.2f}–{max(s):.2f}"


class Failed(Exception):
    pass


class Bench:
    def __init__(self, tmp: Path, n: int, ref: str | None, scale_runs: int | None = None):
        self.tmp = tmp
        self.n = n
        self.scale_runs = scale_runs or n
        self.plugins = tmp / "plugins"
        if ref:
            archive = subprocess.run(["git", "archive", ref, "plugins"], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        else:
            shutil.copytree(ROOT / "plugins", self.plugins, ignore=shutil.ignore_patterns("__pycache__"))
        self.ref = ref or "working tree"
        self.lines: list[str] = []
        self.notes: list[str] = []

    # --- projects and commands ------------------------------------------------------------

    def project(self, name: str) -> Path:
        dest = self.tmp / name
        dest.mkdir(parents=True)
        shutil.copytree(ROOT / "content", dest / "content", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
        (dest / "plugins").symlink_to(self.plugins, target_is_directory=True)
        return dest

    def env(self, project: Path | None, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("CLSS_DEBUG", "SOURCE_DATE_EPOCH", "CLSS_NO_CACHE", "CLSS_ROOT", "PYTHONPATH")}
        env.update(PYTHONPATH=str(self.plugins), NO_MKDOCS_2_WARNING="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
        if project is not None:
            env["CLSS_ROOT"] = str(project)
        env.update(extra)
        return env

    def clss(self, project: Path, *args: str, **extra: str) -> treemon.TreeRun:
        run = treemon.run([sys.executable, "-m", "clss.cli", *args], cwd=project, env=self.env(project, **extra))
        if run.code not in (0,):
            raise Failed(f"`clss {' '.join(args)}` exit {run.code}: {first_error(run.stderr)}")
        return run

    def cmd(self, cmd: list[str], cwd: Path, env: dict | None = None) -> treemon.TreeRun:
        run = treemon.run(cmd, cwd=cwd, env=env or self.env(None))
        if run.code != 0:
            raise Failed(f"`{' '.join(cmd[:4])} …` exit {run.code}: {first_error(run.stderr)}")
        return run

    def pair(self, a: Series, b: Series, run_a, run_b, runs: int | None = None) -> None:
        for i in range(runs or self.n):
            for series, fn in ((a, run_a), (b, run_b)):
                series.loads.append(os.getloadavg()[0])
                r = fn(i)
                series.add(r)
                print(f"  {series.label}: {r.seconds:.2f} s wall, {r.cpu:.2f} s CPU, {r.pss_mib:.0f} MiB PSS", flush=True)

    # --- rows -------------------------------------------------------------------------------

    def row(self, measure: str, a: Series, b: Series | None, goal: str, extra: str = "", cpu: bool = False) -> None:
        load = statistics.median(a.loads + (b.loads if b else []))
        if b is None:
            self.lines.append(f"| {measure} | {a.med():.2f} s ({a.spread()}); {a.med('cpu'):.2f} s CPU{extra} | | {goal} | {load:.2f} |")
            return
        attr = "cpu" if cpu else "seconds"
        ratio = a.med(attr) / b.med(attr)
        self.lines.append(
            f"| {measure} | {a.med():.2f} s wall, {a.med('cpu'):.2f} s CPU (runs {a.spread()}) "
            f"vs {b.med():.2f} s wall, {b.med('cpu'):.2f} s CPU (runs {b.spread()}){extra} "
            f"| **{ratio:.2f}×** ({'CPU' if cpu else 'wall'}) | {goal} | {load:.2f} |")

    def built_project(self, name: str) -> Path:
        """A copy of the project with a first full build done."""
        p = self.project(name)
        print(f"{name}: first build …", flush=True)
        self.clss(p, "build")
        return p

    def noop(self) -> None:
        p = self.built_project("noop")
        a, b = Series("no-op `clss build`"), Series("`clss check`")
        self.pair(a, b, lambda i: self.clss(p, "build"), lambda i: self.clss(p, "check"))
        remade = re.search(r"PDFs: (\d+) to make", a.runs[-1].stderr)
        self.row("`clss build` with nothing changed vs `clss check`", a, b, "≤ 2×",
                 f"; it remade {remade.group(1) if remade else '?'} PDFs")

    def edit(self) -> None:
        p = self.built_project("edit")
        chapter = p / "content/fr/publications/rapport-2025/00-introduction.md"
        base = chapter.read_text(encoding="utf-8")
        a = Series("chapter edit → `clss build`")
        what = ""
        for i in range(self.n):
            chapter.write_text(base + f"\n\nBench edit {i}.\n", encoding="utf-8")
            a.loads.append(os.getloadavg()[0])
            r = self.clss(p, "build")
            a.add(r)
            made = re.search(r"PDFs: (\d+) to make, (\d+) unchanged", r.stderr)
            sites = re.findall(r"site (\w\w) (built|unchanged)(?: in [\d.]+ s: (\d+) pages rendered, (\d+) unchanged)?", r.stderr)
            what = (f"{made.group(1)} PDFs remade, {made.group(2)} kept; " if made else "") + \
                ", ".join(f"site {lang} {state}" + (f" ({n} pages rendered, {k} from the cache)" if n else "")
                          for lang, state, n, k in sites)
            print(f"  {a.label}: {r.seconds:.2f} s wall, {r.cpu:.2f} s CPU — {what}", flush=True)
        self.row("one report chapter (fr) edited → `clss build`", a, None,
                 "only that publication's PDFs and its pages", f"; {what}")

    def serve(self) -> None:
        import serve_bench

        p = self.project("serve")
        bare = self.bare(p, "fr", "serve-bare")
        res = serve_bench.compare(p, bare, self.n, self.env(p), self.env(None))
        md, yml, ren, base = Series("serve md"), Series("serve yaml"), Series("serve rename"), Series("mkdocs serve --dirty")
        for s, key in ((md, "md"), (yml, "yaml"), (ren, "rename"), (base, "bare")):
            s.runs = [treemon.TreeRun(t, 0, 0, 0, 0, 0, "", "") for t in res[key]]
            s.loads = res["loads"]
        for s, what in ((md, "Markdown"), (yml, "YAML (a fact: an observation date)"),
                        (ren, "YAML (a quartier renamed: the pages that show it rendered again)")):
            ratio = s.med() / base.med()
            self.lines.append(
                f"| `clss serve`: save → page updated, {what} edit, vs bare `mkdocs serve --dirty` (Markdown edit) "
                f"| {s.med():.2f} s (runs {s.spread()}) vs {base.med():.2f} s (runs {base.spread()}) | **{ratio:.2f}×** "
                f"| ≤ 1.0× and ≤ 1 s | {statistics.median(res['loads']):.2f} |")

    def site(self) -> None:
        p = self.project("site")
        self.clss(p, "build", "--no-print", "--lang", "fr")
        bare = self.bare(p, "fr", "site-bare")
        keys = p / "build/.clss/keys.json"

        def ours(i):
            keys.unlink(missing_ok=True)  # force the site (caches of templates, citations… stay warm)
            return self.clss(p, "build", "--no-print", "--lang", "fr")

        a, b = Series("`clss build --no-print --lang fr`"), Series("bare `mkdocs build`")
        self.pair(a, b, ours, lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare))
        self.row("`clss build --no-print --lang fr` (site forced; caches warm: every page from the page cache) "
                 "vs bare `mkdocs build` of the same pages", a, b, "≤ 1.1×")
        def rendered(i):
            keys.unlink(missing_ok=True)
            for kind in ("site-pages", "pagefind"):  # every page rendered and indexed again
                shutil.rmtree(p / ".cache" / "clss" / kind, ignore_errors=True)
            return self.clss(p, "build", "--no-print", "--lang", "fr")

        e, f = Series("`clss build --no-print --lang fr`, pages rendered"), Series("bare `mkdocs build`")
        self.pair(e, f, rendered, lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare))
        self.row("the same, every page rendered and indexed (page and search caches emptied; fonts, cards, "
                 "citations, templates from the cache, as the issue's first measurement)", e, f, "(≤ 1.1×)")
        c, d = Series("`clss build --no-print --lang fr`, CLSS_NO_CACHE=1"), Series("bare `mkdocs build`")
        self.pair(c, d, lambda i: self.clss(p, "build", "--no-print", "--lang", "fr", CLSS_NO_CACHE="1"),
                  lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare))
        self.row("the same, cold: CLSS_NO_CACHE=1 (every page rendered, search index, web fonts, templates "
                 "compiled) vs bare `mkdocs build`", c, d, "(≤ 1.1×)")

    def i18n(self) -> None:
        lib = static_i18n()
        if isinstance(lib, str):
            self.lines.append(f"| both languages vs mkdocs-static-i18n | not measured: {lib} | | ≤ 1.0× | |")
            return
        p = self.project("i18n")
        self.clss(p, "build", "--no-print")
        bare = self.bare_i18n(p, "i18n-bare")
        keys = p / "build/.clss/keys.json"
        env = self.env(None)
        env["PYTHONPATH"] = f"{lib}{os.pathsep}{env['PYTHONPATH']}"

        def ours(i):
            keys.unlink(missing_ok=True)
            return self.clss(p, "build", "--no-print")

        a, b = Series("`clss build --no-print`"), Series("mkdocs-static-i18n")
        self.pair(a, b, ours, lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare, env))
        self.row("both languages: `clss build --no-print` (forced; caches warm) vs one mkdocs-static-i18n build of the same pages",
                 a, b, "≤ 1.0×")
        def rendered(i):
            keys.unlink(missing_ok=True)
            for kind in ("site-pages", "pagefind"):
                shutil.rmtree(p / ".cache" / "clss" / kind, ignore_errors=True)
            return self.clss(p, "build", "--no-print")

        e, f = Series("`clss build --no-print`, pages rendered"), Series("mkdocs-static-i18n")
        self.pair(e, f, rendered, lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare, env))
        self.row("the same, every page rendered and indexed (page and search caches emptied)", e, f, "(≤ 1.0×)")
        c, d = Series("`clss build --no-print`, CLSS_NO_CACHE=1"), Series("mkdocs-static-i18n")
        self.pair(c, d, lambda i: self.clss(p, "build", "--no-print", CLSS_NO_CACHE="1"),
                  lambda i: self.cmd([sys.executable, "-m", "mkdocs", "build", "-q"], bare, env))
        self.row("the same, cold: CLSS_NO_CACHE=1 vs mkdocs-static-i18n", c, d, "(≤ 1.0×)")

    def floor(self) -> None:
        p = self.project("floor")
        out = self.tmp / "floor-out"
        out.mkdir(exist_ok=True)
        script = FLOOR.format(pub=str(p / "content/fr/publications/rapport-2025"), bib=p / "content/bibliography.yaml",
                              out=str(out))
        def ours(i, **env):
            return self.clss(p, "pdf", "rapport-2025", "--lang", "fr", "-o", str(out / "clss.pdf"), **env)

        ours(-1)  # warm-up: the cache (pandoc's answers, headings, templates) as after any earlier run
        a, b = Series("`clss pdf rapport-2025`"), Series("raw floor")
        self.pair(a, b, ours, lambda i: self.cmd([sys.executable, "-c", script], p))
        self.row("report PDF (fr): `clss pdf rapport-2025` (caches warm) vs raw floor (chapters concatenated → "
                 "`pandoc -t typst --citeproc` → typst), CPU", a, b, "≤ 1.2×", cpu=True)
        c, d = Series("`clss pdf rapport-2025`, CLSS_NO_CACHE=1"), Series("raw floor")
        self.pair(c, d, lambda i: ours(i, CLSS_NO_CACHE="1"), lambda i: self.cmd([sys.executable, "-c", script], p))
        self.row("the same, cold: CLSS_NO_CACHE=1 (pandoc runs) vs raw floor, CPU", c, d, "(≤ 1.2×)", cpu=True)
        self.peak_report = a.peak()

    def scale(self) -> None:
        one = self.project("scale-1")
        five = self.project("scale-5")
        added = quintuple(five / "content")
        self.clss(five, "check")  # the copies are valid content
        a, b = Series("5× full build"), Series("1× full build")
        self.pair(a, b, runs=self.scale_runs, run_a=lambda i: self.clss(five, "build", CLSS_NO_CACHE="1"),
                  run_b=lambda i: self.clss(one, "build", CLSS_NO_CACHE="1"))
        sa, sb = Series("5× site"), Series("1× site")
        self.pair(sa, sb, lambda i: self.clss(five, "build", "--no-print", CLSS_NO_CACHE="1"),
                  lambda i: self.clss(one, "build", "--no-print", CLSS_NO_CACHE="1"))
        self.row(f"full build (everything redone, CLSS_NO_CACHE=1) with 5× the quartiers ({added} added) vs 1×",
                 a, b, "≤ ×1.3")
        self.row("site only (`--no-print`, CLSS_NO_CACHE=1), 5× vs 1×", sa, sb, "≤ ×1.3")
        self.lines.append(
            f"| peak memory of a full build (CLSS_NO_CACHE=1), whole process tree | {b.peak():.0f} MiB PSS "
            f"(RSS summed: {max(r.rss_mib for r in b.runs):.0f} MiB; 5×: {a.peak():.0f} MiB PSS; "
            f"at most {max(r.procs for r in b.runs)} processes; at the peak: {breakdown(b)}) | | ≤ 450 MiB | "
            f"{statistics.median(b.loads):.2f} |")

    # --- bare MkDocs projects ---------------------------------------------------------------

    def assembled(self, project: Path, lang: str):
        sys.path.insert(0, str(self.plugins))
        from clss import assemble, load

        content = load.load(project / "content")
        return assemble.assemble(content, lang, "site", "https://clss.example.invalid/")

    def bare(self, project: Path, lang: str, name: str) -> Path:
        """The pages our plugin assembles for `lang`, as plain Markdown files, with the same theme,
        extensions and assets, without the clss plugin."""
        dest = self.tmp / name
        docs = dest / "docs"
        a = self.assembled(project, lang)
        write_docs(docs, a, "")
        shutil.copytree(self.plugins / "clss/site/assets", docs, dirs_exist_ok=True)
        (dest / "mkdocs.yml").write_text(bare_config(project, lang, ""), encoding="utf-8")
        (dest / "hooks.py").write_text(HOOKS, encoding="utf-8")
        return dest

    def bare_i18n(self, project: Path, name: str) -> Path:
        dest = self.tmp / name
        docs = dest / "docs"
        for lang in ("fr", "nl"):
            write_docs(docs, self.assembled(project, lang), "" if lang == "fr" else ".nl")
        shutil.copytree(self.plugins / "clss/site/assets", docs, dirs_exist_ok=True)
        plugin = ("plugins:\n  - i18n:\n      docs_structure: suffix\n      languages:\n"
                  "        - {locale: fr, default: true, name: Français, build: true}\n"
                  "        - {locale: nl, name: Nederlands, build: true}\n")
        (dest / "mkdocs.yml").write_text(bare_config(project, "fr", plugin), encoding="utf-8")
        (dest / "hooks.py").write_text(HOOKS, encoding="utf-8")
        return dest


def write_docs(docs: Path, assembly, suffix: str) -> None:
    for page in assembly.pages:
        p = docs / page.path
        if suffix:
            p = p.with_name(p.stem + suffix + p.suffix)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(page.markdown, encoding="utf-8")
    for name, data in assembly.assets.items():
        p = docs / name
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)


def bare_config(project: Path, lang: str, plugins: str) -> str:
    cfg = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # our theme overrides call `_()` with keyword arguments (the clss plugin installs gettext in
    # Jinja's new style): a one-line hook does the same with no translations
    hooks = "hooks:\n  - hooks.py\n"
    cfg = re.sub(r"(?ms)^plugins:\n.*?(?=^\S)", (plugins or "plugins: []\n") + hooks, cfg)
    cfg = re.sub(r"(?m)^docs_dir: .*$", "docs_dir: docs", cfg)
    cfg = re.sub(r"(?m)^site_dir: .*$", "site_dir: site", cfg)
    cfg = re.sub(r"(?m)^(\s*custom_dir: )(\S+)", lambda m: m.group(1) + str((project / m.group(2)).resolve()), cfg)
    cfg = re.sub(r"(?m)^strict: true", "strict: false", cfg)
    cfg = re.sub(r"(?m)^(\s*language: )fr", rf"\g<1>{lang}", cfg)
    return cfg


def static_i18n() -> Path | str:
    """mkdocs-static-i18n, installed for the benchmark only (not a project dependency) into .cache/bench."""
    target = ROOT / ".cache" / "bench" / "static-i18n"
    if not (target / "mkdocs_static_i18n").is_dir():
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                               "mkdocs-static-i18n"], capture_output=True, text=True)
        if proc.returncode != 0:
            return f"mkdocs-static-i18n could not be installed ({first_error(proc.stderr)})"
    return target


HOOKS = """def on_env(env, config, files):
    env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)
    return env
"""

FLOOR = r"""
import pathlib, subprocess, typst
from clss.citations import pandoc_path
pub = pathlib.Path({pub!r})
md = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(pub.glob("*.md")))
typ = subprocess.run([pandoc_path(), "-f", "markdown", "-t", "typst", "-s", "--citeproc",
                      "--bibliography={bib}", "-M", "lang=fr-FR"], input=md.encode(), capture_output=True, check=True).stdout
out = pathlib.Path({out!r})
(out / "floor.typ").write_bytes(typ)
typst.compile(str(out / "floor.typ"), output=str(out / "floor.pdf"))
"""


def quintuple(content: Path) -> int:
    """Four copies of every quartier (facts, French and Dutch pages, translation stamps) under new ids."""
    import yaml

    added = 0
    for yml in sorted((content / "quartiers").glob("*.yml")):
        data = yaml.safe_load(yml.read_text(encoding="utf-8"))
        for k in range(2, 6):
            new = f"{yml.stem}-x{k}"
            copy = dict(data)
            copy["name"] = {lang: f"{name} {k}" for lang, name in data["name"].items()}
            copy.pop("aliases", None)
            (content / "quartiers" / f"{new}.yml").write_text(yaml.safe_dump(copy, allow_unicode=True, sort_keys=False),
                                                                encoding="utf-8")
            for lang in ("fr", "nl"):
                page = content / lang / "quartiers" / f"{yml.stem}.md"
                if page.is_file():
                    text = page.read_text(encoding="utf-8")
                    (page.with_name(f"{new}.md")).write_text(text, encoding="utf-8")
            stamp = content / "translations" / "nl" / "quartiers" / f"{yml.stem}.md.yml"
            if stamp.is_file():
                text = stamp.read_text(encoding="utf-8").replace(f"fr/quartiers/{yml.stem}.md", f"fr/quartiers/{new}.md")
                stamp.with_name(f"{new}.md.yml").write_text(text, encoding="utf-8")
            added += 1
    return added


def breakdown(series: Series) -> str:
    """The processes of the run with the highest peak, with their PSS at that moment."""
    run = max(series.runs, key=lambda r: r.pss_mib)
    names = {"python -m clss.cli": "clss", "python -B -c": "forkserver/worker"}
    parts = []
    for name, mib in sorted(run.at_peak, key=lambda nm: -nm[1]):
        short = next((v for k, v in names.items() if name.startswith(k)), name.split()[0])
        parts.append(f"{short} {mib:.0f}")
    return ", ".join(parts) + " MiB"


def first_error(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("·")]
    errors = [ln for ln in lines if "error" in ln.lower()]
    msg = (errors or lines or ["no message"])[0]
    return (msg[:200] + "…") if len(msg) > 200 else msg


def kept_section(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    if HELPERS_BEGIN in text and HELPERS_END in text:
        return text[text.index(HELPERS_BEGIN):text.index(HELPERS_END) + len(HELPERS_END)]
    return (f"{HELPERS_BEGIN}\n## Other measurements (editions, figures, …)\n\n"
            f"_Figures handed in by other work go here; `make bench` keeps this section as it is._\n\n{HELPERS_END}")


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmarks of clss; writes bench/RESULTS.md")
    ap.add_argument("-n", "--runs", type=int, default=3, help="runs per side of each comparison (median; default 3)")
    ap.add_argument("--scale-runs", type=int, help="runs per side of the 5×/1× full builds (default: --runs)")
    ap.add_argument("--only", default=",".join(ROWS), help=f"comma-separated rows among {', '.join(ROWS)}")
    ap.add_argument("--ref", help="benchmark the plugins/ of this git commit instead of the working tree")
    ap.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    opts = ap.parse_args()
    wanted = [r.strip() for r in opts.only.split(",") if r.strip()]
    unknown = set(wanted) - set(ROWS)
    if unknown:
        ap.error(f"unknown rows: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="clss-bench-") as tmp:
        bench = Bench(Path(tmp), max(1, opts.runs), opts.ref, opts.scale_runs)
        for name in ROWS:
            if name not in wanted:
                continue
            print(f"== {name}", flush=True)
            try:
                getattr(bench, name)()
            except Exception as exc:  # noqa: BLE001 - one failed row must not lose the others
                bench.lines.append(f"| {name} | n/a: {exc} | | | |")
                print(f"  {name} failed: {exc}", flush=True)
    load_after = os.getloadavg()
    today = dt.date.today().isoformat()
    commit = subprocess.run(["git", "rev-parse", "--short", opts.ref or "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    text = "\n".join([
        "# Benchmark results",
        "",
        f"Measured {today} by `bench/run.py -n {bench.n} --scale-runs {bench.scale_runs} --only {','.join(wanted)}` on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), code: {bench.ref} "
        f"({'at' if opts.ref else 'on top of'} {commit}). The machine is shared: load average (1 min) "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; the whole benchmark took "
        f"{(time.perf_counter() - started) / 60:.1f} min. Each figure is the median of {bench.n} runs ({bench.scale_runs} for the 5×/1× full builds); the two sides "
        "of a comparison alternate run by run. The last column is the median 1-minute load average at the start "
        "of the row's runs: with a load above 2 on 2 cores, wall times are stretched and CPU times are the "
        "steadier figure.",
        "",
        "| measure | figures | ratio | goal (issue #12) | load |",
        "| --- | --- | --- | --- | ---: |",
        *bench.lines,
        "",
        "## Method",
        "",
        "- Process tree: bench/treemon.py. The benchmark process is a Linux *child subreaper* "
        "(`prctl(PR_SET_CHILD_SUBREAPER)`), so processes orphaned by the build (the multiprocessing forkserver "
        "and its PDF workers, when the build falls back to it; forked PDF workers and site processes are waited for "
        "by the build itself) are re-parented to it and waited for. CPU = user + system time of the whole tree "
        "(growth of `getrusage(RUSAGE_CHILDREN)` once every descendant is reaped). Memory = the largest sum of "
        "`Pss:` over `/proc/<pid>/smaps_rollup` of every descendant, sampled every 50 ms (walking "
        "`/proc/<pid>/task/*/children`); a spike shorter than 50 ms can be missed. A cgroup would be exact but "
        "none is writable here.",
        "- Projects: copies of content/ and mkdocs.yml in a temporary folder; plugins/ snapshotted when the "
        "benchmark starts (edits made meanwhile change nothing).",
        "- Bare MkDocs: the Markdown our plugin assembles for a language (clss.assemble), written as plain files, "
        "with the same mkdocs.yml (theme, custom_dir, extensions, assets) minus the clss plugin — so also without "
        "the Pagefind search index our plugin builds — plus a 4-line hook that installs Jinja's gettext (no "
        "translations), which our theme overrides need. mkdocs-static-i18n: the same pages of both languages "
        "(`page.md` / `page.nl.md`, suffix structure) in one build; installed for the benchmark only "
        "(pip --target .cache/bench/static-i18n).",
        "- Raw floor: the report's French chapter files concatenated as they are → `pandoc -t typst -s --citeproc` "
        "→ `typst.compile` with Typst's default template (no filters, no layout, no figures or data blocks).",
        "- 5×: every quartier copied four times under new ids (facts with a numbered name and no aliases, both "
        "pages, translation stamps); `clss check` passes on the copy.",
        "- Serve: bench/serve_bench.py starts `clss serve` and `mkdocs serve --dirty` (on the bare French "
        "project) side by side, then edits in turn a quartier's French page (Markdown: a new paragraph), its "
        "facts (YAML: the date of its latest observation), its French name (YAML: then restored) and the bare "
        "project's same page, and polls the served page every 50 ms "
        "until the edit shows; 1.5 s pause between edits.",
        "",
        kept_section(opts.output),
        "",
    ])
    opts.output.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {opts.output}")


if __name__ == "__main__":
    main()
