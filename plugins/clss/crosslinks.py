"""Cross-links: the first time a chapter names a quartier or a project, the name links to its
page. Names come from the data (a quartier's name and its aliases in the page's language, a
project's title), never from hand-made lists.

Left alone: quotations (block quotes, « … » and “ … ”), headings, footnote definitions, tables,
admonition titles, code, existing links, HTML and data inserts. Short one-word aliases (under
six letters, e.g. "Nord") are not used: too often a common word.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from . import model as m
from .syntax import map_prose_lines

_PROTECT = re.compile(
    r"\[[^\]]*\]\([^)]*\)"  # links and images
    r"|\[\[[^\]]*\]\]"  # data inserts
    r"|\[\^[^\]]+\]|\[@[^\]]*\]"  # footnote calls, citations
    r"|`[^`]*`|<[^>\n]+>"  # code, HTML
    r"|«[^»]*»|“[^”]*”"  # quotations
)
_SKIP_LINE = re.compile(r"^\s*(>|#|\[\^|!!!|\?\?\?|\||<|\[\[|- \[)")


def names(quartiers: list[m.Quartier], projects: list[m.Project], lang: str) -> list[tuple[str, str]]:
    """(name, target page) pairs, longest name first."""
    out = []
    for q in quartiers:
        for n in (q.name.get(lang), *q.aliases.get(lang)):
            if n == q.name.get(lang) or len(n) >= 6:
                out.append((n, f"quartiers/{q.id}.md"))
    for p in projects:
        out.append((p.title.get(lang), f"projects/{p.id}.md"))
    return sorted(set(out), key=lambda x: -len(x[0]))


def link_first_mentions(markdown: str, pairs: list[tuple[str, str]], link: Callable[[str], str]) -> str:
    """`markdown` with the first mention of each target linked: `[name](link(target))`."""
    if not pairs:
        return markdown
    target_of = dict(pairs)
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n, _ in pairs) + r")(?![\w-])")
    done: set[str] = set()

    def plain(text: str) -> str:
        def repl(mt: re.Match) -> str:
            target = target_of[mt.group(1)]
            if target in done:
                return mt.group(0)
            done.add(target)
            return f"[{mt.group(1)}]({link(target)})"

        return rx.sub(repl, text)

    def line(text: str) -> str:
        if _SKIP_LINE.match(text) or text.startswith("    ") and not text.strip():
            return text
        parts, last = [], 0
        for mt in _PROTECT.finditer(text):
            parts.append(plain(text[last:mt.start()]))
            parts.append(mt.group(0))
            last = mt.end()
        parts.append(plain(text[last:]))
        return "".join(parts)

    return map_prose_lines(markdown, line)
