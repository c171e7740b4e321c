"""Benchmark of the print step (not a test): medians of N runs, each in a fresh process.

    .venv/bin/python bench/print_bench.py [--runs 5] [--content content] [--no-weasyprint]

Measures every PDF on its own (render(): assembly + pandoc + Typst, as `clss pdf` does, without
interpreter start-up and content loading), all PDFs of both languages with render_all() (in
parallel, default workers = cores), and — only when WeasyPrint is importable; it is not a
dependency — the report through pandoc → HTML → WeasyPrint for comparison. Peak memory is
resource.getrusage(RUSAGE_CHILDREN).ru_maxrss of the measuring process (its largest
descendant: a Typst worker or pandoc). Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://clss.example.org/"

WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from clss import load
from clss.print import pdf
mode, content_dir, out, *args = sys.argv[1:]
content = load.load(Path(content_dir))
t0 = time.perf_counter()
stages = {}
if mode == "one":
    name, lang = args
    job = pdf.job_for(content, name, lang)
    if job.kind == "publication":
        src = pdf.publication_source(content, job, SITE)
    else:
        ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
        src = pdf.sheet_source(content, job, pdf.sheet_bodies(content, lang, ids, SITE), SITE)
    stages["source"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    pdf.compile_source(src, Path(out))
    stages["typst"] = time.perf_counter() - t1
elif mode == "all":
    jobs = pdf.all_jobs(content, ["fr", "nl"])
    pdf.render_all(Path(content_dir).parent, content, jobs, Path(out), site_url=SITE)
    stages["jobs"] = len(jobs)
elif mode == "weasy":
    import subprocess, tempfile
    import weasyprint
    from clss import assemble
    from clss.citations import pandoc_path
    pub = content.publications["rapport-2025"]
    chapters, _ = assemble.chapter_markdown(content, pub, "fr", SITE)
    md = "\n\n".join(pdf.prepare(m) for _, _, m in chapters)
    html = subprocess.run([pandoc_path(), "-f", "markdown-implicit_figures", "-t", "html5", "-s", "--wrap=none",
                           "--citeproc", f"--bibliography={content.root / 'bibliography.yaml'}", "-M", "lang=fr-FR",
                           "-M", "title=Rapport"], input=md.encode(), capture_output=True, check=True).stdout.decode()
    stages["source"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    css = weasyprint.CSS(string="@page { size: A4; margin: 25mm 30mm; @bottom-center { content: counter(page) } }"
                         " body { font-family: 'Source Serif Pro', serif; font-size: 10.5pt; line-height: 1.45 }"
                         " blockquote { background: #fbf0f5; border-left: 3px solid #b8005c; padding: 6pt 12pt }"
                         " h1 { break-before: page }")
    weasyprint.HTML(string=html).write_pdf(out, stylesheets=[css])
    stages["typst"] = time.perf_counter() - t1
total = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"total": total, "stages": stages, "rss_self_kb": me, "rss_children_kb": kids}))
"""


def run(mode: str, content: Path, *args: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="clss-bench-") as tmp:
        out = str(Path(tmp) / ("out.pdf" if mode != "all" else "print"))
        env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
        code = f"SITE = {SITE!r}\n" + WORKER
        proc = subprocess.run([sys.executable, "-c", code, mode, str(content), out, *args],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"{mode} {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def median(values) -> float:
    return statistics.median(values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    ap.add_argument("--no-weasyprint", action="store_true")
    opts = ap.parse_args()
    runs = max(1, opts.runs)
    content = opts.content.resolve()

    rows = []
    singles = [("rapport-2025", "fr"), ("rapport-2025", "nl"), ("brochure-5-ans", "fr"), ("brochure-5-ans", "nl"),
               ("quartier:marolles", "fr"), ("quartier:marolles", "nl"), ("quartiers", "fr"), ("quartiers", "nl")]
    peak_kb = 0
    for name, lang in singles:
        results = [run("one", content, name, lang) for _ in range(runs)]
        peak_kb = max(peak_kb, *(max(r["rss_self_kb"], r["rss_children_kb"]) for r in results))
        rows.append((f"`{name}` {lang}", median(r["total"] for r in results),
                     median(r["stages"]["source"] for r in results), median(r["stages"]["typst"] for r in results),
                     max(max(r["rss_self_kb"], r["rss_children_kb"]) for r in results) / 1024))
    results = [run("all", content) for _ in range(runs)]
    all_peak = max(r["rss_children_kb"] for r in results) / 1024
    rows.append((f"all {results[0]['stages']['jobs']} PDFs, fr + nl, parallel", median(r["total"] for r in results), None, None, all_peak))

    weasy = None
    if not opts.no_weasyprint:
        try:
            importlib.import_module("weasyprint")
        except Exception:  # noqa: BLE001 - not installed (it is not a dependency): skip
            weasy = None
        else:
            results = [run("weasy", content) for _ in range(runs)]
            weasy = (median(r["total"] for r in results), median(r["stages"]["source"] for r in results),
                     median(r["stages"]["typst"] for r in results), max(r["rss_self_kb"] for r in results) / 1024)

    print(f"## Print benchmark — medians of {runs} runs, {os.cpu_count()} cores, each run a fresh process\n")
    print("| PDF | total (s) | assembly + pandoc (s) | Typst (s) | peak RSS (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, total, source, typst, rss in rows:
        fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"| {label} | {total:.2f} | {fmt(source)} | {fmt(typst)} | {rss:.0f} |")
    if weasy:
        print(f"| report fr via pandoc → HTML → WeasyPrint (comparison) | {weasy[0]:.2f} | {weasy[1]:.2f} | {weasy[2]:.2f} (WeasyPrint) | {weasy[3]:.0f} |")
    else:
        print("| report fr via WeasyPrint | not measured: weasyprint is not installed | | | |")
    load = os.getloadavg()
    print(f"\nLoad average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}. Targets: report ≤ 2.1 s per language, all ≤ 8 s.")


if __name__ == "__main__":
    main()
