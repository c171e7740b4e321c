"""Where the time of a full build goes, stage by stage, with 1× and 5× the quartiers (a benchmark,
not a test): what each added quartier costs in each stage of `clss build`.

    .venv/bin/python bench/scale_stages.py [-n 3]

Two copies of the project in a temporary folder (1×, and 5× made by bench/run.py's `quintuple`),
built alternately (1× 5× 1× 5× …) with CLSS_NO_CACHE=1, each run in a fresh process that runs
`clss build` with timers around the stages: each stage of PDFs (the reports, the brochures, the
quartier sheets), the web fonts, the two sites and the swap of build/. Prints the median wall
time of each stage and the difference per added quartier, with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import quintuple  # noqa: E402

# runs in the child: `clss build` with a timer around each stage, the stages' times as JSON on the
# file descriptor given as its argument
CHILD = r"""
import json, os, sys, time
T0 = time.perf_counter()
FD = int(sys.argv[1])
from clss import build as B
from clss.print import pdf as printer
from clss.site import build as site_build, fonts
stages = []

def timed(label_of, f):
    def run(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            stages.append([label_of(a), time.perf_counter() - t])
    return run

def pdf_stage(a):
    jobs = a[2]
    names = sorted({j.ident if j.kind == "publication" else "sheets" for j in jobs})
    return "PDFs: " + ", ".join(names)

printer.render_all = timed(pdf_stage, printer.render_all)
fonts.webfonts = timed(lambda a: "web fonts", fonts.webfonts)
site_build.build_sites = timed(lambda a: "sites (web fonts included)", site_build.build_sites)
B._swap = timed(lambda a: "swap build/", B._swap)
from clss.cli import main
sys.argv = ["clss", "build"]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
stages.append(["total", time.perf_counter() - T0])
with os.fdopen(FD, "w") as out:
    json.dump({"code": code, "stages": stages}, out)
"""


def run_once(project: Path) -> dict[str, float]:
    r, w = os.pipe()
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CLSS_DEBUG", "CLSS_PRINT_KEEP")}
    env.update(CLSS_NO_CACHE="1", CLSS_ROOT=str(project), NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(project / "plugins"))  # the snapshot of plugins/ taken at the start
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(w)], cwd=project, env=env, pass_fds=(w,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    os.close(w)
    err = proc.communicate()[1]  # first: a child blocked on a full stderr pipe would never close fd w
    with os.fdopen(r) as fh:
        raw = fh.read()  # a few hundred bytes, well within the pipe's buffer
    if not raw:
        sys.exit(f"the build in {project} gave no timings:\n{err[-2000:]}")
    answer = json.loads(raw)
    if answer["code"] not in (0, None):
        sys.exit(f"the build in {project} failed (exit {answer['code']}):\n{err[-2000:]}")
    out: dict[str, float] = {}
    for label, seconds in answer["stages"]:
        out[label] = out.get(label, 0.0) + seconds
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=3, help="runs of each size (median)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="clss-stages-") as tmp:
        projects = {}
        for name in ("1×", "5×"):
            dest = Path(tmp) / ("one" if name == "1×" else "five")
            dest.mkdir()
            shutil.copytree(ROOT / "content", dest / "content")
            shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
            shutil.copytree(ROOT / "plugins", dest / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
            projects[name] = dest
        added = quintuple(projects["5×"] / "content")
        runs: dict[str, list[dict[str, float]]] = {"1×": [], "5×": []}
        loads = []
        for _ in range(args.n):
            for name, project in projects.items():
                loads.append(os.getloadavg()[0])
                runs[name].append(run_once(project))
    labels = list(dict.fromkeys(label for rs in runs.values() for r in rs for label in r))
    print(f"{args.n} runs of each, alternating; load average (1 min) {min(loads):.2f}–{max(loads):.2f}; {added} quartiers added")
    print("| stage | 1× (s) | 5× (s) | added (s) | per added quartier (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label in labels:
        one = statistics.median(r.get(label, 0.0) for r in runs["1×"])
        five = statistics.median(r.get(label, 0.0) for r in runs["5×"])
        print(f"| {label} | {one:.2f} | {five:.2f} | {five - one:+.2f} | {1000 * (five - one) / added:+.0f} |")


if __name__ == "__main__":
    main()
