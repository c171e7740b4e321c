"""The print-shop edition: PDF/X-4 in CMYK for coated offset paper (FOGRA39), from the same
Typst layout as the web edition (PDF/A-2b + PDF/UA-1).

How it is made (`clss pdf --edition print`):

1. the templates take their CMYK colours (templates/colours.typ: body text and rules in black
   ink only, crop marks in registration colour);
2. Typst writes the PDF without the PDF/A and PDF/UA flags (their sRGB output intent would
   contradict the press one);
3. pikepdf (QPDF) finishes it as PDF/X-4 (`make_pdfx`): what Typst still wrote in sRGB or
   grey (SVG images: charts, QR codes) becomes DeviceCMYK through the profile (exact neutrals
   black ink only), RGB raster images are converted with Pillow's ImageCms (`to_cmyk`; a
   figure may also be given to Typst as a CMYK JPEG made by `cmyk_image`), the output intent GTS_PDFX with the embedded profile, TrimBox and
   BleedBox on every page, the PDF/X identification in the XMP metadata and the document
   information. Deterministic: the same input gives the same bytes.

PDF/X-4 rather than X-1a: X-4 keeps the live transparency and ICC-based data that Typst may
write and is what current RIPs expect; X-1a (PDF 1.3, no transparency) would need flattening.

The profile (plugins/clss/icc/, see its README): `CLSS-FOGRA39L-300.icc`, made with ArgyllCMS
colprof from the FOGRA39L characterization data of Debian's icc-profiles-free (zlib licence),
total ink limited to 300 %, black ink to 95 %."""
from __future__ import annotations

import functools
import io
from pathlib import Path

ICC_DIR = Path(__file__).resolve().parent.parent / "icc"
PROFILE_FILE = ICC_DIR / "CLSS-FOGRA39L-300.icc"
PROFILE_NAME = "CLSS-FOGRA39L-300"
OUTPUT_CONDITION_ID = "FOGRA39"
OUTPUT_CONDITION = ("Coated offset paper, ISO 12647-2:2004/Amd 1 (FOGRA39); profile CLSS-FOGRA39L-300, "
                    "ArgyllCMS from FOGRA39L.ti3, total ink 300 %")
REGISTRY = "http://www.color.org"
PDFX_VERSION = "PDF/X-4"
MAX_INK = 300  # per cent, the press limit the profile and the template colours keep to


class EditionError(Exception):
    """The print edition cannot be made here (missing profile)."""


@functools.cache
def profile_bytes() -> bytes:
    try:
        return PROFILE_FILE.read_bytes()
    except OSError:
        raise EditionError(f"the print profile {PROFILE_FILE} is missing; reinstall the package "
                           "(or run `make icc` to make it again)") from None


@functools.cache
def _transform(mode: str):
    """An ImageCms transform from sRGB (`mode` "RGB") to the press profile (perceptual)."""
    from PIL import ImageCms

    src = ImageCms.createProfile("sRGB")
    dst = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
    return ImageCms.buildTransform(src, dst, mode, "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def _flatten(im):
    """An RGB image: transparency composed over white paper, palettes and greys expanded."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        paper = Image.new("RGBA", im.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, im).convert("RGB")
    return im.convert("RGB")


def to_cmyk(im):
    """A Pillow image converted to CMYK for the press profile (its own ICC profile honoured,
    sRGB assumed without one). A CMYK image is returned as it is."""
    from PIL import ImageCms

    if im.mode == "CMYK":
        return im
    embedded = im.info.get("icc_profile")
    rgb = _flatten(im)
    if embedded:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
            if src.profile.xcolor_space.strip() == "RGB":
                dst = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
                return ImageCms.profileToProfile(rgb, src, dst, outputMode="CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                                 flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        except (OSError, ImageCms.PyCMSError):
            pass  # a broken embedded profile: treat the pixels as sRGB
    return ImageCms.applyTransform(rgb, _transform("RGB"))


def cmyk_image(blob: bytes, quality: int = 92) -> bytes:
    """The bytes of an image file (JPEG, PNG, WebP, TIFF…) as a CMYK JPEG for the print edition,
    converted with Pillow's ImageCms and the press profile (see `to_cmyk`), for clss.figures.
    Typst tells an image's format by its file name: give it a `.jpg` name."""
    from PIL import Image

    with Image.open(io.BytesIO(blob)) as im:
        im.load()
        out = io.BytesIO()
        to_cmyk(im).save(out, format="JPEG", quality=quality, optimize=False, dpi=im.info.get("dpi", (300, 300)))
        return out.getvalue()


def rgb_to_cmyk(values: tuple[float, ...]) -> tuple[float, float, float, float]:
    """A vector colour (sRGB components, or one grey component, 0–1) as CMYK 0–1: exact
    neutrals in black ink only (K = 1 − grey), other colours through the press profile."""
    if len(values) == 1 or (len(values) == 3 and max(values) - min(values) < 1e-6):
        return (0.0, 0.0, 0.0, round(1.0 - float(values[0]), 4))
    return _profile_colour(tuple(round(float(v) * 255) for v in values))


@functools.cache
def _profile_colour(rgb: tuple[int, ...]) -> tuple[float, float, float, float]:
    from PIL import Image, ImageCms

    out = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _transform("RGB"))
    assert out is not None
    c, m, y, k = out.getpixel((0, 0))  # type: ignore[misc]
    return (round(c / 255, 4), round(m / 255, 4), round(y / 255, 4), round(k / 255, 4))


def make_pdfx(pdf_bytes: bytes, *, bleed_mm: float) -> bytes:
    """Typst's PDF (print colours) finished as PDF/X-4; see the module's docstring."""
    import pikepdf

    from . import pdfx

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pdfx.convert_colours(pdf, rgb_to_cmyk, to_cmyk)
        pdfx.set_boxes(pdf, bleed_mm)
        pdfx.annotations_not_printed(pdf)
        pdfx.output_intent(pdf, profile_bytes(), OUTPUT_CONDITION_ID, OUTPUT_CONDITION, REGISTRY)
        pdfx.identify(pdf, PDFX_VERSION)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, force_version="1.6", object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


BUILD_BLEED_MM = 3.0


def edition_options(edition: str) -> dict:
    """What `clss build` gives each PDF of an edition: the print edition has a 3 mm bleed and
    crop marks (what a print shop asks for), the web edition neither."""
    if edition == "print":
        return {"edition": "print", "bleed": BUILD_BLEED_MM, "crop_marks": True}
    return {"edition": edition}
