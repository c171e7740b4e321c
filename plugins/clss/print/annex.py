"""The brochure's annex pages, and the stand-in for a web address not yet known (the QR codes
themselves: clss.qr).

While no real `site_url` is set (a draft), the assembly is given `STAND_IN_URL` so that every
QR code and printed address of our own site is still in place; `mark_unknown_urls` turns the
printed addresses into a labelled box (`#no-url()` in the templates), and the templates draw
the same box instead of the QR codes of our own pages (`data.site-url-known`).
"""
from __future__ import annotations

import re

from .. import assemble
from ..load import Content
from ..syntax import AUTOLINK_RE
from .markdown import in_language, prepare, raw_typst

STAND_IN_URL = "https://site-url.invalid/"

ANNEX_RE = re.compile(r"^::: \{\.annex-quartier\}\n(?P<body>(?:(?!^:::).*\n)*?)^:::$", re.M)
QR_SRC_RE = re.compile(r"\]\(qr/(?P<id>[a-z0-9-]+)\.svg\)")


def mark_unknown_urls(markdown: str) -> str:
    """Printed addresses of our own site, while it has none: a labelled box instead."""
    if STAND_IN_URL not in markdown:
        return markdown
    return AUTOLINK_RE.sub(lambda mt: "`#no-url()`{=typst}" if mt.group(1).startswith(STAND_IN_URL) else mt.group(0),
                           markdown)


def annex_texts(markdown: str, content: Content, lang: str, site_url: str) -> str:
    """Each quartier's annex page in the brochure also gets the quartier's own text (the same
    Markdown as its sheet), in a `::: {.annex-text}` div inside the annex block."""
    def add(mt: re.Match) -> str:
        qr = QR_SRC_RE.search(mt.group("body"))
        if not qr or qr.group("id") not in content.quartiers:
            return mt.group(0)
        text, clang = assemble.prose_markdown(content, f"quartiers/{qr.group('id')}.md", lang, site_url)
        if not text.strip():
            return mt.group(0)
        text = in_language(prepare(text), clang, lang) + "\n" + sources_call(f"quartier:{qr.group('id')}")
        return f"::: {{.annex-quartier}}\n{mt.group('body')}\n:::: {{.annex-text}}\n\n{text}\n\n::::\n:::"
    return ANNEX_RE.sub(add, markdown)


# where a project's text ends in the brochure (templates/insert-project.md.j2, print only)
PROJECT_END_RE = re.compile(r"^<!-- clss-project-end: (?P<id>[a-z0-9-]+) -->$", re.M)


def sources_call(key: str) -> str:
    """The Sources block of a quartier or project (`data.sources`, templates/sources.typ)."""
    return raw_typst(f'#import "/templates/sources.typ": sources-block\n#sources-block("{key}")')


def project_sources(markdown: str, chapter: str, printed_in: dict[str, str]) -> str:
    """Each project printed in this chapter ends with its Sources; `printed_in` records the
    chapter (its own section there is not listed as a source of itself)."""
    def add(mt: re.Match) -> str:
        printed_in[mt.group("id")] = chapter
        return sources_call(f"project:{mt.group('id')}")
    return PROJECT_END_RE.sub(add, markdown)
