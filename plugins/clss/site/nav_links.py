"""The menu's links to other pages, rendered once per build.

Material's menu lists every page of each open section on each page of that section
(theme/partials/nav-item.html), so a section of n pages renders n² entries: the quartiers'
section is most of the menu's rendering time. An entry for a page other than the one rendered
is the same HTML wherever its relative address is the same, so the theme keeps it here, by
menu item and address, for the rest of the build (the plugin puts a new one in the template
environment at each build: titles and pages may change between two builds of the preview).
"""
from __future__ import annotations

from markupsafe import Markup


class NavLinks:
    def __init__(self) -> None:
        self._kept: dict[tuple[int, str], Markup] = {}

    def get(self, item, href: str) -> Markup | None:
        """The HTML kept for `item` linked as `href`, or None."""
        return self._kept.get((id(item), href))  # items live as long as the build's navigation

    def keep(self, item, href: str, html: str) -> Markup:
        out = self._kept[(id(item), href)] = Markup(html)
        return out
