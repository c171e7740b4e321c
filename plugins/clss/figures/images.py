"""Read an image file safely: its format, pixel size and colour mode, or a BadImage whose message
tells an editor what is wrong and what to do. Never raises anything else for a bad file.

Pillow's decompression-bomb guard is made strict (its warning is an error): an image above
Image.MAX_IMAGE_PIXELS (about 89 megapixels) is refused before it is decoded. JPEG files are
decoded at 1/8 scale (`draft`), which still reads every byte, so a damaged file is found cheaply.
SVG files are parsed as XML and refused when they hold scripts, event handlers, `javascript:`
links, external resources or a DOCTYPE (entities)."""
from __future__ import annotations

import functools
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

RASTER_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_PIXELS: int = Image.MAX_IMAGE_PIXELS or 89_478_485  # Pillow's guard (~89.5 megapixels)


class BadImage(Exception):
    """An image that cannot be used; str() is the message for the editor."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # JPEG, PNG, WEBP or SVG
    width: int  # pixels (SVG: its width in CSS pixels)
    height: int
    mode: str  # Pillow mode: RGB, RGBA, L, P, CMYK… ("" for SVG)
    has_icc: bool = False

    @property
    def vector(self) -> bool:
        return self.format == "SVG"

    @property
    def cmyk(self) -> bool:
        return self.mode == "CMYK"

    @property
    def alpha(self) -> bool:
        return self.mode in ("RGBA", "LA", "PA", "La", "RGBa") or self.mode == "P"


def inspect(path: Path) -> ImageInfo:
    """The ImageInfo of `path` (an existing file); BadImage when it cannot be used."""
    try:
        st = path.stat()
    except OSError as exc:
        raise BadImage(f"cannot read the file: {exc.strerror}") from None
    return _inspect(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _inspect(path: str, size: int, mtime_ns: int) -> ImageInfo:  # size and mtime: a changed file is read again
    if path.lower().endswith(".svg"):
        return _svg(Path(path))
    return _raster(Path(path))


def _raster(path: Path) -> ImageInfo:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as im:
                fmt = im.format or "?"
                if fmt not in RASTER_FORMATS:
                    raise BadImage(f"a {fmt} image: the site and the PDFs take JPEG, PNG, WebP or SVG; convert it (photos: JPEG, drawings: PNG)")
                info = ImageInfo(fmt, im.width, im.height, im.mode, bool(im.info.get("icc_profile")))
                if fmt == "JPEG":
                    im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
        except BadImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            mt = re.search(r"\((\d+) pixels\)", str(exc))
            pixels = f"{int(mt.group(1)) / 1e6:.0f} megapixels" if mt else "too many pixels"
            raise BadImage(f"the image is too large to process safely ({pixels}; the limit is {MAX_PIXELS / 1e6:.0f}): "
                           "reduce it (a photo needs at most about 5000 px on its long side)") from None
        except UnidentifiedImageError:
            raise BadImage("not an image (or damaged beyond recognition): supply a JPEG, PNG, WebP or SVG file") from None
        except Exception as exc:  # noqa: BLE001 — a decoder may raise anything on a damaged file (OSError, SyntaxError, struct.error…)
            raise BadImage(f"the image is damaged and cannot be read ({_reason(exc)}): export it again from the original") from None
    if info.width < 1 or info.height < 1:
        raise BadImage("the image has no pixels")
    return info


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


# --- SVG ----------------------------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"
_LENGTH_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*$")
_UNIT_PX = {None: 1.0, "px": 1.0, "pt": 96 / 72, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def _svg(path: Path) -> ImageInfo:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadImage(f"cannot read the file: {exc.strerror}") from None
    if len(raw) > 20_000_000:
        raise BadImage("the SVG file is larger than 20 MB: simplify it or export it as PNG")
    head = raw[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in raw.lower():
        raise BadImage("the SVG declares a DOCTYPE or entities, which are refused (they can hide content or blow up): export it again without them")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise BadImage(f"not a well-formed SVG file ({exc}): export it again") from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise BadImage("not an SVG image (the file's root element is not <svg>)")
    for el in root.iter():
        tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
        if tag in ("script", "foreignobject", "iframe", "embed", "object"):
            raise BadImage(f"the SVG holds a <{tag}> element, which is refused (it could run code in the reader's browser): remove it or export the drawing as PNG")
        for name, value in el.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                raise BadImage(f"the SVG holds an event handler `{local}=`, which is refused (it runs code in the reader's browser): remove it or export the drawing as PNG")
            if local == "href" and re.match(r"^\s*(javascript|data:text/html|https?:|//)", value, re.I):
                raise BadImage(f"the SVG links to `{value[:60]}` (a script or an external resource), which is refused: remove the link or export the drawing as PNG")
    width, height = _svg_size(root)
    return ImageInfo("SVG", width, height, "")


def _svg_size(root: ET.Element) -> tuple[int, int]:
    def length(name: str) -> float | None:
        mt = _LENGTH_RE.match(root.get(name, ""))
        return float(mt.group(1)) * _UNIT_PX[mt.group(2)] if mt else None

    w, h = length("width"), length("height")
    box = [float(x) for x in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if x] if root.get("viewBox") else []
    if (w is None or h is None) and len(box) == 4 and box[2] > 0 and box[3] > 0:
        if w is None and h is None:
            w, h = box[2], box[3]
        elif w is None:
            w = h * box[2] / box[3]  # type: ignore[operator]
        else:
            h = w * box[3] / box[2]
    if not w or not h:
        raise BadImage("the SVG has no size: give its <svg> element a viewBox (or width and height)")
    return max(1, round(w)), max(1, round(h))


# --- conversions -----------------------------------------------------------------------------


def to_srgb(im: Image.Image) -> Image.Image:
    """An RGB (or RGBA) copy for screens and PDF/A: CMYK through its embedded ICC profile when it
    has one (Pillow's ImageCms), else Pillow's plain conversion; orientation from EXIF applied."""
    from PIL import ImageOps

    im = ImageOps.exif_transpose(im) or im
    if im.mode == "CMYK":
        profile = im.info.get("icc_profile")
        if profile:
            try:
                import io

                from PIL import ImageCms

                src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
                return ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode="RGB") or im.convert("RGB")
            except (OSError, ValueError, ImageCms.PyCMSError):
                pass
        return im.convert("RGB")
    if im.mode in ("RGBA", "LA", "PA", "P", "La", "RGBa"):
        return im.convert("RGBA")
    if im.mode not in ("RGB", "L"):
        return im.convert("RGB")
    return im


def flatten(im: Image.Image, background=(255, 255, 255)) -> Image.Image:
    """RGB on a white background (JPEG has no transparency)."""
    if im.mode == "RGBA":
        flat = Image.new("RGB", im.size, background)
        flat.paste(im, mask=im.getchannel("A"))
        return flat
    return im.convert("RGB") if im.mode != "RGB" else im


def print_bytes(path: Path, info: ImageInfo) -> bytes:
    """The file as the PDF gets it: the original bytes, except a CMYK JPEG, converted to sRGB
    (the web edition is PDF/A-2b with an sRGB output intent; the print edition converts every
    image to the print profile itself)."""
    if not info.cmyk:
        return path.read_bytes()
    import io

    with Image.open(path) as im:
        rgb = to_srgb(im)
        buf = io.BytesIO()
        rgb.save(buf, "JPEG", quality=95, dpi=im.info.get("dpi", (300, 300)))
        return buf.getvalue()
