"""A publication's outline (clss.outline) and its BibTeX/RIS records (clss.site.cite), in-process."""
from __future__ import annotations

import re

import rispy

from clss import model as m
from clss import outline
from clss.site import cite


def chapter(path: str, body: str, title: str = "") -> outline.Chapter:
    return outline.Chapter(path, title or path, body, body)


def test_outline_nests_files_by_their_first_heading():
    chapters = [
        chapter("p/00-intro.md", "# Introduction\n\ntext\n"),
        chapter("p/10-part.md", "# 1. Part one\n\n## A. First section\n\n### 1. Sub\n"),
        chapter("p/11-b.md", "## B. Second section\n\n### 1. Inside B\n"),
        chapter("p/12-b2.md", "### 2. Continues B\n\n```\n# not a heading\n```\n"),
        chapter("p/20-part.md", "# 2. Part two\n"),
    ]
    tree = outline.tree(chapters)
    assert [n.path for n in tree] == ["p/00-intro.md", "p/10-part.md", "p/20-part.md"]
    part1 = tree[1]
    assert [n.path for n in part1.children] == ["p/11-b.md"] and [n.path for n in part1.children[0].children] == ["p/12-b2.md"]

    toc = outline.contents(chapters)
    part1 = toc[1]
    assert part1.title == "1. Part one" and part1.anchor is None  # the page itself, numbered as written
    assert [(n.title, n.path, n.anchor) for n in part1.children] == [
        ("A. First section", "p/10-part.md", "a-first-section"), ("B. Second section", "p/11-b.md", None)]
    b = part1.children[1]
    assert [(n.title, n.anchor) for n in b.children] == [("1. Inside B", "1-inside-b"), ("2. Continues B", None)]
    assert all("not a heading" not in n.title for n in toc)


def test_outline_ids_follow_the_page_markdown():
    """Repeated headings get the toc extension's unique ids; a title the site adds comes first."""
    body = "## Conclusion\n\n## Conclusion\n"
    page = "# Added title\n\n" + body
    toc = outline.contents([outline.Chapter("p/x.md", "X", body, page)])
    assert [n.anchor for n in toc] == [None, "conclusion_1"]


def publication(title: str, kind: str = "report") -> m.Publication:
    return m.Publication.model_validate({
        "id": "pub-1", "kind": kind, "title": {"fr": title, "nl": "NL titel"}, "subtitle": {"fr": "Rapport 2025", "nl": "Rapport 2025"},
        "date": "2025-11-25", "credits": {"author": ["Anna De Smet", "Équipe R&D"]},
        "citation": {"fr": "c", "nl": "c"}, "contact": {"organisation": {"fr": "o", "nl": "o"}},
        "chapters": ["00-a"], "print": {"template": "report"},
    })


def test_bibtex_escapes_what_latex_would_read():
    pub = publication("Santé & social : 100 % {réseau} $x$ #1_2")
    bib = cite.bibtex(pub, "fr", "https://example.org/fr/publications/pub-1/").decode("utf-8")
    assert bib.startswith("@techreport{pub-1,")
    title = re.sub(r"\s+", " ", re.search(r"title = \{(.*?)\},\n", bib, re.S).group(1))
    for escaped in (r"\&", r"\%", r"\{réseau\}", r"\$x\$", r"\#1\_2"):
        assert escaped in title, (escaped, title)
    assert r"{Équipe R\&D}" in bib and "{Anna De Smet}" in bib  # names as given, not split
    assert "year = {2025}" in bib and "url = {https://example.org/fr/publications/pub-1/}" in bib


def test_ris_one_field_per_line():
    pub = publication("Première ligne\n  TY  - JOUR seconde ligne", kind="brochure")
    text = cite.ris(pub, "fr").decode("utf-8")
    assert text.startswith("TY  - PAMP\n") and text.count("TY  -") == 1  # no header line, no injected record
    ref, = rispy.loads(text)
    assert ref["title"] == "Première ligne TY - JOUR seconde ligne"
    assert ref["authors"] == ["Anna De Smet", "Équipe R&D"] and ref["date"] == "2025/11/25/" and ref["language"] == "fr-BE"
    assert "urls" not in ref  # no public address known: none invented
