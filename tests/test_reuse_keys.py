"""clss.site.reuse: what a page shows of itself on every other page (its title in the navigation)
is read from its front matter and its level-1 headings; any change of either changes the key."""
from __future__ import annotations

from clss.site.reuse import heading_source


def test_title_changes_change_the_heading_source_and_body_changes_do_not():
    page = "---\ntitle: Marolles\n---\n\n# Marolles\n\nDu texte.\n\n## Une section\n"
    assert heading_source(page) != heading_source(page.replace("title: Marolles", "title: Marollen"))
    assert heading_source(page) != heading_source(page.replace("# Marolles", "# Les Marolles"))
    assert heading_source(page) != heading_source(page.replace("title: Marolles", "title: Marolles\nicon: star"))
    assert heading_source(page) == heading_source(page.replace("Du texte.", "Un autre texte."))
    assert heading_source(page) == heading_source(page.replace("## Une section", "## Une autre section"))


def test_setext_title_is_read_with_its_line():
    page = "Marolles\n========\n\nDu texte.\n"
    assert heading_source(page) != heading_source(page.replace("Marolles\n", "Marollen\n"))
