"""Web vs print edition (issue #13): time to make the report and the brochure in each edition.

Each run is a fresh `clss pdf ID --lang LANG -o FILE` process (web), or the same with
`--edition print --bleed 3 --crop-marks` (print), interleaved (web, print, web, print…) so that
both see the same machine load; a fresh process, so that Typst's in-process memoization does
not favour the later runs. Wall time and CPU time of the process tree (children waited for:
Typst's threads, pandoc); medians; the load average before and after, since the machine may be
shared. The print file is checked with the preflight after the runs.

`--frozen` runs a copy of the last commit (git archive HEAD) instead of the working tree, so
that files other people are editing meanwhile do not change the code between runs.

    .venv/bin/python bench/edition_bench.py [--runs 3] [--lang fr] [--frozen]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLSS = Path(sys.executable).with_name("clss")
PRINT = ["--edition", "print", "--bleed", "3", "--crop-marks"]


def children_cpu() -> float:
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return c.ru_utime + c.ru_stime


def clss_command(code: Path | None) -> list[str]:
    """The installed `clss`, or the one in the frozen copy `code` (its plugins/ first on the path)."""
    if code is None:
        return [str(CLSS)]
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code / 'plugins')!r}); "
            "from clss.cli import main; sys.argv[0] = 'clss'; main()"]


def run(command: list[str], root: Path, args: list[str]) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), children_cpu()
    subprocess.run([*command, "pdf", *args], cwd=root, check=True, capture_output=True,
                   env=dict(os.environ, CLSS_ROOT=str(root)))
    return time.perf_counter() - w0, children_cpu() - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--frozen", action="store_true", help="run a copy of the last commit, not the working tree")
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="clss-edition-bench-") as tmp:
        root, code = ROOT, None
        if args.frozen:
            root = code = Path(tmp) / "code"
            code.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
            print(f"code and content: a copy of {subprocess.run(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}")
        command = clss_command(code)
        for pub in ("rapport-2025", "brochure-5-ans"):
            times: dict[str, list[tuple[float, float]]] = {"web": [], "print": []}
            for _ in range(args.runs):
                for edition in ("web", "print"):
                    out = Path(tmp) / f"{pub}-{edition}.pdf"
                    extra = PRINT if edition == "print" else []
                    times[edition].append(run(command, root, [pub, "--lang", args.lang, "-o", str(out), *extra]))
            med = {e: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for e, t in times.items()}
            print(f"{pub} ({args.lang}), {args.runs} runs each:")
            for e in ("web", "print"):
                runs = ", ".join(f"{w:.1f}/{c:.1f}" for w, c in times[e])
                print(f"  {e:5s} median {med[e][0]:.2f} s wall, {med[e][1]:.2f} s CPU  (runs wall/CPU: {runs})")
            print(f"  print/web: {med['print'][0] / med['web'][0]:.2f} (wall), {med['print'][1] / med['web'][1]:.2f} (CPU)")
            check = subprocess.run([*command, "preflight", str(Path(tmp) / f"{pub}-print.pdf")], capture_output=True, text=True,
                                   env=dict(os.environ, CLSS_ROOT=str(root), LANG="C"))
            print("  preflight of the print edition: " + check.stdout.splitlines()[0].split(" — ")[-1])
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
