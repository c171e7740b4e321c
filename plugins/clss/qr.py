"""QR codes (segno, SVG) — one home for the site and print.

`qr_svg` draws one; `link_qr_codes` gives each web address of a paragraph that follows a paragraph
mentioning a QR code ("Scannez le QR code … Ou en cliquant sur ce lien : <https://…>") its QR
code, as a Markdown image of an asset: the brochure's video page on the site and in the PDF.
"""
from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable

import segno

from . import i18n, siteurl
from .syntax import AUTOLINK_RE, LINK_RE

PARAGRAPH_SPLIT_RE = re.compile(r"(\n[ \t]*\n)")
QR_MENTION_RE = re.compile(r"\bQR\b")


def drawn_for(url: str) -> bool:
    """Whether a QR code is drawn for `url`: only for a real public address. While the site has
    none (a draft's stand-in address), the templates print a labelled box in its place."""
    return siteurl.is_real(url)


@functools.lru_cache(maxsize=256)  # the same addresses on every assembly (each preview save)
def qr_svg(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=url)
    return buf.getvalue()


def asset_name(url: str) -> str:
    return f"qr/link-{hashlib.sha1(url.encode()).hexdigest()[:12]}.svg"


def link_qr_codes(markdown: str, lang: str, assets: dict[str, bytes], *, src: Callable[[str], str] = str,
                  skip: Callable[[str], bool] = lambda url: False) -> str:
    """Add after each paragraph that follows a mention of a QR code the QR codes of its web
    addresses (`<https://…>`), as images of assets written into `assets`; `src(name)` is the
    image's path from the page, `skip(url)` leaves an address without one."""
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
                if skip(url):
                    continue
                name = asset_name(url)
                assets[name] = qr_svg(url)
                images.append(f"![{_('QR code to %(url)s') % {'url': url}}]({src(name)})")
            if images:
                chunk += "\n\n" + " ".join(images)
        text = LINK_RE.sub(lambda mt: "" if mt.group(1) else mt.group(2), chunk)  # not the alt text of a QR image
        after_qr = prose and QR_MENTION_RE.search(text) is not None
        out.append(chunk)
    return "".join(out)
