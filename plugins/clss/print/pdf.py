"""The print step's interface (CLI, build, tests): assembled Markdown → pandoc (typst writer +
Lua filters) → Typst templates → PDF/A-2b + PDF/UA-1, byte-identical for the same content.

The work is split by concern:

- jobs.py          which PDFs (Job, job_for, all_jobs), PrintError, grouping into tasks
- markdown.py      site Markdown → pandoc Markdown (admonitions, source markers, alt text check)
- annex.py         QR codes of links, the brochure's annex pages, unknown site address
- data.py          facts and labels for the templates (JSON), print settings
- pandoc.py        the pandoc runs (one or two halves per publication)
- sources.py       Source of a publication / of quartier sheets (as of the publication's date)
- typst_compile.py typst-py compile, error mapping to content files
- postprocess.py   pikepdf: BleedBox, stream data ending in CR
- render.py        one PDF; pool.py many PDFs in a worker pool (clean shutdown: clss.processes)
- staged.py        many PDFs in the order of the plan (jobs.stages): cited publications first
- pagemap.py       page numbers of cited sections, read from the built publication PDFs
- slots.py         at most one pandoc/Typst process per core
"""
from __future__ import annotations

from ..processes import shutdown
from .data import is_real_site_url
from .jobs import Job, PrintError, all_jobs, cited_chapters, cites, job_for, needs, prose_inputs, stages
from .markdown import prepare
from .render import make_source, render
from .sources import Source, publication_source, sheet_bodies, sheet_source
from .staged import render_all
from .typst_compile import compile_pdf, compile_source

__all__ = [
    "Job", "PrintError", "Source", "all_jobs", "cited_chapters", "cites", "compile_pdf", "needs", "prose_inputs", "stages", "compile_source", "is_real_site_url", "job_for",
    "make_source", "prepare", "publication_source", "render", "render_all", "sheet_bodies", "sheet_source", "shutdown",
]
