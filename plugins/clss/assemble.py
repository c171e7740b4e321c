"""Assembly: from the validated Content to the ordered pages of one language.

Both the site (MkDocs plugin) and print (pandoc → Typst) consume what is built here, so
ordering, numbering, data inserts, fallback to French and French typography happen once.
Nothing here imports MkDocs or calls Typst; pandoc is used only through `citations.py`.
"""
from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from . import charts, citations, crosslinks, facts, i18n, outline, qr, typography
from . import model as m
from .cache import Cache, JinjaBytecode
from .content import Content, Page
from .figures import inserts as figure_inserts
from .languages import SOURCE
from .syntax import COUNT_RE, INSERT_RE, INSERTS_FIGURES, count_options, map_prose_lines
from .vocab import QUARTIER_STATUSES, status_label

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class AssembledPage:
    lang: str  # language of the site this page belongs to
    path: str  # source-like path, e.g. "quartiers/marolles.md"
    title: str
    markdown: str
    kind: str
    content_lang: str  # "fr" when an NL page falls back to the French text
    translation: str = "source"  # source | up-to-date | outdated | missing
    pdf: str | None = None  # path of the PDF relative to the language root, e.g. "pdf/quartiers/marolles.pdf"
    source: str | None = None  # content/… path of the prose file


@dataclass
class Assembly:
    lang: str
    pages: list[AssembledPage] = field(default_factory=list)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)


@functools.cache
def env(lang: str, cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of one language (the templates compile once per process; with a
    cache folder, once until they change)."""
    e = jinja2.Environment(
        bytecode_cache=JinjaBytecode(Cache(cache_dir)) if cache_dir is not None else None,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value from YAML is escaped
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    e.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]  # the i18n extension adds it
    e.filters["date"] = lambda d, fmt="long": i18n.written_date(d, lang, fmt)
    e.filters["month"] = lambda v: i18n.month_or_year(v, lang)
    e.filters["number"] = lambda v: i18n.number(v, lang)
    e.filters["rel"] = lambda target, here: relative(here, target)
    e.globals["lang"] = lang
    e.globals["statuses"] = QUARTIER_STATUSES
    return e


def _link_from(here: str, target: str) -> str:
    return relative(here, target)


# Pure text passes, memoised: each preview save assembles every page of both languages again,
# mostly from the same texts.
@functools.lru_cache(maxsize=1024)
def _crosslinked(markdown: str, mentions: tuple[tuple[str, str], ...], here: str) -> str:
    return crosslinks.link_first_mentions(markdown, list(mentions), functools.partial(_link_from, here))


@functools.lru_cache(maxsize=1024)
def _with_qr_codes(text: str, lang: str, here: str) -> tuple[str, tuple[tuple[str, bytes], ...]]:
    """The site's QR codes after the paragraphs that mention one: (text, the images it uses)."""
    assets: dict[str, bytes] = {}
    out = qr.link_qr_codes(text, lang, assets, src=functools.partial(relative, here))
    return out, tuple(assets.items())


def relative(here: str, target: str) -> str:
    """Markdown link from page `here` to page `target` (both source-like .md paths)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def pdf_path(kind: str, ident: str) -> str:
    return f"pdf/quartiers/{ident}.pdf" if kind == "quartier" else f"pdf/{ident}.pdf"


class Assembler:
    def __init__(self, content: Content, lang: str, target: str = "site", site_url: str = "", resolve_section=None,
                 cache_dir: Path | None = None):
        """`resolve_section(publication, chapter, anchor, lang)` finds the linked section of a
        `sources:` entry (clss.sections.SectionIndex.resolve, handed over by the site); without it the
        Sources lists name the publications only. `cache_dir`: where citeproc's answers are kept."""
        self.cache_dir = cache_dir
        self.c = content
        self.resolve_section = resolve_section
        self.lang = lang
        self.target = target  # "site" or "print": a few inserts differ (links vs QR codes)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.env = env(lang, cache_dir)
        self._ = i18n.gettext_for(lang)
        self.assets: dict[str, bytes] = {}
        self.outlines: dict[str, list[outline.Node]] = {}  # publication id → its navigation tree

    # ---- helpers -------------------------------------------------------------------------
    def render(self, template: str, **kw) -> str:
        kw.setdefault("target", self.target)
        kw.setdefault("site_url", self.site_url)
        return self.env.get_template(template).render(c=self.c, status_label=lambda s: status_label(s, self._), L=self.lang,
                                                      section=self.section, **kw)

    def section(self, source: m.Source):
        if self.resolve_section is None:
            return None
        return self.resolve_section(source.publication, source.chapter, source.anchor, self.lang)

    def as_of(self, pub: m.Publication) -> Assembler:
        """An assembler of the same language over the content as of the publication's date."""
        other = Assembler(self.c.as_of(pub.facts_date), self.lang, self.target, self.site_url, self.resolve_section,
                          self.cache_dir)
        other.env = self.env  # the same language: the same templates, compiled once
        other.assets = self.assets
        return other

    def prose(self, relpath: str) -> tuple[Page | None, str, str]:
        """The page for `relpath` in this language, or the source-language one. Returns (page, content_lang, state)."""
        if self.lang == SOURCE:
            return self.c.pages[SOURCE].get(relpath), SOURCE, "source"
        state = self.c.translation_state(relpath, self.lang)
        own = self.c.pages[self.lang].get(relpath)
        if own is not None:
            return own, self.lang, state
        return self.c.pages[SOURCE].get(relpath), SOURCE, "missing"

    def body(self, page: Page | None, here: str, content_lang: str, state: str, *, strip_h1=False) -> str:
        if page is None:
            return ""
        text = self.expand(page.body, here, page)
        if strip_h1:
            text = re.sub(r"\A\s*#\s+[^\n]*\n", "", text, count=1)
        if content_lang == "fr":
            text = typography.french(text)
        if self.target == "site":  # print adds them in its own step (print/sources.py)
            text, images = _with_qr_codes(text, self.lang, here)
            self.assets.update(images)
        if self.lang != SOURCE and state in ("missing", "outdated"):
            notice = self.render("notice.md.j2", state=state, source=page.relpath, change=self.c.translation(page.relpath, self.lang))
            if state == "missing":
                text = f'<div lang="{content_lang}" markdown="1">\n\n{text}\n\n</div>\n'
            text = notice + "\n" + text
        return text

    # ---- data inserts ------------------------------------------------------------------
    def expand(self, text: str, here: str, page: Page | None = None) -> str:
        def line(text_line: str) -> str:
            mt = INSERT_RE.match(text_line.strip())
            if mt:
                return self.insert(mt.group(1), mt.group(2), here)
            return COUNT_RE.sub(lambda c: self.count(c.group(1), count_options(c.group(2))), text_line) if "[[count" in text_line else text_line

        return map_prose_lines(text, line)

    def count(self, what: str, opts: dict[str, str]) -> str:
        """An inline count from data: `[[count: quartiers wave=1.0 words]]`."""
        quartiers = [q for q in self.c.quartiers.values() if "wave" not in opts or q.wave == opts["wave"]]
        if what == "quartiers":
            n = len(quartiers)
        elif what == "communes":
            n = len({q.commune for q in quartiers})
        else:
            ids = {q.id for q in quartiers}
            n = sum(1 for p in self.c.projects.values() if p.quartier in ids)
        if "words" in opts or "Words" in opts:
            word = i18n.number_words(n, self.lang)
            return word[:1].upper() + word[1:] if "Words" in opts else word
        return i18n.number(n, self.lang)

    def quartiers_sorted(self) -> list[m.Quartier]:
        return sorted(self.c.quartiers.values(), key=lambda q: (q.wave, q.name.get(self.lang).casefold()))

    def insert(self, name: str, arg: str | None, here: str) -> str:
        if name in INSERTS_FIGURES and arg:  # photos and drawings (clss.figures)
            markdown, assets = figure_inserts.insert(self.c, name, arg, self.lang, self.target)
            self.assets.update(assets)
            return markdown
        kw = dict(here=here, target=self.target, site_url=self.site_url, quartiers=self.quartiers_sorted())
        if name == "project" and arg:
            p = self.c.projects[arg]
            page, clang, state = self.prose(f"projects/{p.id}.md")
            story = self.body(page, here, clang, state, strip_h1=True) if page else ""
            story = re.sub(r"^(#+)", r"\1##", story, flags=re.M)  # nest the story's headings
            return self.render("insert-project.md.j2", p=p, story=story, **kw)
        if name == "status-chart":
            return self.chart("status-by-wave", charts.status_by_wave, charts.status_text)
        if name == "timeline":
            kw["chart"] = markupsafe.Markup(self.chart("timeline", charts.timeline_svg, charts.timeline_text))
        if name == "bibliography":
            # print: citeproc fills the div; site: link_citations() puts the list at the marker
            return "::: {#refs}\n:::\n" if self.target == "print" else citations.BIBLIOGRAPHY_MARKER + "\n"
        if name == "quartier-annexes" and self.target == "print":
            for q in self.c.quartiers.values():
                if qr.drawn_for(url := self.quartier_url(q.id)):
                    self.assets[f"qr/{q.id}.svg"] = qr.qr_svg(url)
        return self.render(f"insert-{name}.md.j2", **kw)

    def chart(self, ident: str, draw, text) -> str:
        """A chart drawn from the data (as of this assembler's date): on the site in the page
        itself (the page's font, labels sized for a phone), for print an SVG image with its text
        equivalent as alt text. Nothing when there is nothing to draw (yet)."""
        svg = draw(self.c, self.lang, charts.SITE if self.target == "site" else charts.PRINT,
                   Cache(self.cache_dir) if self.cache_dir is not None else None)
        if not svg:
            return ""
        if self.target == "site":
            return charts.figure_html(svg, ident) + "\n"
        name = f"charts/{ident}.svg"
        self.assets[name] = svg.encode("utf-8")
        alt = text(self.c, self.lang).replace("[", "(").replace("]", ")")
        return f"![{alt}]({name})\n"

    def quartier_url(self, qid: str) -> str:
        return f"{self.site_url}{self.lang}/quartiers/{qid}/"

    # ---- pages ---------------------------------------------------------------------------
    def assemble(self) -> Assembly:
        a = Assembly(self.lang)
        _ = self._
        # home
        page, clang, state = self.prose("index.md")
        home = self.body(page, "index.md", clang, state)
        home += "\n" + self.render("home-extra.md.j2", here="index.md", quartiers=self.quartiers_sorted())
        a.pages.append(AssembledPage(self.lang, "index.md", (page.title if page else None) or _("Home"), home, "home", clang, state, source=self.c.rel(page.path) if page else None))

        # quartiers
        overview = self.render("quartier-index.md.j2", here="quartiers/index.md", quartiers=self.quartiers_sorted())
        overview += "\n" + self.insert("status-chart", None, "quartiers/index.md")
        a.pages.append(AssembledPage(self.lang, "quartiers/index.md", _("Quartiers"), overview, "quartier-index", self.lang))
        for q in self.quartiers_sorted():
            here = f"quartiers/{q.id}.md"
            page, clang, state = self.prose(here)
            text = self.body(page, here, clang, state, strip_h1=True)
            md = self.render("quartier.md.j2", q=q, f=facts.quartier_facts(self.c, q, self.lang), text=text, here=here, pdf=relative(here, pdf_path("quartier", q.id)))
            a.pages.append(AssembledPage(self.lang, here, q.name.get(self.lang), md, "quartier", clang, state, pdf_path("quartier", q.id), source=self.c.rel(page.path) if page else None))

        # projects
        projects = sorted(self.c.projects.values(), key=lambda p: p.title.get(self.lang).casefold())
        a.pages.append(AssembledPage(self.lang, "projects/index.md", _("Projects"), self.render("project-index.md.j2", here="projects/index.md", projects=projects), "project-index", self.lang))
        for p in projects:
            here = f"projects/{p.id}.md"
            page, clang, state = self.prose(here)
            text = self.body(page, here, clang, state, strip_h1=True)
            md = self.render("project.md.j2", p=p, text=text, here=here)
            a.pages.append(AssembledPage(self.lang, here, p.title.get(self.lang), md, "project", clang, state, source=self.c.rel(page.path) if page else None))

        # publications
        pubs = sorted(self.c.publications.values(), key=lambda p: (p.kind != "report", p.id))
        a.pages.append(AssembledPage(self.lang, "publications/index.md", _("Publications"), self.render("publication-index.md.j2", here="publications/index.md", pubs=pubs), "publication-index", self.lang))
        for pub in pubs:
            dated = self.as_of(pub)  # a publication renders its data as of its own date
            chapters = []
            for ch in pub.chapters:
                here = f"publications/{pub.id}/{ch}.md"
                page, clang, state = dated.prose(here)
                chapters.append((here, page, clang, state))
            idx = f"publications/{pub.id}/index.md"
            index_page = AssembledPage(self.lang, idx, pub.title.get(self.lang), "", "publication", self.lang, pdf=pdf_path("publication", pub.id))
            a.pages.append(index_page)
            mentions = tuple(crosslinks.names(list(self.c.quartiers.values()), list(self.c.projects.values()), self.lang))
            outlined = []
            for here, page, clang, state in chapters:
                if page is None:  # `clss check` reports a chapter without its French file
                    continue
                body = dated.body(page, here, clang, state)
                md = promote_headings(body, page.title)
                if self.target == "site" and clang == self.lang:
                    md = _crosslinked(md, mentions, here)
                a.pages.append(AssembledPage(self.lang, here, page.title or here, md, "chapter", clang, state, pdf_path("publication", pub.id), source=self.c.rel(page.path)))
                outlined.append(outline.Chapter(here, page.title or here, body, md))
            self.outlines[pub.id] = outline.tree(outlined)
            index_page.markdown = self.render("publication.md.j2", pub=pub, here=idx, contents=outline.contents(outlined),
                                              pdf=relative(idx, pdf_path("publication", pub.id)))
        a.assets.update(self.assets)
        self.link_citations(a)
        for done in a.pages:  # last: the cross-links and citations above find the names as written
            done.markdown, done.title = typography.apostrophes(done.markdown), typography.apostrophe(done.title)
        a.nav = self.nav(a)
        return a

    def link_citations(self, a: Assembly) -> None:
        """Render `[@key]` citations with pandoc citeproc and link them to the bibliography page."""
        bib_page = next((p.path for p in a.pages if citations.BIBLIOGRAPHY_MARKER in p.markdown), None)
        rendered, references = citations.resolve(self.c, self.lang, [p.markdown for p in a.pages], self.cache_dir)
        for p in a.pages:
            if bib_page == p.path:
                p.markdown = p.markdown.replace(citations.BIBLIOGRAPHY_MARKER, references)
            if rendered and "@" in p.markdown:
                rel = relative(p.path, bib_page) if bib_page else ""
                p.markdown = citations.link_citations(p.markdown, rendered, rel)

    def nav(self, a: Assembly) -> list:
        """Publications first, each following its own outline (parts, sections, chapters).
        Every section of this nav starts with its own page (an index, or the part's chapter
        file): the theme (partials/nav-item.html) links the section's title to it."""
        _ = self._

        def entries(nodes: list[outline.Node]) -> list:
            return [{typography.apostrophe(n.title): [n.path, *entries(n.children)]} if n.children
                    else {typography.apostrophe(n.title): n.path} for n in nodes]

        nav: list[Any] = [{_("Home"): "index.md"}]
        pubs: list[Any] = ["publications/index.md"]
        for pub in sorted(self.c.publications.values(), key=lambda p: (p.kind != "report", p.id)):
            pubs.append({typography.apostrophe(pub.title.get(self.lang)): [f"publications/{pub.id}/index.md", *entries(self.outlines.get(pub.id, []))]})
        nav.append({_("Publications"): pubs})
        nav.append({_("Quartiers"): ["quartiers/index.md"] + [p.path for p in a.pages if p.kind == "quartier"]})
        nav.append({_("Projects"): ["projects/index.md"] + [p.path for p in a.pages if p.kind == "project"]})
        return nav


def promote_headings(markdown: str, title: str | None = None) -> str:
    """On the site a chapter that continues a part (first heading `##`) becomes its own page.
    With one heading at that level, shift the headings so that it is the page's `#` title;
    with several (sibling sections), give the page its navigation title as `#`."""
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", markdown, re.M)]
    shift = (levels[0] - 1) if levels else 0
    if shift <= 0:
        return markdown
    if levels.count(levels[0]) > 1 or min(levels) < levels[0]:
        return f"# {title}\n\n{markdown}" if title else markdown

    def shifted(line: str) -> str:
        mt = re.match(r"^(#{2,6})(\s.*)$", line)
        return ("#" * max(1, len(mt.group(1)) - shift) + mt.group(2)) if mt else line

    return map_prose_lines(markdown, shifted)


def assemble(content: Content, lang: str, target: str = "site", site_url: str = "", resolve_section=None,
             cache_dir: Path | None = None) -> Assembly:
    return Assembler(content, lang, target, site_url, resolve_section, cache_dir).assemble()


def chapter_markdown(content: Content, pub: m.Publication, lang: str, site_url: str = "") -> tuple[list[tuple[str, str, str]], dict[str, bytes]]:
    """The chapters of a publication for print, with its data as of the publication's date:
    [(path, content_lang, markdown)], assets."""
    asm = Assembler(content.as_of(pub.facts_date), lang, "print", site_url)
    out = []
    for ch in pub.chapters:
        here = f"publications/{pub.id}/{ch}.md"
        page, clang, state = asm.prose(here)
        out.append((here, clang, asm.body(page, here, clang, state)))
    return out, asm.assets


def prose_markdown(content: Content, relpath: str, lang: str, site_url: str = "", strip_h1=True) -> tuple[str, str]:
    asm = Assembler(content, lang, "print", site_url)
    page, clang, state = asm.prose(relpath)
    return asm.body(page, relpath, clang, state, strip_h1=strip_h1), clang


def error_assembly(content: Content, lang: str) -> Assembly:
    """A one-page site listing the content problems (used by the live preview)."""
    a = Assembly(lang)
    md = env(lang).get_template("errors.md.j2").render(errors=content.errors)
    a.pages.append(AssembledPage(lang, "index.md", "Errors", md, "errors", lang))
    a.nav = ["index.md"]
    return a
