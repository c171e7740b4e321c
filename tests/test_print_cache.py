"""The pandoc runs of the print step are kept in the project's cache (clss.cache, kind "pandoc"):
the same input is answered from it without running pandoc; a changed filter, option or text is a
miss; a damaged entry is refused and pandoc runs again; no folder, nothing written.

Runs the real pandoc on a few lines (a fraction of a second), so e2e: it starts a process."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clss.print import pandoc

pytestmark = pytest.mark.e2e

TEXT = "# Titre\n\nL'équipe d'un *quartier* : voir [le site](https://example.org/).\n"


@pytest.fixture
def runs(monkeypatch) -> list[list[str]]:
    """The command lines of the pandoc processes started (the real pandoc still runs)."""
    started: list[list[str]] = []
    convert = pandoc._convert

    def counted(args, markdown, source):
        started.append(list(args))
        return convert(args, markdown, source)

    monkeypatch.setattr(pandoc, "_convert", counted)
    return started


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / pandoc.CACHE_KIND).rglob("*") if p.is_file()) if folder.exists() else []


def test_same_input_twice_runs_pandoc_once(tmp_path, runs):
    cache = tmp_path / "cache"
    first = pandoc.run(TEXT, "fr", None, "test", cache)
    assert len(runs) == 1 and "= Titre" in first and "\u2019" in first  # typographic apostrophe
    assert len(_entries(cache)) == 1
    assert pandoc.run(TEXT, "fr", None, "test", cache) == first
    assert len(runs) == 1, "the second run came from the cache"


def test_a_changed_text_language_or_option_is_a_miss(tmp_path, runs, monkeypatch):
    cache = tmp_path / "cache"
    pandoc.run(TEXT, "fr", None, "test", cache)
    pandoc.run(TEXT + "\nEncore.\n", "fr", None, "test", cache)
    pandoc.run(TEXT, "nl", None, "test", cache)
    assert len(runs) == 3
    monkeypatch.setattr(pandoc, "READER", pandoc.READER + "-smart")  # another reader option
    pandoc.run(TEXT, "fr", None, "test", cache)
    assert len(runs) == 4 and "-smart" in runs[-1][2]


def test_a_changed_filter_is_a_miss(tmp_path, runs, monkeypatch):
    filters = tmp_path / "filters"
    shutil.copytree(pandoc.FILTERS, filters)
    monkeypatch.setattr(pandoc, "FILTERS", filters)
    cache = tmp_path / "cache"
    pandoc.run(TEXT, "fr", None, "test", cache)
    pandoc.run(TEXT, "fr", None, "test", cache)
    assert len(runs) == 1
    helper = filters / "typst_util.lua"  # not on the command line: print.lua loads it
    helper.write_text(helper.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    pandoc.run(TEXT, "fr", None, "test", cache)
    assert len(runs) == 2


def test_a_changed_bibliography_is_a_miss(tmp_path, runs):
    bib = tmp_path / "bibliography.yaml"
    bib.write_text("references:\n- id: a\n  type: book\n  title: Un\n  issued: 2020\n", encoding="utf-8")
    cache, text = tmp_path / "cache", "Voir [@a].\n"
    first = pandoc.run(text, "fr", bib, "test", cache)
    assert pandoc.run(text, "fr", bib, "test", cache) == first and len(runs) == 1
    bib.write_text(bib.read_text(encoding="utf-8").replace("2020", "2021"), encoding="utf-8")
    second = pandoc.run(text, "fr", bib, "test", cache)
    assert len(runs) == 2 and "2021" in second and "2020" not in second


def test_a_damaged_entry_is_refused_and_made_again(tmp_path, runs):
    cache = tmp_path / "cache"
    first = pandoc.run(TEXT, "fr", None, "test", cache)
    (entry,) = _entries(cache)
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x01  # one flipped bit in pandoc's answer
    entry.write_bytes(bytes(data))
    assert pandoc.run(TEXT, "fr", None, "test", cache) == first
    assert len(runs) == 2, "the damaged entry was not used"
    assert pandoc.run(TEXT, "fr", None, "test", cache) == first and len(runs) == 2, "made again and kept"


def test_no_folder_writes_nothing(tmp_path, runs, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        pandoc.run(TEXT, "fr", None, "test", None)
        pandoc.run_parts([TEXT, TEXT], "fr", None, "test", None)
    assert len(runs) == 4
    assert list(tmp_path.iterdir()) == []


def test_a_long_publication_in_halves_is_kept(tmp_path, runs, monkeypatch):
    """run_parts: the whole text or both halves from the cache, whichever way it was made."""
    monkeypatch.setattr(pandoc, "SPLIT_AT", 10)
    parts = ["# Partie un\n\nL'un.\n", "# Partie deux\n\nL'autre.\n"]
    cache = tmp_path / "cache"
    first = pandoc.run_parts(parts, "fr", None, "test", cache)
    made = len(runs)
    assert made in (1, 2)  # whole (no spare core) or two halves
    assert pandoc.run_parts(parts, "fr", None, "test", cache) == first
    assert len(runs) == made
