"""The MkDocs plugin: hands the assembled pages of one language to mkdocs-material.

It only wires MkDocs events; loading, validation and assembly live in the core (clss.load,
clss.checks, clss.assemble), links and URLs in clss.site.urls, Markdown conventions in
clss.site.markdown. Its inputs are explicit: the typed options of ClssConfig (set by
`clss build`/`clss serve` after `load_config`, or in mkdocs.yml) and the `content` attribute (an
already loaded and validated Content); nothing is read from the environment.
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .. import assemble, i18n, languages, sections, typography
from ..cache import Cache, JinjaBytecode
from ..content import Content
from ..figures import images as figures_images
from ..figures import web as figures_web
from ..sections import SectionIndex
from . import cards, cite, fonts, search, theme_files, urls
from .config import ClssConfig
from .markdown import ClssMarkdown
from .nav_links import NavLinks

PREVIEW_SEARCH = "_search"  # clss serve: <served root>/_search/<lang>/ holds the Pagefind bundles
PDF_LINK_RE = re.compile(r"\[([^\]]+)\]\(((?:\.\./)*pdf/[^)]+\.pdf)\)(\{[^}]*\})?")


class TitleText(str):
    """A page title as HTML text (entities escaped once). The theme prints titles without
    autoescape, through `striptags` (which would unescape `&lt;` back to `<`) and `| e` (which
    would escape a second time): this str is already HTML for both."""

    def __html__(self):
        return str(self)

    def striptags(self):
        return self


def load_content(root: Path) -> Content:
    """Load and validate content/ (for a plain `mkdocs build`, which hands no Content over)."""
    from .. import checks, load

    if hasattr(checks, "load_and_check"):
        return checks.load_and_check(root)
    return load.load(root)


class ClssPlugin(BasePlugin[ClssConfig]):
    content: Content | None = None  # set by clss build/serve: loaded and validated already
    section_index: SectionIndex | None = None  # set by clss serve: the headings its checks already read
    error_paths: tuple[str, ...] = ()  # preview: pages that show the problems (the last good page set)
    webfonts: dict[str, bytes] | None = None  # set by clss build: the woff2 subsets, made once for every language

    @event_priority(100)  # before search and the theme read the language
    def on_config(self, config):
        lang = self.config.lang
        self.lang = lang
        self.root = Path(config.config_file_path).parent
        self._ = i18n.gettext_for(lang)
        self.cache_dir = self.root / self.config.cache_dir if self.config.cache_dir else None  # clss.cache's folder
        content = self.content if self.content is not None else load_content(self.root / self.config.content_dir)
        self.content_used = content
        # the preview is served from 127.0.0.1: no absolute URL to the public site
        self.public_url = "" if self.config.preview else urls.public_url(self.config.root_url or config.site_url or "")
        if content.errors and self.config.preview:
            self.assembly = preview_errors(content, lang, self.error_paths)
        elif content.errors:
            raise PluginError("invalid content:\n" + "\n".join(str(e) for e in content.errors))
        else:
            index = self.section_index if self.section_index is not None and content is self.content else sections.SectionIndex(content, Path(config.config_file_path), self.cache_dir)
            self.assembly = assemble.assemble(content, lang, "site", self.public_url, resolve_section=index.resolve, cache_dir=self.cache_dir)
        # absolute URLs (canonical, sitemap) only for a real public address
        config.site_url = f"{self.public_url}{lang}/" if self.public_url else None
        config.theme["language"] = lang
        theme_files.install(config.theme)  # the same static files, listed without Material's icon folder
        names = self.config_names(config)
        config.site_name = names["site_name"]
        config.copyright = names["copyright"]
        config.nav = self.assembly.nav
        config.extra["clss_lang"] = lang
        config.extra["clss_locale"] = languages.get(lang).locale
        # where search.js finds the Pagefind bundle, from the language root (the preview keeps
        # it outside the site folder, which MkDocs empties on every rebuild)
        config.extra["clss_search_bundle"] = f"../{PREVIEW_SEARCH}/{lang}/" if self.config.preview else f"{search.OUTPUT_SUBDIR}/"
        # Material shows its language menu when extra.alternate is set; our theme override of
        # partials/alternate.html draws it from each page's relative links (urls.alternates)
        config.extra["alternate"] = [{"name": languages.get(c).name, "lang": c, "link": f"../{c}/"} for c in languages.CODES]
        config.mdx_configs.setdefault("footnotes", {})["BACKLINK_TITLE"] = self._("Back to note {} in the text")
        config.markdown_extensions.append(ClssMarkdown(backlink_title=self._("Back to note {} in the text")))
        if self.config.lang_subdir:
            config.site_dir = str(Path(config.site_dir) / lang)
        self.by_path = {p.path: p for p in self.assembly.pages}
        return config

    def site_inputs(self) -> str:
        """What this plugin puts on every page beyond the Markdown and MkDocs' configuration (for
        clss.site.reuse's page keys): the language, the public address, the preview's error pages."""
        errors = [str(e) for e in self.content_used.errors]
        return json.dumps([self.lang, self.public_url, self.config.preview, list(self.error_paths) if errors else [], errors])

    def page_inputs(self, src_uri: str) -> str:
        """What this plugin gives one page beyond its Markdown (clss.site.reuse's page keys): the
        assembled page's fields and, on a chapter or publication page, its publication's citation."""
        ap = self.by_path.get(src_uri)
        if ap is None:
            return ""
        pub = self.content_used.publications.get(ap.path.split("/")[1]) if ap.kind in ("chapter", "publication") else None
        return json.dumps([ap.path, ap.title, ap.kind, ap.content_lang, ap.translation, ap.pdf,
                           pub.citation.get(self.lang) if pub is not None else None, pub.id if pub is not None else None])

    def config_names(self, config) -> dict[str, str]:
        """Site name and copyright line in this build's language (mkdocs.yml `extra.clss`)."""
        per_lang = (config.extra.get("clss") or {}).get(self.lang, {})
        return {"site_name": per_lang.get("site_name", config.site_name),
                "copyright": per_lang.get("copyright", config.copyright)}

    def on_env(self, env, config, files):
        # `_()` in our theme overrides (404, search): the site's gettext catalog
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(i18n.translations(self.lang), newstyle=True)
        env.globals["clss_nav"] = NavLinks()  # the menu's links to other pages, for this build
        # Material's templates compile in ~0.6 s per build: keep their bytecode between builds
        # (the cache key includes the template's source, so an edited override recompiles)
        if self.cache_dir is not None:
            env.bytecode_cache = JinjaBytecode(Cache(self.cache_dir))
        return env

    def on_files(self, files: Files, config):
        for page in self.assembly.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for name, data in self.assembly.assets.items():
            files.append(File.generated(config, name, content=data))
        cache = self.cache_dir
        for name, data in (self.webfonts if self.webfonts is not None else fonts.webfonts(cache)).items():
            files.append(File.generated(config, f"assets/fonts/{name}", content=data))
        if self.public_url:  # sharing cards need an absolute og:image URL
            for page in self.assembly.pages:
                title = re.sub(r"[*_`]", "", page.title)
                png = cards.card(title, config.site_name, cache)
                files.append(File.generated(config, cards.card_path(page.path), content=png))
        # photos and drawings: their variants (cached by content hash), then the HTML in on_page_markdown
        self.figures = figures_web.SiteFigures(self.content_used, self.lang, cache)
        try:
            media = self.figures.prepare(p.markdown for p in self.assembly.pages)
        except figures_images.BadImage as exc:
            raise PluginError(str(exc)) from None
        for name, src in media.items():
            files.append(File.generated(config, name, content=src) if isinstance(src, bytes) else File.generated(config, name, abs_src_path=str(src)))
        for pub in self.content_used.publications.values():  # "cite this": BibTeX and RIS records
            url = f"{self.public_url}{self.lang}/publications/{pub.id}/" if self.public_url else ""
            for name, data in cite.files(pub, self.lang, url).items():
                files.append(File.generated(config, name, content=data))
        print_dir = (self.root / self.config.print_dir) / self.lang
        if print_dir.is_dir():
            for pdf in sorted(print_dir.rglob("*.pdf")):
                rel = pdf.relative_to(print_dir).as_posix()
                files.append(File.generated(config, f"pdf/{rel}", abs_src_path=str(pdf)))
        self.files = files
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # drop links to PDFs that were not built (e.g. `clss build --no-print` on a fresh clone)
        def pdf_link(m):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), m.group(2)))
            return m.group(0) if files.get_file_from_path(resolved) else m.group(1)

        try:
            markdown = self.figures.html(markdown, page.url)
        except figures_images.BadImage as exc:
            raise PluginError(str(exc)) from None
        return PDF_LINK_RE.sub(pdf_link, markdown)

    def on_page_content(self, html, page, config, files):
        # the theme prints titles without escaping: give it the title as HTML text, once
        title = page.title
        if title and ("<" in title or "&" in title) and not isinstance(title, TitleText):
            page.meta["title"] = TitleText(title)
        if "description" not in page.meta:
            ap = self.by_path.get(page.file.src_uri)
            pub = self.content_used.publications.get(ap.path.split("/")[1]) if ap is not None and ap.kind == "publication" else None
            # a publication's page is described by its citation (its text is a table of contents)
            page.meta["description"] = typography.apostrophe(pub.citation.get(self.lang)) if pub is not None else urls.description(html)
        return html

    def on_page_context(self, context, page, config, nav):
        ap = self.by_path.get(page.file.src_uri)
        page.meta["clss_alternates"] = urls.alternates(self.lang, page.url, self.public_url)
        if ap is not None and ap.kind == "chapter" and ap.pdf and self.files.get_file_from_path(ap.pdf):
            # a chapter links its publication's PDF (when it was built)
            page.meta["clss_pdf"] = ap.pdf  # from the language root; the theme's `url` filter makes it relative
        if ap is not None and ap.kind in ("chapter", "publication"):
            # "cite this": the publication's citation, the chapter, its address (without a public
            # address: the page's path from the site's root, which cite.js turns into the
            # reader's own address), the BibTeX and RIS records
            pub = self.content_used.publications.get(ap.path.split("/")[1])
            if pub is not None:
                page.meta["clss_cite"] = {
                    "citation": typography.apostrophe(pub.citation.get(self.lang)),
                    "chapter": ap.title if ap.kind == "chapter" else "",
                    "url": f"{self.public_url}{self.lang}/{page.url}" if self.public_url else f"{self.lang}/{page.url}",
                    "absolute": bool(self.public_url),
                    "files": cite.paths(pub.id),  # {"BibTeX": path, "RIS": path} from the language root
                }
        if self.public_url and ap is not None:
            page.meta["clss_card"] = f"{self.public_url}{self.lang}/{cards.card_path(ap.path)}"
        page.meta["clss_content_lang"] = ap.content_lang if ap else self.lang
        page.meta["clss_translation"] = ap.translation if ap else "source"
        return context

    def on_template_context(self, context, template_name, config):
        if template_name == "404.html":
            # served at any depth: links from the root path of this language (known with a public
            # address; else relative to a <base> the page finds in the address asked for)
            context["clss_404_find_base"] = not self.public_url
            context["base_url"] = urls.root_path(self.public_url) + self.lang if self.public_url else "."
            context["clss_404_alternates"] = urls.alternates(self.lang, None, self.public_url)
            # preview of invalid content: the 404 page lists the problems and retries by itself
            context["clss_errors"] = self.content_used.errors if self.config.preview else []
        if template_name == "sitemap.xml":
            context["clss_public_url"] = self.public_url
            context["clss_lang"] = self.lang
            context["clss_langs"] = languages.CODES
        return context


    def on_post_build(self, config):
        # the search index of this language (not in the preview: it would slow every save)
        if self.config.search and not self.config.preview:
            try:
                search.index(Path(config.site_dir), self.lang, cache=Cache(self.cache_dir))
            except search.SearchError as exc:
                raise PluginError(f"search index: {exc}") from None


def preview_errors(content: Content, lang: str, paths: tuple[str, ...]) -> assemble.Assembly:
    """The preview of invalid content: the problems on every page the editor may be looking at
    (the pages of the last good build), so the open page shows them and comes back once fixed."""
    a = assemble.error_assembly(content, lang)
    first = a.pages[0]
    for path in paths:
        if path != first.path:
            a.pages.append(assemble.AssembledPage(lang, path, first.title, first.markdown, "errors", lang))
    return a
