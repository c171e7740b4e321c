"""The Markdown conventions of content/ — one home for every pattern that checks, assembly,
typography, citations, print and translations recognise:

- front matter between `---` lines (title, description, translation stamp);
- block data inserts alone on a line: `[[insert: status]]`, `[[insert: project assap]]`,
  `[[insert: figure pleniere]]`, `[[insert: gallery retour-en-images]]`;
- inline counts from data: `[[count: quartiers]]` → 18, `[[count: quartiers words]]` → dix-huit,
  `[[count: quartiers wave=1.0 Words]]` → Neuf (capitalised), `[[count: communes wave=2.0]]`;
- footnotes `[^12]` / `[^12]: text`, citations `@bidet2010` / `[@bidet2010, p. 3]`;
- links and images `[text](target)` / `![alt](target)`;
- fenced code (``` or ~~~), inside which nothing above applies.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
INSERT_RE = re.compile(r"^\[\[insert:\s*([a-z-]+)(?:\s+([a-z0-9-]+(?:\s+[a-z0-9-]+)*))?\s*\]\]\s*$")  # group 2: the id(s)
INSERTS_PLAIN = frozenset({"timeline", "status", "status-chart", "quartier-annexes", "referents", "bibliography"})
INSERTS_WITH_ID = frozenset({"project"})
# photos and drawings of content/figures.yml: `[[insert: figure ID]]`, `[[insert: gallery ID]]`
# (a gallery of figures.yml) or `[[insert: gallery ID ID …]]` (figures shown as a grid)
INSERTS_FIGURES = frozenset({"figure", "gallery"})
# what the assembly leaves for the site in place of a figure insert (the site renders it):
# `<!-- clss-figures: figure ID -->`, `<!-- clss-figures: gallery ID ID … -->`
FIGURE_MARK_RE = re.compile(r"^<!-- clss-figures: (figure|gallery) ([a-z0-9-]+(?: [a-z0-9-]+)*) -->$", re.M)
COUNT_RE = re.compile(r"\[\[count:\s*([a-z]+)((?:\s+[A-Za-z]+(?:=[0-9.]+)?)*)\s*\]\]")
COUNTABLE = frozenset({"quartiers", "communes", "projects"})
COUNT_OPTIONS = frozenset({"words", "Words", "wave"})
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")  # `<https://…>`: a web address shown as itself
# link text may hold one level of brackets without brackets inside (`[a [b] c](x)`): linear
# time even on a line of thousands of `[` (a nested `\[[^\]]*\]` made it quadratic: 20 s)
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FOOTREF_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTDEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:")
CITE_RE = re.compile(r"(?<![\w@.\-/])@([a-z][a-z0-9]*[0-9]{4}[a-z]?)\b")
HEADING_RE = re.compile(r"^(#{1,6})(\s.*)$")

# Block structure (where a paragraph, item, quote… starts), as translation blocks and the
# print step split a page. A marker's match end is where the block's own text starts.
FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")
HEADING_MARK_RE = re.compile(r"^(#{1,6})[ \t]+")
ITEM_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+")
FOOTDEF_MARK_RE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
QUOTE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?")
INDENT_RE = re.compile(r"^( {4}|\t)")
# admonitions `!!! note "Title"` / `??? note` / `???+ note`: the start marker, and the whole
# line with its kind and optional title
ADMONITION_START_RE = re.compile(r"^(!!!|\?\?\?\+?)[ \t]+")
ADMONITION_RE = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+"(?P<title>.*)")?[ \t]*$')
ADMONITION_TITLE_RE = re.compile(r'^((?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]+")(.*)"[ \t]*$')
# any insert, well-formed or not (INSERT_RE above checks the form)
ANY_INSERT_RE = re.compile(r"\[\[insert:[^\]]*\]\]")
ANY_INSERT_LINE_RE = re.compile(r"^\[\[insert:[^\]]*\]\]\s*$")


def is_fence(line: str) -> bool:
    return FENCE_RE.match(line) is not None


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based index, line) of every line outside fenced code blocks (fences excluded)."""
    fence = False
    for i, line in enumerate(text.split("\n")):
        if is_fence(line):
            fence = not fence
            continue
        if not fence:
            yield i, line


def map_prose_lines(text: str, fn) -> str:
    """`text` with `fn(line)` applied to every line outside fenced code."""
    fence = False
    out = []
    for line in text.split("\n"):
        if is_fence(line):
            fence = not fence
            out.append(line)
        else:
            out.append(line if fence else fn(line))
    return "\n".join(out)


def count_options(raw: str) -> dict[str, str]:
    """`" wave=1.0 words"` → {"wave": "1.0", "words": ""}."""
    opts = {}
    for part in raw.split():
        key, _, value = part.partition("=")
        opts[key] = value
    return opts
