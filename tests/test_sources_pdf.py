"""Issue 17: the Sources of quartier sheets, brochure annex pages and brochure projects in the
PDFs give each cited section's page in the cited publication's PDF of the same language, and
that page holds the section's heading.

The PDFs are the session's (tests/conftest.py: print_built); the unit tests below need no build.
"""
from __future__ import annotations

import re
import unicodedata

import pypdfium2 as pdfium
import pytest

from clss import i18n, incremental, load
from clss.print import jobs as print_jobs
from clss.print import pagemap

pytestmark = pytest.mark.xdist_group("print-built")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

LANGS = ("fr", "nl")


def squeezed(text: str) -> str:
    """Letters and digits only (line-end hyphens, quotes, spaces and soft hyphens dropped)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


class Pages:
    """The pages' texts of a PDF, each extracted once, when first asked for (pdfium: ten times
    faster than pypdf on these PDFs)."""

    def __init__(self, path, below_mm: float = 0):
        self.doc = pdfium.PdfDocument(str(path))
        self.below = below_mm * 72 / 25.4  # text under this distance from the top edge only
        self.done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: int) -> str:
        if i not in self.done:
            page = self.doc[i]
            width, height = page.get_size()
            self.done[i] = page.get_textpage().get_text_bounded(0, 0, width, height - self.below)
        return self.done[i]

    def __iter__(self):
        return (self[i] for i in range(len(self)))


@pytest.fixture(scope="module")
def texts():
    """texts(path) -> the Pages of a PDF (read once per module); texts(path, body=True): without
    the running heads (the top 22 mm of a report page), which repeat a chapter's title."""
    cache: dict = {}

    def read(path, body: bool = False):
        if (path, body) not in cache:
            cache[(path, body)] = Pages(path, 22 if body else 0)
        return cache[(path, body)]

    return read


@pytest.fixture(scope="module")
def index(print_content):
    return pagemap.section_index(print_content)


def cited_sections(index, item, lang: str) -> list[tuple[str, str]]:
    """(publication id, heading in `lang`) of each source of a quartier or project."""
    out = []
    for s in item.sources:
        sec = index.resolve(s.publication, s.chapter, s.anchor, lang)
        assert sec is not None, f"{item.id}: source {s} does not resolve"
        out.append((s.publication, sec.heading))
    return out


def printed_pages(text: str, heading: str) -> list[int]:
    """The page numbers printed after `heading` in a Sources block ("« heading », p. 12")."""
    gap = r"[\W_]*"  # spaces, line ends, hyphens, quotes between the letters
    pattern = gap.join(re.escape(ch) for ch in squeezed(heading)) + gap + r"p\.\s*(\d+)"
    return [int(n) for n in re.findall(pattern, unicodedata.normalize("NFKC", text).casefold())]


def check_page(texts, pdf, heading: str, page: int, where: str) -> None:
    pages = texts(pdf, body=True)
    assert 1 <= page <= len(pages), f"{where}: p. {page} is beyond the {len(pages)} pages of {pdf.name}"
    assert squeezed(heading) in squeezed(pages[page - 1]), (
        f"{where}: « {heading} » is not on p. {page} of {pdf.parent.name}/{pdf.name}")


# --- the session's PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_sheet_ends_with_sources_and_right_pages(print_built, print_content, index, texts, lang):
    content = print_content
    title = i18n.gettext_for(lang)("Sources")
    folder = print_built["dir"] / "a" / lang
    for qid, q in sorted(content.quartiers.items()):
        sheet = folder / "quartiers" / f"{qid}.pdf"
        text = "\n".join(texts(sheet))
        assert title in text, f"{lang}/quartiers/{qid}.pdf has no « {title} » block"
        block = text[text.rindex(title):]
        for pub, heading in cited_sections(index, q, lang):
            pages = printed_pages(block, heading)
            assert pages, f"{lang}/quartiers/{qid}.pdf: no page printed for « {heading} » ({pub})"
            check_page(texts, folder / f"{pub}.pdf", heading, pages[0], f"{lang}/quartiers/{qid}.pdf")


@pytest.mark.parametrize("lang", LANGS)
def test_brochure_annex_and_project_sources_pages(print_built, print_content, index, texts, lang):
    """Each annex page (one per quartier) and the projects of the brochure list their sources
    with pages: of the report (its PDF) and of the brochure itself (Typst's own page)."""
    content = print_content
    title = i18n.gettext_for(lang)("Sources")
    folder = print_built["dir"] / "a" / lang
    brochure = [p for p, pub in content.publications.items() if pub.print.template == "brochure"][0]
    pages = texts(folder / f"{brochure}.pdf")
    wanted = {(pub, heading) for item in [*content.quartiers.values(), *content.projects.values()]
              for pub, heading in cited_sections(index, item, lang)}
    with_sources = 0
    for n, text in enumerate(pages, 1):
        if title not in text:
            continue
        block = text[text.rindex(title):]
        found = 0
        for pub, heading in sorted(wanted):
            for page in printed_pages(block, heading):
                check_page(texts, folder / f"{pub}.pdf", heading, page, f"{lang}/{brochure}.pdf p. {n}")
                found += 1
        with_sources += bool(found)
    assert with_sources >= len(content.quartiers), f"{lang}: {with_sources} brochure pages with page-numbered Sources, expected one per annex page at least"


# --- units: plan, labels, errors, keys (no build) ------------------------------------------------------


def test_plan_makes_cited_publications_first(content_copy):
    content = load.load(content_copy / "content")
    jobs = print_jobs.all_jobs(content, ["fr"])
    stages = print_jobs.stages(content, jobs)
    position = {job: i for i, stage in enumerate(stages) for job in stage}
    assert set(position) == set(jobs) and len(position) == len(jobs)
    for job in jobs:
        for dep in print_jobs.needs(content, job):
            assert dep in position and position[dep] < position[job], f"{job} is made before {dep}, whose pages it prints"
    sheet = print_jobs.job_for(content, "quartier:marolles", "fr")
    assert {d.relpath for d in print_jobs.needs(content, sheet)} == {f"{s.publication}.pdf" for s in content.quartiers["marolles"].sources}


def test_label_goes_to_the_nth_heading_of_that_text():
    md = "# Atelier A\n\n## Méthode\n\ntext\n\n# Atelier B\n\n## Méthode\n\n```\n## not a heading\n```\n"
    names = ["Atelier A", "Méthode", "Atelier B", "Méthode"]
    out = pagemap.label_headings(md, [(names, 3, "clss-src--x--methode-1")])
    assert out.split("\n")[8] == "## Méthode {#clss-src--x--methode-1}"
    assert out.count("{#") == 1


def test_section_without_page_is_an_error_naming_the_yaml_line(content_copy):
    content = load.load(content_copy / "content")
    q = content.quartiers["marolles"]
    rel = "content/quartiers/marolles.yml"
    with pytest.raises(pagemap.PrintError) as exc:
        pagemap.entries(content, pagemap.section_index(content), q, rel, "nl", {}, "")
    first = str(exc.value).splitlines()[0]
    assert re.match(rf"{re.escape(rel)}:\d+: source 1: ", first) and "p. ?" not in str(exc.value)
    line = int(first.split(":")[1])
    assert "anchor" in (content_copy / rel).read_text(encoding="utf-8").splitlines()[line - 1]


def test_sheet_key_follows_the_texts_of_the_cited_publications(project):
    content = load.load(project / "content")
    sheet = print_jobs.job_for(content, "quartier:marolles", "fr")
    cites = print_jobs.cites(content, sheet)
    assert "rapport-2025" in cites

    def key():
        return incremental.Keys(project).pdf(sheet, True, "", cites=cites)

    before = key()
    chapter = project / "content" / "fr" / "publications" / "rapport-2025" / "01-contexte.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nUn paragraphe de plus.\n", encoding="utf-8")
    assert key() != before, "a change of the report's text (its pages may move) must redo the sheets citing it"
