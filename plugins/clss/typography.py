"""Typography, applied once in the assembly so that site and print get the same text: French
non-breaking spaces, and typographic apostrophes in both languages."""
from __future__ import annotations

import functools
import re

from .syntax import ADMONITION_START_RE, ADMONITION_TITLE_RE, is_fence

NBSP = "\u00a0"  # before « : » and inside « »
NNBSP = "\u202f"  # narrow no-break space before ; ! ?

_PROTECT = re.compile(
    r"(&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);"  # character references (escaped YAML values)
    r"|`[^`]*`"  # inline code
    r"|\]\([^)]*\)"  # link targets
    r"|<[^>\n]+>"  # HTML tags and autolinks
    r"|https?://\S+"  # bare URLs
    r"|\[\^[^\]]+\]:?"  # footnote labels
    r"|\[@[^\]]*\]"  # citations
    r"|\{[^}\n]*\})"  # attribute lists
)


def _fix(text: str) -> str:
    text = re.sub(r"(?<=\S)[ \u00a0\u202f]*([;!?])(?=\s|$|[»)*_\]])", lambda m: NNBSP + m.group(1), text)
    text = re.sub(r"(?<=[^\s:\d])[ \u00a0\u202f]*:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    text = re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)
    return text


# a ' between two letters is always an apostrophe (l'AG, d'un, aujourd'hui, LSGC's, zo'n); in the
# Markdown, a value from the YAML has it escaped (&#39;)
_ELISION = re.compile(r"(?<=[^\W\d_])(?:'|&#39;|&#x27;)(?=[^\W\d_])")
# what apostrophes() leaves alone: _PROTECT but for the character references
_PROTECT_BUT_REFERENCES = re.compile(_PROTECT.pattern.replace(
    r"(&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);" + "|", "(", 1))


def apostrophe(text: str) -> str:
    """Typographic apostrophes in a plain text (a title from the YAML): l'Ouest → l’Ouest."""
    return _ELISION.sub("\u2019", text)


@functools.lru_cache(maxsize=2048)  # the same page texts on every assembly (each preview save)
def french(markdown: str) -> str:
    """Add French non-breaking spaces to Markdown prose, leaving code, URLs, markup and the
    character references of escaped values (`&amp;`, `&#39;`) alone."""
    return _prose(markdown, _fix)


@functools.lru_cache(maxsize=2048)
def apostrophes(markdown: str) -> str:
    """Typographic apostrophes in Markdown prose (either language), with the same places left
    alone as by `french`: code, URLs, markup, character references."""
    return _prose(markdown, apostrophe, _PROTECT_BUT_REFERENCES)


def _prose(markdown: str, _fix, protect: re.Pattern = _PROTECT) -> str:
    """`_fix` applied to the prose of each line, outside what `protect` matches (code, markup,
    addresses) and fenced code."""
    out = []
    in_fence = False
    for line in markdown.split("\n"):
        if is_fence(line):
            in_fence = not in_fence
            out.append(line)
            continue
        stripped = line.lstrip()
        if in_fence or ADMONITION_START_RE.match(stripped) or stripped.startswith(("[[insert:", "<!--")) or line.startswith("    " * 2 + "```"):
            # admonition title lines: only fix inside the quoted title
            mt = ADMONITION_TITLE_RE.match(stripped)
            if not in_fence and mt:
                indent = line[: len(line) - len(stripped)]
                out.append(f'{indent}{mt.group(1)}{_fix(mt.group(2))}"')
            else:
                out.append(line)
            continue
        parts = []
        last = 0
        for m in protect.finditer(line):
            parts.append(_fix(line[last : m.start()]))
            parts.append(m.group(0))
            last = m.end()
        parts.append(_fix(line[last:]))
        out.append("".join(parts))
    return "\n".join(out)
