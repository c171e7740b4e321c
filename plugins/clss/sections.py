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
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import languages


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


def headings(content, pub_id: str, chapter: str, lang: str) -> list[tuple[str, str]] | None:
    """[(anchor, heading text)] of one chapter page in `lang`, in document order; None when the
    chapter cannot be assembled (e.g. an insert names a project that failed to load).
    An untranslated chapter falls back to the French page, as on the site."""
    cache = content.__dict__.setdefault("_clss_sections", {})
    key = (pub_id, chapter, lang)
    if key in cache:
        return cache[key]
    import markdown

    from . import assemble

    rel = f"publications/{pub_id}/{chapter}.md"
    asm = assemble.Assembler(content, lang)
    page, clang, state = asm.prose(rel)
    out: list[tuple[str, str]] | None = []
    if page is not None:
        try:
            text = assemble.promote_headings(asm.body(page, rel, clang, state), page.title)
        except Exception:  # a broken insert (reported by its own check): headings unknown
            cache[key] = None
            return None
        exts, configs = _markdown_config(str(content.root.parent / "mkdocs.yml"))
        try:
            md = markdown.Markdown(extensions=exts, extension_configs=configs)
        except Exception:  # an extension that is not installed: ids depend on toc only
            md = markdown.Markdown(extensions=["toc", "attr_list"])
        md.convert(text)

        def walk(tokens):
            for t in tokens:
                out.append((t["id"], t["name"]))
                walk(t.get("children", []))

        walk(md.toc_tokens)
    cache[key] = out
    return out


def resolve(content, pub_id: str, chapter: str, anchor: str, lang: str) -> Section | None:
    """The section named by a source (anchor in the source language) on the page of `lang`;
    None when the anchor does not exist (or has no counterpart in `lang`)."""
    source = headings(content, pub_id, chapter, languages.SOURCE)
    ids = [a for a, _ in source or []]
    if anchor not in ids:
        return None
    here = headings(content, pub_id, chapter, lang)
    if here is None or len(here) != len(ids):
        return None
    a, text = here[ids.index(anchor)]
    return Section(a, _plain(text), f"publications/{pub_id}/{chapter}.md")


def _plain(html_text: str) -> str:
    """toc names are HTML-escaped text; templates escape again, so unescape here."""
    import html

    return html.unescape(html_text)
