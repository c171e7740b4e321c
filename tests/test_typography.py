"""Typography applied in the assembly (clss.typography), so that the site shows the text as the
PDFs print it: typographic apostrophes in both languages, French non-breaking spaces."""
from __future__ import annotations

import pytest

from clss import typography

RSQ = "\u2019"


@pytest.mark.parametrize(("markdown", "expected"), [
    ("la Gare de l'Ouest, aujourd'hui", f"la Gare de l{RSQ}Ouest, aujourd{RSQ}hui"),
    ("de LSGC's, zo'n project", f"de LSGC{RSQ}s, zo{RSQ}n project"),
    ("# Gare de l&#39;Ouest", f"# Gare de l{RSQ}Ouest"),  # a YAML value, escaped by the templates
    ("un coup d'œil", f"un coup d{RSQ}œil"),
])
def test_a_quote_between_two_letters_becomes_an_apostrophe(markdown, expected):
    assert typography.apostrophes(markdown) == expected
    assert typography.apostrophes(expected) == expected  # applied twice (an insert, then its page): the same


@pytest.mark.parametrize("markdown", [
    "`l'code` stays",
    "[texte](https://example.org/qu'une-page) and https://example.org/qu'une",
    "<img alt='x'> <span title=\"l'a\">",
    "Title {: title='l'a' }",
    "'y' and 1'2 and &#39;y&#39;",  # quotes around a word, a figure: not apostrophes
    "```\nl'code\n```",
])
def test_code_addresses_markup_and_quotes_are_left_alone(markdown):
    assert typography.apostrophes(markdown) == markdown


def test_a_plain_title_gets_its_apostrophes():
    assert typography.apostrophe("Rapport d'évaluation") == f"Rapport d{RSQ}évaluation"
    assert typography.apostrophe("'y'") == "'y'"


def test_a_name_with_an_apostrophe_is_cross_linked_then_typeset(project):
    """The assembly links a chapter's first mention of a quartier by its name as written in the
    YAML (Gare de l'Ouest), then turns the apostrophes: the link is kept and reads l’Ouest."""
    from clss import assemble, load

    chapter = project / "content" / "fr" / "publications" / "rapport-2025" / "00-introduction.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("# Introduction\n", "# Introduction\n\nÀ la Gare de l'Ouest, d'abord.\n", 1), encoding="utf-8")
    content = load.load(project / "content")
    page = next(p for p in assemble.assemble(content, "fr").pages if p.path == "publications/rapport-2025/00-introduction.md")
    assert f"À la [Gare de l{RSQ}Ouest](../../quartiers/gare-de-l-ouest.md), d{RSQ}abord." in page.markdown
