"""Print step, unit tier: no pandoc, no Typst (milliseconds)."""
from __future__ import annotations

import io

import pikepdf
import pytest

from clss.print import data, jobs, pandoc, postprocess


def test_apostrophes_between_letters_become_typographic():
    typst = "l'AG d'un #link(\"https://x.be/l'a\")[aujourd'hui] `c'est` LSGC's 'quote' 2'3"
    out = pandoc.apostrophes(typst)
    assert out == "l’AG d’un #link(\"https://x.be/l'a\")[aujourd’hui] `c'est` LSGC’s 'quote' 2'3"


@pytest.mark.parametrize("url,real", [
    ("", False),
    ("https://clss.example.invalid/", False),
    ("https://clss.example.org/", False),
    ("http://localhost:8000/", False),
    ("https://www.ccc-ggc.brussels/clss/", True),
])
def test_placeholder_site_urls(url, real):
    assert data.is_real_site_url(url) is real


def test_labels_have_the_draft_mark_and_the_unknown_address_box():
    fr, nl = data.labels("fr"), data.labels("nl")
    assert fr["draft"] == "Brouillon" and nl["draft"] == "Ontwerp"
    assert fr["no-site-url"] != "Web address not yet known" and nl["no-site-url"] != fr["no-site-url"]


def _pdf_with_stream(raw: bytes) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, raw)
    pdf.Root.Extra = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def test_stream_data_ending_in_cr_is_reencoded():
    import zlib

    # find deflate data whose last byte (Adler-32) is CR
    payload = next(p for p in (b"x" * n for n in range(1, 5000)) if zlib.compress(p).endswith(b"\r"))
    original = _pdf_with_stream(b"")
    with pikepdf.open(io.BytesIO(original)) as pdf:
        pdf.Root.Extra.write(zlib.compress(payload), filter=pikepdf.Name.FlateDecode)
        buf = io.BytesIO()
        pdf.save(buf, deterministic_id=True)
    fixed = postprocess.finish(buf.getvalue())
    assert fixed == postprocess.finish(buf.getvalue()), "deterministic"
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        assert pdf.Root.Extra.read_bytes() == payload
        assert not pdf.Root.Extra.read_raw_bytes().endswith(b"\r")
    assert b"\r\nendstream" not in fixed


def test_nothing_to_fix_leaves_the_bytes_alone():
    original = _pdf_with_stream(b"plain data\n")
    assert postprocess.finish(original) == original


def test_bleed_box_is_trim_box_plus_bleed():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    pdf.pages[0].obj.TrimBox = pikepdf.Array([10, 10, 190, 290])
    buf = io.BytesIO()
    pdf.save(buf)
    out = postprocess.finish(buf.getvalue(), bleed_mm=3)
    with pikepdf.open(io.BytesIO(out)) as done:
        box = [float(v) for v in done.pages[0].obj.BleedBox]
    b = 3 * 72 / 25.4
    assert box == pytest.approx([10 - b, 10 - b, 190 + b, 290 + b], abs=1e-3)


def test_tasks_put_long_jobs_first_and_group_sheets(content_copy):
    from clss import load

    content = load.load(content_copy / "content")
    todo = jobs.tasks(content, jobs.all_jobs(content, ["fr", "nl"]))
    assert todo[0][0].kind == "publication"
    sheet_tasks = [t for t in todo if t[0].kind != "publication"]
    assert len(sheet_tasks) == 2 and all(t[0].kind == "quartiers" for t in sheet_tasks)
