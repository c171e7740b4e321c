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


@pytest.mark.parametrize("site_url, drawn", [("https://www.ccc-ggc.brussels/clss/", True), ("https://clss.example.invalid/", False)])
def test_qr_codes_are_drawn_only_for_a_real_site_address(mini_copy, site_url, drawn):
    """Without a real address the templates print a labelled box instead of each QR code
    (data.site-url-known): no QR code is drawn for the stand-in address."""
    from clss import assemble, load
    from clss.print import sources

    content = load.load(mini_copy / "content")
    qid = sorted(content.quartiers)[0]
    job = jobs.job_for(content, f"quartier:{qid}", "fr")
    src = sources.sheet_source(content, job, {qid: ""}, site_url)
    assert src.data["site-url-known"] is drawn
    assert (f"qr/{qid}.svg" in src.assets) is drawn
    if drawn:
        assert src.assets[f"qr/{qid}.svg"].startswith(b"<svg")
    a = assemble.Assembler(content, "fr", "print", sources.links_url(site_url))  # a brochure's annex pages
    a.insert("quartier-annexes", None, "publications/brochure/annexe.md")
    assert any(name.startswith("qr/") for name in a.assets) is drawn


def test_pdfs_made_one_after_the_other_in_a_workspace_are_those_made_alone(mini_copy):
    """A task lays out its PDFs in one Typst workspace (clss.print.typst_compile.Workspace): each
    PDF is the same, byte for byte, as when made in a workspace of its own, and an asset of an
    earlier PDF is never seen by a later one."""
    from dataclasses import replace

    from clss import load
    from clss.print import sources, typst_compile

    content = load.load(mini_copy / "content")
    site = "https://www.ccc-ggc.brussels/clss/"
    srcs = []
    for qid in sorted(content.quartiers)[:2]:
        job = jobs.job_for(content, f"quartier:{qid}", "fr")
        srcs.append(sources.sheet_source(content, job, {qid: f"Texte de {qid}."}, site))
    alone = [typst_compile.compile_pdf(s) for s in srcs]
    with typst_compile.Workspace() as ws:
        assert [typst_compile.compile_pdf(s, workspace=ws) for s in srcs] == alone
        # the second sheet asks for the first one's QR code without supplying it: not found
        first_qr = next(iter(srcs[0].assets))
        typst_compile.compile_pdf(srcs[0], workspace=ws)
        stale = replace(srcs[1], body=srcs[1].body + f'\n#image("/{first_qr}")\n')
        with pytest.raises(jobs.PrintError, match="file not found"):
            typst_compile.compile_pdf(stale, workspace=ws)


def test_a_pdf_that_cannot_be_written_is_reported_plainly(mini_copy, tmp_path):
    """An OS problem (here: the language's output folder is a file) fails that PDF with a plain
    message naming the problem and the path, not "internal error"."""
    from clss import load
    from clss.print import pool

    content = load.load(mini_copy / "content")
    (tmp_path / "fr").write_text("not a folder", encoding="utf-8")
    pub = sorted(content.publications)[0]  # cites no other PDF
    reports = []
    pool._run_task([jobs.job_for(content, pub, "fr")], content, "https://clss.example.invalid/", tmp_path,
                   True, None, lambda job, error: reports.append(error))
    assert len(reports) == 1 and reports[0] is not None
    assert "could not write the PDF" in reports[0] and str(tmp_path / "fr") in reports[0] and "internal error" not in reports[0]
