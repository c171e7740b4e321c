"""Issue 17: quartier and project pages speak in the publisher's voice, and their sources are data.

- No sentence of a quartier or project text talks about the documents ("la brochure …",
  "het rapport …"); quotations are excepted.
- `sources:` entries (publication, chapter, anchor) are checked: a wrong one is a `path:line` error.
- The assembled quartier and project pages end with a Sources/Bronnen block whose links all
  resolve to a heading of an assembled chapter page.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markdown
import pytest
import yaml

from clss import assemble, checks, languages

pytestmark = pytest.mark.xdist_group("test_publisher_voice")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

ROOT = Path(__file__).resolve().parents[1]

# Phrases that make the documents (or the page itself) the subject of a sentence, per language.
DOCUMENT_TALK = {
    "fr": [
        r"la brochure", r"le rapport(?! de force)", r"le rapport d'évaluation", r"les sources",
        r"les deux publications", r"ces publications", r"le document", r"ce document",
        r"cette page", r"cette fiche", r"l'état des lieux (?:2025 )?(?:le|la|les|range|classe|cite|mentionne)",
    ],
    "nl": [
        r"de brochure", r"het rapport", r"het evaluatierapport", r"de bronnen", r"beide publicaties",
        r"deze publicaties", r"het document", r"dit document", r"deze pagina", r"deze fiche",
    ],
}
QUOTES = [r"«[^»]*»", r"“[^”]*”", r"\"[^\"]*\""]


def _prose_files():
    for lang in languages.CODES:
        for folder in ("quartiers", "projects"):
            for path in sorted((ROOT / "content" / lang / folder).glob("*.md")):
                yield lang, path


def _sentences(text: str):
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)  # front matter
    lines = [ln for ln in text.split("\n") if not ln.lstrip().startswith((">", "#"))]  # quotes, headings
    body = " ".join(lines)
    for q in QUOTES:
        body = re.sub(q, "« »", body)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if s.strip()]


@pytest.mark.parametrize("lang,path", list(_prose_files()), ids=lambda v: v if isinstance(v, str) else v.stem)
def test_no_sentence_talks_about_the_documents(lang, path):
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(DOCUMENT_TALK.get(lang, [])) + r")(?![\w])", re.I)
    offenders = [s for s in _sentences(path.read_text(encoding="utf-8")) if pattern.search(s)]
    assert not offenders, f"{path.relative_to(ROOT)}: sentences about the documents, not the quartier:\n" + "\n".join(offenders)


def test_every_quartier_and_project_has_sources():
    for folder in ("quartiers", "projects"):
        for path in sorted((ROOT / "content" / folder).glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert data.get("sources"), f"{path.relative_to(ROOT)} has no `sources:` list"


# --- sources are checked ------------------------------------------------------------------


def _errors(root: Path) -> list:
    return checks.load_and_check(root / "content").errors


@pytest.mark.parametrize("key,bad,expect", [
    ("anchor", "etat-des-lieux-2099", "no heading with anchor `etat-des-lieux-2099`"),
    ("chapter", "31-etat-des-lieux", "is not a chapter of `brochure-5-ans`"),
    ("publication", "brochure-10-ans", "unknown publication `brochure-10-ans`"),
])
def test_bad_source_is_a_path_line_error(project, key, bad, expect):
    rel = "content/quartiers/marolles.yml"
    path = project / rel
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    idx = next(i for i, ln in enumerate(lines) if "chapter: 30-etat-des-lieux-2025" in ln)
    old = {"anchor": "anchor: etat-des-lieux-2025", "chapter": "chapter: 30-etat-des-lieux-2025",
           "publication": "publication: brochure-5-ans"}[key]
    assert old in lines[idx]
    lines[idx] = lines[idx].replace(old, f"{key}: {bad}")
    path.write_text("\n".join(lines), encoding="utf-8")
    errors = [e for e in _errors(project) if e.path == rel]
    assert any(expect in e.message and e.line == idx + 1 for e in errors), errors


def test_valid_sources_give_no_error(project):
    assert not [e for e in _errors(project) if "source" in e.message and e.path.startswith(("content/quartiers/", "content/projects/"))]


# --- the Sources block on the assembled pages ---------------------------------------------


def _md_ids(text: str) -> set[str]:
    from clss.sections import _markdown_config

    exts, configs = _markdown_config(str(ROOT / "mkdocs.yml"))  # the extensions the site uses
    md = markdown.Markdown(extensions=exts, extension_configs=configs)
    html = md.convert(text)
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.fixture(scope="module")
def assemblies(content_copy):
    content = checks.load_and_check(content_copy / "content")
    own = [e for e in content.errors if e.path.startswith(("content/quartiers/", "content/projects/"))]
    assert not own, own[:5]
    from clss import sections

    index = sections.SectionIndex(content, content_copy / "mkdocs.yml")
    return {lang: assemble.assemble(content, lang, resolve_section=index.resolve) for lang in languages.CODES}


@pytest.mark.parametrize("lang", languages.CODES)
@pytest.mark.parametrize("page", ["quartiers/bas-de-forest.md", "quartiers/peterbos.md", "projects/assap.md"])
def test_sources_block_links_resolve(assemblies, lang, page):
    from clss import i18n

    a = assemblies[lang]
    pages = {p.path: p for p in a.pages}
    md = pages[page].markdown
    heading = "## " + i18n.gettext_for(lang)("Sources")
    assert heading in md, f"{lang}/{page}: no `{heading}` block"
    block = md[md.rindex(heading):]
    links = re.findall(r"\]\(([^)\s]+)\)", block)
    assert links, f"{lang}/{page}: the Sources block has no links"
    for link in links:
        target, _, anchor = link.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        assert resolved in pages, f"{lang}/{page}: `{link}` points to no page"
        assert anchor and anchor in _md_ids(pages[resolved].markdown), f"{lang}/{page}: no heading `#{anchor}` on {resolved}"
