"""Issue 13: the report as a book (sommaire of every level, running heads on one line at the
outer edge, folios outside, blank pages blank, no runt page but a chapter's end, parts on a
right-hand page), book typesetting (hyphenation runs, elisions), the A5 booklet (multiple of 4,
blank padding, QR codes with their quartier) and the cover spread.

The PDFs are the session's (tests/conftest.py: print_built); only the cover spread is made here
(one page, from the session's report).
"""
from __future__ import annotations

import difflib
import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import yaml

from clss import i18n, model
from clss.print import cover, pdf

pytestmark = pytest.mark.xdist_group("print-built")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

ROOT = Path(__file__).resolve().parents[1]
SEED_SOMMAIRE = ROOT / "tests" / "fixtures" / "rapport-2025-sommaire.tsv"
MM = 72 / 25.4
LANGS = ("fr", "nl")
TOP_MARGIN_MM = 27  # report.typ, A4: the running head sits in the top margin


def _bench_hyphenation():
    spec = importlib.util.spec_from_file_location("bench_hyphenation", ROOT / "bench" / "hyphenation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("*", "")
    text = re.sub(r"[«»“”\"]", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def squeezed(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def seed_sommaire() -> list[tuple[int, str]]:
    rows = []
    for line in SEED_SOMMAIRE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            level, title, _page = line.split("\t")
            rows.append((int(level), title))
    return rows


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return out


@pytest.fixture(scope="module")
def report(print_built):
    """Per language: the report's path, pypdf reader and pdfium document."""
    out = {}
    for lang in LANGS:
        p = print_built["dir"] / "a" / lang / "rapport-2025.pdf"
        out[lang] = {"path": p, "reader": pypdf.PdfReader(p), "doc": pdfium.PdfDocument(p)}
    return out


def lines_in(rects, y0: float, y1: float) -> list[tuple[float, float, float]]:
    """The text lines (middle y, x left, x right) of the text boxes `rects` (pdfium: left,
    bottom, right, top) that lie between y0 and y1 (points from the bottom of the media box)."""
    boxes = []
    for left, bottom, right, top in rects:
        if bottom >= y0 and top <= y1:
            boxes.append((round((bottom + top) / 2), left, right))
    lines: list[list[float]] = []
    for y, left, right in sorted(boxes):
        if lines and y - lines[-1][0] <= 3:
            lines[-1][1] = min(lines[-1][1], left)
            lines[-1][2] = max(lines[-1][2], right)
        else:
            lines.append([y, left, right])
    return [tuple(line) for line in lines]  # type: ignore[misc]


def page_zones(page):
    """(page width, head lines, body lines, foot lines) of a pdfium page: the running head is in
    the top margin, the folio in the bottom 20 mm."""
    w, h = page.get_size()
    tp = page.get_textpage()
    rects = [tp.get_rect(i) for i in range(tp.count_rects())]
    head = lines_in(rects, h - TOP_MARGIN_MM * MM, h)
    foot = lines_in(rects, 0, 20 * MM)
    body = lines_in(rects, 20 * MM, h - TOP_MARGIN_MM * MM)
    return w, head, body, foot


@pytest.fixture(scope="module")
def zones(report):
    """page_zones of every page of the report, per language (read once)."""
    return {lang: [page_zones(page) for page in report[lang]["doc"]] for lang in LANGS}


# --- the sommaire ---------------------------------------------------------------------------------


def test_sommaire_lists_every_seed_entry_in_order_at_its_level(report):
    entries = outline(report["fr"]["reader"])
    seed = seed_sommaire()
    assert len(seed) == 93
    i = 0
    for level, title in seed:
        while i < len(entries) and difflib.SequenceMatcher(None, norm(title), norm(entries[i][1])).ratio() < 0.9:
            i += 1
        assert i < len(entries), f"the sommaire lacks `{title}` (or has it out of order)"
        assert entries[i][0] == level, f"`{title}` is at level {entries[i][0]}, the seed has it at level {level}"
        i += 1


def test_dutch_sommaire_has_the_same_entries_and_levels(report):
    fr = [level for level, _, _ in outline(report["fr"]["reader"])]
    nl = [level for level, _, _ in outline(report["nl"]["reader"])]
    assert nl == fr
    assert max(nl) == 4


@pytest.mark.parametrize("lang", LANGS)
def test_sommaire_page_numbers_are_the_pages_of_the_headings(report, lang):
    doc = report[lang]["doc"]
    entries = outline(report[lang]["reader"])
    first_body = min(page for _, _, page in entries)
    printed = squeezed("".join(doc[i].get_textpage().get_text_range() for i in range(1, first_body - 1)))
    at = 0
    for _level, title, page in entries:
        # the title, its leader dots (dropped by squeezed) and its page number, in order
        found = printed.find(squeezed(title) + str(page), at)
        assert found >= 0, f"{lang}: the sommaire does not give p. {page} for `{title}`"
        at = found
        on_page = squeezed(doc[page - 1].get_textpage().get_text_range())
        assert squeezed(title)[:24] in on_page, f"{lang}: `{title}` is not on p. {page}"


# --- page furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_running_heads_are_one_line_on_the_outer_edge_with_the_folio(zones, lang):
    heads = 0
    for i, (w, head, _body, foot) in enumerate(zones[lang]):
        number = i + 1
        assert len(head) <= 1, f"{lang} p. {number}: the running head takes {len(head)} lines"
        outer_left = number % 2 == 0  # a left-hand (even) page: its outer edge is on the left
        for _, left, right in head:
            heads += 1
            assert (left < w * 0.25) if outer_left else (right > w * 0.75), f"{lang} p. {number}: head not at the outer edge"
        for _, left, right in foot:
            assert (right < w / 2) if outer_left else (left > w / 2), f"{lang} p. {number}: folio not at the outer edge"
    assert heads > len(zones[lang]) / 2


@pytest.mark.parametrize("lang", LANGS)
def test_blank_pages_are_blank_and_parts_open_on_a_right_hand_page(report, zones, lang, print_content):
    reader = report[lang]["reader"]
    for i in range(1, len(zones[lang]) - 1):
        _w, head, body, foot = zones[lang][i]
        if not body:
            assert not head and not foot, f"{lang} p. {i + 1}: a blank page with a running head or a folio"
    pub = print_content.publications["rapport-2025"]
    assert pub.print.recto
    entries = outline(reader)
    for chapter in pub.print.recto:
        md = ROOT / "content" / lang / "publications" / "rapport-2025" / f"{chapter}.md"
        title = next(line[2:] for line in md.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        page = next(page for _, t, page in entries if norm(t) == norm(title))
        assert page % 2 == 1, f"{lang}: {chapter} opens on p. {page}, a left-hand page"


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_with_fewer_than_5_lines_but_a_chapter_end(report, zones, lang):
    pages = zones[lang]
    entries = outline(report[lang]["reader"])
    openers = {page for level, _, page in entries if level == 1}
    first, last = min(openers), max(openers)
    for i in range(first - 1, last):
        _w, _head, body, _foot = pages[i]
        if 0 < len(body) < 5:
            after = i + 2
            nxt = pages[i + 1][2] if i + 1 < len(pages) else []
            assert after in openers or not nxt, f"{lang} p. {i + 1}: {len(body)} lines, not the end of a chapter"


# --- typesetting --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hyphenation():
    bench = _bench_hyphenation()
    known = bench.content_compounds()
    return lambda path: bench.measure(str(path), known)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["rapport-2025.pdf", "brochure-5-ans.pdf"])
def test_no_run_of_more_than_two_hyphenated_lines_nor_split_names(print_built, hyphenation, lang, name):
    stats = hyphenation(print_built["dir"] / "a" / lang / name)
    assert stats.lines > 500
    assert stats.longest_run <= 2, f"{lang}/{name}: {stats.longest_run} hyphenated lines in a row on p. {stats.run_at}"
    assert not stats.caps, f"{lang}/{name}: acronyms or names split: {stats.caps}"


@pytest.mark.parametrize("lang", LANGS)
def test_elisions_keep_their_apostrophe(report, lang):
    text = "\n".join(page.get_textpage().get_text_range() for page in report[lang]["doc"])
    assert not re.findall(r"[a-zà-ÿ]”[a-zà-ÿ]", text)  # "l”AG", "d”un": a closing quote for an apostrophe
    assert "'" not in re.sub(r"(?:https?://|www\.)\S+", "", text), "a straight apostrophe outside a web address"
    assert re.search(r"\b(?:[ldjnst]|qu)\u2019\w", text) if lang == "fr" else "\u2019s" in text


# --- the A5 booklet ---------------------------------------------------------------------------


def a5_texts(print_built) -> list[str]:
    return [page.get_textpage().get_text_range().strip() for page in pdfium.PdfDocument(print_built["dir"] / "a5-bleed.pdf")]


def test_a5_booklet_pads_to_a_multiple_of_4_with_blank_pages(print_built):
    reader = pypdf.PdfReader(print_built["dir"] / "a5-bleed.pdf")
    n = len(reader.pages)
    assert n % 4 == 0
    texts = a5_texts(print_built)
    assert texts[-1], "the back page"
    padding = 0
    for text in reversed(texts[:-1]):
        if text:
            break
        padding += 1
    assert padding < 4
    for i in range(n - 1 - padding, n - 1):
        assert not list(reader.pages[i].images), f"padding page {i + 1} carries a picture"


def test_a5_annex_qr_codes_stay_with_their_quartier_facts(print_built):
    _ = i18n.gettext_for("fr")
    caption = squeezed(_("Scan the QR code for the sheet of this quartier"))
    commune = squeezed(_("Commune"))
    pages = [squeezed(text) for text in a5_texts(print_built)]
    with_caption = [i for i, text in enumerate(pages) if caption in text]
    assert with_caption, "the annex pages print their QR code caption"
    for i in with_caption:
        assert commune in pages[i], f"p. {i + 1}: a QR code without its quartier's facts"
        assert len(pages[i].replace(caption, "")) > 200, f"p. {i + 1}: a page holding only a QR code caption"


# --- the cover spread ---------------------------------------------------------------------------


def test_spine_is_leaves_times_paper_thickness():
    assert cover.spine_mm(112, 0.1) == 5.6
    assert cover.spine_mm(113, 0.1) == 5.7
    assert cover.cover_path(Path("build/print/fr/rapport-2025.pdf")) == Path("build/print/fr/rapport-2025-cover.pdf")


def test_a_print_setting_naming_an_unknown_chapter_is_refused():
    raw = yaml.safe_load((ROOT / "content" / "publications" / "rapport-2025.yml").read_text(encoding="utf-8"))
    raw["id"] = "rapport-2025"
    raw["print"]["recto"] = ["99-nowhere"]
    with pytest.raises(ValueError, match="unknown chapter 99-nowhere"):
        model.Publication.model_validate(raw)


def test_cover_spread_of_the_report(print_built, print_content, content_copy, tmp_path):
    book = print_built["dir"] / "a" / "fr" / "rapport-2025.pdf"
    job = pdf.job_for(print_content, "rapport-2025", "fr")
    target = cover.cover_path(tmp_path / "rapport-2025.pdf")
    spine = cover.render_cover(print_content, job, book, target, bleed=3, crop_marks=True, draft=False)
    pub = print_content.publications["rapport-2025"]
    pages = len(pypdf.PdfReader(book).pages)
    assert spine == pytest.approx(-(-pages // 2) * pub.print.paper_thickness_mm)
    page = pypdf.PdfReader(target).pages[0]
    trim = page.trimbox
    assert float(trim.width) == pytest.approx((2 * 210 + spine) * MM, abs=0.5)
    assert float(trim.height) == pytest.approx(297 * MM, abs=0.5)
    assert float(page.mediabox.width) > float(trim.width) + 2 * 3 * MM - 0.5
    text = squeezed(page.extract_text())
    assert squeezed(pub.title.get("fr")) in text
    back = (content_copy / "content" / "fr" / "publications" / "rapport-2025" / f"{pub.back_cover}.md").read_text(encoding="utf-8")
    first_words = " ".join(back.split()[:8])
    assert squeezed(first_words) in text
