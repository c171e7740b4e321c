"""The print-shop edition (issue #13): PDF/X-4 in CMYK with the press profile as output intent,
text in black ink only, boxes for trim and bleed, crop marks in registration colour; the
saddle-stitch imposition; the build's print editions under print/.

One print edition is made per session (the A5 brochure with bleed and crop marks, the
issue's acceptance command); the other tests use small Typst documents made in-process."""
from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.xdist_group("test_print_edition")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

MM = 72 / 25.4


@pytest.fixture(scope="session")
def print_edition(print_content, tmp_path_factory):
    """`clss pdf brochure-5-ans --lang fr --paper a5 --bleed 3 --crop-marks --edition print`
    (its Source and compile_source, as clss.print.render does)."""
    from clss.print import pdf
    from conftest import PRINT_SITE

    out = tmp_path_factory.mktemp("print-edition") / "brochure-a5-print.pdf"
    job = pdf.job_for(print_content, "brochure-5-ans", "fr", "print")
    src = pdf.make_source(print_content, job, PRINT_SITE, "a5", draft=False)
    pdf.compile_source(src, out, paper="a5", bleed=3, crop_marks=True, edition="print")
    return out


@pytest.fixture(scope="session")
def print_report(print_edition):
    """What clss preflight finds in the print edition (read once)."""
    from clss import preflight

    return preflight.inspect(print_edition)


@pytest.mark.e2e
def test_print_edition_output_intent_is_pdfx_with_the_named_profile(print_edition):
    import pikepdf
    from PIL import ImageCms

    from clss.print import edition

    with pikepdf.open(print_edition) as pdf:
        intents = list(pdf.Root.OutputIntents)
        assert [str(i.S) for i in intents] == ["/GTS_PDFX"]
        intent = intents[0]
        assert str(intent.OutputConditionIdentifier) == edition.OUTPUT_CONDITION_ID
        profile = ImageCms.ImageCmsProfile(io.BytesIO(intent.DestOutputProfile.read_bytes()))
        assert edition.PROFILE_NAME in ImageCms.getProfileDescription(profile)
        assert profile.profile.xcolor_space.strip() == "CMYK"
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert "pdfaid:part" not in meta  # not a PDF/A any more: its sRGB intent would contradict the press
        assert str(pdf.docinfo.Trapped) == "/False"


@pytest.mark.e2e
def test_print_edition_has_no_rgb_on_any_page(print_report):
    report = print_report
    assert not report.rgb_pages
    assert not any("RGB" in s for s in report.spaces), report.spaces
    assert "DeviceCMYK" in report.spaces


@pytest.mark.e2e
def test_print_edition_text_is_cmyk_and_body_text_black_ink_only(print_report):
    from clss.preflight import rich_black

    fills = print_report.text_fills  # (colour space, components) in effect at each text-showing operator
    assert fills
    assert {space for space, _ in fills} == {"DeviceCMYK"}, fills
    (space, body), _ = fills.most_common(1)[0]
    assert body == (0.0, 0.0, 0.0, 1.0)  # the body text: K 100 %
    rich = [v for space, v in fills if rich_black(space, v)]
    assert not rich, f"text in a four-colour black: {rich}"


@pytest.mark.e2e
def test_print_edition_boxes_bleed_and_registration_marks(print_edition, print_report):
    import pikepdf

    with pikepdf.open(print_edition) as pdf:
        assert len(pdf.pages) > 1
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert (trim[2] - trim[0]) / MM == pytest.approx(148, abs=0.1)
            assert (trim[3] - trim[1]) / MM == pytest.approx(210, abs=0.1)
            assert [round((t - b) / MM, 1) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3.0, 3.0]
            assert media[0] <= bleed[0] and media[2] >= bleed[2] and media[2] - media[0] > bleed[2] - bleed[0]  # room for the marks
    assert print_report.registration  # crop marks in C = M = Y = K = 100 %
    assert print_report.ink <= 300


@pytest.mark.e2e
def test_print_edition_passes_the_preflight(print_report):
    from clss import preflight

    out = preflight.lines(print_report)
    assert not print_report.problems, "\n".join(out)
    assert "PDF/X-4" in out[0] and "fit for print" in out[0]


@pytest.mark.e2e
def test_saddle_imposition_of_the_print_edition(print_edition, tmp_path):
    import pikepdf

    from clss import preflight
    from clss.print import impose

    spreads = tmp_path / "spreads.pdf"
    note = impose.saddle(print_edition, spreads, creep_mm=0.5)
    with pikepdf.open(print_edition) as src, pikepdf.open(spreads) as out:
        n = len(src.pages) + (-len(src.pages)) % 4
        assert len(out.pages) == n // 2
        first = sorted(str(k) for k in out.pages[0].Resources.XObject.keys())
        assert first == sorted([f"/P{n}", "/P1"])
        assert str(out.Root.OutputIntents[0].S) == "/GTS_PDFX"
        sheet = [float(v) for v in out.pages[0].obj.MediaBox]
        trim = [float(v) for v in out.pages[0].obj.TrimBox]
        assert [round(sheet[2] / MM), round(sheet[3] / MM)] == [320, 225]
        assert [round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)] == [296, 210]  # two A5 side by side
    assert "SRA4" in note  # A5 with bleed does not fit on A4
    report = preflight.inspect(spreads)  # the spreads too are fit for print
    assert report.edition == "print" and not report.problems, report.problems


def test_print_editions_of_the_build_go_under_print(print_content):
    from clss.print import edition, pdf

    web = pdf.all_jobs(print_content, ["fr"])
    printed = pdf.all_jobs(print_content, ["fr"], "print")
    assert [j.relpath for j in printed] == [f"print/{j.relpath}" for j in web]
    assert {j.edition for j in printed} == {"print"} and {j.edition for j in web} == {"web"}
    assert edition.edition_options("print") == {"edition": "print", "bleed": 3.0, "crop_marks": True}
    assert pdf.job_for(print_content, "brochure-5-ans", "nl", "print").relpath == "print/brochure-5-ans.pdf"


def test_cli_print_edition_impose_refusal_and_preflight(mini, tmp_path):
    """`clss pdf … --edition print --impose saddle` on an A4 sheet: the print edition is written,
    the imposition refused in plain words (A4 pages do not fit two by two), exit 1; `clss
    preflight` on the file: fit for print, exit 0; on a missing file: exit 1."""
    from click.testing import CliRunner

    from clss import cli as cli_module

    env = {"CLSS_ROOT": str(mini), "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    out = tmp_path / "maritime.pdf"
    result = CliRunner().invoke(cli_module.cli, ["pdf", "quartier:maritime", "--lang", "fr", "--edition", "print",
                                                 "--impose", "saddle", "-o", str(out)], env=env)
    assert result.exit_code == 1, result.output
    assert "do not fit two by two" in result.output and "Traceback" not in result.output
    assert out.is_file() and not (tmp_path / "maritime.saddle.pdf").exists()
    result = CliRunner().invoke(cli_module.cli, ["preflight", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "PDF/X-4" in result.output and "fit for print" in result.output
    result = CliRunner().invoke(cli_module.cli, ["preflight", str(out), str(tmp_path / "none.pdf")], env=env)
    assert result.exit_code == 1 and "none.pdf: no such file" in result.output
