"""`clss preflight` (issue #13): what it reports and when it says a PDF is not fit for its
edition. Small PDFs made in-process (Typst, then clss.print.edition / pikepdf changes)."""
from __future__ import annotations

import pytest

DOC = """#set page(width: 148mm, height: 210mm, bleed: 3mm)
#set text(fill: cmyk(0%, 0%, 0%, 100%))
Body text in black ink, with #link("https://example.org/")[a link].
#rect(width: 20mm, height: 10mm, fill: cmyk(80%, 25%, 20%, 50%))
#image(bytes("<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'><rect width='10' height='10' fill='#000000'/><rect x='10' width='10' height='10' fill='#00566b'/></svg>"), width: 20mm)
#image("photo.png", width: 40mm)
#image("photo.jpg", width: 40mm)
"""


def _typst_pdf(tmp_path, source: str = DOC, photo_px: int = 600) -> bytes:
    import typst
    from PIL import Image

    Image.new("RGB", (photo_px, photo_px // 2), (180, 40, 30)).save(tmp_path / "photo.png")
    Image.new("RGB", (photo_px, photo_px // 2), (30, 90, 160)).save(tmp_path / "photo.jpg", quality=90)
    (tmp_path / "doc.typ").write_text(source, encoding="utf-8")
    return typst.compile(str(tmp_path / "doc.typ"), format="pdf")


@pytest.fixture
def pdfx(tmp_path):
    """A small PDF/X-4 made like the print edition: Typst CMYK colours, an SVG in sRGB and an
    RGB photo, finished by make_pdfx."""
    from clss.print import edition

    (tmp_path / "src").mkdir()
    out = tmp_path / "x.pdf"
    out.write_bytes(edition.make_pdfx(_typst_pdf(tmp_path / "src"), bleed_mm=3))
    return out


def _run(*files) -> tuple[int, list[str]]:
    from clss import preflight

    out: list[str] = []
    return preflight.run(list(files), echo=out.append), out


def _rewrite(src, dst, change) -> None:
    import pikepdf

    with pikepdf.open(src) as pdf:
        change(pdf)
        pdf.save(dst)


def test_make_pdfx_converts_svg_colours_and_images_to_cmyk(pdfx):
    import pikepdf

    from clss import preflight

    report = preflight.inspect(pdfx)
    assert report.edition == "print" and report.pdfx == "PDF/X-4"
    assert not report.rgb_pages and not any("RGB" in s for s in report.spaces), report.spaces
    with pikepdf.open(pdfx) as pdf:
        ops = [(str(i.operator), [round(float(v), 3) for v in i.operands])
               for i in pikepdf.parse_content_stream(pdf.pages[0]) if str(i.operator) in ("k", "K")]
        assert ("k", [0.0, 0.0, 0.0, 1.0]) in ops  # the SVG's pure black: black ink only, not four inks
        assert len(report.images) == 2 and all(im.space == "DeviceCMYK" for im in report.images)
        filters = sorted(str(o.Filter) for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
                         and o.get("/ColorSpace") == "/DeviceCMYK")
        assert filters == ["/DCTDecode", "/FlateDecode"]  # the photo stays a JPEG, the PNG lossless


def test_preflight_reports_a_fit_print_edition(pdfx):
    code, out = _run(pdfx)
    assert code == 0, out
    text = "\n".join(out)
    assert "PDF/X-4" in out[0] and "fit for print" in out[0]
    assert "trim 148.0 × 210.0 mm, bleed 3.0 mm" in text
    assert "GTS_PDFX FOGRA39" in text and "CLSS-FOGRA39L-300" in text
    assert "images: 2 placed" in text and "ppi" in text


def test_preflight_fails_rgb_in_a_pdfx(pdfx, tmp_path):
    def add_rgb(pdf):
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"q 1 0 0 rg 0 0 10 10 re f Q"), prepend=False)

    bad = tmp_path / "rgb.pdf"
    _rewrite(pdfx, bad, add_rgb)
    code, out = _run(bad)
    assert code == 1
    assert any("RGB colour on page 1" in line for line in out), out


def test_pdfx_links_do_not_print_and_preflight_catches_one_that_does(pdfx, tmp_path):
    import pikepdf

    with pikepdf.open(pdfx) as pdf:
        links = [a for a in pdf.pages[0].obj.Annots if a.Subtype == "/Link"]
        assert links and all(not int(a.get("/F", 0)) & 4 for a in links)  # clickable, not printed

    def printed(pdf):
        pdf.pages[0].obj.Annots[0].F = 4

    bad = tmp_path / "annot.pdf"
    _rewrite(pdfx, bad, printed)
    code, out = _run(bad)
    assert code == 1
    assert any("an annotation (link, comment…) would print on page 1" in line for line in out), out


def test_preflight_fails_ink_over_300(pdfx, tmp_path):
    bad = tmp_path / "ink.pdf"
    _rewrite(pdfx, bad, lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"q 1 1 1 0.5 k 0 0 10 10 re f Q"), prepend=False))
    code, out = _run(bad)
    assert code == 1
    assert any("total ink 350 %" in line for line in out), out


def test_preflight_fails_a_pdfx_without_output_intent(pdfx, tmp_path):
    bad = tmp_path / "intent.pdf"

    def drop(pdf):
        del pdf.Root["/OutputIntents"]

    _rewrite(pdfx, bad, drop)
    code, out = _run(bad)
    assert code == 1
    assert any("no PDF/X output intent" in line for line in out), out


def test_preflight_fails_an_unembedded_font(pdfx, tmp_path):
    import pikepdf

    def helvetica(pdf):
        page = pdf.pages[0]
        page.Resources.Font = pikepdf.Dictionary(F9=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                                       BaseFont=pikepdf.Name.Helvetica))
        page.contents_add(pdf.make_stream(b"BT /F9 10 Tf 0 0 0 1 k 20 20 Td (x) Tj ET"), prepend=False)

    bad = tmp_path / "font.pdf"
    _rewrite(pdfx, bad, helvetica)
    code, out = _run(bad)
    assert code == 1
    assert any("not embedded: Helvetica" in line for line in out), out


def test_preflight_fails_a_low_resolution_image(tmp_path):
    from clss.print import edition

    (tmp_path / "src").mkdir()
    blob = _typst_pdf(tmp_path / "src", photo_px=120)  # 120 px over 40 mm: 76 ppi
    bad = tmp_path / "lowres.pdf"
    bad.write_bytes(edition.make_pdfx(blob, bleed_mm=3))
    code, out = _run(bad)
    assert code == 1
    assert any("prints at 76 ppi" in line for line in out), out


def test_preflight_web_pdf_and_plain_pdf(tmp_path):
    import typst

    (tmp_path / "doc.typ").write_text("#set document(title: [T])\nHello.", encoding="utf-8")
    web = tmp_path / "web.pdf"
    web.write_bytes(typst.compile(str(tmp_path / "doc.typ"), format="pdf", pdf_standards=["a-2b"]))
    code, out = _run(web)
    assert code == 0, out
    assert "PDF/A-2b" in out[0] and "fit for the web" in out[0]
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(typst.compile(str(tmp_path / "doc.typ"), format="pdf"))
    code, out = _run(plain)
    assert code == 0 and "neither PDF/X nor PDF/A" in "\n".join(out)


def test_preflight_unreadable_and_missing_files(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    code, out = _run(junk, tmp_path / "missing.pdf")
    assert code == 1
    assert any("cannot be read as a PDF" in line for line in out)
    assert any("missing.pdf: no such file" in line for line in out)


def test_saddle_pairing_padding_and_creep(tmp_path):
    import pikepdf
    from pypdf import PdfReader

    from clss.print import impose

    assert impose.pairing(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pytest.raises(ValueError):
        impose.pairing(6)
    import typst

    pages = "\n#pagebreak()\n".join(f"#text(size: 40pt)[page-{i}]" for i in range(1, 7))
    (tmp_path / "b.typ").write_text("#set page(width: 148mm, height: 210mm)\n" + pages, encoding="utf-8")
    src = tmp_path / "b.pdf"
    src.write_bytes(typst.compile(str(tmp_path / "b.typ"), format="pdf"))
    dst = tmp_path / "b.saddle.pdf"
    note = impose.saddle(src, dst, creep_mm=1.0)
    assert "2 blank pages added before the back cover" in note and "A4" in note
    reader = PdfReader(dst)
    assert len(reader.pages) == 4  # 8 pages (6 + 2 blank) on 2 sheets, both sides
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [842, 595]  # A4 landscape
    # sheet 1 front: the back cover (page 6) and the cover; sheet 2 back: pages 4 and 5
    assert "page-6" in reader.pages[0].extract_text() and "page-1" in reader.pages[0].extract_text()
    assert "page-4" in reader.pages[3].extract_text() and "page-5" in reader.pages[3].extract_text()
    with pikepdf.open(dst) as pdf:
        def left_x(side):
            for instr in pikepdf.parse_content_stream(pdf.pages[side]):
                if str(instr.operator) == "cm":
                    return float(instr.operands[4])
        # the inner sheet's left page moves towards the fold by the creep
        assert left_x(3) - left_x(1) == pytest.approx(1.0 * 72 / 25.4, abs=0.01)  # pages 4 and 2


def test_make_pdfx_is_deterministic(tmp_path):
    """The same Typst PDF gives the same PDF/X bytes (no date or random id added)."""
    from clss.print import edition

    blob = _typst_pdf(tmp_path)
    assert edition.make_pdfx(blob, bleed_mm=3) == edition.make_pdfx(blob, bleed_mm=3)


def test_saddle_refuses_pages_too_large_for_the_sheet(tmp_path):
    import typst

    from clss.print import impose

    (tmp_path / "a4.typ").write_text("#set page(paper: \"a4\")\nA4", encoding="utf-8")
    src = tmp_path / "a4.pdf"
    src.write_bytes(typst.compile(str(tmp_path / "a4.typ"), format="pdf"))
    with pytest.raises(impose.ImposeError, match="do not fit two by two"):
        impose.saddle(src, tmp_path / "a4.saddle.pdf")
    assert not (tmp_path / "a4.saddle.pdf").exists()
