"""PDF post-processing with pikepdf (QPDF): the BleedBox with crop marks, and streams whose
data ends in a carriage return (PDF/A: a stream's /Length must match its data, and a CR before
the line feed of `endstream` reads as part of the end-of-line marker).

Typst's file is only rewritten when one of these applies; the rewrite keeps every object
(tags, XMP metadata, output intent) and is deterministic (`deterministic_id`)."""
from __future__ import annotations

import io

MM = 72 / 25.4


def _stream_ends_in_cr(obj) -> bool:
    return obj.read_raw_bytes().endswith(b"\r")


def _reencode(obj) -> bool:
    """Make a stream's data not end in CR without changing what it decodes to. Deflate data
    always ends with the Adler-32 of the decoded bytes, so another zlib level would not help:
    the stream keeps its Flate data, wrapped in ASCII85 (which ends in `~>`); a stream without
    filter (or with another one) is stored as is if its decoded data does not end in CR."""
    import base64

    import pikepdf

    filters = obj.get("/Filter")
    if filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in obj:
        raw = obj.read_raw_bytes()
        obj.write(base64.a85encode(raw) + b"~>", filter=[pikepdf.Name.ASCII85Decode, pikepdf.Name.FlateDecode])
        return True
    decoded = obj.read_bytes()
    if decoded.endswith(b"\r"):
        return False
    obj.write(decoded)
    return True


def _bleed_boxes(pdf, bleed_mm: float) -> bool:
    """With crop marks the media box also holds the marks, so Typst's page.bleed is larger than
    the real bleed: the BleedBox is the trim box grown by the bleed."""
    import pikepdf

    b = bleed_mm * MM
    changed = False
    for page in pdf.pages:
        if "/TrimBox" not in page.obj or "/BleedBox" in page.obj:
            continue
        x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
        page.obj.BleedBox = pikepdf.Array([round(x0 - b, 4), round(y0 - b, 4), round(x1 + b, 4), round(y1 + b, 4)])
        changed = True
    return changed


def finish(pdf_bytes: bytes, *, bleed_mm: float | None = None) -> bytes:
    """The PDF from Typst, with a BleedBox when `bleed_mm` is given (crop marks), and no stream
    data ending in CR."""
    import pikepdf

    if bleed_mm is None and b"\rendstream" not in pdf_bytes and b"\r\nendstream" not in pdf_bytes:
        return pdf_bytes  # no stream's data can end in CR: its end-of-line before `endstream` would follow it
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        changed = False
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and _stream_ends_in_cr(obj):
                changed |= _reencode(obj)
        if bleed_mm is not None:
            changed |= _bleed_boxes(pdf, bleed_mm)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                 compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()
