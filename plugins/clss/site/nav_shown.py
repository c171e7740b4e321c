"""What of the navigation one page shows (for clss.site.reuse's page keys).

With `navigation.prune` (and neither `navigation.sections`, `navigation.expand` nor
`navigation.tabs`), Material's menu on a page holds the top-level entries, the children of each
section on the page's path, and, for each other section, one link to its first page
(partials/nav-item.html); the footer links the previous and the next page; the breadcrumbs are
the sections on the path. A page's HTML depends on the titles (front matter, headings) of those
pages only: renaming a quartier renders again the pages that list it, not every page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

EVERY_SECTION_OPEN = {"navigation.sections", "navigation.expand", "navigation.tabs"}


@dataclass
class Node:
    path: str | None = None  # a page
    children: list[Node] = field(default_factory=list)  # a section

    def leaves(self) -> list[str]:
        return [self.path] if self.path is not None else [p for c in self.children for p in c.leaves()]


def _parse(items) -> list[Node]:
    out = []
    for item in items or []:
        if isinstance(item, str):
            out.append(Node(item))
        elif isinstance(item, dict):
            for value in item.values():
                out.append(Node(value) if isinstance(value, str) else Node(None, _parse(value)))
    return out


class Shown:
    """Built from MkDocs' `nav` configuration; `pages(src)`: the pages whose titles the page
    `src` shows. None (from `of`) when the theme's features open every section on every page."""

    def __init__(self, nav):
        self.tree = _parse(nav)
        self.order = [p for n in self.tree for p in n.leaves()]

    @classmethod
    def of(cls, nav, features) -> Shown | None:
        features = set(features or [])
        if "navigation.prune" not in features or features & EVERY_SECTION_OPEN or not nav:
            return None
        return cls(nav)

    def pages(self, src: str) -> set[str]:
        shown: set[str] = {src}

        def walk(nodes: list[Node]) -> None:
            for n in nodes:
                if n.path is not None:
                    shown.add(n.path)
                    continue
                leaves = n.leaves()
                shown.update(leaves[:1])  # a closed section: its title links to its first page
                if src in leaves:  # a section on the page's path: open
                    walk(n.children)

        walk(self.tree)
        if src in self.order:  # previous and next page (the footer)
            i = self.order.index(src)
            shown.update(self.order[max(i - 1, 0): i + 2])
        return shown
