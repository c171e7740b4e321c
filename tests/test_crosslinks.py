"""Cross-links from publication chapters to quartier and project pages (unit tier)."""
from __future__ import annotations

from clss import crosslinks
from clss import model as m


def _q(qid, fr, nl, aliases_fr=()):
    return m.Quartier.model_validate({
        "id": qid, "name": {"fr": fr, "nl": nl}, "aliases": {"fr": list(aliases_fr), "nl": []},
        "commune": "x", "wave": "1.0", "history": [{"date": 2021, "status": "in-progress"}],
    })


QS = [_q("marolles", "Marolles", "Marollen"), _q("quartier-nord", "Quartier Nord", "Noordwijk", ["Nord"]),
      _q("bas-de-forest", "Bas de Forest", "Laag-Vorst", ["Bas-Forest - Pont de Luttre"])]


def link(md, lang="fr"):
    return crosslinks.link_first_mentions(md, crosslinks.names(QS, [], lang), lambda t: "../../" + t)


def test_first_mention_only_is_linked():
    out = link("Les Marolles et encore les Marolles.")
    assert out == "Les [Marolles](../../quartiers/marolles.md) et encore les Marolles."


def test_aliases_and_the_page_language():
    assert "[Bas-Forest - Pont de Luttre](../../quartiers/bas-de-forest.md)" in link("à Bas-Forest - Pont de Luttre.")
    assert "[Marollen](../../quartiers/marolles.md)" in link("In de Marollen.", "nl")
    assert "[Marolles]" not in link("In de Marolles.", "nl")  # a French name on a Dutch page is not the Dutch name


def test_short_one_word_aliases_are_not_used():
    assert link("la gare du Nord") == "la gare du Nord"


def test_quotations_headings_links_and_code_are_left_alone():
    for md in ("> « Aux Marolles, on se connaît. »", "## Marolles", "[les Marolles](https://x.be)",
               "`Marolles`", "Il dit « les Marolles » puis", "[^1]: Marolles", "| Marolles |"):
        assert link(md) == md, md


def test_fenced_code_is_left_alone():
    md = "```\nMarolles\n```\nMarolles"
    assert link(md) == "```\nMarolles\n```\n[Marolles](../../quartiers/marolles.md)"


def test_word_boundaries():
    assert link("Marollesien") == "Marollesien"
