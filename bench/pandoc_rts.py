"""pandoc's GHC runtime options (GHCRTS) measured on the real print inputs: CPU time and peak
memory (PSS, bench/treemon.py) of one pandoc run per setting, settings alternating run by run.

    .venv/bin/python bench/pandoc_rts.py [--runs 5] [--pub rapport-2025] [--lang fr] -- SETTING…

e.g. `bench/pandoc_rts.py -- "-A16m" "-A8m -H1m"`. The input is the publication's text exactly as
`clss build` hands it to pandoc in one run (clss.print.sources, the command of clss.print.pandoc);
the outputs of all settings must be identical (checked).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "bench"))

import treemon  # noqa: E402


class _Captured(Exception):
    pass


def pandoc_input(pub: str, lang: str) -> tuple[list[str], str]:
    """(pandoc's command line, its standard input) for the whole publication in one run."""
    from clss import load
    from clss.print import jobs, pandoc, sources

    content = load.load(ROOT / "content")
    got: dict = {}

    def capture(parts, lang, bibliography, source, cache_dir=None):
        got.update(parts=parts, bibliography=bibliography)
        raise _Captured

    real, pandoc.run_parts = pandoc.run_parts, capture
    try:
        sources.publication_source(content, jobs.job_for(content, pub, lang), draft=True)
    except _Captured:
        pass
    finally:
        pandoc.run_parts = real
    text = "\n\n".join(got["parts"])
    text = pandoc.NOCITE + text if "{#refs}" in text else text
    return pandoc._command(text, lang, got["bibliography"]), text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("settings", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pub", default="rapport-2025")
    ap.add_argument("--lang", default="fr")
    opts = ap.parse_args()
    args, text = pandoc_input(opts.pub, opts.lang)
    results: dict[str, list[treemon.TreeRun]] = {s: [] for s in opts.settings}
    outputs: dict[str, str] = {}
    for _ in range(opts.runs):
        for setting in opts.settings:
            run = treemon.run(args, env=dict(os.environ, GHCRTS=setting), interval=0.01, stdin_text=text)
            if run.code != 0:
                sys.exit(f"pandoc failed with GHCRTS={setting}: {run.stderr[-500:]}")
            results[setting].append(run)
            outputs[setting] = run.stdout
    print(f"{opts.pub} ({opts.lang}), {len(text)} characters, {opts.runs} runs per setting, load {os.getloadavg()[0]:.2f}")
    print("| GHCRTS | CPU (s) | peak PSS (MiB) |\n| --- | ---: | ---: |")
    for setting, runs in results.items():
        print(f"| `{setting}` | {statistics.median(r.cpu for r in runs):.2f} | {statistics.median(r.pss_mib for r in runs):.0f} |")
    if len(set(outputs.values())) != 1:
        sys.exit("the settings gave different outputs")


if __name__ == "__main__":
    main()
