"""Everything one PDF needs (`Source`): the template, its data, the Typst body from pandoc and
the assets (QR codes, charts), for a publication or for quartier sheets."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import assemble, i18n, qr
from .. import model as m
from ..load import Content
from ..sections import SectionIndex
from . import annex, data, pagemap, pandoc
from .jobs import Job, PrintError
from .markdown import in_language, missing_alt, prepare, raw_typst, source_marker, with_references


@dataclass
class Source:
    """Everything one PDF needs: the template, its JSON data, the typst body and the assets."""

    job: Job
    template: str  # report | brochure | sheet
    data: dict
    body: str
    assets: dict[str, bytes] = field(default_factory=dict)
    timestamp: dt.datetime | None = None
    paper: str = "a4"


def links_url(site_url: str) -> str:
    """The site address the assembly writes into QR codes and printed addresses: the real one,
    or a stand-in that the print step replaces by a labelled box."""
    return site_url if data.is_real_site_url(site_url) else annex.STAND_IN_URL


def frozen(content: Content, pub: m.Publication) -> Content:
    """The content as of the publication's date (facts added later do not change it)."""
    as_of = getattr(content, "as_of", None)
    day = getattr(pub, "facts_date", None) or getattr(pub, "as_of", None)
    return as_of(day) if callable(as_of) and day is not None else content


def _common(job: Job, site_url: str, draft: bool) -> dict:
    return {"draft": bool(draft), "site-url-known": data.is_real_site_url(site_url)}


def publication_source(content: Content, job: Job, site_url: str = "", paper: str | None = None,
                       *, draft: bool = True, pages: pagemap.PageMaps | None = None, cache_dir: Path | None = None,
                       index: SectionIndex | None = None) -> Source:
    """`pages`: the page maps of the publications whose pages it prints (a brochure's Sources);
    `cache_dir`: where pandoc's answers are kept (clss.print.pandoc.run; None: not kept);
    `index`: the chapters' headings of `content`, when the caller has read them already."""
    pub = content.publications[job.ident]
    current = content  # sources: the current facts
    if index is None:
        index = pagemap.section_index(content, cache_dir)
    content = frozen(content, pub)
    pub = content.publications.get(job.ident, pub)
    lang = job.lang
    url = links_url(site_url)
    chapters, assets = assemble.chapter_markdown(content, pub, lang, url)
    assets = dict(assets)
    chapters = with_references(chapters, lang)
    parts, problems = [], []
    printed_in: dict[str, str] = {}  # project id → the chapter its text is printed in
    for here, clang, md in chapters:
        source = f"content/{clang}/{here}"
        problems += missing_alt(md, source, content)
        if pub.print.template == "brochure":
            md = annex.project_sources(md, Path(here).stem, printed_in)
        text = pagemap.labelled(current, index, pub.id, Path(here).stem, lang, prepare(md))
        if pub.print.template == "brochure":
            text = qr.link_qr_codes(text, lang, assets, skip=lambda u: u.startswith(annex.STAND_IN_URL))
            text = annex.annex_texts(text, content, lang, url)
        text = annex.mark_unknown_urls(text)
        # chapter-start: where the chapter begins (page break, running head; templates/report.typ)
        start = raw_typst(f'#chapter-start("{Path(here).stem}")')
        parts.append(source_marker(source) + "\n" + start + "\n" + in_language(text, clang, lang, restore=True))
    if pub.back_cover:
        rel = f"publications/{pub.id}/{pub.back_cover}.md"
        text, clang = assemble.prose_markdown(content, rel, lang, url, strip_h1=False)
        if text.strip():
            problems += missing_alt(text, f"content/{clang}/{rel}", content)
            inner = in_language(annex.mark_unknown_urls(prepare(text)), clang, lang)
            parts.append(source_marker(f"content/{clang}/{rel}") + "\n::: {.back-cover}\n\n" + inner + "\n\n:::\n")
    if problems:
        raise PrintError("\n".join(problems))
    bib = content.root / "bibliography.yaml"
    body = pandoc.run_parts(parts, lang, bib if bib.is_file() else None, f"content/{lang}/publications/{pub.id}", cache_dir)
    facts = data.publication_data(content, pub, lang)
    if pub.print.template == "brochure":
        facts["quartiers"] = {q.id: data.quartier_data(content, q, lang, url) for q in content.quartiers.values()}
        facts["sources"] = _brochure_sources(current, index, pub.id, lang, pages, site_url, printed_in, body,
                                             quartier_ids=sorted(content.quartiers))
    facts.update(_common(job, site_url, draft))
    return Source(job, pub.print.template, facts, body, assets, data.stamp(pub.day), paper or pub.print.paper)


def _brochure_sources(content: Content, index, pub_id: str, lang: str, pages: pagemap.PageMaps | None, site_url: str,
                      printed_in: dict[str, str], body: str, quartier_ids: list[str]) -> dict[str, list]:
    """The Sources of the annex pages (every quartier) and of the projects printed in the
    brochure, without the section a project's own text is printed in."""
    out = {}
    for q in (content.quartiers[qid] for qid in quartier_ids if qid in content.quartiers):
        out[f"quartier:{q.id}"] = pagemap.entries(content, index, q, f"content/quartiers/{q.id}.yml", lang, pages,
                                                  _real(site_url), here=pub_id)
    for pid, chapter in printed_in.items():
        p = content.projects[pid]
        out[f"project:{pid}"] = pagemap.entries(content, index, p, f"content/projects/{pid}.yml", lang, pages,
                                                _real(site_url), here=pub_id, skip_chapter=chapter)
    missing = sorted({e["label"] for entries in out.values() for e in entries if e["label"] and f"<{e['label']}>" not in body})
    if missing:
        raise PrintError(f"content/{lang}/publications/{pub_id}: cited section(s) not found in the printed text: "
                         f"{', '.join(missing)}; check that these chapters print the cited headings")
    return out


def _real(site_url: str) -> str:
    return site_url if data.is_real_site_url(site_url) else ""


class SheetBodies(dict):
    """The Typst bodies of quartier sheets ({id: body}, one pandoc run) and the section index
    their Sources use, made once for all the sheets of a task."""

    def __init__(self, bodies: dict[str, str], index):
        super().__init__(bodies)
        self.index = index


SHEET_RE = re.compile(r"^// clss-sheet-start: (?P<id>[\w-]+)\n(?P<body>.*?)^// clss-sheet-end$", re.S | re.M)


def sheet_bodies(content: Content, lang: str, ids: list[str], site_url: str = "", cache_dir: Path | None = None,
                 index: SectionIndex | None = None) -> dict[str, str]:
    """The typst body of each quartier sheet: one pandoc run for all of them (kept in `cache_dir`).
    `index`: the chapters' headings of `content`, when the caller has read them already."""
    parts, problems = [], []
    url = links_url(site_url)
    for qid in ids:
        rel = f"quartiers/{qid}.md"
        text, clang = assemble.prose_markdown(content, rel, lang, url)
        problems += missing_alt(text, f"content/{clang}/{rel}", content)
        inner = in_language(annex.mark_unknown_urls(prepare(text)), clang, lang)
        parts.append(f'::: {{.sheet quartier="{qid}"}}\n\n{source_marker(f"content/{clang}/{rel}")}\n{inner}\n\n:::\n')
    if problems:
        raise PrintError("\n".join(problems))
    out = pandoc.run("\n\n".join(parts), lang, None, f"content/{lang}/quartiers", cache_dir)
    if index is None:
        index = pagemap.section_index(content, cache_dir)
    bodies = SheetBodies({mt.group("id"): mt.group("body") for mt in SHEET_RE.finditer(out)}, index)
    missing = [qid for qid in ids if qid not in bodies]
    if missing:
        raise PrintError(f"content/{lang}/quartiers: the text of {', '.join(missing)} could not be converted")
    return bodies


def sheet_source(content: Content, job: Job, bodies: dict[str, str], site_url: str = "", *, draft: bool = True,
                 pages: pagemap.PageMaps | None = None) -> Source:
    """`pages`: the page maps of the publications the sheets cite (clss.print.pagemap.load)."""
    lang = job.lang
    ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
    quartiers = [content.quartiers[qid] for qid in ids]
    _ = i18n.gettext_for(lang)
    title = (f"{quartiers[0].name.get(lang)} — {_('Quartier sheet')}" if job.kind == "quartier"
             else f"{_('Quartier sheets')} — {_('Local social-health contracts')}")
    url = links_url(site_url)
    facts = {
        "kind": "sheets",
        "title": title,
        "doc-title": title,
        "combined": job.kind == "quartiers",
        "order": ids,
        "quartiers": {q.id: data.quartier_data(content, q, lang, url) for q in quartiers},
        "keywords": ["CLSS", _("Local social-health contracts")],
    }
    index = bodies.index if isinstance(bodies, SheetBodies) else pagemap.section_index(content)
    facts["sources"] = {f"quartier:{q.id}": pagemap.entries(content, index, q, f"content/quartiers/{q.id}.yml", lang, pages,
                                                           _real(site_url)) for q in quartiers}
    facts.update(_common(job, site_url, draft))
    sheets: dict = facts["quartiers"]  # type: ignore[assignment]
    assets = {f"qr/{q.id}.svg": qr.qr_svg(sheets[q.id]["url"]) for q in quartiers if qr.drawn_for(sheets[q.id]["url"])}
    body = "\n".join(bodies[qid] for qid in ids)
    observed = max(q.current.day for q in quartiers)
    return Source(job, "sheet", facts, body, assets, data.stamp(observed), "a4")
