"""What the assembly puts in place of `[[insert: figure ID]]` and `[[insert: gallery …]]`:
for print, the Typst call (printing.py) and the image files; for the site, a marker line
(syntax.FIGURE_MARK_RE) that the site plugin replaces by the HTML of web.py once it has made
the image variants."""
from __future__ import annotations

from ..content import Content
from . import printing
from .review import resolve_ids


def insert(content: Content, name: str, arg: str, lang: str, target: str) -> tuple[str, dict[str, bytes]]:
    """(Markdown, assets) for one figure insert (`clss check` has vouched for its ids)."""
    ids, _unknown = resolve_ids(content, name, arg)
    if not ids:
        return "", {}
    if target == "print":
        return printing.typst_block(content, name, ids, lang)
    return f"\n<!-- clss-figures: {name} {' '.join(ids)} -->\n", {}
