"""One PDF: the source of a job (publication or quartier sheets), laid out and written."""
from __future__ import annotations

from pathlib import Path

from ..load import Content
from .jobs import Job, PrintError
from .sources import Source, publication_source, sheet_bodies, sheet_source
from .typst_compile import compile_source


def make_source(content: Content, job: Job, site_url: str = "", paper: str | None = None, *, draft: bool,
                bodies: dict[str, str] | None = None) -> Source:
    """The Source of `job`; `bodies` are the quartier sheets' Typst bodies when already made."""
    if job.kind == "publication":
        return publication_source(content, job, site_url, paper, draft=draft)
    ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
    if bodies is None or any(qid not in bodies for qid in ids):
        bodies = sheet_bodies(content, job.lang, ids, site_url)
    return sheet_source(content, job, bodies, site_url, draft=draft)


def render(root: Path, content: Content, job: Job, target: Path, paper: str | None = None, bleed: float = 0.0,
           crop_marks: bool = False, site_url: str = "", *, draft: bool = True, edition: str = "web") -> None:
    """Make one PDF at `target` in its `edition` (web: PDF/A + PDF/UA; print: PDF/X-4, CMYK).
    `draft` PDFs carry a draft mark in the margin of every page. Raises PrintError
    (editor-readable) on failure."""
    try:
        src = make_source(content, job, site_url, paper, draft=draft)
        compile_source(src, Path(target), paper=paper, bleed=bleed, crop_marks=crop_marks, edition=edition)
    except PrintError:
        raise
    except KeyError as exc:
        raise PrintError(f"{job}: unknown {exc.args[0]!r}") from None
