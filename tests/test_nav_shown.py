"""clss.site.nav_shown: the pages whose titles one page shows, with navigation.prune."""
from __future__ import annotations

from clss.site.nav_shown import Shown

NAV = [
    {"Accueil": "index.md"},
    {"Publications": ["publications/index.md",
                      {"Rapport": ["publications/r/index.md", {"Intro": "publications/r/00.md"},
                                   {"Partie 1": ["publications/r/10.md", {"A": "publications/r/11.md"}]}]},
                      {"Brochure": ["publications/b/index.md", {"Contexte": "publications/b/00.md"}]}]},
    {"Quartiers": ["quartiers/index.md", "quartiers/a.md", "quartiers/b.md"]},
]
PRUNED = ["navigation.prune", "navigation.indexes"]


def test_a_page_shows_its_open_sections_the_first_page_of_the_others_and_its_neighbours():
    shown = Shown.of(NAV, PRUNED)
    assert shown is not None
    on_chapter = shown.pages("publications/r/00.md")
    assert {"publications/r/10.md", "publications/b/index.md", "quartiers/index.md", "index.md"} <= on_chapter
    assert "quartiers/a.md" not in on_chapter and "publications/b/00.md" not in on_chapter
    assert "publications/r/11.md" not in on_chapter  # a closed part: only its first page
    on_sheet = shown.pages("quartiers/a.md")
    assert {"quartiers/b.md", "quartiers/index.md", "publications/index.md"} <= on_sheet
    assert "publications/r/00.md" not in on_sheet
    # previous / next across sections: the last brochure page comes before the quartiers' index
    assert "publications/b/00.md" in shown.pages("quartiers/index.md")


def test_every_page_shows_every_title_when_sections_are_open():
    for features in (["navigation.prune", "navigation.sections"], ["navigation.expand"], [], ["navigation.prune", "navigation.tabs"]):
        assert Shown.of(NAV, features) is None
