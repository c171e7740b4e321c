"""QR codes and the brochure's annex pages, and the stand-in for a web address not yet known.

While no real `site_url` is set (a draft), the assembly is given `STAND_IN_URL` so that every
QR code and printed address of our own site is still in place; `mark_unknown_urls` turns the
printed addresses into a labelled box (`#no-url()` in the templates), and the templates draw
the same box instead of the QR codes of our own pages (`data.site-url-known`).
"""
from __future__ import annotations

import hashlib
import re

from .. import assemble, charts, i18n
from ..load import Content
from .markdown import IMAGE_RE, in_language, prepare

STAND_IN_URL = "https://site-url.invalid/"

AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
PARAGRAPH_SPLIT_RE = re.compile(r"(\n[ \t]*\n)")
ANNEX_RE = re.compile(r"^::: \{\.annex-quartier\}\n(?P<body>(?:(?!^:::).*\n)*?)^:::$", re.M)
QR_SRC_RE = re.compile(r"\]\(qr/(?P<id>[a-z0-9-]+)\.svg\)")


def link_qr_codes(markdown: str, lang: str, assets: dict[str, bytes], site_url: str = "") -> str:
    """The brochure says "Scan the QR code … or click this link": in print, give each link of
    the paragraph after a paragraph mentioning a QR code its QR code (segno SVG asset). Links
    to our own site get none while its address is not known (`site_url` empty)."""
    _ = i18n.gettext_for(lang)
    out, after_qr = [], False
    for chunk in PARAGRAPH_SPLIT_RE.split(markdown):
        if not chunk.strip():
            out.append(chunk)
            continue
        head = chunk.lstrip()
        prose = not head.startswith(("#", "!", ":::", "<", "|", ">"))
        if after_qr and prose:
            images = []
            for url in AUTOLINK_RE.findall(chunk):
                if url.startswith(STAND_IN_URL):
                    continue
                name = f"qr/link-{hashlib.sha1(url.encode()).hexdigest()[:12]}.svg"
                assets[name] = charts.qr_svg(url)
                alt = _("QR code to %(url)s") % {"url": url}
                images.append(f"![{alt}]({name})")
            if images:
                chunk += "\n\n" + " ".join(images)
        after_qr = prose and re.search(r"\bQR\b", IMAGE_RE.sub("", chunk)) is not None
        out.append(chunk)
    return "".join(out)


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
        text = in_language(prepare(text), clang, lang)
        return f"::: {{.annex-quartier}}\n{mt.group('body')}\n:::: {{.annex-text}}\n\n{text}\n\n::::\n:::"
    return ANNEX_RE.sub(add, markdown)
