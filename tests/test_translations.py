"""Block-level translation tracking and the XLIFF exchange (issue 16, items 1 and 2).

Synthetic projects in tmp_path for the precise cases; a copy of content/ for the round trip.
"""
from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from clss import languages
from clss.translations import blocks as bl
from clss.translations import changed_blocks, exchange, importing, mark, page_status, report
from conftest import ERROR_LINE

SRC = languages.SOURCE
TGT = languages.others(SRC)[0]

FR = """---
title: Marolles
---

# Marolles

Les Marolles comptent parmi les neuf quartiers pilotes
de la première génération[^1].

## Projets

- un premier projet ;
- un second projet.

> Une citation d'entretien
> sur deux lignes.

[[insert: status]]

Dernier paragraphe avec une citation [@ocs2025].

[^1]: Voir le rapport.
"""

NL = """---
title: Marollen
---

# Marollen

De Marollen behoren tot de negen pilootwijken van de eerste generatie[^1].

## Projecten

- een eerste project;
- een tweede project.

> Een interviewcitaat
> op twee regels.

[[insert: status]]

Laatste alinea met een citaat [@ocs2025].

[^1]: Zie het rapport.
"""

REL = "quartiers/marolles.md"


@pytest.fixture
def proj(tmp_path) -> Path:
    root = tmp_path / "proj"
    for lang, text in ((SRC, FR), (TGT, NL)):
        p = root / "content" / lang / REL
        p.parent.mkdir(parents=True)
        p.write_text(text, encoding="utf-8")
    (root / "content" / "quartiers").mkdir()
    (root / "content" / "quartiers" / "marolles.yml").write_text(
        f'name:\n  {SRC}: "Marolles"\n  {TGT}: "Marollen"\ncommune: bruxelles\n', encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    assert mark(root, None, [root / "content" / TGT / REL], echo=lambda *a: None) == 0
    exchange.mark_data(root / "content", TGT)
    return root


def fr_path(root: Path) -> Path:
    return root / "content" / SRC / REL


def test_blocks_are_normalized():
    a = bl.keys(FR)
    assert bl.keys("\ufeff" + FR.replace("\n", "\r\n")) == a
    rewrapped = FR.replace("pilotes\nde la", "pilotes de la").replace("sur deux", "sur   deux") + "\n\n\n"
    assert bl.keys(rewrapped) == a
    kinds = [b.kind for b in bl.split(FR)]
    assert kinds == ["meta", "heading", "paragraph", "heading", "item", "item", "quote", "insert", "paragraph", "footnote"]


def test_crlf_bom_trailing_blank_keep_page_up_to_date(proj):
    assert page_status(proj / "content", REL).state == "up-to-date"
    raw = fr_path(proj).read_text(encoding="utf-8")
    variant = "\ufeff" + "\r\n".join(line + "  " for line in raw.split("\n")) + "\r\n\r\n"
    fr_path(proj).write_bytes(variant.encode("utf-8"))
    st = page_status(proj / "content", REL)
    assert (st.state, st.changed) == ("up-to-date", 0)
    assert changed_blocks(proj / "content", REL) == (0, st.total)


def test_one_changed_paragraph_is_one_outdated_block(proj):
    text = FR.replace("Dernier paragraphe", "Ultime paragraphe")
    fr_path(proj).write_text(text, encoding="utf-8")
    st = page_status(proj / "content", REL)
    assert st.state == "outdated"
    assert st.changed == 1 and len(st.changes) == 1
    (c,) = st.changes
    assert c.kind == "changed"
    assert c.old.startswith("Dernier paragraphe") and c.new.text.startswith("Ultime paragraphe")
    assert c.target.text.startswith("Laatste alinea")  # the Dutch block made from the old French
    assert c.new.line == text.split("\n").index("Ultime paragraphe avec une citation [@ocs2025].") + 1
    changed, total = changed_blocks(proj / "content", REL)
    assert (changed, total) == (1, len(bl.split(text)))
    row = next(r for r in report(proj / "content")["pages"] if r["path"] == REL)
    assert row["state"] == "outdated" and row["changed"] == 1


def test_missing_and_unstamped(proj):
    (proj / "content" / "translations" / TGT / f"{REL}.yml").unlink()
    st = page_status(proj / "content", REL)
    assert st.state == "outdated" and not st.stamped
    (proj / "content" / TGT / REL).unlink()
    assert page_status(proj / "content", REL).state == "missing"


def test_mark_writes_sidecar_not_the_dutch_page(proj):
    before = (proj / "content" / TGT / REL).read_bytes()
    fr_path(proj).write_text(FR.replace("Dernier", "Ultime"), encoding="utf-8")
    assert mark(proj, None, [proj / "content" / TGT / REL], echo=lambda *a: None) == 0
    assert page_status(proj / "content", REL).state == "up-to-date"
    assert (proj / "content" / TGT / REL).read_bytes() == before


def test_diff_shows_old_new_and_translation(proj, run_clss):
    fr_path(proj).write_text(FR.replace("Dernier paragraphe", "Ultime paragraphe"), encoding="utf-8")
    code, out, err = run_clss(["translations", "--diff", f"content/{TGT}/{REL}"], proj)
    assert code == 0, err
    assert "1 of 10 blocks changed" in out
    assert "Dernier" in out and "Ultime" in out and "Laatste" in out
    code, out, err = run_clss(["translations"], proj)
    assert "(1 of 10 blocks changed)" in out


def _translate(xlf: Path, mapping: dict[str, str]) -> None:
    """Fill targets like a CAT tool would (state="translated")."""
    text = xlf.read_text(encoding="utf-8")
    for unit_id, target in mapping.items():
        pat = re.compile(r'(<trans-unit[^>]*id="' + re.escape(unit_id) + r'"[^>]*>\s*<source>.*?</source>\s*)(<target[^>]*/>|<target[^>]*>.*?</target>)?', re.S)
        assert pat.search(text), unit_id
        text = pat.sub(lambda m: m.group(1) + f'<target state="translated">{target}</target>', text, count=1)
    xlf.write_text(text, encoding="utf-8")


def test_export_import_changed_block(proj, tmp_path):
    fr_path(proj).write_text(FR.replace("Dernier paragraphe", "Ultime paragraphe").replace("un second projet", "un second projet, revu"), encoding="utf-8")
    res = exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    text = xlf.read_text(encoding="utf-8")
    assert 'version="1.2"' in text and text.count("<trans-unit") == 2
    assert "Laatste alinea" in text  # previous translation as a reference (alt-trans)
    assert "Dernier paragraphe" in text  # the French it was made from (note)
    assert "Section: Marolles › Projets" in text
    ids = re.findall(r'<trans-unit[^>]*id="([^"]+)"', text)
    _translate(xlf, {ids[0]: "een tweede, herzien project.", ids[1]: "Allerlaatste alinea met een citaat [@ocs2025]."})
    result = importing.import_file(proj, xlf)
    assert not result.errors, result.errors
    nl = (proj / "content" / TGT / REL).read_text(encoding="utf-8")
    assert "- een tweede, herzien project.\n" in nl
    assert "\nAllerlaatste alinea met een citaat [@ocs2025].\n" in nl
    assert "Laatste alinea" not in nl and "De Marollen behoren" in nl
    assert page_status(proj / "content", REL).state == "up-to-date"


def test_import_of_some_blocks_restamps_only_those(proj, tmp_path):
    fr_path(proj).write_text(FR.replace("Dernier paragraphe", "Ultime paragraphe").replace("un second projet", "un second projet, revu"), encoding="utf-8")
    exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    ids = re.findall(r'<trans-unit[^>]*id="([^"]+)"', xlf.read_text(encoding="utf-8"))
    _translate(xlf, {ids[1]: "Allerlaatste alinea met een citaat [@ocs2025]."})
    assert not importing.import_file(proj, xlf).errors
    st = page_status(proj / "content", REL)
    assert st.state == "outdated" and st.changed == 1 and "second projet" in st.changes[0].new.text


def test_import_new_block_is_inserted_in_place(proj, tmp_path):
    fr_path(proj).write_text(FR.replace("## Projets\n", "## Projets\n\nUn paragraphe nouveau.\n"), encoding="utf-8")
    assert page_status(proj / "content", REL).changed == 1
    exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    (uid,) = re.findall(r'<trans-unit[^>]*id="([^"]+)"', xlf.read_text(encoding="utf-8"))
    _translate(xlf, {uid: "Een nieuwe alinea."})
    assert not importing.import_file(proj, xlf).errors
    nl = (proj / "content" / TGT / REL).read_text(encoding="utf-8")
    assert "## Projecten\n\nEen nieuwe alinea.\n\n- een eerste project;" in nl
    assert page_status(proj / "content", REL).state == "up-to-date"


def test_import_with_broken_footnote_is_refused_with_path_line(proj, tmp_path, run_clss):
    fr_path(proj).write_text(FR.replace("génération[^1]", "génération, revue[^1]"), encoding="utf-8")
    exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    (uid,) = re.findall(r'<trans-unit[^>]*id="([^"]+)"', xlf.read_text(encoding="utf-8"))
    _translate(xlf, {uid: "De Marollen, herzien[^2]."})
    before = (proj / "content" / TGT / REL).read_bytes()
    code, out, err = run_clss(["translations", "--import", xlf], proj)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert lines, err
    m = ERROR_LINE.match(lines[0])
    assert m["path"].endswith(xlf.name) and "[^1]" in m["message"] and "footnote" in m["message"]
    unit_line = next(i for i, ln in enumerate(xlf.read_text(encoding="utf-8").split("\n"), 1) if f'id="{uid}"' in ln)
    assert int(m["line"]) == unit_line
    assert "Traceback" not in err
    assert (proj / "content" / TGT / REL).read_bytes() == before  # nothing written


def test_import_refuses_when_french_changed_since_export(proj, tmp_path):
    fr_path(proj).write_text(FR.replace("Dernier", "Ultime"), encoding="utf-8")
    exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    (uid,) = re.findall(r'<trans-unit[^>]*id="([^"]+)"', xlf.read_text(encoding="utf-8"))
    _translate(xlf, {uid: "Allerlaatste alinea [@ocs2025]."})
    fr_path(proj).write_text(FR.replace("Dernier", "Tout dernier"), encoding="utf-8")
    res = importing.import_file(proj, xlf)
    assert res.errors and "changed since the export" in res.errors[0]


def test_yaml_strings_exchange(proj, tmp_path):
    yml = proj / "content" / "quartiers" / "marolles.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(f'{SRC}: "Marolles"', f'{SRC}: "Les Marolles"'), encoding="utf-8")
    exchange.export(proj / "content", tmp_path / "out")
    xlf = tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf"
    text = xlf.read_text(encoding="utf-8")
    assert 'id="data:quartiers/marolles.yml:name"' in text
    _translate(xlf, {"data:quartiers/marolles.yml:name": "De Marollen"})
    res = importing.import_file(proj, xlf)
    assert not res.errors, res.errors
    assert yml.read_text(encoding="utf-8") == f'name:\n  {SRC}: "Les Marolles"\n  {TGT}: "De Marollen"\ncommune: bruxelles\n'
    assert not exchange.outdated_data(proj / "content", TGT)


def test_round_trip_of_unchanged_export_is_byte_identical(project, tmp_path):
    """Export everything from a copy of the real content, import it unchanged."""
    content = project / "content"
    # make one page outdated so that the export has blocks without a translation too
    fr = content / SRC / REL
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8")
    snapshot = tmp_path / "before"
    shutil.copytree(content, snapshot)
    res = exchange.export(content, tmp_path / "out", everything=True)
    assert res["units"] > 100
    result = importing.import_file(project, tmp_path / "out" / f"clss-{SRC}-{TGT}.xlf")
    assert not result.errors, result.errors[:5]
    assert result.written == []
    cmp = filecmp.dircmp(snapshot, content)

    def same(d) -> bool:
        if d.left_only or d.right_only or d.diff_files or d.funny_files:
            return False
        return all(same(sub) for sub in d.subdirs.values())

    assert same(cmp)
    for p in (content / TGT).rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (snapshot / TGT / p.relative_to(content / TGT)).read_bytes()


def test_translation_states_kept_in_the_cache_follow_the_texts_and_stamps(proj, tmp_path):
    """clss.load keeps each page's translation state in the cache (kind "translations"): the
    same texts and stamp give it back; a French edit, a stamp removed, give the new state, as a
    load without a cache does."""
    from clss.cache import Cache
    from clss.load import load

    cache = Cache(tmp_path / "cache")

    def state(with_cache: bool):
        return load(proj / "content", cache if with_cache else None).translations[(TGT, REL)]

    assert state(True) == state(False) and state(True).state == "up-to-date"
    assert any((tmp_path / "cache" / "translations").rglob("*"))
    fr_path(proj).write_text(FR.replace("Dernier paragraphe", "Ultime paragraphe"), encoding="utf-8")
    assert state(True) == state(False) and state(True).state == "outdated"
    (proj / "content" / "translations" / TGT / f"{REL}.yml").unlink()
    assert state(True) == state(False)
    fr_path(proj).write_text(FR, encoding="utf-8")
    assert state(True) == state(False) and state(True).state == "outdated"  # no stamp any more
