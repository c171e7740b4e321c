"""Page numbers of the sections that quartier sheets and the brochure cite ("Sources"/"Bronnen").

A publication gives every heading that a `sources:` entry names the label `label(chapter,
anchor)` (a pandoc identifier → a Typst label → a named destination of its PDF). `read()` reads
those destinations back from the built PDF with pikepdf: {label: page}, the page being the
physical page, which is the printed folio (no template resets the page counter). So a sheet
prints the page numbers of the very PDF made before it in the same build (`needs`: the print plan
renders the publications a job cites first, clss.print.jobs.stages). A publication that cites
itself (the brochure's annex pages) asks Typst where its own label is (`locate`).

A cited section whose page cannot be found is an error of the build, never a silent "p. ?".
"""
from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from pathlib import Path

from .. import cache, incremental, languages
from .. import model as m
from ..cache import Cache
from ..load import Content
from ..sections import SectionIndex
from .jobs import Job, PrintError, cites, needs, prose_inputs

PREFIX = "clss-src--"
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2014": "-", "\u2013": "-"})

PageMaps = dict[str, dict[str, int]]  # publication id → {label: page}


def label(chapter: str, anchor: str) -> str:
    """The label of a cited heading (chapter id + its anchor on the French page)."""
    return f"{PREFIX}{chapter}--{anchor}"


def section_index(content: Content, cache_dir: Path | None = None) -> SectionIndex:
    """The chapters' headings (`cache_dir`: where they are kept between runs, clss.cache)."""
    return SectionIndex(content, content.root.parent / "mkdocs.yml", cache_dir)


def cited(content: Content, pub_id: str) -> list[tuple[str, str]]:
    """(chapter, anchor) of every section of `pub_id` that a quartier or project cites."""
    items: list[m.Quartier | m.Project] = [*content.quartiers.values(), *content.projects.values()]
    return sorted({(s.chapter, s.anchor) for item in items for s in item.sources if s.publication == pub_id})


# --- labels in the publication's Markdown -------------------------------------------------------


def _norm(text: str) -> str:
    """A heading's text without Markdown, HTML and typographic variants (to compare the site's
    heading names with the printed Markdown)."""
    text = re.sub(r"\s*\{[^{}]*\}\s*$", "", text)
    text = re.sub(r"\[\^[^\]]*\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", html.unescape(text))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"[*_`\\]", "", text).replace("---", "-").replace("--", "-")
    return " ".join(text.split()).casefold()


def label_headings(markdown: str, wanted: list[tuple[list[str], int, str]]) -> str:
    """Give headings of one chapter's Markdown their labels. `wanted`: (the chapter's heading
    texts as the site lists them, index of the cited one, label). The cited heading is found by
    its text (the n-th heading with that text when several have it); one not found keeps no
    label, and the PDF citing it reports the missing page."""
    lines = markdown.split("\n")
    heads: list[tuple[int, str]] = []
    fence = False
    for i, line in enumerate(lines):
        if FENCE_RE.match(line):
            fence = not fence
        elif not fence and (mt := HEADING_RE.match(line)):
            heads.append((i, _norm(mt.group(2))))
    for names, k, lab in wanted:
        text = _norm(names[k])
        nth = sum(1 for name in names[:k] if _norm(name) == text)
        found = [i for i, name in heads if name == text]
        if len(found) > nth:
            line = lines[found[nth]]
            attrs = re.search(r"\{([^{}]*)\}\s*$", line)
            if attrs:  # an explicit id (`{#contexte}`) gives way to the label; classes stay
                rest = re.sub(r"#[^\s}]+", "", attrs.group(1)).strip()
                lines[found[nth]] = line[: attrs.start()] + "{#" + lab + (" " + rest if rest else "") + "}"
            else:
                lines[found[nth]] = line + f" {{#{lab}}}"
    return "\n".join(lines)


def labelled(content: Content, index: SectionIndex, pub_id: str, chapter: str, lang: str, markdown: str) -> str:
    """The chapter's Markdown with a label on each heading that a source cites."""
    wanted = []
    for ch, anchor in cited(content, pub_id):
        if ch != chapter:
            continue
        source = index.headings(pub_id, chapter, languages.SOURCE) or []
        here = index.headings(pub_id, chapter, lang) or []
        ids = [a for a, _ in source]
        if anchor in ids and len(here) == len(ids):
            wanted.append(([html.unescape(t) for _, t in here], ids.index(anchor), label(chapter, anchor)))
    return label_headings(markdown, wanted) if wanted else markdown


# --- page numbers from the built PDF --------------------------------------------------------------


def read(path: Path) -> dict[str, int]:
    """{label: page} of the cited headings of a built publication PDF (its named destinations).
    Every sheet of a task cites the same PDFs: one read per file version (`_read`, memoised on
    the file's identity, size and modification time; a PDF made again is a new file)."""
    st = Path(path).stat()
    return dict(_read(str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _read(path: str, dev: int, ino: int, size: int, mtime_ns: int) -> dict[str, int]:
    import pikepdf

    out: dict[str, int] = {}
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        names = pdf.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        if dests is None:
            return out
        for name, dest in pikepdf.NameTree(dests).items():
            if not str(name).startswith(PREFIX):
                continue
            target = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            page = pages.get(target[0].objgen) if isinstance(target, pikepdf.Array) and len(target) else None
            if page is not None:
                out[str(name)] = page
    return out


def load(content: Content, job: Job, folder: Path) -> PageMaps:
    """The page maps of the publications `job` cites, from their PDFs in `folder` (the
    language's output folder, where the print plan made them first)."""
    maps: PageMaps = {}
    for dep in needs(content, job):
        path = Path(folder) / dep.relpath
        if not path.is_file():
            raise PrintError(f"{job}: the page numbers of its sources come from {dep}, which was not made "
                             f"(make `{dep.ident}` in {job.lang.upper()} first, e.g. `clss build --lang {job.lang}`)")
        try:
            maps[dep.ident] = read(path)
        except Exception as exc:  # noqa: BLE001 - a damaged PDF: say which
            raise PrintError(f"{job}: cannot read the page numbers of {path}: {exc}") from None
    return maps


# --- page maps kept between runs (`clss pdf` of one sheet need not remake the report each time) ---------


def _cache_key(root: Path, content: Content, job: Job, draft: bool, site_url: str) -> str:
    """The key a publication PDF's page map is kept under (clss.cache, kind "pagemaps"): that
    PDF's incremental key (its texts, data, code, tools and options), so a kept map is never out
    of date; the cache's checksum refuses a damaged one."""
    return incremental.Keys(root).pdf(job, draft, site_url, cites=cites(content, job), prose=prose_inputs(content, job))


def cached(root: Path, content: Content, job: Job, draft: bool, site_url: str) -> dict[str, int] | None:
    kept = Cache(cache.folder(root)).get("pagemaps", _cache_key(root, content, job, draft, site_url))
    try:
        return None if kept is None else {str(k): int(v) for k, v in json.loads(kept).items()}
    except (ValueError, TypeError, AttributeError):
        return None


def keep(root: Path, content: Content, job: Job, draft: bool, site_url: str, pdf: Path) -> None:
    """Keep the page map of the publication PDF just made (no error if the cache cannot be written)."""
    try:
        data = json.dumps(read(pdf), sort_keys=True).encode("utf-8")
    except OSError:
        return
    Cache(cache.folder(root)).put("pagemaps", _cache_key(root, content, job, draft, site_url), data)


# --- the Sources entries of one quartier or project --------------------------------------------------


def entries(content: Content, index: SectionIndex, item, rel: str, lang: str, maps: PageMaps | None, site_url: str,
            here: str | None = None, skip_chapter: str | None = None) -> list[dict]:
    """The Sources of a quartier or project (`rel`: its YAML file, for messages) for the print:
    [{publication, heading, page | label, url}] in the order of its `sources:`. `here` is the
    publication being printed: its own sections get a `label` (Typst finds their page); sections
    of chapter `skip_chapter` of `here` (the text printed there itself) are left out. A section
    of another publication must have its page in `maps`, else PrintError; `maps` None (a
    Source made without its cited PDFs, e.g. to test a layout) prints no page numbers."""
    out = []
    problems = []
    base = site_url.rstrip("/") + "/" if site_url else ""
    for i, s in enumerate(item.sources):
        pub = content.publications.get(s.publication)
        sec = index.resolve(s.publication, s.chapter, s.anchor, lang) if pub else None
        if pub is None or sec is None:
            continue  # reported by `clss check`
        if s.publication == here and s.chapter == skip_chapter:
            continue
        lab = label(s.chapter, s.anchor)
        entry: dict[str, str | int | None] = {"publication": pub.title.get(lang), "heading": _inner_quotes(sec.heading, lang), "page": None, "label": None,
                 "url": f"{base}{lang}/publications/{s.publication}/{s.chapter}/#{sec.anchor}" if base else ""}
        if s.publication == here:
            entry["label"] = lab
        elif maps is not None:
            page = maps.get(s.publication, {}).get(lab)
            if page is None:
                line = content.lines.get((rel, "sources", i, "anchor"), 1)
                problems.append(f"{rel}:{line}: source {i + 1}: the section « {sec.heading} » ({s.chapter}#{s.anchor}) has no page "
                                f"in {lang}/{s.publication}.pdf (its heading was not found in the printed publication); "
                                "check that the chapter prints this heading")
                continue
            entry["page"] = page
        out.append(entry)
    if problems:
        raise PrintError("\n".join(problems))
    return out


def _inner_quotes(heading: str, lang: str) -> str:
    """The Sources quote each heading (« … »): quotation marks inside it become the inner ones."""
    heading = re.sub(r"(?<!\w)'([^']+)'(?!\w)", "\u2018\\1\u2019", heading)  # 'x' (not an apostrophe) → ‘x’
    if lang == "fr":
        return re.sub(r"«\s*(.*?)\s*»", "\u201c\\1\u201d", heading)
    return re.sub(r"[\u201c\"](.*?)[\u201d\"]", "\u2018\\1\u2019", heading)  # Dutch: “ ” outside, ‘ ’ inside
