"""Reading a PDF for the preflight: pikepdf parses each page's content stream (and the forms it
draws), following the graphics state; see clss.preflight for the method."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import Message, msg

MM = 72 / 25.4
MAX_INK = 300.0
MIN_PPI, GOOD_PPI = 150.0, 300.0
REGISTRATION = (1.0, 1.0, 1.0, 1.0)
SUBSET_RE = re.compile(r"^[A-Z]{6}\+")
RGB_FAMILIES = {"DeviceRGB", "CalRGB", "ICCBased RGB"}
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TEXT_OPS = {"Tj", "TJ", "'", '"'}


def _values(operands) -> tuple:
    try:
        return tuple(round(float(v), 3) for v in operands)
    except (TypeError, ValueError):
        return ()  # a pattern name


def rich_black(space: str, values: tuple) -> bool:
    """A dark neutral made of four inks (C, M and Y alike, K at least 50 %)."""
    return (_components(space) == "cmyk" and len(values) == 4 and values[3] >= 0.5 and min(values[:3]) > 0
            and max(values[:3]) - min(values[:3]) < 0.15)


@dataclass
class Image:
    page: int
    width: int
    height: int
    space: str
    ppi: float


@dataclass
class Report:
    path: Path
    pages: int = 0
    boxes: Counter = field(default_factory=Counter)  # (media size, trim size, bleed mm) → pages
    box_problems: list[Message] = field(default_factory=list)
    fonts: dict[str, tuple[bool, bool]] = field(default_factory=dict)  # name → (embedded, subset)
    spaces: Counter = field(default_factory=Counter)  # family → pages
    rgb_pages: set[int] = field(default_factory=set)
    ink: float = 0.0
    ink_page: int = 0
    registration: bool = False
    images: list[Image] = field(default_factory=list)
    printed_annotations: set[int] = field(default_factory=set)  # pages with an annotation that prints
    text_fills: Counter = field(default_factory=Counter)  # (colour space, components) → text-showing operators
    pdfx: str | None = None
    pdfa: str | None = None
    pdfua: str | None = None
    intents: list[Message] = field(default_factory=list)
    intent_kinds: set[str] = field(default_factory=set)
    cmyk_profile: bool = False
    problems: list[Message] = field(default_factory=list)  # what makes it unfit for its edition
    warnings: list[Message] = field(default_factory=list)

    @property
    def edition(self) -> str:
        if self.pdfx or "GTS_PDFX" in self.intent_kinds:
            return "print"
        if self.pdfa or "GTS_PDFA1" in self.intent_kinds:
            return "web"
        return "unknown"


def _mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def family(cs) -> str:
    """A readable name of a colour space object: DeviceCMYK, ICCBased RGB, Separation All…"""
    import pikepdf

    if isinstance(cs, pikepdf.Name):
        return str(cs)[1:]
    if isinstance(cs, pikepdf.Array) and len(cs):
        head = str(cs[0])[1:]
        if head == "ICCBased":
            n = int(cs[1].get("/N", 0))
            return "ICCBased " + {1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, str(n))
        if head in ("Separation",):
            return f"Separation {str(cs[1])[1:]}"
        if head == "Indexed":
            return f"Indexed {family(cs[1])}"
        return head
    return "unknown"


def _components(space: str) -> str:
    if space in ("DeviceCMYK", "ICCBased CMYK"):
        return "cmyk"
    if space in ("DeviceGray", "CalGray", "ICCBased Gray"):
        return "gray"
    return "other"


class _Walker:
    def __init__(self, report: Report):
        self.r = report
        self.image_ink: dict[tuple[int, int], float] = {}

    def colour(self, page: int, space: str, values) -> None:
        kind = _components(space)
        try:
            nums = [float(v) for v in values]
        except (TypeError, ValueError):
            return
        if kind == "cmyk" and len(nums) == 4:
            if tuple(nums) == REGISTRATION:
                self.r.registration = True
                return
            ink = sum(nums) * 100
        elif kind == "gray" and len(nums) == 1:
            ink = (1 - nums[0]) * 100
        else:
            return
        if ink > self.r.ink + 1e-6:
            self.r.ink, self.r.ink_page = ink, page

    def use(self, page: int, space: str) -> None:
        self.r.spaces[space] += 1
        if space.replace("Indexed ", "") in RGB_FAMILIES:
            self.r.rgb_pages.add(page)

    def fonts(self, resources) -> None:
        for font in (resources.get("/Font", {}) if resources is not None else {}).values():
            name = str(font.get("/BaseFont", "/(unnamed)"))[1:]
            if font.get("/Subtype") == "/Type3":
                self.r.fonts[name] = (True, False)
                continue
            desc_font = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            desc = desc_font.get("/FontDescriptor")
            embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            self.r.fonts[name] = (embedded, bool(SUBSET_RE.match(name)))

    def image(self, page: int, obj, ctm) -> None:
        import pikepdf

        w, h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
        if obj.get("/ImageMask", False):
            space = "ImageMask"
        else:
            space = family(obj.get("/ColorSpace", pikepdf.Name("/DeviceGray")))
            self.use(page, space)
        placed_w, placed_h = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        ppi = min(w / (placed_w / 72) if placed_w else math.inf, h / (placed_h / 72) if placed_h else math.inf)
        self.r.images.append(Image(page, w, h, space, ppi))
        if _components(space) == "cmyk" and obj.is_indirect:
            key = obj.objgen
            if key not in self.image_ink:
                self.image_ink[key] = _image_ink(obj)
            if self.image_ink[key] > self.r.ink:
                self.r.ink, self.r.ink_page = self.image_ink[key], page

    def walk(self, page: int, holder, resources, ctm, depth: int = 0) -> None:
        import pikepdf

        if depth > 12:
            return
        self.fonts(resources)
        spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        fill = stroke = "DeviceGray"
        fill_value: tuple = (0.0,)
        stack = []
        for instr in pikepdf.parse_content_stream(holder):
            operands, op = instr.operands, instr.operator
            name = str(op)
            if name in TEXT_OPS:
                self.r.text_fills[(fill, fill_value)] += 1
            elif name == "q":
                stack.append((ctm, fill, stroke, fill_value))
            elif name == "Q" and stack:
                ctm, fill, stroke, fill_value = stack.pop()
            elif name == "cm" and len(operands) == 6:
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif name in ("cs", "CS"):
                cs = spaces.get(str(operands[0])) if str(operands[0]) in spaces else operands[0]
                space = family(cs)
                self.use(page, space)
                fill, stroke = (space, stroke) if name == "cs" else (fill, space)
                if name == "cs":
                    fill_value = ()
            elif name in ("sc", "scn"):
                self.colour(page, fill, operands)
                fill_value = _values(operands)
            elif name in ("SC", "SCN"):
                self.colour(page, stroke, operands)
            elif name in ("k", "K", "rg", "RG", "g", "G"):
                space = {"k": "DeviceCMYK", "rg": "DeviceRGB", "g": "DeviceGray"}[name.lower()]
                self.use(page, space)
                self.colour(page, space, operands)
                if name.islower():
                    fill, fill_value = space, _values(operands)
                else:
                    stroke = space
            elif name == "sh":
                shading = (resources.get("/Shading", {}) if resources is not None else {}).get(str(operands[0]))
                if shading is not None:
                    self.use(page, family(shading.get("/ColorSpace")))
            elif name == "Do":
                obj = xobjects.get(str(operands[0]))
                if obj is None:
                    continue
                if obj.get("/Subtype") == "/Image":
                    self.image(page, obj, ctm)
                elif obj.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in obj.get("/Matrix", IDENTITY))
                    self.walk(page, obj, obj.get("/Resources", resources), _mul(matrix, ctm), depth + 1)
            elif name == "INLINE IMAGE":
                cs = operands[0].obj.get("/CS") if operands else None
                space = family(cs) if cs is not None else "DeviceGray"
                self.use(page, {"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}.get(space, space))


def _image_ink(obj) -> float:
    """The largest total ink (per cent) over the pixels of a CMYK image."""
    import pikepdf
    from PIL import ImageMath

    try:
        im = pikepdf.PdfImage(obj).as_pil_image()
    except Exception:  # noqa: BLE001 - an image pikepdf cannot decode: no ink figure
        return 0.0
    if im.mode != "CMYK":
        return 0.0
    c, m, y, k = im.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255 * 100


def _mm(box) -> tuple[float, float]:
    return (round((box[2] - box[0]) / MM, 1), round((box[3] - box[1]) / MM, 1))


def _inside(inner, outer, tol=0.01) -> bool:
    return inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol


def _boxes(report: Report, number: int, page) -> None:
    def box(name):
        b = page.obj.get(name)
        return [float(v) for v in b] if b is not None else None

    media = box("/MediaBox")
    trim, bleed = box("/TrimBox"), box("/BleedBox")
    report.boxes[(_mm(media), _mm(trim) if trim else None, round((trim[0] - bleed[0]) / MM, 1) if bleed and trim else None)] += 1
    if report.edition == "print":
        if trim is None:
            report.box_problems.append(msg("page %(page)d has no TrimBox (the size of the finished page)", page=number))
        elif not _inside(trim, bleed or media) or not _inside(bleed or media, media):
            report.box_problems.append(msg("page %(page)d: the TrimBox is not inside the BleedBox inside the MediaBox", page=number))


def _identify(report: Report, pdf) -> None:
    from PIL import ImageCms

    meta = pdf.open_metadata()
    report.pdfx = meta.get("pdfxid:GTS_PDFXVersion") or (str(pdf.docinfo.get("/GTS_PDFXVersion")) if pdf.docinfo.get("/GTS_PDFXVersion") is not None else None)
    if meta.get("pdfaid:part"):
        report.pdfa = f"PDF/A-{meta.get('pdfaid:part')}{(meta.get('pdfaid:conformance') or '').lower()}"
    if meta.get("pdfuaid:part"):
        report.pdfua = f"PDF/UA-{meta.get('pdfuaid:part')}"
    for intent in pdf.Root.get("/OutputIntents", []):
        kind = str(intent.get("/S", "/?"))[1:]
        report.intent_kinds.add(kind)
        name = f"{kind} {intent.get('/OutputConditionIdentifier', '')}".strip()
        profile = intent.get("/DestOutputProfile")
        if profile is not None:
            n = int(profile.get("/N", 0))
            try:
                import io

                desc = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile.read_bytes()))).strip()
            except (OSError, ImageCms.PyCMSError):
                desc = "unreadable profile"
            text = msg("%(intent)s (profile %(profile)s, %(space)s)", intent=name, profile=desc, space={1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, str(n)))
            if kind == "GTS_PDFX" and n == 4:
                report.cmyk_profile = True
        else:
            text = msg("%(intent)s (no profile embedded)", intent=name)
        report.intents.append(text)


def scan(path: Path) -> Report:
    """What the PDF at `path` holds (boxes, fonts, colours, ink, images, identification); its
    problems are found by clss.preflight.verdict."""
    import pikepdf

    report = Report(Path(path))
    try:
        pdf = pikepdf.open(path)
    except (OSError, pikepdf.PdfError) as exc:
        report.problems.append(msg("cannot be read as a PDF (%(error)s)", error=str(exc)))
        return report
    with pdf:
        _identify(report, pdf)
        walker = _Walker(report)
        report.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            _boxes(report, number, page)
            for annot in page.obj.get("/Annots", []):
                if str(annot.get("/Subtype")) not in ("/PrinterMark", "/TrapNet") and int(annot.get("/F", 0)) & 4:
                    report.printed_annotations.add(number)
            group = page.obj.get("/Group")
            if group is not None and "/CS" in group:
                walker.use(number, family(group.CS))
            walker.walk(number, page, page.obj.get("/Resources"), IDENTITY)
    return report
