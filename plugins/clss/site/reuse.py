"""Page-level rebuilds of one language's site: MkDocs renders only the pages whose inputs changed.

A page's HTML depends on its assembled page (Markdown, kind, language, translation state, the
citation of its publication), on the titles it shows of other pages (menu, breadcrumbs,
previous/next: read from their front matter and level-1 headings; with navigation.prune only
those of the pages its menu lists, clss.site.nav_shown), on the site's files (links are resolved against them), on the generated files
other than pages (figure variants, fonts…; PDFs by name only: a page links to them), on the
configuration and on the package's code, theme, templates, catalogs and the tools' versions
(clss.incremental.code_digest). The *page key* hashes all of it.

Before MkDocs renders (on_files), each page is
- kept: the preview's folder holds the output of the same key (its last build of the language);
- restored: the cache (clss.cache, kind "site-pages") has the output of that key; it is written out;
- or rendered; when the build ends without a warning, its output is stored under its key.
Kept and restored pages are marked not modified and the build runs with MkDocs' `dirty` flag,
which then skips them: neither their Markdown nor their template is rendered. With each output
the cache keeps the page's anchors and its links to anchors of other pages; they are handed back
to MkDocs, whose anchor validation then sees every page as in a full build.

A page rendered again because only what other pages show of themselves changed (a title in the
navigation) has the same Markdown: its conversion to HTML (content, table of contents, title,
anchors, links; kind "page-html", keyed on the Markdown and all the page key holds but the
titles) is taken from the cache, and only its template is rendered.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin

from .. import cache as cache_mod
from ..incremental import code_digest
from .nav_shown import Shown
from .plugin import TitleText

DIRTY_NOTICE = "A 'dirty' build is being performed"  # MkDocs' warning for dirty builds: not ours to show


def _source(f) -> bytes | None:
    """A site file's bytes: generated in memory, or read from its source file (None: unreadable)."""
    content = getattr(f, "_content", None)
    if content is None:
        try:
            return Path(f.abs_src_path).read_bytes()
        except (OSError, TypeError):
            return None
    return content if isinstance(content, bytes) else content.encode("utf-8")


def file_digest(f) -> str:
    """What a file of the site is made of: the hash of its content (generated, or read from its
    source file: a copied or moved project has the same digests)."""
    data = _source(f)
    return "missing" if data is None else hashlib.sha256(data).hexdigest()


_HEADING_1 = re.compile(r"^(?:#(?!#).*|=+[ \t]*)$", re.M)


def heading_source(markdown: str) -> str:
    """What a page shows of itself on every other page (its title and its icon, subtitle or status
    in the navigation, the previous/next links): its front matter and its level-1 headings (ATX
    lines, and setext underlines with the line above them). Coarser than the title itself, never
    finer: whenever the title can change, this changes."""
    front = ""
    if markdown.startswith("---"):
        end = markdown.find("\n---", 3)
        front = markdown[: end + 4] if end >= 0 else markdown
    lines = markdown.splitlines()
    heads = []
    for m in _HEADING_1.finditer(markdown):
        heads.append(m.group(0))
        if m.group(0).startswith("="):
            row = markdown.count("\n", 0, m.start())
            heads.append(lines[row - 1] if row > 0 else "")
    return front + "\n" + "\n".join(heads)


def _stat(f) -> str:
    try:
        st = os.stat(f.abs_src_path)
    except (OSError, TypeError):
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _toc_entry(a) -> dict:
    return {"title": a.title, "id": a.id, "level": a.level, "children": [_toc_entry(c) for c in a.children]}


def _anchor(t: dict):
    from mkdocs.structure.toc import AnchorLink

    a = AnchorLink(t["title"], t["id"], t["level"])
    a.children = [_anchor(c) for c in t["children"]]
    return a


class _DropDirtyNotice(logging.Filter):
    def filter(self, record):
        return not record.getMessage().startswith(DIRTY_NOTICE)


class _CountWarnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class Reuse(BasePlugin):
    """Registered after the clss plugin (`clss` gives the page inputs). `state`: what the last
    build of this same folder left (the preview keeps it between saves; a new folder: {}); the
    next state is in `next` once the build succeeded. Counters: rendered, restored, kept."""

    def __init__(self, clss, cache: cache_mod.Cache, state: dict | None = None):
        super().__init__()
        self.clss = clss
        self.cache = cache
        self.state = state or {}
        self.next: dict = {}
        self.rendered = self.restored = self.kept = 0
        self.converted = 0  # rendered pages whose converted Markdown came from the cache
        self._keys: dict[str, str] = {}  # src_uri -> page key
        self._meta: dict[str, dict] = {}  # src_uri -> {"anchors": [...], "links": {...}} of skipped pages
        self._outputs: dict[str, dict] = {}  # rendered pages: their cache entries
        self._conversion = ""  # the part of the page keys a Markdown conversion depends on
        self._headings: dict[str, str] = {}  # src_uri -> what the page shows of itself to others
        self._shown: Shown | None = None
        self._converted: dict[str, dict] = {}  # conversion key -> converted page, to keep
        self._filter = _DropDirtyNotice()
        self._counter = _CountWarnings()

    # --- logging: MkDocs' notice about dirty builds is dropped; warnings are counted -----------

    def on_pre_build(self, config):
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)
        logging.getLogger("mkdocs").addHandler(self._counter)

    def _unhook(self):
        logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)
        logging.getLogger("mkdocs").removeHandler(self._counter)

    def on_build_error(self, error):
        self._unhook()

    # --- keys ---------------------------------------------------------------------------------

    def _env(self, files, config, digests: dict[str, str]) -> str:
        """The inputs every page shares (`digests`: of the files other than pages)."""
        listing = []
        for f in sorted(files, key=lambda f: f.src_uri):
            if f.src_uri in digests and not f.src_uri.startswith("pdf/"):
                listing.append(f"{f.src_uri}={digests[f.src_uri]}")
            else:
                listing.append(f.src_uri)
        try:
            yml = Path(config.config_file_path).read_bytes()
        except (OSError, TypeError):
            yml = b""
        settings = json.dumps({
            "site": [config.site_name, config.copyright, config.site_url, config.use_directory_urls],
            "theme": [config.theme.get("language"), sorted(config.theme.get("features") or [])],
            "extra": config.extra, "markdown": [e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions],
            "markdown_options": config.mdx_configs, "nav": config.nav,
            # the plugin's options but its folders (a build's PDFs are in a temporary folder; they
            # count as the files of the site)
            "clss": sorted((k, str(v)) for k, v in self.clss.config.items() if k not in ("print_dir", "cache_dir", "content_dir")),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        }, sort_keys=True, default=str)
        # what a page's Markdown is converted with (extensions, their options, the files links resolve to)
        self._conversion = cache_mod.key(code_digest(), yml, settings, json.dumps(config.validation, default=str),
                                         "\n".join(listing), self.clss.site_inputs())
        # what pages show of each other: titles in the menu, the breadcrumbs, previous/next
        self._headings = {f.src_uri: heading_source((_source(f) or b"").decode("utf-8", errors="replace")) for f in files if f.is_documentation_page()}
        self._shown = Shown.of(config.nav, config.theme.get("features"))
        if self._shown is not None:  # each page's key holds the titles it shows (_titles)
            return self._conversion
        # every section open on every page: every page shows every title
        return cache_mod.key(self._conversion, "\n".join(f"{src}\0{h}" for src, h in sorted(self._headings.items())))

    def _titles(self, src: str) -> str:
        if self._shown is None:
            return ""
        return "\n".join(f"{p}\0{self._headings.get(p, '')}" for p in sorted(self._shown.pages(src)))

    # --- events -------------------------------------------------------------------------------

    def on_files(self, files, config):
        from mkdocs.utils import clean_directory

        # files other than pages: by content; the PDFs (large; pages only link to them) by size and time
        statics = {f.src_uri: _stat(f) if f.src_uri.startswith("pdf/") else file_digest(f) for f in files if not f.is_documentation_page()}
        env = self._env(files, config, statics)
        before = self.state
        same_folder = bool(before) and before.get("env") == env
        if not same_folder:  # a new folder, or another page set, navigation or theme: nothing is kept
            clean_directory(config.site_dir)
        old_keys = before.get("keys", {}) if same_folder else {}
        old_meta = before.get("meta", {}) if same_folder else {}
        for f in files:
            if f.is_documentation_page():
                k = cache_mod.key(env, self.clss.page_inputs(f.src_uri), file_digest(f), self._titles(f.src_uri))
                self._keys[f.src_uri] = k
                if old_keys.get(f.src_uri) == k and f.src_uri in old_meta and os.path.exists(f.abs_dest_path):
                    self._meta[f.src_uri] = old_meta[f.src_uri]
                    self.kept += 1
                elif (entry := self._restore(f, k)) is not None:
                    self._meta[f.src_uri] = entry
                    self.restored += 1
                else:
                    self.rendered += 1
                    continue
                f.is_modified = lambda: False
            elif f.src_uri in statics:
                if same_folder and before.get("statics", {}).get(f.src_uri) == statics[f.src_uri] and os.path.exists(f.abs_dest_path):
                    f.is_modified = lambda: False
        self.next = {"env": env, "keys": dict(self._keys), "statics": statics, "meta": {}}
        return files

    def _restore(self, f, k: str) -> dict | None:
        raw = self.cache.get("site-pages", k)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            html = entry["html"].encode("utf-8")
        except (ValueError, KeyError, AttributeError):
            return None
        dest = Path(f.abs_dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)  # it may be a hard link into a previous build: never write through it
        dest.write_bytes(html)
        entry.pop("html")
        return entry

    def on_env(self, env, config, files):
        # skipped pages: their anchors and their links to anchors, for MkDocs' validation
        for src, meta in self._meta.items():
            f = files.get_file_from_path(src)
            if f is None or f.page is None:
                continue
            page = f.page
            # what other pages and the 404 page show of it (titles in the navigation)
            page.meta = dict(meta.get("meta") or {})
            if "title" in page.meta and meta.get("title_html"):
                page.meta["title"] = TitleText(page.meta["title"])
            if meta.get("title") is not None:
                page.title = TitleText(meta["title"]) if meta.get("title_html") else meta["title"]
            page.present_anchor_ids = set(meta["anchors"])
            links = {}
            for target, anchors in meta["links"].items():
                to = files.get_file_from_path(target)
                if to is not None:
                    links[to] = dict(anchors)
            page.links_to_anchors = links
        return env

    def on_page_markdown(self, markdown, page, config, files):
        """A page to render whose Markdown is converted as before (only the navigation changed,
        e.g. another page's title): its HTML, table of contents, title, anchors and links come
        from the cache (kind "page-html"), and only its template is rendered."""
        k = cache_mod.key(self._conversion, page.file.src_uri, markdown)
        convert = page.render

        def render(config, files):
            if (kept := self._converted_from_cache(k, files)) is not None:
                page.content, page.toc, page._title_from_render, page.present_anchor_ids, page.links_to_anchors = kept
                self.converted += 1
                return
            convert(config, files)
            self._converted[k] = {
                "content": page.content, "toc": [_toc_entry(a) for a in page.toc], "title": page._title_from_render,
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": None if page.links_to_anchors is None else {to.src_uri: links for to, links in page.links_to_anchors.items()},
            }

        page.render = render
        return markdown

    def _converted_from_cache(self, k: str, files):
        from mkdocs.structure.toc import TableOfContents

        raw = self.cache.get("page-html", k)
        if raw is None:
            return None
        try:
            e = json.loads(raw)
            links = None
            if e["links"] is not None:
                links = {files.get_file_from_path(src): dict(anchors) for src, anchors in e["links"].items()}
                if None in links:  # a page linked to is gone: convert again
                    return None
            toc = [_anchor(t) for t in e["toc"]]
            if toc:
                toc[0].active = True  # as mkdocs.structure.toc.get_toc marks it
            return e["content"], TableOfContents(toc), e["title"], set(e["anchors"]), links
        except (ValueError, KeyError, TypeError):
            return None

    def on_post_page(self, output, page, config):
        src = page.file.src_uri
        if src in self._keys and src not in self._meta:
            self._outputs[src] = {
                "html": output.encode("utf-8", errors="xmlcharrefreplace").decode("utf-8"),
                "title": None if page.title is None else str(page.title), "title_html": hasattr(page.title, "__html__"),
                "meta": json.loads(json.dumps(page.meta, default=str)),
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": {to.src_uri: links for to, links in (page.links_to_anchors or {}).items()},
            }
        return output

    def on_post_build(self, config):
        self._unhook()
        meta = dict(self._meta)
        for src, entry in self._outputs.items():
            meta[src] = {k: v for k, v in entry.items() if k != "html"}
            if self._counter.count == 0:  # a page of a build with a warning is never reused
                self.cache.put("site-pages", self._keys[src], json.dumps(entry, sort_keys=True).encode("utf-8"))
        if self._counter.count == 0:
            for k, entry in self._converted.items():
                self.cache.put("page-html", k, json.dumps(entry, sort_keys=True).encode("utf-8"))
        self.next["meta"] = meta
