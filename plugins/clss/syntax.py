"""The Markdown conventions of content/ — one home for every pattern that checks, assembly,
typography, citations, print and translations recognise:

- front matter between `---` lines (title, description, translation stamp);
- block data inserts alone on a line: `[[insert: status]]`, `[[insert: project assap]]`;
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
INSERT_RE = re.compile(r"^\[\[insert:\s*([a-z-]+)(?:\s+([a-z0-9-]+))?\s*\]\]\s*$")
INSERTS_PLAIN = frozenset({"timeline", "status", "status-chart", "quartier-annexes", "referents", "bibliography"})
INSERTS_WITH_ID = frozenset({"project"})
COUNT_RE = re.compile(r"\[\[count:\s*([a-z]+)((?:\s+[A-Za-z]+(?:=[0-9.]+)?)*)\s*\]\]")
COUNTABLE = frozenset({"quartiers", "communes", "projects"})
COUNT_OPTIONS = frozenset({"words", "Words", "wave"})
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FOOTREF_RE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTDEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:")
CITE_RE = re.compile(r"(?<![\w@.\-/])@([a-z][a-z0-9]*[0-9]{4}[a-z]?)\b")
HEADING_RE = re.compile(r"^(#{1,6})(\s.*)$")


def is_fence(line: str) -> bool:
    return line.lstrip().startswith(("```", "~~~"))


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
