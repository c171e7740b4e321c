"""The findings of one page's rules, kept between runs over the same files (clss.checks for
clss serve, which checks all content on each save while most pages did not change)."""
from __future__ import annotations

from pathlib import Path

from .content import Content, ContentError


def is_file(path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # e.g. a 10,000-character name
        return False


class PageMemo:
    """An entry is found by the page's text and everything else the rules read (page set,
    bibliography, projects, waves, glossary: the caller's key), and is used only if the files the
    rules looked for still exist, or still do not, as when it was made."""

    def __init__(self, size: int = 4096):
        self.size = size
        self.entries: dict[tuple, tuple[list, tuple[tuple[Path, bool], ...]]] = {}

    def findings(self, key: tuple, check) -> list:
        """`check(is_file)` records problems on its argument and returns them; memoised on `key`."""
        kept = self.entries.get(key)
        if kept is not None and all(is_file(path) == was for path, was in kept[1]):
            return kept[0]
        probes: dict[Path, bool] = {}

        def probe(path: Path) -> bool:
            probes[path] = is_file(path)
            return probes[path]

        found = check(probe)
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (found, tuple(probes.items()))
        return found


class Found:
    """The content as one page's rules see it: what they report is kept (for PageMemo), not added."""

    def __init__(self, content: Content):
        self.content = content
        self.errors: list[ContentError] = []
        self.root, self.pages, self.projects, self.waves, self.glossary = (
            content.root, content.pages, content.projects, content.waves, content.glossary)

    def rel(self, path: Path) -> str:
        return self.content.rel(path)

    def error(self, path: Path | str, line: int, message) -> None:
        self.errors.append(self.content.problem(path, line, message))
