"""The cover spread of a perfect-bound book: back cover, spine and front cover on one sheet
(templates/cover.typ). The spine is as wide as the book block: its leaves (two pages each) times
the thickness of one leaf, `print: paper_thickness_mm` in the publication's manifest. Every text
comes from the manifest (title, subtitle, credits, publisher) and its back-cover chapter."""
from __future__ import annotations

import math
from pathlib import Path

from .. import assemble
from ..load import Content
from . import data, pandoc
from .jobs import Job, PrintError
from .markdown import in_language, missing_alt, prepare, source_marker
from .sources import Source, links_url
from .typst_compile import compile_source


def cover_path(book: Path) -> Path:
    """Where the cover of the book PDF `book` goes: beside it, `<name>-cover.pdf`."""
    return book.with_name(f"{book.stem}-cover.pdf")


def spine_mm(pages: int, thickness_mm: float) -> float:
    """The spine width of a book of `pages` pages: its leaves × the thickness of one leaf."""
    return round(math.ceil(pages / 2) * thickness_mm, 2)


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def cover_source(content: Content, job: Job, pages: int, site_url: str = "", paper: str | None = None,
                 *, draft: bool = True, cache_dir: Path | None = None) -> Source:
    pub = content.publications[job.ident]
    manifest = f"content/publications/{pub.id}.yml"
    if pub.print.paper_thickness_mm is None:
        raise PrintError(f"{manifest}: a cover spread needs the paper's thickness: add "
                         "`paper_thickness_mm: 0.1` (one leaf, in mm) under `print:`")
    body = ""
    if pub.back_cover:
        rel = f"publications/{pub.id}/{pub.back_cover}.md"
        text, clang = assemble.prose_markdown(content, rel, job.lang, links_url(site_url), strip_h1=False)
        problems = missing_alt(text, f"content/{clang}/{rel}", content)
        if problems:
            raise PrintError("\n".join(problems))
        part = source_marker(f"content/{clang}/{rel}") + "\n" + in_language(prepare(text), clang, job.lang)
        body = pandoc.run_parts([part], job.lang, None, f"content/{job.lang}/publications/{pub.id}", cache_dir)
    facts = data.publication_data(content, pub, job.lang)
    facts["cover"] = {"pages": pages, "spine-mm": spine_mm(pages, pub.print.paper_thickness_mm)}
    facts.update({"draft": bool(draft), "site-url-known": data.is_real_site_url(site_url)})
    return Source(job, "cover", facts, body, {}, data.stamp(pub.day), paper or pub.print.paper)


def render_cover(content: Content, job: Job, book: Path, target: Path, paper: str | None = None,
                 bleed: float = 0.0, crop_marks: bool = False, site_url: str = "", *, draft: bool = True,
                 cache_dir: Path | None = None, **options) -> float:
    """Write the cover spread of the book PDF `book` (made first, same options) to `target`;
    returns the spine width in mm. `options` go to compile_source (the edition); `cache_dir`:
    where pandoc's answers are kept."""
    if job.kind != "publication":
        raise PrintError(f"{job}: only a publication has a cover spread")
    src = cover_source(content, job, page_count(book), site_url, paper, draft=draft, cache_dir=cache_dir)
    compile_source(src, target, paper=paper, bleed=bleed, crop_marks=crop_marks, **options)
    return src.data["cover"]["spine-mm"]
