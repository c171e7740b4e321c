"""One PDF: the source of a job (publication or quartier sheets), laid out and written."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..load import Content
from ..sections import SectionIndex
from . import pagemap
from .jobs import Job, PrintError, needs
from .sources import Source, publication_source, sheet_bodies, sheet_source
from .typst_compile import compile_source


def make_source(content: Content, job: Job, site_url: str = "", paper: str | None = None, *, draft: bool,
                bodies: dict[str, str] | None = None, pages_dir: Path | None = None,
                pages: pagemap.PageMaps | None = None, cache_dir: Path | None = None,
                index: SectionIndex | None = None) -> Source:
    """The Source of `job`; `bodies` are the quartier sheets' Typst bodies when already made,
    `index` the chapters' headings of `content` when the caller has read them already.
    The page numbers its Sources print: `pages`, or read from the PDFs of the publications the
    job cites in `pages_dir` (the language's output folder, where jobs.stages made them first).
    `cache_dir` (<project>/.cache/clss or None): where pandoc's answers are kept."""
    if pages is None and pages_dir is not None:
        pages = pagemap.load(content, job, pages_dir)
    if job.kind == "publication":
        return publication_source(content, job, site_url, paper, draft=draft, pages=pages, cache_dir=cache_dir, index=index)
    ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
    if bodies is None or any(qid not in bodies for qid in ids):
        bodies = sheet_bodies(content, job.lang, ids, site_url, cache_dir, index)
    return sheet_source(content, job, bodies, site_url, draft=draft, pages=pages)


def cited_pages(root: Path, content: Content, job: Job, site_url: str, draft: bool, folder: Path,
                known: dict[Job, dict[str, int]] | None = None, use_cache: bool = True,
                cache_dir: Path | None = None) -> pagemap.PageMaps:
    """The page maps of the publications `job` cites: kept ones (pagemap.cached), else made
    into `folder` (the publications they cite first) and kept."""
    known = {} if known is None else known
    maps: pagemap.PageMaps = {}
    for dep in needs(content, job):
        if dep not in known:
            kept = pagemap.cached(root, content, dep, draft, site_url) if use_cache else None
            if kept is None:
                known[dep] = {}  # a citation cycle stops here
                deps = cited_pages(root, content, dep, site_url, draft, folder, known, use_cache, cache_dir)
                compile_source(make_source(content, dep, site_url, draft=draft, pages=deps, cache_dir=cache_dir), folder / dep.relpath)
                kept = pagemap.read(folder / dep.relpath)
                if use_cache:
                    pagemap.keep(root, content, dep, draft, site_url, folder / dep.relpath)
            known[dep] = kept
        maps[dep.ident] = known[dep]
    return maps


def render(root: Path, content: Content, job: Job, target: Path, paper: str | None = None, bleed: float = 0.0,
           crop_marks: bool = False, site_url: str = "", *, draft: bool = True, edition: str = "web",
           use_cache: bool = True, cache_dir: Path | None = None) -> None:
    """Make one PDF at `target` in its `edition` (web: PDF/A + PDF/UA; print: PDF/X-4, CMYK).
    `draft` PDFs carry a draft mark in the margin of every page. `cache_dir` (<project>/.cache/clss,
    None: CLSS_NO_CACHE): where pandoc's answers are kept. Raises PrintError (editor-readable)
    on failure."""
    try:
        # a sheet's own problems (e.g. an image without alt text) come before those of what it cites
        bodies = None if job.kind == "publication" else sheet_bodies(
            content, job.lang, sorted(content.quartiers) if job.kind == "quartiers" else [job.ident], site_url, cache_dir)
        # the page numbers of the publications it cites: kept from an earlier run, or made first
        # in a temporary folder with the same options (clss.cache, kind "pagemaps")
        with tempfile.TemporaryDirectory(prefix="clss-cited-") as tmp:
            pages = cited_pages(root, content, job, site_url, draft, Path(tmp), use_cache=use_cache,
                                cache_dir=cache_dir) if needs(content, job) else None
        src = make_source(content, job, site_url, paper, draft=draft, bodies=bodies, pages=pages, cache_dir=cache_dir)
        compile_source(src, Path(target), paper=paper, bleed=bleed, crop_marks=crop_marks, edition=edition)
        if use_cache and job.kind == "publication" and src.paper == content.publications[job.ident].print.paper:
            pagemap.keep(root, content, job, draft, site_url, Path(target))  # its pages, for the PDFs citing it
    except PrintError:
        raise
    except KeyError as exc:
        raise PrintError(f"{job}: unknown {exc.args[0]!r}") from None
