"""Markdown preparation for pandoc: the assembled (site-dialect) Markdown becomes pandoc
Markdown, with markers that let a Typst error be traced back to its content file."""
from __future__ import annotations

import re

from .. import i18n
from ..load import Content
from ..syntax import ADMONITION_RE, is_fence

COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")
SOURCE_PREFIX = "// clss-source: "


def _attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def prepare(markdown: str) -> str:
    """Turn the site-only Markdown (MkDocs admonitions, HTML comments) into pandoc Markdown:
    `!!! case "Title"` + an indented body → `::: {.case title="Title"}` … `:::`."""
    markdown = COMMENT_RE.sub("", markdown)
    markdown = markdown.replace("&#39;", "\u2019")  # apostrophes of YAML values (Jinja autoescape)
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if is_fence(line):
            in_fence = not in_fence
        mt = None if in_fence else ADMONITION_RE.match(line)
        if not mt:
            out.append(line)
            i += 1
            continue
        body: list[str] = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
            body.append(lines[i][4:] if lines[i].startswith("    ") else lines[i][1:] if lines[i].startswith("\t") else "")
            i += 1
        while body and not body[-1].strip():
            body.pop()
        attrs = f".{mt.group('kind')}"
        if mt.group("title"):
            attrs += f" title={_attr(mt.group('title'))}"
        out += ["", f"::: {{{attrs}}}", prepare("\n".join(body)), ":::", ""]
    return "\n".join(out)


def raw_typst(code: str) -> str:
    """A raw Typst block in pandoc Markdown."""
    return f"\n```{{=typst}}\n{code}\n```\n"


def source_marker(path: str) -> str:
    """A Typst comment naming the content file of what follows (for error messages)."""
    return raw_typst(f"{SOURCE_PREFIX}{path}")


def in_language(text: str, text_lang: str, lang: str, restore: bool = False) -> str:
    """A text that falls back to another language (not yet translated) is set in that language
    (hyphenation, /Lang of its tagged content)."""
    if text_lang == lang:
        return text
    text = raw_typst(f'#set text(lang: "{text_lang}")') + "\n" + text
    return text + "\n" + raw_typst(f'#set text(lang: "{lang}")') if restore else text


def missing_alt(markdown: str, source: str, content: Content | None = None) -> list[str]:
    """`path:line: …` for every image without alt text (PDF/UA-1 requires one)."""
    problems = []
    for mt in IMAGE_RE.finditer(markdown):
        if mt.group("alt").strip():
            continue
        line = 1
        path = content.root.parent / source if content is not None else None
        if path is not None and path.is_file():
            for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
                if f"]({mt.group('src')}" in text:
                    line = n
                    break
        problems.append(f"{source}:{line}: the image `{mt.group('src')}` has no alt text; "
                        f"write what it shows between the brackets: ![…]({mt.group('src')})")
    return problems


def with_references(chapters: list[tuple[str, str, str]], lang: str) -> list[tuple[str, str, str]]:
    """Citeproc puts the reference list where `::: {#refs}` is, else at the very end without a
    title. A publication that cites works but has no bibliography chapter (the brochure) gets a
    titled list at the end of the last chapter that cites."""
    from ..citations import collect

    if any("{#refs}" in md for _, _, md in chapters):
        return chapters
    citing = [i for i, (_, _, md) in enumerate(chapters) if collect(md)]
    if not citing:
        return chapters
    i = citing[-1]
    here, clang, md = chapters[i]
    title = i18n.gettext_for(lang)("References")
    out = list(chapters)
    out[i] = (here, clang, f"{md}\n\n### {title}\n\n::: {{#refs}}\n:::\n")
    return out
