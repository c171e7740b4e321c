"""Split a Markdown page into translation blocks and normalize them.

A block is what a translator translates as one unit: a paragraph, a list item, a quote
paragraph, a footnote, a heading, a table, an admonition title, or a front-matter text
(`title`, `description`). Normalizing makes the comparison blind to what does not change
the text: line endings, a BOM, trailing whitespace, blank lines, and re-wrapping.

Pure functions over text: no Content, no files.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from ..syntax import (
    ADMONITION_START_RE,
    ADMONITION_TITLE_RE,
    ANY_INSERT_LINE_RE,
    ANY_INSERT_RE,
    CITE_RE,
    FENCE_RE,
    FOOTDEF_MARK_RE,
    FOOTREF_RE,
    FRONT_RE,
    HEADING_MARK_RE,
    INDENT_RE,
    ITEM_RE,
    QUOTE_RE,
)

FRONT_KEYS = ("title", "description")  # the translatable front-matter keys
_SPACES = re.compile(r"[ \t\r\n]+")  # not U+00A0: a no-break space is typography, it counts


@dataclass(frozen=True)
class Block:
    """One block of one page. `start`/`end` are 0-based line indexes into the normalized file
    text (`end` exclusive); `marker` is the structural prefix (`## `, `- `, `[^2]: `, `> `,
    `    `, `title: `) and `text` the normalized text after it."""

    kind: str  # heading | item | footnote | quote | indented | table | admonition | insert | html | paragraph | meta
    marker: str
    text: str
    start: int
    end: int
    suffix: str = ""  # e.g. the closing quote of an admonition title

    @property
    def key(self) -> str:
        """The normalized block: what is compared and stored in the stamp."""
        return self.marker + self.text + self.suffix

    @property
    def signature(self) -> str:
        """The language-neutral shape of the block, used to pair French and Dutch blocks."""
        sig = self.kind
        if self.kind in ("heading", "footnote", "meta", "admonition"):
            sig += ":" + self.marker.strip()
        if self.kind in ("insert", "html"):
            sig += ":" + self.text
        return sig

    @property
    def translatable(self) -> bool:
        return self.kind not in ("insert", "html") and bool(re.search(r"[^\W\d_]", strip_urls(self.text)))

    @property
    def line(self) -> int:
        """1-based line in the file."""
        return self.start + 1


def strip_urls(text: str) -> str:
    return re.sub(r"<https?://[^>]*>|\]\([^)]*\)|https?://\S+", " ", text)


def clean(text: str) -> str:
    """The file text with a BOM dropped and line ends made `\\n`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def split(text: str) -> list[Block]:
    """The blocks of a Markdown file (front matter texts first, then the body)."""
    return list(_split(text))


@functools.lru_cache(maxsize=8192)  # the same texts are split on every load of the preview
def _split(text: str) -> tuple[Block, ...]:
    text = clean(text)
    lines = text.split("\n")
    blocks: list[Block] = []
    first = 0
    mt = FRONT_RE.match(text)
    if mt:
        head_lines = (mt.group(1) or "").split("\n")
        first = text[: mt.end()].count("\n") + (0 if text[: mt.end()].endswith("\n") else 1)
        try:
            data = yaml.safe_load(mt.group(1) or "") or {}
        except yaml.YAMLError:
            data = {}
        if isinstance(data, dict):
            for key in FRONT_KEYS:
                if isinstance(data.get(key), str):
                    idx = next((i for i, ln in enumerate(head_lines) if ln.startswith(f"{key}:")), 0)
                    end = idx + 1
                    while end < len(head_lines) and head_lines[end][:1] in (" ", "\t"):
                        end += 1
                    blocks.append(Block("meta", f"{key}: ", collapse(data[key]), 1 + idx, 1 + end))
    blocks.extend(_body(lines, first))
    return tuple(blocks)


def _starts_block(line: str) -> bool:
    return bool(HEADING_MARK_RE.match(line) or ITEM_RE.match(line) or FOOTDEF_MARK_RE.match(line)
                or ADMONITION_START_RE.match(line) or ANY_INSERT_LINE_RE.match(line.strip()))


def _body(lines: list[str], first: int) -> list[Block]:
    out: list[Block] = []
    i, n = first, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start = i
        if mf := FENCE_RE.match(line):  # code: one block, kept verbatim but for trailing spaces
            fence = mf.group(1)
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                i += 1
            i = min(i + 1, n)
            out.append(Block("html", "", "\n".join(ln.rstrip() for ln in lines[start:i]), start, i))
            continue
        if ANY_INSERT_LINE_RE.match(line.strip()):
            out.append(Block("insert", "", line.strip(), i, i + 1))
            i += 1
            continue
        if line.lstrip().startswith("<"):
            if re.match(r"^<https?://[^>]+>\s*$", line.strip()):
                out.append(Block("html", "", line.strip(), i, i + 1))
                i += 1
                continue
            while i < n and lines[i].strip():
                i += 1
            out.append(Block("html", "", "\n".join(ln.rstrip() for ln in lines[start:i]), start, i))
            continue
        mh = HEADING_MARK_RE.match(line)
        if mh:
            out.append(Block("heading", "#" * len(mh.group(1)) + " ", collapse(re.sub(r"[ \t]+#+[ \t]*$", "", line[mh.end():])), i, i + 1))
            i += 1
            continue
        ma = ADMONITION_START_RE.match(line)
        if ma:
            mt = ADMONITION_TITLE_RE.match(line)
            if mt:
                out.append(Block("admonition", collapse(mt.group(1)).rstrip('"') + '"', collapse(mt.group(2)), i, i + 1, '"'))
            else:
                out.append(Block("admonition", collapse(line) + " ", "", i, i + 1))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            while i < n and lines[i].lstrip().startswith("|"):
                i += 1
            rows = [re.sub(r"[ \t]*\|[ \t]*", " | ", ln.strip()).strip() for ln in lines[start:i]]
            out.append(Block("table", "", "\n".join(rows), start, i))
            continue
        if QUOTE_RE.match(line):
            parts = []
            while i < n and (mq := QUOTE_RE.match(lines[i])) and lines[i][mq.end():].strip():
                parts.append(lines[i][mq.end():])
                i += 1
            if not parts:  # a lone `>` line
                i += 1
                continue
            out.append(Block("quote", "> ", collapse(" ".join(parts)), start, i))
            continue
        kind, marker, rest = "paragraph", "", line
        mi, mf = ITEM_RE.match(line), FOOTDEF_MARK_RE.match(line)
        if mf:
            kind, marker, rest = "footnote", f"[^{mf.group(1)}]: ", line[mf.end():]
        elif mi:
            kind, marker, rest = "item", mi.group(1).replace("\t", "    ") + mi.group(2) + " ", line[mi.end():]
        elif INDENT_RE.match(line):
            kind, marker, rest = "indented", "    ", line.strip()
        parts = [rest]
        i += 1
        while i < n and lines[i].strip() and not _starts_block(lines[i]) and not (kind != "indented" and QUOTE_RE.match(lines[i])):
            parts.append(lines[i])
            i += 1
        out.append(Block(kind, marker, collapse(" ".join(parts)), start, i))
    return out


def keys(text: str) -> list[str]:
    """The normalized blocks of a file, as stored in a translation stamp."""
    return [b.key for b in split(text)]


def protected(text: str) -> dict[str, list[str]]:
    """What a translation must keep intact: footnote calls, citation keys, data inserts."""
    return {
        "footnote": sorted(FOOTREF_RE.findall(text)),
        "citation": sorted(CITE_RE.findall(text)),
        "insert": sorted(ANY_INSERT_RE.findall(text)),
    }
