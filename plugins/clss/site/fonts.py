"""Self-hosted web fonts: woff2 subsets of Source Sans/Serif Pro from the PyPI font packages."""
from __future__ import annotations

import functools
import io
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

from ..cache import Cache

FACES = {
    "source-sans-regular.woff2": (font_source_sans_pro, "SourceSansPro-Regular.ttf"),
    "source-sans-italic.woff2": (font_source_sans_pro, "SourceSansPro-It.ttf"),
    "source-sans-semibold.woff2": (font_source_sans_pro, "SourceSansPro-Semibold.ttf"),
    "source-sans-bold.woff2": (font_source_sans_pro, "SourceSansPro-Bold.ttf"),
    "source-serif-regular.woff2": (font_source_serif_pro, "SourceSerifPro-Regular.ttf"),
    "source-serif-semibold.woff2": (font_source_serif_pro, "SourceSerifPro-Semibold.ttf"),
}
# Latin, Latin-1, Latin Extended-A, punctuation, € and the arrows/bullets used in the texts
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2070), 0x20AC, 0x2122, *range(0x2190, 0x2200), 0x2460, 0x2461, 0x2462, 0x25CF, 0x2299]


def font_dirs() -> list[str]:
    return [str(Path(m.__file__).parent / "files") for m in (font_source_sans_pro, font_source_serif_pro)]


def webfonts(cache_dir: Path | None = None) -> dict[str, bytes]:
    """The woff2 subsets; kept in the cache (clss.cache, kind "fonts": subsetting takes seconds,
    the inputs rarely change)."""
    import hashlib
    import json
    from importlib import metadata

    key = hashlib.sha256(json.dumps([sorted(FACES), UNICODES, [str(d) for d in font_dirs()], "unhinted", "fixed-timestamp",
                                     metadata.version("fonttools")]).encode()).hexdigest()[:16]
    store = Cache(cache_dir)
    kept = store.get_tree("fonts", key)
    if kept is not None and sorted(kept) == sorted(FACES):
        return kept
    out = _subset_all()
    store.put_tree("fonts", key, out)
    return out


@functools.cache
def _subset_all() -> dict[str, bytes]:
    from fontTools import subset  # imported lazily: only needed when the cache is cold
    from fontTools.ttLib import TTFont

    out = {}
    for name, (pkg, filename) in FACES.items():
        font = TTFont(Path(pkg.__file__).parent / "files" / filename, recalcTimestamp=False)  # same bytes on every run
        opts = subset.Options()
        opts.flavor = "woff2"
        opts.layout_features = ["kern", "liga", "onum", "lnum", "tnum", "case"]
        opts.name_IDs = ["*"]
        opts.hinting = False  # a quarter lighter; screens of phones and Macs ignore TrueType hints
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=UNICODES)
        sub.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff2"
        font.save(buf)
        out[name] = buf.getvalue()
    return out
