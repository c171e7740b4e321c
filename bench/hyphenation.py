"""Hyphenation in the text layer of PDFs: share of lines that end hyphenated, the longest run
of consecutive hyphenated lines, breaks with fewer than 3 letters on a side, and breaks inside
acronyms or capitalised words (names).

    .venv/bin/python bench/hyphenation.py build/print/fr/rapport-2025.pdf …

pdfium (pypdfium2) gives a page's text with "\r\n" between lines and U+FFFE where a line ends
with a hyphen, for automatic hyphenation and compound words alike; a break is taken as a compound
word's own hyphen ("Social-Santé", "est-ce") when the word after it is capitalised or the word is
written with its hyphen in content/ (Markdown and YAML) or elsewhere in the same PDF, and is not
counted.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

HYPHEN = "\ufffe"
WORD_END = re.compile(r"(\w+)$")
WORD_START = re.compile(r"^\s*(\w+)")
HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)+")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stats:
    lines: int = 0
    hyphenated: int = 0
    longest_run: int = 0
    run_at: int = 0  # page (1-based) of the longest run
    short: list[str] = field(default_factory=list)  # < 3 letters before or after
    caps: list[str] = field(default_factory=list)  # acronyms and capitalised words split

    @property
    def share(self) -> float:
        return 100.0 * self.hyphenated / self.lines if self.lines else 0.0


def page_lines(path: str):
    """(page number, [visual lines]) per page; a line that ends hyphenated ends with HYPHEN."""
    doc = pdfium.PdfDocument(path)
    for number in range(1, len(doc) + 1):
        text = doc[number - 1].get_textpage().get_text_range()
        lines = []
        for line in text.split("\r\n"):
            pieces = line.split(HYPHEN)
            lines += [piece + HYPHEN for piece in pieces[:-1]] + [pieces[-1]]
        yield number, [line for line in lines if line.strip()]


def compounds(texts) -> set[str]:
    """Every hyphenated word (lower case) written in `texts` and in the content files."""
    words: set[str] = set()
    for text in texts:
        for word in HYPHENATED_WORD.findall(text):
            parts = word.lower().split("-")
            words.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))
    return words


def content_compounds() -> set[str]:
    files = [*ROOT.glob("content/**/*.md"), *ROOT.glob("content/**/*.yml")]
    return compounds(f.read_text(encoding="utf-8") for f in files)


def measure(path: str, known: set[str] | None = None) -> Stats:
    stats = Stats()
    pages = list(page_lines(path))
    known = (known or set()) | compounds(line.rstrip(HYPHEN) for _, lines in pages for line in lines)
    for number, lines in pages:
        run = 0
        for i, line in enumerate(lines):
            stats.lines += 1
            line = line.rstrip(" ")
            if not line.endswith(HYPHEN):
                run = 0
                continue
            before = WORD_END.search(line[:-1])
            after = WORD_START.match(lines[i + 1]) if i + 1 < len(lines) else None
            head = before.group(1) if before else ""
            tail = after.group(1) if after else ""
            if not before or not tail or tail[0].isupper() or f"{head}-{tail}".lower() in known:
                run = 0
                continue
            stats.hyphenated += 1
            run += 1
            if run > stats.longest_run:
                stats.longest_run, stats.run_at = run, number
            word = f"{head}-{tail} (p. {number})"
            if len(head) < 3 or (tail and len(tail) < 3 and not tail[0].isdigit()):
                stats.short.append(word)
            if head[:1].isupper():
                stats.caps.append(word)
    return stats


def main(paths: list[str]) -> int:
    print(f"{'file':48} {'lines':>6} {'hyph':>5} {'%':>5} {'run':>4} {'<3':>4} {'caps':>4}")
    known = content_compounds()
    for path in paths:
        s = measure(path, known)
        print(f"{path[-48:]:48} {s.lines:6d} {s.hyphenated:5d} {s.share:5.1f} {s.longest_run:4d} {len(s.short):4d} {len(s.caps):4d}"
              f"   longest run on p. {s.run_at}")
        for label, items in (("short", s.short), ("caps", s.caps)):
            if items:
                print(f"    {label}: {', '.join(items[:12])}{' …' if len(items) > 12 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
