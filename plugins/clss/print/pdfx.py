"""PDF/X steps with pikepdf (QPDF): colours to DeviceCMYK, page boxes, output intent, XMP.

Colours: Typst writes the print templates' `cmyk()` colours as DeviceCMYK already; what it
still writes in ICC-based sRGB or grey (SVG images: charts, QR codes; a few Typst defaults)
is converted here, operator by operator on the content streams as pikepdf parses them
(`parse_content_stream` / `unparse_content_stream`), with the colour values from the caller
(clss.print.edition: ImageCms and the press profile). Images in an RGB space are converted
with Pillow; ICC-based grey images become DeviceGray (black ink)."""
from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any

MM = 72 / 25.4
RGB, GRAY, KEEP = "rgb", "gray", "keep"
FILL_OPS = {"sc": "k", "scn": "k"}
STROKE_OPS = {"SC": "K", "SCN": "K"}


def space_kind(cs) -> str:
    """rgb / gray for the colour spaces to convert, keep for the others (CMYK, DeviceGray,
    patterns, separations, Lab)."""
    import pikepdf

    if isinstance(cs, pikepdf.Name):
        return RGB if cs == "/DeviceRGB" else KEEP
    if isinstance(cs, pikepdf.Array) and len(cs) > 0:
        family = cs[0]
        if family == "/ICCBased":
            n = int(cs[1].get("/N", 0))
            return RGB if n == 3 else GRAY if n == 1 else KEEP
        if family == "/CalRGB":
            return RGB
        if family == "/CalGray":
            return GRAY
    return KEEP


def _numbers(operands) -> list[float] | None:
    try:
        return [float(v) for v in operands]
    except (TypeError, ValueError):
        return None


def _raw(holder) -> bytes:
    """The decoded content of a page (all its content streams) or of a form."""
    import pikepdf

    if isinstance(holder, pikepdf.Stream):
        return holder.read_bytes()
    contents = holder.obj.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(c.read_bytes() for c in contents)
    return contents.read_bytes() if contents is not None else b""


class _Converter:
    def __init__(self, pdf, colour: Callable, image: Callable):
        self.pdf, self.colour, self.image = pdf, colour, image
        self.done: set[tuple[int, int]] = set()
        self.unused: list = []  # (resources, name) of the converted colour spaces, dropped at the end

    def _once(self, obj) -> bool:
        if not obj.is_indirect:
            return True
        key = obj.objgen
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def content(self, holder, resources) -> bytes | None:
        """The converted content of a page or form, or None when nothing changed."""
        import pikepdf

        spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
        kinds = {str(name): space_kind(cs) for name, cs in spaces.items()}
        self.unused += [(resources, name) for name, kind in kinds.items() if kind in (RGB, GRAY)]
        if not any(kind in (RGB, GRAY) for kind in kinds.values()) and b"rg" not in _raw(holder).lower():
            # nothing to convert here (no RGB or grey space, no rg/RG operator): only the forms and
            # images it may draw
            for obj in (resources.get("/XObject", {}) if resources is not None else {}).values():
                self.xobject(obj, resources)
            return None
        fill, stroke, stack = "gray-device", "gray-device", []
        out: list[Any] = []
        changed = False
        for instr in pikepdf.parse_content_stream(holder):
            operands, op = instr.operands, instr.operator
            name = str(op)
            if name == "q":
                stack.append((fill, stroke))
            elif name == "Q" and stack:
                fill, stroke = stack.pop()
            elif name in ("cs", "CS"):
                kind = kinds.get(str(operands[0]), space_kind(operands[0]))
                if name == "cs":
                    fill = kind
                else:
                    stroke = kind
                if kind in (RGB, GRAY):
                    changed = True
                    continue  # the colour operator that follows sets DeviceCMYK itself
            elif name in FILL_OPS or name in STROKE_OPS:
                current = fill if name in FILL_OPS else stroke
                values = _numbers(operands)
                if current in (RGB, GRAY) and values:
                    out.append((list(self.colour(tuple(values))), pikepdf.Operator(FILL_OPS.get(name) or STROKE_OPS[name])))
                    changed = True
                    continue
            elif name in ("rg", "RG"):
                values = _numbers(operands)
                if values:
                    out.append((list(self.colour(tuple(values))), pikepdf.Operator("k" if name == "rg" else "K")))
                    fill, stroke = (KEEP, stroke) if name == "rg" else (fill, KEEP)
                    changed = True
                    continue
            elif name == "Do" and resources is not None:
                self.xobject(resources.get("/XObject", {}).get(str(operands[0])), resources)
            out.append((operands, op))
        return pikepdf.unparse_content_stream(out) if changed else None

    def xobject(self, obj, parent_resources) -> None:
        import pikepdf

        if obj is None or not isinstance(obj, pikepdf.Stream) or not self._once(obj):
            return
        if obj.get("/Subtype") == "/Form":
            self.group(obj)
            resources = obj.get("/Resources", parent_resources)
            self.patterns(resources)
            data = self.content(obj, resources)
            if data is not None:
                obj.write(data)
        elif obj.get("/Subtype") == "/Image":
            self.convert_image(obj)

    def patterns(self, resources) -> None:
        import pikepdf

        if resources is None:
            return
        for pat in resources.get("/Pattern", {}).values():
            if isinstance(pat, pikepdf.Stream) and int(pat.get("/PatternType", 0)) == 1 and self._once(pat):
                data = self.content(pat, pat.get("/Resources"))
                if data is not None:
                    pat.write(data)

    def group(self, obj) -> None:
        import pikepdf

        group = obj.get("/Group")
        if group is not None and "/CS" in group and space_kind(group.CS) != KEEP:
            group.CS = pikepdf.Name.DeviceCMYK

    def convert_image(self, obj) -> None:
        import pikepdf

        if obj.get("/ImageMask", False) or "/ColorSpace" not in obj:
            return
        cs = obj.ColorSpace
        kind = space_kind(cs)
        if isinstance(cs, pikepdf.Array) and len(cs) and cs[0] == "/Indexed":
            kind = RGB if space_kind(cs[1]) == RGB else KEEP
        if kind == GRAY and not (isinstance(cs, pikepdf.Array) and cs[0] == "/Indexed"):
            obj.ColorSpace = pikepdf.Name.DeviceGray
            return
        if kind != RGB:
            return
        photo = obj.get("/Filter") == pikepdf.Name.DCTDecode
        im = pikepdf.PdfImage(obj).as_pil_image()
        cmyk = self.image(im)
        for key in ("/DecodeParms", "/Decode"):
            if key in obj:
                del obj[key]
        if photo:  # a JPEG stays a JPEG (Pillow writes Adobe CMYK JPEGs: inverted, hence /Decode)
            buf = io.BytesIO()
            cmyk.save(buf, format="JPEG", quality=92)
            obj.write(buf.getvalue(), filter=pikepdf.Name.DCTDecode)
            obj.Decode = pikepdf.Array([1, 0] * 4)
        else:
            obj.write(zlib.compress(cmyk.tobytes()), filter=pikepdf.Name.FlateDecode)
        obj.ColorSpace = pikepdf.Name.DeviceCMYK
        obj.BitsPerComponent = 8


def convert_colours(pdf, colour: Callable, image: Callable) -> None:
    """Every page's (and its forms', patterns', images') RGB and ICC grey colours as CMYK."""
    conv = _Converter(pdf, colour, image)
    for page in pdf.pages:
        conv.group(page.obj)
        resources = page.obj.get("/Resources")
        conv.patterns(resources)
        data = conv.content(page, resources)
        if data is not None:
            page.obj.Contents = pdf.make_stream(data)
    for resources, name in conv.unused:  # no content names them any more
        spaces = resources.get("/ColorSpace")
        if spaces is not None and name in spaces:
            del spaces[name]


def _box(page, name):
    box = page.obj.get(name)
    return [float(v) for v in box] if box is not None else None


def set_boxes(pdf, bleed_mm: float) -> None:
    """Every page has a TrimBox (the finished page) and a BleedBox (trim + bleed, within the
    MediaBox); a CropBox, if any, is the MediaBox."""
    import pikepdf

    b = bleed_mm * MM
    for page in pdf.pages:
        media = _box(page, "/MediaBox")
        trim = _box(page, "/TrimBox") or media
        bleed = _box(page, "/BleedBox")
        if bleed is None:
            grown = [trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b]
            bleed = [max(grown[0], media[0]), max(grown[1], media[1]), min(grown[2], media[2]), min(grown[3], media[3])]
        page.obj.TrimBox = pikepdf.Array([round(v, 4) for v in trim])
        page.obj.BleedBox = pikepdf.Array([round(v, 4) for v in bleed])
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]


PRINT_FLAG = 4  # annotation flag: printed


def annotations_not_printed(pdf) -> None:
    """PDF/X: no annotation on the page may print (except printer's marks and trap networks);
    the links stay, clickable on screen, with their Print flag cleared."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if str(annot.get("/Subtype")) not in ("/PrinterMark", "/TrapNet") and int(annot.get("/F", 0)) & PRINT_FLAG:
                annot.F = int(annot.F) & ~PRINT_FLAG


def output_intent(pdf, profile: bytes, ident: str, condition: str, registry: str) -> None:
    """The document's only output intent: GTS_PDFX with the press profile embedded."""
    import pikepdf

    icc = pdf.make_stream(profile)
    icc.N = 4
    icc.Alternate = pikepdf.Name.DeviceCMYK
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                OutputConditionIdentifier=pikepdf.String(ident), OutputCondition=pikepdf.String(condition),
                                RegistryName=pikepdf.String(registry), Info=pikepdf.String(condition), DestOutputProfile=icc)
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def identify(pdf, version: str) -> None:
    """PDF/X identification in the XMP metadata and the document information (Trapped: False,
    no trapping done); the PDF/A and PDF/UA claims of the web edition removed."""
    import pikepdf

    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part"):
            if key in meta:
                del meta[key]
        meta["pdfxid:GTS_PDFXVersion"] = version
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
    info = pdf.docinfo
    info.Trapped = pikepdf.Name("/False")
    info.GTS_PDFXVersion = pikepdf.String(version)
