"""Self-hosted web fonts: woff2 subsets of Source Sans/Serif Pro from the PyPI font packages."""
from __future__ import annotations

import functools
import io
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

from .. import processes
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


def webfonts(cache_dir: Path | None = None, workers: int = 1) -> dict[str, bytes]:
    """The woff2 subsets; kept in the cache (clss.cache, kind "fonts": subsetting takes seconds,
    the inputs rarely change). When not kept, made by two processes if `workers` > 1 and fork is safe now, else by this one."""
    import hashlib
    import json
    from importlib import metadata

    key = hashlib.sha256(json.dumps([sorted(FACES), UNICODES, [str(d) for d in font_dirs()], "unhinted", "fixed-timestamp",
                                     metadata.version("fonttools")]).encode()).hexdigest()[:16]
    store = Cache(cache_dir)
    kept = store.get_tree("fonts", key)
    if kept is not None and sorted(kept) == sorted(FACES):
        return kept
    out = _subset_all(workers)
    store.put_tree("fonts", key, out)
    return out


@functools.cache
def _subset_all(workers: int = 1) -> dict[str, bytes]:
    """Every face; with two workers and fork safe now, half of them in a forked process (the
    faces are independent: about 5 s on one core become 2.5 s on two)."""
    ctx = processes.fork_context() if workers > 1 else None
    if ctx is None:
        return _subset(list(FACES))
    names = sorted(FACES)
    other = processes.Forked(ctx, functools.partial(_subset, names[1::2]))
    with processes.guarded(lambda: processes.stop([other.proc])):
        mine = _subset(names[0::2])
        try:
            theirs = other.result()
        except ChildProcessError:  # killed (out of memory, SIGKILL): make its faces here
            theirs = _subset(names[1::2])
    both = {**mine, **theirs}
    return {name: both[name] for name in FACES}


def _subset(names: list[str]) -> dict[str, bytes]:
    from fontTools import subset  # imported lazily: only needed when the cache is cold
    from fontTools.ttLib import TTFont

    out = {}
    for name in names:
        pkg, filename = FACES[name]
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
