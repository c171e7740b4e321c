"""Benchmarks of `clss build` (not a test): `make bench` runs this and writes bench/RESULTS.md.

    .venv/bin/python bench/run.py [-n 5] [--no-print-bench] [--output bench/RESULTS.md]

Every measurement is the median of N runs (default 5, at least 5 for RESULTS.md), each run a
fresh `clss` process on a copy of the project in a temporary folder (content/ and mkdocs.yml
copied, plugins/ symlinked, so the repository's build/ and .cache/ are never touched):

- cold `clss build`: a fresh copy with an empty .cache (citations, font subsets) every run,
  as right after `make build` on a new machine;
- warm `clss build` (site + every PDF, both languages), `--no-print` (site only) and
  `--no-site` (print only), in one copy whose .cache is filled;
- incremental preview rebuild: one quartier YAML edited before each run, then
  `clss build --no-print --lang fr` (the rebuild a preview of one language needs);
- our MkDocs build of one language vs a bare `mkdocs build` of the same assembled Markdown
  (bench/site_bench.py's projects), and its ratio;
- bench/print_bench.py's table (one PDF at a time, all PDFs), when that script exists.

Peak memory: os.wait4() of each `clss` run, i.e. the ru_maxrss that getrusage(RUSAGE_CHILDREN)
reports for that child and the processes it waited for (Typst workers, pandoc), the largest of
the N runs; the last line of the table gives getrusage(RUSAGE_CHILDREN).ru_maxrss of this whole
benchmark. When the print step fails, its rows read "n/a (print step failed: …)".
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
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
sys.path.insert(0, str(ROOT / "plugins"))


def clss_command() -> list[str]:
    script = Path(sys.executable).with_name("clss")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "clss.cli"]


CLSS = clss_command()


@dataclass
class Run:
    seconds: float
    maxrss_kb: int
    code: int
    stderr: str


@dataclass
class Row:
    label: str
    command: str
    runs: list[Run] = field(default_factory=list)
    failed: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> str:
        return f"{min(r.seconds for r in self.runs):.2f}–{max(r.seconds for r in self.runs):.2f}"

    @property
    def peak_mib(self) -> float:
        return max(r.maxrss_kb for r in self.runs) / 1024


def new_project(dest: Path) -> Path:
    """A copy of the project without build output or cache: content/, mkdocs.yml, plugins -> repo."""
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "content", dest / "content", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    return dest


def env_for(project: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CLSS_DEBUG", "SOURCE_DATE_EPOCH", "CLSS_CACHE_DIR")}
    env.update(CLSS_ROOT=str(project), NO_MKDOCS_2_WARNING="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    return env


def timed(cmd: list[str], cwd: Path, env: dict) -> Run:
    """Run cmd; wall time and the peak RSS of it and its waited-for descendants (wait4)."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss, proc.returncode, text)


def first_error(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("·")]
    msg = lines[0] if lines else "no message"
    return (msg[:140] + "…") if len(msg) > 140 else msg


def measure(row: Row, n: int, cmd: list[str], project_for_run, before_run=None, label_print=False) -> Row:
    """n timed runs; project_for_run(i) gives the project folder of run i."""
    for i in range(n):
        project = project_for_run(i)
        if before_run:
            before_run(project, i)
        run = timed(cmd, project, env_for(project))
        if run.code != 0:
            what = "print step failed" if label_print else f"exit {run.code}"
            row.failed = f"n/a ({what}: {first_error(run.stderr)})"
            print(f"  {row.label}: FAILED ({first_error(run.stderr)})", flush=True)
            return row
        row.runs.append(run)
        print(f"  {row.label}: run {i + 1}/{n} {run.seconds:.2f} s, {run.maxrss_kb / 1024:.0f} MiB", flush=True)
    return row


def edit_quartier(project: Path, i: int) -> None:
    """A real edit of one quartier's facts (its aliases), different at every run."""
    yml = project / "content" / "quartiers" / "marolles.yml"
    if not yml.exists():
        yml = sorted((project / "content" / "quartiers").glob("*.yml"))[0]
    text = yml.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^aliases:.*$", f'aliases: ["Bench edit {i}"]', text, count=1)
    if not count:
        text += f'\naliases: ["Bench edit {i}"]\n'
    yml.write_text(text, encoding="utf-8")


def site_ratio(n: int) -> list[tuple[str, float, float]]:
    """bench/site_bench.py's comparison: our MkDocs build of one language vs a bare mkdocs build."""
    import site_bench

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="clss-bench-bare-") as tmp:
        tmp = Path(tmp)
        for lang in ("fr", "nl"):
            bare = site_bench.bare_project(tmp, lang)
            ours_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp / f"ours-{lang}")]
            bare_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(bare / "mkdocs.yml"), "-d", str(tmp / f"out-{lang}")]
            e = {**env, "CLSS_LANG": lang}  # mkdocs.yml: the language of a plain `mkdocs build`
            site_bench.timed(ours_cmd, ROOT, e), site_bench.timed(bare_cmd, bare, env)  # warm caches
            ours = [site_bench.timed(ours_cmd, ROOT, e) for _ in range(n)]
            base = [site_bench.timed(bare_cmd, bare, env) for _ in range(n)]
            rows.append((lang, statistics.median(ours), statistics.median(base)))
            print(f"  mkdocs {lang}: ours {rows[-1][1]:.2f} s, bare {rows[-1][2]:.2f} s", flush=True)
    return rows


def print_bench(n: int) -> str:
    script = BENCH / "print_bench.py"
    if not script.is_file():
        return ""
    print("print benchmark (bench/print_bench.py) …", flush=True)
    proc = subprocess.run([sys.executable, str(script), "--runs", str(n), "--no-weasyprint"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode != 0:
        return f"bench/print_bench.py failed (exit {proc.returncode}): {first_error(proc.stderr[-2000:])}\n"
    out = proc.stdout.strip()
    return re.sub(r"^## ", "### ", out, flags=re.M) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmarks of clss build; writes bench/RESULTS.md")
    ap.add_argument("-n", "--runs", type=int, default=5, help="runs per measurement (median; default 5)")
    ap.add_argument("--no-print-bench", action="store_true", help="do not run bench/print_bench.py")
    ap.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    opts = ap.parse_args()
    n = max(1, opts.runs)
    started = time.perf_counter()
    load_before = os.getloadavg()
    rows: list[Row] = []

    with tempfile.TemporaryDirectory(prefix="clss-bench-") as tmp:
        tmp = Path(tmp)
        print(f"cold builds ({n} fresh copies) …", flush=True)
        cold = lambda i: new_project(tmp / f"cold-{i}")  # noqa: E731
        rows.append(measure(Row("cold `clss build` (fresh copy, empty .cache; site + every PDF)", "clss build"),
                            n, [*CLSS, "build"], cold, label_print=True))
        cold_site = lambda i: new_project(tmp / f"cold-site-{i}")  # noqa: E731
        rows.append(measure(Row("cold `clss build --no-print` (fresh copy, empty .cache)", "clss build --no-print"),
                            n, [*CLSS, "build", "--no-print"], cold_site))
        for i in range(n):
            shutil.rmtree(tmp / f"cold-{i}", ignore_errors=True)
            shutil.rmtree(tmp / f"cold-site-{i}", ignore_errors=True)

        warm = new_project(tmp / "warm")
        print("warming the cache …", flush=True)
        first = timed([*CLSS, "build"], warm, env_for(warm))
        printing_ok = first.code == 0
        if not printing_ok:
            timed([*CLSS, "build", "--no-print"], warm, env_for(warm))
        same = lambda i: warm  # noqa: E731
        full = Row("warm `clss build` (site + every PDF, fr + nl)", "clss build")
        site = Row("warm `clss build --no-print` (site only, fr + nl)", "clss build --no-print")
        prnt = Row("warm `clss build --no-site` (every PDF only, fr + nl)", "clss build --no-site")
        print("warm builds …", flush=True)
        if printing_ok:
            measure(full, n, [*CLSS, "build"], same, label_print=True)
        else:
            full.failed = f"n/a (print step failed: {first_error(first.stderr)})"
        measure(site, n, [*CLSS, "build", "--no-print"], same)
        if printing_ok:
            measure(prnt, n, [*CLSS, "build", "--no-site"], same, label_print=True)
        else:
            prnt.failed = full.failed
        rows += [full, site, prnt]
        print("incremental preview rebuilds …", flush=True)
        rows.append(measure(Row("incremental: one quartier YAML edited, `clss build --no-print --lang fr`",
                                "clss build --no-print --lang fr"),
                            n, [*CLSS, "build", "--no-print", "--lang", "fr"], same, before_run=edit_quartier))

    print("live preview rebuilds (bench/serve_bench.py) …", flush=True)
    try:
        from serve_bench import serve_rebuild

        times = serve_rebuild(n)
    except Exception as exc:  # noqa: BLE001 - report it instead of losing the other figures
        times = []
        print(f"serve benchmark failed: {exc}", flush=True)
    print("our MkDocs build vs a bare mkdocs build (bench/site_bench.py) …", flush=True)
    try:
        ratio = site_ratio(n)
        ratio_error = None
    except Exception as exc:  # noqa: BLE001 - report it instead of losing the other figures
        ratio, ratio_error = [], f"{type(exc).__name__}: {exc}"
    printed = "" if opts.no_print_bench else print_bench(n)
    total_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    load_after = os.getloadavg()

    today = dt.date.today().isoformat()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {today} by `make bench` (bench/run.py) on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}, {platform.system()}); "
        f"median of {n} runs each, every run a fresh `clss` process on a copy of the project. "
        f"Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} (1 min); "
        f"the whole benchmark took {(time.perf_counter() - started) / 60:.1f} min.",
        "",
        f"| measurement ({os.cpu_count()} cores, {today}) | median (s) | min–max (s) | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        if r.failed and not r.runs:
            lines.append(f"| {r.label} | {r.failed} | | |")
        else:
            note = f" — then {r.failed}" if r.failed else ""
            lines.append(f"| {r.label}{note} | {r.median:.2f} | {r.spread} | {r.peak_mib:.0f} |")
    if times:
        lines.append(f"| incremental preview: `clss serve` rebuild after one quartier YAML edit (save → page shows it) | "
                     f"{statistics.median(times):.2f} | {min(times):.2f}–{max(times):.2f} | |")
    for lang, ours, bare in ratio:
        lines.append(f"| MkDocs build {lang}: clss plugin {ours:.2f} s vs bare mkdocs {bare:.2f} s | ratio {ours / bare:.2f}× | | |")
    if ratio_error:
        lines.append(f"| MkDocs build vs bare mkdocs | n/a ({ratio_error[:140]}) | | |")
    lines.append(f"| peak RSS of the whole benchmark (getrusage RUSAGE_CHILDREN) | | | {total_peak:.0f} |")
    lines += [
        "",
        "Peak RSS: `ru_maxrss` of each `clss` process and the processes it waited for (Typst workers, "
        "pandoc), from `os.wait4`, largest of the runs. The bare MkDocs build is the same assembled "
        "Markdown, theme and extensions without the clss plugin (bench/site_bench.py).",
        "",
    ]
    if printed:
        lines += ["## Print step (bench/print_bench.py)", "", printed]
    text = "\n".join(lines).rstrip() + "\n"
    opts.output.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {opts.output}")


if __name__ == "__main__":
    main()
