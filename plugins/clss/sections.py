"""Sections of publication chapters: the heading anchors a page of the site carries.

A quartier or project lists its sources as (publication, chapter, anchor). The anchor is the
id that the `toc` extension of Python-Markdown (configured in mkdocs.yml) gives to a heading of
the chapter page in the source language (French). Headings of a translated chapter follow the
French ones one to one, so the n-th heading of the Dutch page is the section of the n-th French
heading: its anchor and heading text are read from the Dutch page, not guessed.

The headings are taken from the chapter as the assembly builds it (data inserts expanded, French
typography, promoted headings), so that an anchor here is the anchor on the site.
"""
from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml

from . import assemble, languages
from .cache import Cache, key
from .content import Content


@dataclass(frozen=True)
class Section:
    anchor: str  # heading id on the chapter page of this language
    heading: str  # heading text (plain) in this language
    href: str  # source-like path of the chapter page, e.g. "publications/rapport-2025/01-contexte.md"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml as plain YAML: MkDocs' own tags (`!ENV`, `!relative`, `!!python/name`) read as None."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@functools.cache
def _markdown_config(mkdocs_yml: str) -> tuple[list, dict]:
    """Markdown extensions and their options as mkdocs.yml gives them (the ids depend on them)."""
    exts: list = ["toc"]
    configs: dict = {}
    try:
        cfg = yaml.load(Path(mkdocs_yml).read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        listed = cfg.get("markdown_extensions") or []
    except (OSError, yaml.YAMLError):
        listed = []
    if listed:
        exts = []
        for item in listed:
            if isinstance(item, dict):
                (name, opts), = item.items()
                exts.append(name)
                configs[name] = opts or {}
            else:
                exts.append(item)
    return exts, configs


class SectionIndex:
    """The headings of the publications' chapter pages, assembled once per (chapter, language)
    on demand. The caller owns it (one per content load): `clss check` validates `sources:`
    anchors with it, the site hands its `resolve` to the assembly."""

    def __init__(self, content: Content, mkdocs_yml: Path, cache_dir: Path | None = None, content_key: str | None = None):
        """`cache_dir`: where the headings of an assembled chapter are kept (clss.cache, keyed
        on the chapter's assembled text; none: read every time). `content_key`
        (clss.incremental.content_key), given by a caller whose `content` is as loaded from the
        files: the headings are also kept under it, and then found without assembling the chapter."""
        self._content = content
        self._yml = str(mkdocs_yml)
        self._cache_dir = cache_dir
        self._cache = Cache(cache_dir)
        self._content_key = content_key
        self._written: list[str] = []  # keys of the headings kept under content_key by this index
        self._dated: dict[str, Content] = {}
        self._headings: dict[tuple[str, str, str], list[tuple[str, str]] | None] = {}

    def headings(self, pub_id: str, chapter: str, lang: str) -> list[tuple[str, str]] | None:
        """[(anchor, heading text)] of one chapter page in `lang`, in document order; None when the
        chapter cannot be assembled (e.g. an insert names a project that failed to load).
        An untranslated chapter falls back to the French page, as on the site."""
        at = (pub_id, chapter, lang)
        if at not in self._headings:
            self._headings[at] = self._kept(pub_id, chapter, lang)
        return self._headings[at]

    def _kept(self, pub_id: str, chapter: str, lang: str) -> list[tuple[str, str]] | None:
        """_read, or its answer for the same content (the cache, kind "headings")."""
        if self._content_key is None or not self._cache.enabled:
            return self._read(pub_id, chapter, lang)
        k = key(self._content_key, pub_id, chapter, lang)
        stored = self._cache.get("headings", k)
        if stored is not None:
            try:
                data = json.loads(stored)
                return None if data is None else [(a, t) for a, t in data]
            except (ValueError, TypeError):
                pass
        found = self._read(pub_id, chapter, lang)
        self._cache.put("headings", k, json.dumps(found).encode("utf-8"))
        self._written.append(k)
        return found

    def forget_kept(self) -> None:
        """The content was not the one `content_key` names (a file changed while it was read):
        remove the headings kept under it, and keep no more."""
        for k in self._written:
            self._cache.forget("headings", k)
        self._written.clear()
        self._content_key = None

    def resolve(self, pub_id: str, chapter: str, anchor: str, lang: str) -> Section | None:
        """The section named by a source (anchor in the source language) on the page of `lang`;
        None when the anchor does not exist (or has no counterpart in `lang`)."""
        source = self.headings(pub_id, chapter, languages.SOURCE)
        ids = [a for a, _ in source or []]
        if anchor not in ids:
            return None
        here = self.headings(pub_id, chapter, lang)
        if here is None or len(here) != len(ids):
            return None
        a, text = here[ids.index(anchor)]
        return Section(a, html.unescape(text), f"publications/{pub_id}/{chapter}.md")  # toc names are HTML-escaped

    def _read(self, pub_id: str, chapter: str, lang: str) -> list[tuple[str, str]] | None:
        pub = self._content.publications.get(pub_id)
        if pub is None:
            return None
        if pub_id not in self._dated:  # the chapter as its publication renders it: facts as of its date
            self._dated[pub_id] = self._content.as_of(pub.facts_date)
        rel = f"publications/{pub_id}/{chapter}.md"
        asm = assemble.Assembler(self._dated[pub_id], lang, cache_dir=self._cache_dir)
        page, clang, state = asm.prose(rel)
        if page is None:
            return []
        try:
            text = assemble.promote_headings(asm.body(page, rel, clang, state), page.title)
        except Exception:  # a broken insert (reported by its own check): headings unknown
            return None
        return list(self._toc(text))

    def _toc(self, text: str) -> tuple[tuple[str, str], ...]:
        """_toc, kept in the cache between runs (the key: the text, the Markdown configuration
        and Python-Markdown's version)."""
        exts, configs = _markdown_config(self._yml)
        k = key(text, json.dumps([exts, configs], sort_keys=True, default=str), markdown.__version__)
        stored = self._cache.get("toc", k)
        if stored is not None:
            try:
                return tuple((a, t) for a, t in json.loads(stored))
            except (ValueError, TypeError):
                pass
        out = _toc(text, self._yml)
        self._cache.put("toc", k, json.dumps(out).encode("utf-8"))
        return out


@functools.lru_cache(maxsize=1024)
def _toc(text: str, mkdocs_yml: str) -> tuple[tuple[str, str], ...]:
    """(anchor, heading text) of a page's Markdown, in document order. Cached: `clss check`, the
    site build of each language and every save of the preview convert the same chapters."""
    exts, configs = _markdown_config(mkdocs_yml)
    try:
        md = markdown.Markdown(extensions=exts, extension_configs=configs)
    except Exception:  # an extension that is not installed: ids depend on toc only
        md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.convert(text)
    out: list[tuple[str, str]] = []

    def walk(tokens):
        for t in tokens:
            out.append((t["id"], t["name"]))
            walk(t.get("children", []))

    walk(md.toc_tokens)
    return tuple(out)
