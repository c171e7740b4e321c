"""Print PDFs (pandoc → Typst → typst-py): sizes, bleed, metadata, tags, contents, footnotes,
QR codes, quartier sheets, YAML text shown as text, reproducibility.

The PDFs are built once per session (render_all of every job of both languages, a second build
of a few jobs for the byte comparison, one A5 brochure with bleed and crop marks) on a copy of
the content; every test only reads them.
"""
from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from clss import i18n, load, vocab
from clss.print import pdf

pytestmark = pytest.mark.xdist_group("print-built")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

SITE = "https://www.ccc-ggc.brussels/clss/"  # a real address: QR codes and URLs printed
A4 = (595.28, 841.89)
A5 = (419.53, 595.28)
MM = 72 / 25.4


# --- fixtures: every PDF is made once --------------------------------------------------------


@pytest.fixture(scope="session")
def content(print_content):
    return print_content


@pytest.fixture(scope="session")
def built(print_built):
    """Every PDF of both languages, made once per session (tests/conftest.py: print_built)."""
    return print_built


def path(built, lang: str, relpath: str) -> Path:
    return built["dir"] / "a" / lang / relpath


_READERS: dict[Path, pypdf.PdfReader] = {}
_TEXTS: dict[tuple[Path, int], str] = {}


def reader(p: Path) -> pypdf.PdfReader:
    if p not in _READERS:
        _READERS[p] = pypdf.PdfReader(p)
    return _READERS[p]


def page_text(p: Path, i: int) -> str:
    if (p, i) not in _TEXTS:
        _TEXTS[(p, i)] = reader(p).pages[i].extract_text()
    return _TEXTS[(p, i)]


def text_of(p: Path, pages=None) -> str:
    """Extracted text (cached per page), with line-end hyphenation undone and spaces normalised."""
    chosen = range(len(reader(p).pages)) if pages is None else pages
    text = "\n".join(page_text(p, i) for i in chosen)
    text = text.replace("\xad\n", "").replace("-\n", "-").replace("\xad", "-")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    text = re.sub(r"'\s+", "'", text)  # pypdf sometimes puts a space after an apostrophe
    return re.sub(r"\s+", " ", text)


def size(page) -> tuple[float, float]:
    box = page.trimbox if "/TrimBox" in page else page.mediabox
    return float(box.width), float(box.height)


def approx(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1


def figures_with_pages(r: pypdf.PdfReader) -> list[tuple[int | None, str]]:
    """(page index, alt text) of every tagged element with an /Alt (figures)."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(r.pages)}
    found: list[tuple[int | None, str]] = []

    def page_of(node) -> int | None:
        raw = node.raw_get("/Pg") if "/Pg" in node else None
        if raw is not None and hasattr(raw, "idnum"):
            return pages.get(raw.idnum)
        kids = node.get("/K")
        if kids is None:
            return None
        kids = kids.get_object()
        for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, pypdf.generic.DictionaryObject):
                found_page = page_of(kid)
                if found_page is not None:
                    return found_page
        return None

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/Alt" in node:
            found.append((page_of(node), str(node["/Alt"])))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                walk(kid)

    walk(r.trailer["/Root"]["/StructTreeRoot"])
    return found


# --- jobs ------------------------------------------------------------------------------------


def test_every_job_was_built_and_reported(built, content):
    assert len(built["jobs"]) == 2 * (len(content.publications) + len(content.quartiers) + 1)
    assert sorted(map(str, built["done"])) == sorted(map(str, built["jobs"]))
    for job in built["jobs"]:
        assert path(built, job.lang, job.relpath).stat().st_size > 10_000, job


def test_job_for_names(content):
    assert pdf.job_for(content, "rapport-2025", "nl").relpath == "rapport-2025.pdf"
    assert pdf.job_for(content, "quartiers", "fr").relpath == "quartiers/all.pdf"
    assert pdf.job_for(content, "quartier:marolles", "fr").relpath == "quartiers/marolles.pdf"
    with pytest.raises(KeyError, match="unknown publication `nope`; known: .*rapport-2025"):
        pdf.job_for(content, "nope", "fr")


# --- paper, bleed, crop marks ------------------------------------------------------------------


def test_default_paper_is_a4_without_bleed(built):
    for lang in ("fr", "nl"):
        for rel in ("rapport-2025.pdf", "brochure-5-ans.pdf", "quartiers/marolles.pdf", "quartiers/all.pdf"):
            r = reader(path(built, lang, rel))
            for page in (r.pages[0], r.pages[-1]):
                assert approx(size(page), A4), (lang, rel)
                assert approx((float(page.mediabox.width), float(page.mediabox.height)), A4), "no bleed by default"


def test_a5_with_bleed_and_crop_marks(built):
    r = reader(built["dir"] / "a5-bleed.pdf")
    page = r.pages[0]
    trim = page.trimbox
    assert approx((float(trim.width), float(trim.height)), A5)
    media = page.mediabox
    assert float(media.width) > float(trim.width) + 2 * 3 * MM, "the media box holds bleed and marks"
    bleed = page.bleedbox
    assert abs(float(bleed.width) - (float(trim.width) + 6 * MM)) < 0.5
    assert abs(float(bleed.height) - (float(trim.height) + 6 * MM)) < 0.5


# --- metadata and accessibility -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_title_language_and_tags(built, content, lang):
    for pid, pub in content.publications.items():
        r = reader(path(built, lang, f"{pid}.pdf"))
        assert r.metadata.title == pub.title.get(lang)
        root = r.trailer["/Root"]
        assert root["/Lang"] == f"{lang}-BE"
        assert "/StructTreeRoot" in root
        assert bool(root["/MarkInfo"]["/Marked"])
    sheet = reader(path(built, lang, "quartiers/marolles.pdf"))
    assert content.quartiers["marolles"].name.get(lang) in sheet.metadata.title
    assert sheet.trailer["/Root"]["/Lang"] == f"{lang}-BE"


def test_fonts_are_embedded(built):
    r = reader(path(built, "fr", "rapport-2025.pdf"))
    names = set()
    for page in r.pages[:8]:
        for font in page["/Resources"].get("/Font", {}).values():  # a blank page has none
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert any("SourceSerifPro" in n for n in names) and any("SourceSansPro" in n for n in names), names


# --- report ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang,entries", [
    ("fr", ["Introduction", "Contexte", "1. Caractériser les approches partenariales", "Bibliographie"]),
    ("nl", ["Inleiding", "Context", "Bibliografie"]),
])
def test_sommaire_has_page_numbers(built, lang, entries):
    text = text_of(path(built, lang, "rapport-2025.pdf"), pages=range(2, 6))
    contents = i18n.gettext_for(lang)("Contents")
    assert contents in text
    for entry in entries:
        assert re.search(re.escape(entry) + r" ?(?:\. ?){3,}\d+", text), f"{entry!r} without page number"


def test_the_22_footnotes_are_in_the_report(built, content):
    notes = {}
    for ch in content.publications["rapport-2025"].chapters:
        page = content.pages["fr"].get(f"publications/rapport-2025/{ch}.md")
        for mt in re.finditer(r"^\[\^(\d+)\]:\s*(.+)$", page.body if page else "", re.M):
            notes[int(mt.group(1))] = mt.group(2)
    assert sorted(notes) == list(range(1, 23))
    text = text_of(path(built, "fr", "rapport-2025.pdf"))
    for n, note in notes.items():
        words = re.split(r"[<\[@*«»()\"]", note.replace("\u2019", "'"))[0].split()[:5]
        if len(words) >= 2:
            assert " ".join(words) in text, f"footnote {n}: {' '.join(words)!r}"
    # a few distinctive ones, whole
    for distinctive in ("Centre de Recherches et d'Actions pour des Projets en Social-Santé",
                        "Expression répétée par Nathalie Noël le 27 janvier 2025",
                        "En France, les régions sont au nombre de 18"):
        assert distinctive in text


def test_report_quotes_case_box_bibliography_back_cover(built):
    text = text_of(path(built, "fr", "rapport-2025.pdf"))
    assert "— Référente-quartier" in text
    assert "Le projet idéal-typique" in text
    assert "ABBOTT, Andrew, 1988" in text  # citeproc bibliography (ISO 690 author-date, French)
    assert "(Bidet, 2010" in text or "Bidet (2010" in text  # "(Author, year)" citations
    assert "Paris" in text  # places of publication
    assert "D/2026/9334/81" in text and "Pour référer ce document" in text
    last = text_of(path(built, "fr", "rapport-2025.pdf"), pages=[len(reader(path(built, "fr", "rapport-2025.pdf")).pages) - 1])
    assert "Ce rapport présente une évaluation" in last


# --- brochure -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_one_qr_code_per_quartier_annex_page(built, content, lang):
    r = reader(path(built, lang, "brochure-5-ans.pdf"))
    _ = i18n.gettext_for(lang)
    figures = figures_with_pages(r)
    for q in content.quartiers.values():
        alt = _("QR code to the web page of %(name)s") % {"name": q.name.get(lang)}
        pages = [p for p, a in figures if a.replace("\u2019", "'") == alt.replace("\u2019", "'")]
        assert len(pages) == 1 and pages[0] is not None, (q.id, pages)
        assert [p for p, _a in figures].count(pages[0]) == 1, f"one QR code on the annex page of {q.id}"
        page_text = text_of(path(built, lang, "brochure-5-ans.pdf"), pages=[pages[0]])
        assert q.name.get(lang).replace("\u2019", "'") in page_text


def test_brochure_key_figures_and_chart(built):
    p = path(built, "fr", "brochure-5-ans.pdf")
    raw = "\n".join(page_text(p, i) for i in range(len(reader(p).pages)))
    # words hyphenated at a line end (narrow figure column) are joined again, then spaces dropped
    flat = "".join(re.sub(r"[-\u00ad]\n", "", raw).split())
    for fig in ("140 familles accompagnées", "34 services orienteurs", "200 habitants interrogés"):
        assert "".join(fig.split()) in flat, fig
    alts = [a for _, a in figures_with_pages(reader(path(built, "fr", "brochure-5-ans.pdf")))]
    assert any(a.startswith("Quartiers par statut et par vague") for a in alts)


# --- quartier sheets ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_quartier_sheet_shows_commune_and_status(built, content, lang):
    _ = i18n.gettext_for(lang)
    for qid in ("marolles", "cureghem", "karreveld"):
        q = content.quartiers[qid]
        text = text_of(path(built, lang, f"quartiers/{qid}.pdf"))
        assert content.communes[q.commune].name.get(lang) in text
        assert vocab.status_label(q.current.status, _).replace("\u2019", "'") in text
        assert q.name.get(lang).replace("\u2019", "'") in text
    combined = reader(path(built, lang, "quartiers/all.pdf"))
    assert len(combined.pages) >= len(content.quartiers)
    assert len([o for o in combined.outline if not isinstance(o, list)]) == len(content.quartiers)


def test_yaml_text_is_shown_as_text(project, tmp_path):
    yml = project / "content" / "quartiers" / "marolles.yml"
    evil = "Marolles <script>alert(1)</script> #emph[x] $y$ *z* @ref"
    text = yml.read_text(encoding="utf-8").replace('fr: "Marolles"', f"fr: '{evil}'")
    yml.write_text(text, encoding="utf-8")
    c = load.load(project / "content")
    assert c.quartiers["marolles"].name.fr == evil
    target = tmp_path / "evil.pdf"
    pdf.render(project, c, pdf.job_for(c, "quartier:marolles", "fr"), target, site_url=SITE)
    assert evil in text_of(target).replace("\u2019", "'")


def test_image_without_alt_text_is_a_content_error(project, tmp_path):
    md = project / "content" / "fr" / "quartiers" / "marolles.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\n![](plan.svg)\n", encoding="utf-8")
    c = load.load(project / "content")
    with pytest.raises(pdf.PrintError) as exc:
        pdf.render(project, c, pdf.job_for(c, "quartier:marolles", "fr"), tmp_path / "x.pdf", site_url=SITE)
    line = len(md.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    assert str(exc.value).startswith(f"content/fr/quartiers/marolles.md:{line}: the image `plan.svg` has no alt text")
    assert "Traceback" not in str(exc.value)


def test_untranslated_chapter_falls_back_to_french(project, content):
    (project / "content" / "nl" / "publications" / "brochure-5-ans" / "05-remerciements.md").unlink()
    c = load.load(project / "content")
    src = pdf.publication_source(c, pdf.job_for(c, "brochure-5-ans", "nl"), SITE)
    assert '#set text(lang: "fr")' in src.body and "Remerciements" in src.body


# --- Markdown pre-pass -----------------------------------------------------------------------------


def test_prepare_admonitions_and_comments():
    md = ('Avant <!-- une note\nsur deux lignes -->\n\n!!! case "Le projet « idéal » : un \\ cas"\n\n    Corps\n\n    Suite\n\n'
          'Après\n\n!!! note\n    Remarque\n')
    out = pdf.prepare(md)
    assert "<!--" not in out and "deux lignes" not in out
    assert '::: {.case title="Le projet « idéal » : un \\\\ cas"}\n\nCorps\n\nSuite\n:::' in out
    assert "::: {.note}\nRemarque\n:::" in out
    assert out.index("Après") > out.index("Suite")


# --- reproducibility -------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(built):
    for job in built["again"]:
        a = (built["dir"] / "a" / job.lang / job.relpath).read_bytes()
        b = (built["dir"] / "b" / job.lang / job.relpath).read_bytes()
        assert a == b, job


# --- external validation and typesetting -------------------------------------------------------------


@pytest.mark.e2e
def test_every_web_pdf_passes_page_validation(built):
    """PDF/A-2b and PDF/UA-1 by an external validator (page-validation, PyPI), every PDF."""
    page = pytest.importorskip("page")
    files = sorted((built["dir"] / "a").rglob("*.pdf")) + [built["dir"] / "a5-bleed.pdf"]
    failures = []
    for f in files:
        for profile in (page.ValidationProfile.PDF_A_2B, page.ValidationProfile.PDF_UA_1):
            report = page.validate_pdf(f, profile=profile)
            failures += [f"{f.name} {profile.value}: {x.rule_id} {x.message}" for x in report.failures]
    assert not failures, "\n".join(failures[:20])


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_no_elision_paired_as_a_quote(built, lang):
    """Smart quotes never pair an elision's apostrophe with an opening quote (l”AG, d”un)."""
    for rel in ("rapport-2025.pdf", "brochure-5-ans.pdf"):
        text = "\n".join(page_text(path(built, lang, rel), i) for i in range(len(reader(path(built, lang, rel)).pages)))
        bad = [text[max(0, mt.start() - 30):mt.end() + 10] for mt in re.finditer(r"[a-zà-ÿ]”[a-zà-ÿ]", text)
               # a closing quote glued to a word that it ends («“sociaal-gezondheids”probleem») is a real quote
               if "“" not in text[max(0, mt.start() - 60):mt.start()]]
        assert not bad, (rel, bad[:5])
