"""Saddle-stitch imposition (`clss pdf --impose saddle`): the printer spreads of a booklet,
two pages side by side on each side of a sheet, folded and stapled in the middle.

With pikepdf (QPDF): each page becomes a form XObject (`Page.as_form_xobject`) placed on the
sheet; the pairing for n pages (a multiple of 4) is, for sheet i from the outside, front
(n − 2i, 1 + 2i) and back (2 + 2i, n − 1 − 2i). Creep: the pages of the inner sheets stick
out at the fore-edge once folded and lose outer margin when trimmed, so each sheet's pages
move towards the fold, from 0 on the outer sheet to `creep_mm` on the innermost one.

Sheet: A4 landscape when the pages have no bleed (A5 spreads fill it), else SRA4
(320 × 225 mm), with the outer bleed kept (never at the fold), crop marks at the spread's
corners and fold marks, in registration colour."""
from __future__ import annotations

from pathlib import Path
from typing import Any

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
SRA4_LANDSCAPE = (320 * MM, 225 * MM)
MARK = 5 * MM


class ImposeError(Exception):
    """The PDF cannot be imposed (message for the user)."""


def pairing(n: int) -> list[tuple[int, int]]:
    """The page numbers (1-based) on each side of each sheet, outer sheet first: front then
    back. `n` must be a multiple of 4."""
    if n % 4:
        raise ValueError("the page count of a saddle-stitched booklet is a multiple of 4")
    sides = []
    for i in range(n // 4):
        sides.append((n - 2 * i, 1 + 2 * i))
        sides.append((2 + 2 * i, n - 1 - 2 * i))
    return sides


def _box(page, name: str) -> list[float]:
    box = page.obj.get(name) or page.obj.MediaBox
    return [float(v) for v in box]


def _marks(x0: float, y0: float, x1: float, y1: float, gap: float):
    """Crop marks at the corners of the trimmed spread and fold marks at its middle, as
    (operands, operator) pairs for pikepdf.unparse_content_stream."""
    import pikepdf

    def seg(ax, ay, bx, by):
        return [([ax, ay], pikepdf.Operator("m")), ([bx, by], pikepdf.Operator("l"))]

    ops = [([], pikepdf.Operator("q")), ([0.25], pikepdf.Operator("w")), ([1, 1, 1, 1], pikepdf.Operator("K"))]
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            ops += seg(x + sx * gap, y, x + sx * (gap + MARK), y) + seg(x, y + sy * gap, x, y + sy * (gap + MARK))
    mid = (x0 + x1) / 2
    ops += seg(mid, y1 + gap, mid, y1 + gap + MARK) + seg(mid, y0 - gap, mid, y0 - gap - MARK)
    ops += [([], pikepdf.Operator("S")), ([], pikepdf.Operator("Q"))]
    return ops


def saddle(src: Path, dst: Path, creep_mm: float = 0.3) -> str:
    """Write the printer spreads of `src` to `dst`; returns a short note for the user
    (sheets, sheet size, blank pages added)."""
    import pikepdf

    try:
        pdf = pikepdf.open(src)
    except (OSError, pikepdf.PdfError) as exc:
        raise ImposeError(f"cannot read the PDF: {exc}") from None
    with pdf, pikepdf.new() as out:
        pages = list(pdf.pages)
        if not pages:
            raise ImposeError("the PDF has no page")
        trim = _box(pages[0], "/TrimBox")
        bleed_box = _box(pages[0], "/BleedBox")
        w, h = trim[2] - trim[0], trim[3] - trim[1]
        bleed = max(0.0, trim[0] - bleed_box[0])
        sheet_w, sheet_h = A4_LANDSCAPE if bleed == 0 and 2 * w <= A4_LANDSCAPE[0] + 1 else SRA4_LANDSCAPE
        if 2 * w + 2 * bleed > sheet_w + 1 or h + 2 * bleed > sheet_h + 1:
            raise ImposeError(f"pages of {w / MM:.0f} × {h / MM:.0f} mm do not fit two by two on "
                              f"a {sheet_w / MM:.0f} × {sheet_h / MM:.0f} mm sheet; use --paper a5")
        n = len(pages)
        blanks = (-n) % 4
        # padding pages go before the last page (the back cover stays at the back)
        order: list[int | None] = [*range(n - 1), *([None] * blanks), n - 1] if n > 1 else [0, None, None, None]
        total = len(order)
        sheets = total // 4
        forms = {idx: out.copy_foreign(page.as_form_xobject()) for idx, page in enumerate(pages)}
        cx, cy = sheet_w / 2, sheet_h / 2
        for side, (left, right) in enumerate(pairing(total)):
            sheet_no = side // 2
            shift = creep_mm * MM * (sheet_no / (sheets - 1)) if sheets > 1 else 0.0
            sheet = out.add_blank_page(page_size=(sheet_w, sheet_h))
            xobjects = pikepdf.Dictionary()
            ops: list[Any] = []
            for number, is_left in ((left, True), (right, False)):
                src_index = order[number - 1]
                if src_index is None:
                    continue
                page_trim = _box(pages[src_index], "/TrimBox")
                form = forms[src_index]
                # what shows: the trim box, with the bleed on the outer side, top and bottom;
                # at the fold it stops at the trim edge less the creep shift
                x0, y0, x1, y1 = page_trim
                if is_left:
                    form.BBox = pikepdf.Array([x0 - bleed, y0 - bleed, x1 - shift, y1 + bleed])
                    tx = cx - x1 + shift
                else:
                    form.BBox = pikepdf.Array([x0 + shift, y0 - bleed, x1 + bleed, y1 + bleed])
                    tx = cx - x0 - shift
                ty = cy - h / 2 - y0
                name = pikepdf.Name(f"/P{number}")
                xobjects[name] = form
                ops += [([], pikepdf.Operator("q")), ([1, 0, 0, 1, round(tx, 4), round(ty, 4)], pikepdf.Operator("cm")),
                        ([name], pikepdf.Operator("Do")), ([], pikepdf.Operator("Q"))]
            spread = [cx - w, cy - h / 2, cx + w, cy + h / 2]
            if bleed:
                ops += _marks(spread[0], spread[1], spread[2], spread[3], gap=bleed + 1 * MM)
            sheet.obj.Resources = pikepdf.Dictionary(XObject=xobjects)
            sheet.obj.Contents = out.make_stream(pikepdf.unparse_content_stream(ops))
            sheet.obj.TrimBox = pikepdf.Array([round(v, 4) for v in spread])
            sheet.obj.BleedBox = pikepdf.Array([round(spread[0] - bleed, 4), round(spread[1] - bleed, 4),
                                                round(spread[2] + bleed, 4), round(spread[3] + bleed, 4)])
        if "/OutputIntents" in pdf.Root:  # a print edition stays PDF/X: same intent and XMP
            out.Root.OutputIntents = pikepdf.Array([out.copy_foreign(i if i.is_indirect else pdf.make_indirect(i))
                                                    for i in pdf.Root.OutputIntents])
            if "/Metadata" in pdf.Root:
                out.Root.Metadata = out.copy_foreign(pdf.Root.Metadata)
            for key in ("/Title", "/Trapped", "/GTS_PDFXVersion", "/CreationDate", "/ModDate"):
                if key in pdf.docinfo:
                    out.docinfo[key] = pdf.docinfo[key]
        dst.parent.mkdir(parents=True, exist_ok=True)
        out.save(dst, deterministic_id=True)
    size = "A4" if (sheet_w, sheet_h) == A4_LANDSCAPE else "SRA4"
    note = f"{sheets} sheet{'s' if sheets > 1 else ''}, {2 * sheets} sides of {size}, creep {creep_mm:g} mm"
    if blanks:
        note += f"; {blanks} blank page{'s' if blanks > 1 else ''} added before the back cover ({n} pages is not a multiple of 4)"
    return note
