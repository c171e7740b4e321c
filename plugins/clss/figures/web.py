"""Figures on the site: responsive variants made with Pillow at build time, cached by content
hash, and the HTML of a figure, a gallery or a pending box (Jinja, autoescaped).

Variants: WebP (keeps transparency) and a JPEG fallback (flattened on white), at the widths of
WIDTHS below the original's (and the original width when it is smaller than the largest), so a
phone loads a 480 px image and a wide screen a 1600 px one. They are kept in the project's cache
(clss.cache, kind "figures", keyed on the sha256 of the file and ENCODER; each file checksummed):
an unchanged image costs a lookup on the next build (no decoding, no encoding); without a cache
folder (CLSS_NO_CACHE=1) they are made in memory. A CMYK JPEG is converted to sRGB (through its ICC profile when it has one); the
full-size link points to the original file, or to the largest JPEG when the original is CMYK.
SVG files are published as they are (images.inspect refused those with scripts).
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import i18n, typography
from .. import model as m
from ..cache import Cache
from ..content import Content
from ..syntax import FIGURE_MARK_RE
from . import images
from .model import Illustration

WIDTHS = (480, 800, 1200, 1600)
WEBP = {"quality": 80, "method": 2}  # method 4 costs twice the time for ~1 % smaller files
JPEG = {"quality": 82, "optimize": True, "progressive": True}
ENCODER = "v1-480-800-1200-1600-w80m2-j82"  # part of the cache key: change it when the settings change
EAGER_CHARS = 1500  # a figure this close to the top of a page is loaded at once, others lazily
SIZES = {"figure": "(min-width: 76.25em) 42rem, (min-width: 60em) 70vw, 100vw",
         "gallery": "(min-width: 76.25em) 20rem, (min-width: 30em) 45vw, 100vw"}
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Variant:
    name: str  # path in the site, from the language root: media/<hash>/<stem>-<width>.<ext>
    width: int
    height: int


@dataclass
class WebImage:
    width: int  # of the largest variant (the <img> width/height: no layout shift)
    height: int
    src: str  # the fallback <img src>
    webp: list[Variant] = field(default_factory=list)
    jpeg: list[Variant] = field(default_factory=list)
    full: str = ""  # the full-size image the figure links to
    svg: bool = False


class Variants:
    """Makes the variants of image files (or finds them in the cache) and collects the files the
    site publishes: {site path: file on disk or bytes}. `encoded` counts the files it wrote."""

    def __init__(self, cache_dir: Path | None):
        self.cache = Cache(cache_dir)
        self.files: dict[str, Path | bytes] = {}
        self.encoded = 0
        self._done: dict[Path, WebImage] = {}

    def image(self, path: Path) -> WebImage:
        """The WebImage of `path`; images.BadImage when it cannot be read."""
        if path in self._done:
            return self._done[path]
        info = images.inspect(path)
        digest = _sha256(path)
        base = f"media/{digest[:12]}"
        stem = _slug(path.stem)
        if info.vector:
            name = f"{base}/{stem}.svg"
            self.files[name] = path
            web = WebImage(info.width, info.height, name, full=name, svg=True)
        else:
            made = self._variants(path, info, digest)
            web = WebImage(made["width"], made["height"], "", full="")
            for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
                for w, h in made["sizes"]:
                    name = f"{base}/{stem}-{w}.{ext}"
                    self.files[name] = made["files"][f"{w}.{ext}"]
                    getattr(web, fmt).append(Variant(name, w, h))
            web.src = web.jpeg[min(1, len(web.jpeg) - 1)].name  # 800 px: browsers without srcset
            if info.cmyk:
                web.full = web.jpeg[-1].name
            else:
                web.full = f"{base}/{stem}{path.suffix.lower()}"
                self.files[web.full] = path
        self._done[path] = web
        return web

    def _variants(self, path: Path, info: images.ImageInfo, digest: str) -> dict:
        """The variants of one image, from the cache (clss.cache, kind "figures": checksummed,
        a damaged file is made again) or encoded now."""
        key = f"{digest}-{ENCODER}"
        stored = self.cache.get_tree("figures", key)
        if stored is not None:
            try:
                meta = json.loads(stored.pop("meta.json"))
                if sorted(stored) == sorted(meta["files"]):
                    return {**meta, "files": stored}
            except (KeyError, ValueError):
                pass
        encoded = _encode(path, info)
        self.encoded += len(encoded["files"])
        meta = {k: v for k, v in encoded.items() if k != "files"}
        meta["files"] = sorted(encoded["files"])
        self.cache.put_tree("figures", key, {**encoded["files"], "meta.json": json.dumps(meta).encode("utf-8")})
        return encoded


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _slug(stem: str) -> str:
    out = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem.lower()).strip("-")
    return out or "image"


def _encode(path: Path, info: images.ImageInfo) -> dict:
    """{"width", "height", "sizes": [(w, h)], "files": {"480.webp": bytes, …}}."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            width, height = info.width, info.height
            if im.getexif().get(0x0112) in (5, 6, 7, 8):  # EXIF orientation: a quarter turn
                width, height = height, width
            widths = [w for w in WIDTHS if w < width] + ([width] if width <= WIDTHS[-1] else [])
            if info.format == "JPEG":  # decode at the smallest scale that still gives the largest width
                big = widths[-1]
                scale = big / width
                im.draft("CMYK" if im.mode == "CMYK" else "RGB", (max(1, int(im.width * scale)), max(1, int(im.height * scale))))
            rgb = images.to_srgb(im)
            rgb.load()
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, Image.DecompressionBombError) as exc:
        raise images.BadImage(f"the image cannot be decoded ({exc}); export it again from the original") from None
    sizes, files = [], {}
    for w in widths:
        h = max(1, round(height * w / width))
        small = rgb if rgb.size == (w, h) else rgb.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buf = io.BytesIO()
        small.save(buf, "WEBP", **WEBP)
        files[f"{w}.webp"] = buf.getvalue()
        buf = io.BytesIO()
        images.flatten(small).save(buf, "JPEG", **JPEG)
        files[f"{w}.jpg"] = buf.getvalue()
        sizes.append((w, h))
    return {"width": sizes[-1][0], "height": sizes[-1][1], "sizes": sizes, "files": files}


# --- HTML ---------------------------------------------------------------------------------------


@functools.cache
def _env(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def _text(value: m.Localized | None, lang: str) -> str | None:
    if value is None:
        return None
    out = typography.apostrophe(value.get(lang))
    return typography.french(out) if lang == "fr" else out


class SiteFigures:
    """The figures of one language's site: their variants (made once per build) and the HTML
    that replaces the assembly's markers (`<!-- clss-figures: … -->`) in a page's Markdown."""

    def __init__(self, content: Content, lang: str, cache_dir: Path | None):
        self.content = content
        self.lang = lang
        self.variants = Variants(cache_dir)

    def prepare(self, markdowns) -> dict[str, Path | bytes]:
        """Make the variants of every figure the pages place; the files to publish."""
        for md in markdowns:
            for mt in FIGURE_MARK_RE.finditer(md):
                for fid in mt.group(2).split():
                    self._web(fid)
        return self.variants.files

    def _web(self, fid: str) -> WebImage | None:
        fig = self.content.figures.get(fid)
        if fig is None or fig.pending:
            return None
        try:
            return self.variants.image(self.content.root / fig.file_for(self.lang))
        except images.BadImage as exc:
            raise images.BadImage(f"content/figures.yml: figure `{fid}` (content/{fig.file_for(self.lang)}): {exc}") from None

    def html(self, markdown: str, page_url: str) -> str:
        """`markdown` with each figure marker replaced by its HTML (URLs relative to `page_url`,
        the page's URL from the language root, e.g. "publications/x/y/")."""
        if "<!-- clss-figures:" not in markdown:
            return markdown
        up = "../" * page_url.count("/")
        placed: set[str] = set()  # a figure placed twice on a page: one HTML id

        def one(mt) -> str:
            kind, ids = mt.group(1), mt.group(2).split()
            figures = []
            for fid in ids:
                fig = self.content.figures.get(fid)
                if fig is None:
                    continue
                web = self._web(fid)
                figures.append({
                    "id": fid if fid not in placed else None, "fig": fig, "web": web, "caption": _text(fig.caption, self.lang),
                    "alt": "" if fig.decorative else (_text(fig.alt, self.lang) or ""),
                    "pending_label": _pending_label(fig, self.lang),
                })
                placed.add(fid)
            html = _env(self.lang).get_template("figure.html.j2").render(
                kind=kind, figures=figures, up=up, sizes=SIZES[kind], lazy=mt.start() > EAGER_CHARS)
            return "\n".join(line for line in html.split("\n") if line.strip())  # one HTML block: no blank line

        return FIGURE_MARK_RE.sub(one, markdown)


def _pending_label(fig: Illustration, lang: str) -> str:
    _ = i18n.gettext_for(lang)
    return _("Drawing to come") if fig.kind == "drawing" else _("Photo to come")
