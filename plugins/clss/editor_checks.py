"""Checks for editors' slips that the schemas and the cross-file rules do not catch, and plain
wording of every message.

`check(content)` records problems with `content.error(path, line, message)`:
- a heading that skips a level (`#` then `###`);
- a link to a web address written without `https://` (the fix: add it);
- a file name that is not a valid id (with the id to use; points at the file, line 1);
- two files whose names differ only by case (one file on Windows and macOS);
and rewrites Python escapes such as `\\xa0` in all messages into plain words.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from . import languages, messages
from .messages import msg
from .syntax import LINK_RE, is_fence

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+\S")
DOMAIN_RE = re.compile(r"^(?:www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:be|brussels|eu|org|com|net|fr|nl|info|int|gov|edu|io)(?:[/?#]|$))", re.I)


def suggest_id(name: str) -> str:
    """A valid id from a file name: `Marolles Nord` → `marolles-nord`, `Bas_de_Forêt` → `bas-de-foret`."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", ascii_.lower())).strip("-") or "new-id"


def plain(message: str) -> str:
    """Python escapes (`\\xa0`, `\\u202f`, `\\n` …) in a message → the character's name in words."""
    return messages.plain(message)


def looks_like_web_address(target: str) -> bool:
    return bool(DOMAIN_RE.match(target)) and not target.lower().endswith((".md", ".png", ".jpg", ".jpeg", ".svg", ".pdf", ".webp", ".gif"))


def check(content) -> None:
    """Record the editor checks' problems on `content` and make every message plain."""
    _headings_and_links(content)
    clashing = _case_clashes(content)
    _file_names(content, clashing)
    _plain_messages(content)


def _rel(content, path: Path) -> str:
    return content.rel(path)


def _headings_and_links(content) -> None:
    for lang in languages.CODES:
        for page in content.pages.get(lang, {}).values():
            prev = 0
            in_code = False
            for i, line in enumerate(page.body.split("\n")):
                n = page.body_line + i
                if is_fence(line):
                    in_code = not in_code
                if in_code:
                    continue
                mh = HEADING_RE.match(line)
                if mh:
                    level = len(mh.group(1))
                    if prev and level > prev + 1:
                        content.error(page.path, n, msg("heading level skipped: `%(level)s` comes after `%(prev)s`; "
                                                        "write `%(fix)s` here (headings go down one level at a time)",
                                                        level="#" * level, prev="#" * prev, fix="#" * (prev + 1)))
                    prev = level
                for lk in LINK_RE.finditer(line):
                    if lk.group(1):  # an image
                        continue
                    target = lk.group(3)
                    if looks_like_web_address(target):
                        fixed = "https://" + target
                        _drop(content, _rel(content, page.path), n, f"broken link `{target}`")
                        content.error(page.path, n, msg("link `%(target)s` has no `https://`: add https:// (write `](%(fixed)s)`)",
                                                        target=target, fixed=fixed))


def _drop(content, path: str, line: int, prefix: str) -> None:
    """Remove a less helpful message about the same problem (reported again here, with the fix)."""
    content.errors[:] = [e for e in content.errors if not (e.path == path and e.line == line and e.message.startswith(prefix))]


def _file_names(content, skip: frozenset[Path] | set[Path] = frozenset()) -> None:
    root = Path(content.root)
    candidates: list[Path] = []
    for sub in ("quartiers", "projects", "publications"):
        if (root / sub).is_dir():
            candidates += [p for p in (root / sub).iterdir() if p.suffix in (".yml", ".yaml") and not p.name.startswith(".")]
    for lang in languages.CODES:
        if (root / lang).is_dir():
            candidates += [p for p in (root / lang).rglob("*.md") if not any(x.startswith(".") for x in p.relative_to(root).parts)]
            candidates += [p for p in (root / lang).rglob("*") if p.is_dir() and not any(x.startswith(".") for x in p.relative_to(root).parts)]
    for path in sorted(candidates):
        stem = path.stem if path.is_file() else path.name
        if ID_RE.match(stem) or path in skip:  # a case clash is reported on its own
            continue
        rel = _rel(content, path)
        good = suggest_id(stem)
        # the schema's message about the same id quotes a regular expression: replace it
        content.errors[:] = [e for e in content.errors if not (e.path == rel and ("`id`" in e.message or "must match the file name" in e.message))]
        if path.is_dir():
            content.error(rel, 1, msg("folder name `%(name)s` is not a valid id: use lower-case letters a-z, digits and single hyphens; "
                                      "rename it to `%(good)s`", name=path.name, good=good))
        else:
            content.error(rel, 1, msg("file name `%(name)s` is not a valid id: use lower-case letters a-z, digits and single hyphens; "
                                      "rename it to `%(good)s`", name=path.name, good=good + path.suffix))


def _case_clashes(content) -> set[Path]:
    root = Path(content.root)
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in root.rglob("*"):
        if any(x.startswith(".") for x in path.relative_to(root).parts):
            continue
        groups[path.relative_to(root).as_posix().casefold()].append(path)
    clashing: set[Path] = set()
    for paths in groups.values():
        if len(paths) < 2:
            continue
        paths.sort()
        clashing.update(paths)
        names = ", ".join(f"`{_rel(content, p)}`" for p in paths)
        for p in paths[1:]:
            content.error(_rel(content, p), 1, msg("%(names)s differ only by upper/lower case; Windows and macOS see one file: rename or merge them", names=names))
    return clashing


def _plain_messages(content) -> None:
    for i, e in enumerate(content.errors):
        text = plain(e.message)
        if text != e.message:
            content.errors[i] = dataclasses.replace(e, message=text)
