"""The outline of a publication: its parts, sections and chapters as its headings give them.

A publication is a list of chapter files (manifest `chapters:`); a file continues the structure
where the previous one stopped, and the level of its first heading says where it sits: in the
report, `# 1. Caractériser…` opens a part, `## B. …` a section of that part, `### 2. …` a
subsection of B. From these levels come
- the navigation tree (`tree`): a file is the child of the nearest earlier file whose first
  heading is of a higher rank; a file with children is a section of the navigation whose first
  entry is the file itself;
- the table of contents of the publication's page (`contents`): every heading down to the
  deepest level at which a file starts, nested across files, each linked to its page or anchor.
The seed's numbering is part of the heading text: it is shown as written, never renumbered.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

import markdown

from .syntax import HEADING_RE, prose_lines


@dataclass
class Node:
    """One entry of a publication's outline."""

    title: str  # heading text: Markdown inline as the assembly wrote it (YAML values already escaped)
    level: int  # heading level in the publication (1 = part or top chapter)
    path: str  # source-like path of the chapter page, e.g. "publications/rapport-2025/11-partie-1-b.md"
    anchor: str | None = None  # heading id on that page; None: the page itself
    children: list[Node] = field(default_factory=list)


@dataclass
class Chapter:
    """A chapter file as the assembly built it."""

    path: str
    title: str  # navigation title (the page's title)
    body: str  # Markdown before the site promotes its headings (publication-wide levels)
    page_markdown: str  # Markdown of the site page (the heading ids come from it)


@functools.lru_cache(maxsize=1024)  # every assembly of a language (each preview save) asks again
def headings(text: str) -> tuple[tuple[int, str], ...]:
    """(level, text) of the ATX headings of a Markdown text, outside fenced code."""
    out = []
    for _, line in prose_lines(text):
        mt = HEADING_RE.match(line)
        if mt:
            out.append((len(mt.group(1)), mt.group(2).strip().rstrip("#").strip()))
    return tuple(out)


_converter = threading.local()


@functools.lru_cache(maxsize=512)  # every assembly of a language (each preview save) asks again
def heading_ids(text: str) -> tuple[str, ...]:
    """The ids Python-Markdown's `toc` extension gives to the headings of `text`, in order
    (unique within the page: a repeated heading gets `_1`, `_2`…)."""
    lines = [f"# {t}" for _, t in headings(text)]
    md = getattr(_converter, "md", None)
    if md is None:  # one converter per thread: making one loads its extensions (~1 ms each time)
        md = _converter.md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.reset()
    md.convert("\n\n".join(lines))

    def flat(tokens):
        for tok in tokens:
            yield tok["id"]
            yield from flat(tok["children"])

    return tuple(flat(md.toc_tokens))  # type: ignore[attr-defined]  # set by the toc extension


def first_level(text: str) -> int:
    found = headings(text)
    return found[0][0] if found else 1


def _nest(items: list[Node]) -> list[Node]:
    """Nest flat entries by level: an entry is a child of the nearest earlier one of lower level."""
    roots: list[Node] = []
    stack: list[Node] = []
    for item in items:
        while stack and stack[-1].level >= item.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots


def tree(chapters: list[Chapter]) -> list[Node]:
    """The navigation tree of the chapter files."""
    return _nest([Node(c.title, first_level(c.body), c.path) for c in chapters])


def contents(chapters: list[Chapter]) -> list[Node]:
    """The table of contents: headings down to the deepest level at which a file starts."""
    depth = max((first_level(c.body) for c in chapters), default=1)
    flat: list[Node] = []
    for c in chapters:
        found = headings(c.body)
        page_ids = heading_ids(c.page_markdown)  # a title the site added comes first: align from the end
        ids: list[str | None] = list(page_ids[len(page_ids) - len(found):]) if len(page_ids) >= len(found) else [None] * len(found)
        for i, ((level, text), anchor) in enumerate(zip(found, ids, strict=True)):
            if level <= depth:
                flat.append(Node(text, level, c.path, None if i == 0 else anchor))
        if not found:
            flat.append(Node(c.title, 1, c.path))
    return _nest(flat)
