"""The site side of `clss build` and `clss serve`: one MkDocs build per language, configured
explicitly (the plugin's typed options and the loaded Content are set on
`config.plugins["clss"]` after `load_config`), and the pages at the root of build/site/.
"""
from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from .. import cache as cache_mod
from .. import i18n, languages, processes
from ..cache import Cache, JinjaBytecode
from ..load import Content
from ..sections import SectionIndex
from . import fonts, urls
from .plugin import ClssPlugin
from .reuse import Reuse

TEMPLATES = Path(__file__).parent / "templates"


class SiteError(Exception):
    """A site build failed; the message lists MkDocs' warnings and errors, one per line."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def load_site_config(root: Path, lang: str, site_dir: Path, *, print_dir: Path | None = None,
                     content: Content | None = None, preview: bool = False, strict: bool = True,
                     error_paths: tuple[str, ...] = (), cache: bool = True, site_url: str | None = None,
                     section_index: SectionIndex | None = None, state: dict | None = None,
                     webfonts: dict[str, bytes] | None = None):
    """mkdocs.yml loaded for one language, with the clss plugin's inputs set on it, and the
    page-level reuse (clss.site.reuse) after it: `state`, what the last build of the same folder
    left (the preview's); the plugin is `cfg.plugins["clss-reuse"]`. `webfonts`: the site's
    fonts when the caller has them (clss.site.fonts), else the plugin makes them."""
    from mkdocs.config import load_config

    overrides: dict[str, Any] = {"site_dir": str(site_dir), "strict": strict}
    if site_url is not None:
        overrides["site_url"] = site_url
    cfg = load_config(str(root / "mkdocs.yml"), **overrides)
    plugin = cfg.plugins["clss"]
    assert isinstance(plugin, ClssPlugin), "mkdocs.yml must list the clss plugin"
    plugin.config.lang = lang
    plugin.config.lang_subdir = False  # site_dir is this language's folder
    plugin.config.preview = preview
    if print_dir is not None:
        plugin.config.print_dir = str(print_dir)
    plugin.config.cache_dir = str(cache_mod.folder(root)) if cache else None  # the one cache folder (clss.cache)
    plugin.content = content
    plugin.section_index = section_index  # the chapters' headings of `content`, if the caller has them
    plugin.error_paths = tuple(error_paths)
    plugin.webfonts = webfonts
    cfg.plugins["clss-reuse"] = Reuse(plugin, Cache(cache_mod.folder(root, cache)), state)
    return cfg


def build_site(root: Path, lang: str, site_dir: Path, print_dir: Path | None, content: Content | None = None,
               *, cache: bool = True, section_index: SectionIndex | None = None, webfonts: dict[str, bytes] | None = None) -> Reuse:
    """One MkDocs build of one language into `site_dir` (emptied by clss-reuse; our plugin assembles its
    pages and indexes them for search). Pages whose output the cache has are written from it, not
    rendered (clss.site.reuse); the returned plugin counts them. `section_index`: the chapters'
    headings of `content`, `webfonts` the site's fonts, when the caller has them already. Raises
    SiteError with MkDocs' messages."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        cfg = load_site_config(root, lang, site_dir, print_dir=print_dir, content=content, cache=cache, section_index=section_index,
                               webfonts=webfonts)
        mkdocs_build(cfg, dirty=True)  # dirty: MkDocs skips the pages clss-reuse marked as written
        return cfg.plugins["clss-reuse"]
    except (MkDocsException, SystemExit) as exc:
        raise SiteError(f"site ({lang}): " + ("\n".join(handler.messages) or str(exc))) from None
    finally:
        log.removeHandler(handler)


@dataclass(frozen=True)
class Built:
    """One language's site, built: how long it took and how its pages were made."""

    lang: str
    seconds: float
    rendered: int  # pages rendered
    restored: int  # unchanged pages written from the cache
    pid: int  # the process that built it


def build_sites(root: Path, langs: list[str], site_root: Path, print_dir: Path, content: Content, *, cache: bool = True,
                section_index: SectionIndex | None = None, workers: int = 1,
                done: Callable[[Built], None] = lambda built: None) -> None:
    """Build the site of each language of `langs` into site_root/<lang> (see build_site), calling
    `done` as each is finished. With more than one language and worker, the languages are built
    side by side in forked processes (clss.processes.Forked; a site build is single-threaded:
    two languages take the time of one on two cores); they inherit `content` as loaded. Where
    fork is not safe now (this process has other threads) or with one worker, one after the
    other here. The web fonts are made (or read from the cache) once, for every language (by two
    processes with more than one worker, clss.site.fonts).
    Raises SiteError."""
    if not langs:
        return
    shared_fonts = fonts.webfonts(cache_mod.folder(root, cache), workers)

    def one(lang: str) -> Built:
        t = time.perf_counter()
        reuse = build_site(root, lang, site_root / lang, print_dir, content, cache=cache, section_index=section_index,
                           webfonts=shared_fonts)
        return Built(lang, time.perf_counter() - t, reuse.rendered, reuse.restored, os.getpid())

    ctx = processes.fork_context() if workers > 1 and len(langs) > 1 else None
    if ctx is None:
        for lang in langs:
            done(one(lang))
        return
    children: list[processes.Forked] = []
    with processes.guarded(lambda: processes.stop([child.proc for child in children])):
        children += [processes.Forked(ctx, functools.partial(one, lang)) for lang in langs]
        for child in children:
            try:
                done(child.result())  # its SiteError raised here: leaving the block stops the other build
            except ChildProcessError as exc:  # killed (out of memory, a signal): not a bug of clss
                raise SiteError(f"site: a site build process stopped before it finished ({exc})") from None


def _language_in_sentence(lang: str) -> str:
    """The language's name as written inside a sentence of that language ("français")."""
    from babel import Locale

    locale = languages.get(lang).locale
    return Locale.parse(locale).get_language_name(locale) or languages.get(lang).name


@functools.lru_cache(maxsize=4)  # the preview writes these pages on each save
def _root_env(cache_dir: Path | None) -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                       bytecode_cache=JinjaBytecode(Cache(cache_dir)) if cache_dir is not None else None)


def write_language_choice(site: Path, content: Content, root_url: str, cache_dir: Path | None = None) -> None:
    """build/site/index.html (language choice), 404.html, robots.txt and, with a real public
    address, the sitemap index. `cache_dir`: compiled templates are kept there."""
    public = urls.public_url(root_url)
    env = _root_env(cache_dir)
    langs = []
    for lang in languages.CODES:
        _ = i18n.gettext_for(lang)
        pubs = [{"title": p.title.get(lang), "href": f"{lang}/publications/{p.id}/"}
                for p in sorted(content.publications.values(), key=lambda p: (p.kind != "report", p.id))]
        langs.append({
            "code": lang,
            "name": languages.get(lang).name,
            "title": _("Local social-health contracts"),
            "observatory": _("Brussels Health and Social Observatory"),
            "choose": _("Continue in %(language)s") % {"language": _language_in_sentence(lang)},
            "not_found": _("Page not found"),
            "not_found_text": _("This address does not lead to a page of the site."),
            "home": _("Home page"),
            "publications": pubs,
        })
    context = {"langs": langs, "public_url": public, "root_path": urls.root_path(public)}
    pages = {
        "index.html": env.get_template("language-choice.html").render(**context),
        "404.html": env.get_template("404-root.html").render(**context),
        "robots.txt": env.get_template("robots.txt").render(**context),
    }
    if public:
        pages["sitemap.xml"] = env.get_template("sitemap-index.xml").render(**context)
    for name, text in pages.items():
        target = site / name
        target.unlink(missing_ok=True)  # it may be a hard link into the previous build: never write through it
        target.write_text(text, encoding="utf-8")
