"""Escaping is done once, at the right depth: a reader-visible YAML value holding `&`, `<`, `>`,
quotes and `{{ }}` reaches every site page and every PDF text layer exactly as typed.

End-to-end: one `clss build --no-print` of a project copy whose YAML carries the hostile string
in a quartier name and alias, a commune name, a project's carrier, partner and figure label, and
a link label; then one quartier sheet PDF.
"""
from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("test_escaping")]

HOSTILE = "Tour & Taxis <b>\"x\"</b> 'y' {{ z }}"
YAML_VALUE = "'Tour & Taxis <b>\"x\"</b> ''y'' {{ z }}'"  # the same string, as a YAML single-quoted scalar


class _Text(html.parser.HTMLParser):
    """The text of an HTML page as a reader sees it (scripts, styles and the head left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "svg"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"[\s\u00a0\u202f]+", " ", "".join(p.parts))


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, content_copy):
    from conftest import copy_project, run_clss_in

    root = copy_project(content_copy, tmp_path_factory.mktemp("escaping") / "project")
    (root / "plugins").symlink_to(Path(__file__).resolve().parents[1] / "plugins")  # mkdocs.yml's theme folder
    c = root / "content"
    _set(c / "quartiers" / "tour-et-taxis-laeken.yml", 'fr: "Tour et Taxis - Laeken"', f"fr: {YAML_VALUE}")
    _set(c / "quartiers" / "tour-et-taxis-laeken.yml", 'nl: "Thurn & Taxis - Laken"', f"nl: {YAML_VALUE}")
    _set(c / "quartiers" / "tour-et-taxis-laeken.yml", 'fr: ["Laeken Sud"]', f"fr: [{YAML_VALUE} alias]".replace("}}' alias", "}} alias'"))
    _set(c / "quartiers" / "tour-et-taxis-laeken.yml", "links: []", f"links:\n  - url: https://www.example.be/\n    label: {{fr: {YAML_VALUE}, nl: {YAML_VALUE}}}")
    _set(c / "projects" / "assap.yml", 'fr: "Consortium « Social-Santé » du Bas de Forest"', f"fr: {YAML_VALUE}")
    _set(c / "projects" / "assap.yml", 'nl: "Consortium \'Welzijn-Gezondheid\' van Laag-Vorst"', f"nl: {YAML_VALUE}")
    _set(c / "projects" / "assap.yml", '{fr: "écoles", nl: "scholen"}', f"{{fr: {YAML_VALUE}, nl: {YAML_VALUE}}}")
    _set(c / "projects" / "assap.yml", "label: {fr: familles accompagnées, nl: begeleide gezinnen}", f"label: {{fr: {YAML_VALUE}, nl: {YAML_VALUE}}}")
    code, out, err = run_clss_in(["check"], root)
    assert code == 0, err
    code, out, err = run_clss_in(["build", "--no-print"], root, timeout=600)
    assert code == 0, err
    return root


def test_every_site_page_shows_the_string_exactly(hostile_build):
    site = hostile_build / "build" / "site"
    seen = 0
    for page in sorted(site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        if "Taxis" not in raw:
            continue
        text = page_text(page)
        broken = [frag for frag in ("&amp", "&lt;", "&gt;", "&#", "& ;", "\\<") if frag in text]
        assert not broken, f"{page.relative_to(site)}: escaped text shown to the reader: {broken}"
        if "Tour & Taxis <b>" in text:
            assert HOSTILE in text, f"{page.relative_to(site)}: the string is altered: {text[text.index('Tour & Taxis <b>'):][:80]!r}"
            seen += 1
    assert seen >= 6, f"the string reached only {seen} pages"  # sheet, overview, project page, chapters… in both languages


def test_no_markup_injected(hostile_build):
    for page in (hostile_build / "build" / "site").rglob("*.html"):
        assert '<b>"x"</b>' not in page.read_text(encoding="utf-8"), f"{page}: the YAML value became markup"


def test_quartier_sheet_pdf_text_layer(hostile_build):
    from conftest import run_clss_in
    from pypdf import PdfReader

    target = hostile_build / "sheet.pdf"
    code, out, err = run_clss_in(["pdf", "quartier:tour-et-taxis-laeken", "--lang", "fr", "-o", target], hostile_build, timeout=600)
    assert code == 0, err
    text = "\n".join(p.extract_text() or "" for p in PdfReader(target).pages)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    assert "&amp" not in text and "&lt;" not in text and "**" not in text
    assert "Tour & Taxis <b>" in text, text[:500]
    shown = text[text.index("Tour & Taxis <b>"):][: len(HOSTILE) + 5]
    # Typst may print straight quotes as typographic ones; everything else is exact
    normal = shown.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    assert normal.startswith(HOSTILE), shown
