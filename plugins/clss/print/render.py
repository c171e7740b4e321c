"""One PDF: the source of a job (publication or quartier sheets), laid out and written."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..load import Content
from . import pagemap
from .jobs import Job, PrintError, needs
from .sources import Source, publication_source, sheet_bodies, sheet_source
from .typst_compile import compile_source


def make_source(content: Content, job: Job, site_url: str = "", paper: str | None = None, *, draft: bool,
                bodies: dict[str, str] | None = None, pages_dir: Path | None = None) -> Source:
    """The Source of `job`; `bodies` are the quartier sheets' Typst bodies when already made.
    `pages_dir`: the language's output folder holding the PDFs of the publications the job
    cites (made before it: jobs.stages), whose page numbers its Sources print."""
    pages = pagemap.load(content, job, pages_dir) if pages_dir is not None else None
    if job.kind == "publication":
        return publication_source(content, job, site_url, paper, draft=draft, pages=pages)
    ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
    if bodies is None or any(qid not in bodies for qid in ids):
        bodies = sheet_bodies(content, job.lang, ids, site_url)
    return sheet_source(content, job, bodies, site_url, draft=draft, pages=pages)


def _make_cited(root: Path, content: Content, job: Job, folder: Path, site_url: str, draft: bool, seen: frozenset = frozenset()) -> None:
    """Make the publications whose page numbers `job` prints (and theirs first) into `folder`."""
    for dep in needs(content, job):
        if dep in seen or (folder / dep.relpath).is_file():
            continue
        _make_cited(root, content, dep, folder, site_url, draft, seen | {job})
        src = make_source(content, dep, site_url, draft=draft, pages_dir=folder)
        compile_source(src, folder / dep.relpath)


def render(root: Path, content: Content, job: Job, target: Path, paper: str | None = None, bleed: float = 0.0,
           crop_marks: bool = False, site_url: str = "", *, draft: bool = True, edition: str = "web") -> None:
    """Make one PDF at `target` in its `edition` (web: PDF/A + PDF/UA; print: PDF/X-4, CMYK).
    `draft` PDFs carry a draft mark in the margin of every page. Raises PrintError
    (editor-readable) on failure."""
    try:
        if not needs(content, job):
            src = make_source(content, job, site_url, paper, draft=draft, pages_dir=None)
        else:  # the cited publications, made first in a temporary folder (same options)
            with tempfile.TemporaryDirectory(prefix="clss-cited-") as tmp:
                _make_cited(root, content, job, Path(tmp), site_url, draft)
                src = make_source(content, job, site_url, paper, draft=draft, pages_dir=Path(tmp))
        compile_source(src, Path(target), paper=paper, bleed=bleed, crop_marks=crop_marks, edition=edition)
    except PrintError:
        raise
    except KeyError as exc:
        raise PrintError(f"{job}: unknown {exc.args[0]!r}") from None
