"""Incremental `clss build` (clss.incremental): a build with nothing changed redoes nothing and
leaves build/ as it was; an edited chapter redoes only its publication's PDFs (and the PDFs
that print its page numbers); a damaged output or a damaged key file is noticed and redone.

On the mini project, in-process (clss.build.build with a console that records the progress
lines). "Redone" is read from those lines and from the files themselves: build/ is carried from
one build to the next as hard links and every output that is redone is a new file, so an output
kept has the same inode as before.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("test_incremental")]


class Recorder(Console):
    """A console for clss.build.build: keeps the progress lines (English), shows nothing."""

    def __init__(self):
        super().__init__(file=io.StringIO(), width=200)
        self.lines: list[str] = []

    def print(self, *parts, **_):
        self.lines.append(" ".join(str(p) for p in parts))


def build(root: Path, site: bool = True) -> list[str]:
    from clss import build as builder
    from clss import load

    console = Recorder()
    builder.build(root, load.load(root / "content"), site=site, console=console)
    return console.lines


def files_of(out: Path) -> dict[str, tuple[int, str]]:
    """Every file of build/: (inode, sha256)."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(out.rglob("*")) if p.is_file()}


def made(lines: list[str]) -> int:
    line = next(x for x in lines if "to make" in x)
    return int(line.split("PDFs: ", 1)[1].split()[0])


@pytest.fixture(scope="module")
def mini_built(mini_copy, tmp_path_factory) -> Path:
    """The mini project built once (PDFs and both sites); each test works on its own copy."""
    from conftest import ROOT, copy_project

    root = copy_project(mini_copy, tmp_path_factory.mktemp("incremental") / "mini")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # the real site configuration, without search
    config = re.sub(r"(?m)^(\s+)cache_dir: .*$", r"\g<0>\n\1search: false", config, count=1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    build(root)
    return root


@pytest.fixture
def built_copy(mini_built, tmp_path) -> Path:
    """A copy of the built mini project; build/ copied with its key file (new inodes)."""
    import shutil

    dest = tmp_path / "mini"
    shutil.copytree(mini_built, dest, symlinks=True)
    return dest


def test_noop_build_redoes_nothing_and_leaves_build_identical(built_copy):
    before = files_of(built_copy / "build")
    lines = build(built_copy)
    assert made(lines) == 0, lines
    assert sum("unchanged" in x and "site" in x for x in lines) == 2, lines  # fr and nl
    after = files_of(built_copy / "build")
    assert {k: h for k, (_, h) in after.items()} == {k: h for k, (_, h) in before.items()}  # same bytes
    # the PDFs and the language sites are the very same files (nothing rendered again); only the
    # few pages at the root of build/site/ (language choice, 404, robots.txt) are written anew
    kept = [k for k in before if k.startswith(("print/", "site/fr/", "site/nl/"))]
    assert kept and all(after[k][0] == before[k][0] for k in kept)


def _edit_chapter(root: Path, old: str | None, new: str) -> tuple[set[str], set[str], int, dict]:
    """Edit the mini report's chapter (append `new`, or replace `old` by it) and build the PDFs:
    (PDFs redone, PDFs that print the report's page numbers, count made, {lang: page maps changed})."""
    from clss import load
    from clss.print import pagemap
    from clss.print import pdf as printer

    out = root / "build"
    before = files_of(out)
    content = load.load(root / "content")
    jobs = printer.all_jobs(content, ["fr", "nl"])
    report = {j.lang: out / "print" / j.lang / j.relpath for j in jobs if j.kind == "publication" and j.ident == PUB}
    maps = {lang: pagemap.read(path) for lang, path in report.items()}
    chapter = root / "content/fr/publications" / PUB / "01-etat.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")
    lines = build(root, site=False)  # the PDFs are under test (a site is redone as a whole)
    after = files_of(out)
    pdfs = {k for k in after if k.startswith("print/") and k.endswith(".pdf")}
    redone = {k for k in pdfs if before.get(k, (None,))[0] != after[k][0]}
    citing = {f"print/{j.lang}/{j.relpath}" for j in jobs if PUB in printer.cites(content, j)}
    moved = {lang: pagemap.read(path) != maps[lang] for lang, path in report.items()}
    return redone, citing, made(lines), moved


PUB = "rapport-test"


def test_chapter_edit_redoes_only_that_publication(built_copy):
    """A sentence added to a chapter: the publication in both languages (the Dutch one falls back
    to, or flags, the French text); the sheets that print its page numbers only if a cited heading
    moved to another page."""
    redone, citing, count, moved = _edit_chapter(built_copy, None, "\nUne phrase ajoutée.\n")
    own = {f"print/{lang}/{PUB}.pdf" for lang in ("fr", "nl")}
    assert citing, "the mini project has sheets citing the report"
    expected = own | {k for k in citing if moved[k.split("/")[1]]}
    assert redone == expected, (sorted(redone), sorted(expected))
    assert count == len(expected)
    assert set(files_of(built_copy / "build")) - redone, "some PDFs are kept"


def test_renamed_cited_heading_redoes_the_sheets_that_print_it(built_copy):
    """The cited heading renamed (same anchor, another text): every PDF printing it is redone."""
    redone, citing, count, _ = _edit_chapter(built_copy, "## Contexte\n", "## Le contexte étudié {#contexte}\n")
    assert {f"print/fr/{PUB}.pdf"} | {k for k in citing if k.startswith("print/fr/")} <= redone


def test_damaged_output_and_damaged_keys_are_redone(built_copy):
    out = built_copy / "build"
    pdf = sorted((out / "print" / "fr").rglob("*.pdf"))[0]
    good = pdf.read_bytes()
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 0x01
    pdf.unlink()  # a hard link of the module's build: do not write through it
    pdf.write_bytes(bytes(flipped))
    lines = build(built_copy, site=False)
    assert made(lines) == 1, lines  # the damaged one, and only it
    assert pdf.read_bytes() == good  # made again, as it was (byte-identical builds)

    keys = out / ".clss" / "keys.json"
    entries = json.loads(keys.read_text(encoding="utf-8"))
    name = next(k for k in entries if k.startswith("pdf:"))
    entries[name]["key"] = entries[name]["key"][:-1] + ("0" if entries[name]["key"][-1] != "0" else "1")
    keys.unlink()
    keys.write_text(json.dumps(entries), encoding="utf-8")
    assert made(build(built_copy, site=False)) == 1  # a wrong key never reuses an output

    text = keys.read_bytes()
    keys.unlink()
    keys.write_bytes(text[: len(text) // 2])  # unreadable: everything is redone, no crash
    lines = build(built_copy, site=False)
    assert made(lines) == len([k for k in files_of(out) if k.startswith("print/") and k.endswith(".pdf")]), lines


def test_preview_renders_again_only_the_edited_page(built_copy, tmp_path):
    """`clss serve`'s rebuild after a Markdown save renders that page only (in the language
    edited, and in Dutch, whose page flags the French change); the page shows the new text."""
    from clss.site.serve import Preview

    site = tmp_path / "site"
    preview = Preview(built_copy, site, ("fr", "nl"), lambda *a, **k: None)
    preview()
    assert preview.rendered["fr"] > 3
    other = site / "fr" / "quartiers" / "marolles" / "index.html"
    kept = other.stat().st_mtime_ns
    page = built_copy / "content/fr/quartiers/maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    preview()
    assert preview.rendered["fr"] == 1
    assert "Une phrase ajoutée." in (site / "fr" / "quartiers" / "maritime" / "index.html").read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == kept
