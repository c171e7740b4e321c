"""Sharing cards: a 1200×630 PNG per page with its title and the site name, drawn with Pillow
in the site's fonts, for Open Graph and Twitter previews.

Made only when the site has a real public address (og:image must be an absolute URL); cached
on disk by content (title, site name, drawing version), so an unchanged page costs a file read.
"""
from __future__ import annotations

import hashlib
import io
import textwrap
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

from ..cache import Cache

VERSION = "1-z3"
SIZE = (1200, 630)
BACKGROUND = (0, 86, 107)  # --md-primary-fg-color
ACCENT = (184, 0, 92)  # --md-accent-fg-color
WHITE = (255, 255, 255)


def _font(pkg, name: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(pkg.__file__).parent / "files" / name), size)


def draw(title: str, site_name: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", SIZE, BACKGROUND)
    d = ImageDraw.Draw(img)
    d.rectangle((0, SIZE[1] - 18, SIZE[0], SIZE[1]), fill=ACCENT)
    size, width = 72, 28
    lines = textwrap.wrap(title, width=width)
    while len(lines) > 4 and size > 44:  # long titles: smaller type, more per line
        size -= 8
        width += 5
        lines = textwrap.wrap(title, width=width)
    if len(lines) > 5:
        lines = lines[:5]
        lines[-1] = lines[-1].rstrip(" ,;:") + "…"
    font = _font(font_source_serif_pro, "SourceSerifPro-Semibold.ttf", size)
    y = 90
    for line in lines:
        d.text((80, y), line, font=font, fill=WHITE)
        y += int(size * 1.22)
    d.text((80, SIZE[1] - 90), site_name, font=_font(font_source_sans_pro, "SourceSansPro-Semibold.ttf", 34), fill=WHITE)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=3)  # 0.016 s instead of 0.025 (zlib's default), 19 % larger
    return buf.getvalue()


def card(title: str, site_name: str, cache_dir: Path | None = None) -> bytes:
    """The sharing card of a page, kept in the cache (clss.cache, kind "cards")."""
    key = hashlib.sha256("\0".join((VERSION, title, site_name)).encode()).hexdigest()
    return Cache(cache_dir).made("cards", key, lambda: draw(title, site_name))


def card_path(page_path: str) -> str:
    """Where the card of a page (source-like path "quartiers/marolles.md") is published."""
    stem = page_path[:-3] if page_path.endswith(".md") else page_path
    return f"assets/cards/{stem.replace('/', '--')}.png"
