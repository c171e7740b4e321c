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
    from conftest import copy_project

    return copy_project(mini_built, tmp_path / "mini", built=True)


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


# --- page-level site rebuilds (clss.site.reuse) -----------------------------------------------------


def site_pages(lines: list[str], lang: str) -> tuple[int, int]:
    """(pages rendered, pages from the cache) of the site of `lang`, from the progress line."""
    line = next(x for x in lines if f"site {lang} built" in x)
    m = re.search(r"(\d+) pages rendered, (\d+) unchanged pages from the cache", line)
    assert m, line
    return int(m.group(1)), int(m.group(2))


def site_files(out: Path) -> dict[str, str]:
    return {k: h for k, (_, h) in files_of(out).items() if k.startswith("site/")}


def force_site(root: Path) -> None:
    """Forget the keys of the last build's sites: both are built again (the PDFs are kept, and
    the page cache stays)."""
    keys = root / "build" / ".clss" / "keys.json"
    entries = {k: v for k, v in json.loads(keys.read_text(encoding="utf-8")).items() if not k.startswith("site:")}
    keys.unlink()  # a hard link of the module's build: do not write through it
    keys.write_text(json.dumps(entries), encoding="utf-8")


def test_forced_site_build_renders_no_page_and_is_byte_identical(built_copy):
    before = site_files(built_copy / "build")
    force_site(built_copy)
    lines = build(built_copy)
    for lang in ("fr", "nl"):
        rendered, reused = site_pages(lines, lang)
        assert rendered == 0 and reused > 5, lines
    assert site_files(built_copy / "build") == before


def test_page_edit_renders_that_page_and_equals_a_full_build(built_copy, tmp_path):
    """One quartier text edited: only the pages whose text changed are rendered (the French page,
    and the Dutch one, which flags the French change); the site is byte for byte the one a build
    without any cache makes."""
    import shutil

    from clss import build as builder
    from clss import load

    page = built_copy / "content/fr/quartiers/maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    lines = build(built_copy)
    rendered, reused = site_pages(lines, "fr")
    assert rendered == 1 and reused > 5, lines
    assert "Une phrase ajoutée." in (built_copy / "build/site/fr/quartiers/maritime/index.html").read_text(encoding="utf-8")
    assert site_pages(lines, "nl")[0] <= 2, lines

    full = tmp_path / "full"
    shutil.copytree(built_copy, full, symlinks=True, ignore=shutil.ignore_patterns(".cache", "build"))
    builder.build(full, load.load(full / "content"), use_cache=False)
    assert site_files(full / "build") == site_files(built_copy / "build")


def test_renamed_quartier_is_renamed_wherever_shown_and_equals_a_full_build(built_copy, tmp_path):
    """A quartier renamed in its YAML. The pages that show its name (in their menu: the quartier
    pages; in their text; in their previous/next links) are rendered again and show the new
    name; the pages whose menu does not list it (navigation.prune) are kept. Renamed again:
    the pages rendered only for their menu are not converted from Markdown again. Each time the
    site is byte for byte the one a build without any cache makes."""
    import shutil

    from mkdocs.structure.pages import Page

    from clss import build as builder
    from clss import load

    def full_build_equals() -> None:
        full = tmp_path / "full"
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(built_copy, full, symlinks=True, ignore=shutil.ignore_patterns(".cache", "build"))
        builder.build(full, load.load(full / "content"), use_cache=False)
        assert site_files(full / "build") == site_files(built_copy / "build")

    facts = built_copy / "content/quartiers/bas-de-forest.yml"
    original = facts.read_text(encoding="utf-8")
    facts.write_text(original.replace("fr: Bas de Forest,", "fr: Bas de Forest Renommé,"), encoding="utf-8")
    lines = build(built_copy)
    rendered, reused = site_pages(lines, "fr")
    assert rendered >= 3 and reused >= 1, lines
    sheets = sorted((built_copy / "build/site/fr/quartiers").glob("*/index.html"))
    assert len(sheets) == 3
    for html in sheets:  # each quartier page lists the three in its menu
        assert "Bas de Forest Renommé" in html.read_text(encoding="utf-8"), html
    full_build_equals()

    facts.write_text(original.replace("fr: Bas de Forest,", "fr: Bas de Forest Encore,"), encoding="utf-8")
    converted = []
    convert = Page.render

    def counting(self, config, files):
        converted.append(self.file.src_uri)
        return convert(self, config, files)

    Page.render = counting
    try:
        lines = build(built_copy)
    finally:
        Page.render = convert
    rendered, reused = site_pages(lines, "fr")
    assert "quartiers/bas-de-forest.md" in converted, converted
    assert 0 < len(converted) < rendered, (converted, lines)
    for html in sheets:
        assert "Bas de Forest Encore" in html.read_text(encoding="utf-8"), html
    full_build_equals()


def test_damaged_page_cache_entry_is_rendered_again(built_copy):
    """A flipped byte in a cached page: that entry is refused and the page rendered again, as it was."""
    before = site_files(built_copy / "build")
    entries = sorted((built_copy / ".cache/clss/site-pages").rglob("*"))
    entries = [p for p in entries if p.is_file()]
    assert entries
    victim = entries[len(entries) // 2]
    data = bytearray(victim.read_bytes())
    data[-10] ^= 0x01
    victim.write_bytes(bytes(data))
    force_site(built_copy)
    lines = build(built_copy)
    assert sum(site_pages(lines, lang)[0] for lang in ("fr", "nl")) == 1, lines
    assert site_files(built_copy / "build") == before


def test_link_to_a_missing_anchor_of_a_cached_page_still_fails(built_copy):
    """MkDocs' anchor validation sees the pages taken from the cache: a changed page linking to an
    anchor that an unchanged (cached) page does not have fails the build, as in a full build."""
    from clss import build as builder
    from clss import load

    page = built_copy / "content/fr/quartiers/maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [le quartier](bas-de-forest.md#pas-de-titre-ici).\n", encoding="utf-8")
    with pytest.raises(builder.BuildError, match="pas-de-titre-ici"):
        builder.build(built_copy, load.load(built_copy / "content"), console=Recorder())


def test_preview_builds_the_languages_side_by_side_as_one_after_the_other(built_copy, tmp_path):
    """The preview builds Dutch in a forked process while it builds French: the pages are the
    same as built one language after the other, and a child that dies without an answer makes
    the preview build that language itself."""
    import multiprocessing

    from clss.site.serve import Preview

    trees = []
    for parallel in (True, False):
        site = tmp_path / f"site-{parallel}"
        preview = Preview(built_copy, site, ("fr", "nl"), lambda *a, **k: None, parallel=parallel)
        preview()
        page = built_copy / "content/fr/quartiers/maritime.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\nUne phrase ajoutée {parallel}.\n", encoding="utf-8")
        preview()
        assert preview.rendered["fr"] == 1
        trees.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")})
        page.write_text(page.read_text(encoding="utf-8").replace(f"\nUne phrase ajoutée {parallel}.\n", ""), encoding="utf-8")
    a, b = trees
    assert a.keys() == b.keys() and len(a) > 10
    differ = [k for k in a if a[k] != b[k]]
    assert differ and all("maritime" in k for k in differ), differ  # only the edited page (its added sentence differs)

    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=lambda: None)  # dies without an answer
    proc.start()
    writer.close()
    assert Preview._child_result((proc, reader)) is None
