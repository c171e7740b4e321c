"""The `clss` command line: new (scaffolds), check, translations, usage errors.

The scaffolds are tested in-process (`clss.scaffold.new`, then `checks.load_and_check`) on the
mini project; what needs the command itself (exit codes, output) runs in a subprocess (e2e).
"""
from __future__ import annotations

import json
import re

import pytest

from clss import assemble, checks, scaffold

from conftest import ERROR_LINE

STATES = {"up-to-date", "outdated", "missing"}

FILLED_QUARTIER = """\
# Facts of the CLSS quartier Maritime 2 (filled in by hand after `clss new quartier maritime2`).
name:
  fr: Maritime bis
  nl: Maritiem bis
aliases:
  fr: [Maritime 2]
commune: molenbeek-saint-jean
wave: "2.0"
history:
  - {date: 2024, status: in-progress, source: rapport-test}
  - {date: 2025-11-25, status: in-progress, source: rapport-test}
links:
  - url: https://www.example.be/maritime2
    label: {fr: Site du quartier, nl: Website van de wijk}
"""


def _fill(text: str, values: dict[str, str]) -> str:
    """Replace `key: TODO` (and `[TODO]`) of a scaffold by the given values, key by key."""
    for key, value in values.items():
        text, n = re.subn(rf"(?m)^(\s*(?:- )?{re.escape(key)}:\s*)\[?TODO\]?", lambda mt: mt.group(1) + value, text, count=1)
        assert n == 1, key
    return text


# --- scaffolds, in-process -----------------------------------------------------------------------


def test_new_quartier_writes_unfilled_facts_and_french_only(mini, capsys):
    assert scaffold.new(mini, "quartier", "maritime2") == 0
    yml = mini / "content/quartiers/maritime2.yml"
    fr = mini / "content/fr/quartiers/maritime2.md"
    assert yml.is_file() and fr.is_file()
    assert not (mini / "content/nl/quartiers/maritime2.md").exists(), "no Dutch placeholder page"
    assert "<!-- TODO" in fr.read_text(encoding="utf-8")
    text = yml.read_text(encoding="utf-8")
    todo = [i for i, line in enumerate(text.splitlines(), 1) if re.search(r":\s*TODO\b", line)]
    content = checks.load_and_check(mini / "content")
    assert [(e.path, e.line) for e in content.errors] == [("content/quartiers/maritime2.yml", n) for n in todo]
    assert "replace every todo" in capsys.readouterr().out.lower()
    # filled in by an editor: valid, and the facts are the ones written
    yml.write_text(FILLED_QUARTIER, encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert content.ok, content.errors
    q = content.quartiers["maritime2"]
    assert (q.name.fr, q.commune, q.wave, q.launched, q.current.status) == ("Maritime bis", "molenbeek-saint-jean", "2.0", 2024, "in-progress")
    assert q.aliases.fr == ["Maritime 2"] and q.aliases.nl == []
    assert "quartiers/maritime2.md" in content.pages["fr"] and "quartiers/maritime2.md" not in content.pages["nl"]


def test_new_quartier_invalid_id(mini, capsys):
    assert scaffold.new(mini, "quartier", "Bad_ID") == 2
    assert "not a valid id" in capsys.readouterr().out
    assert not list(mini.glob("content/**/Bad_ID*"))


def test_new_quartier_never_overwrites(mini, capsys):
    before = (mini / "content/quartiers/maritime.yml").read_bytes()
    assert scaffold.new(mini, "quartier", "maritime") == 1
    assert "already exists" in capsys.readouterr().out
    assert (mini / "content/quartiers/maritime.yml").read_bytes() == before


def test_new_project(mini):
    assert scaffold.new(mini, "project", "jardin-partage", quartier="maritime") == 0
    rel = "content/projects/jardin-partage.yml"
    content = checks.load_and_check(mini / "content")
    assert content.errors and all(e.path == rel and "is not filled in yet" in e.message for e in content.errors), content.errors
    path = mini / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  (fr|nl): )TODO", r"\1Jardin", text)
    text = _fill(text, {"themes": "[logement]", "date": "2025-09", "status": "in-progress", "source": "rapport-test"})
    path.write_text(text, encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert content.ok, content.errors
    p = content.projects["jardin-partage"]
    assert p.quartier == "maritime" and p.carrier.nl == "Jardin" and p.partners == []


def test_new_publication_is_a_third_publication_without_code_change(mini):
    assert scaffold.new(mini, "publication", "fascicule-test", pub_kind="fascicule") == 0
    rel = "content/publications/fascicule-test.yml"
    path = mini / rel
    text = path.read_text(encoding="utf-8")
    assert "template: brochure" in text and "paper: a5" in text
    assert not list((mini / "content/nl").rglob("fascicule-test*")), "no Dutch placeholder"
    text = re.sub(r"(?m)^(    |  )(fr|nl): TODO", r"\1\2: Fascicule", text)
    text = _fill(text, {"date": "2026", "as_of": "2026-03-01", "author": "[Observatoire]"})
    path.write_text(text, encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert content.ok, content.errors
    pub = content.publications["fascicule-test"]
    assert pub.facts_date.isoformat() == "2026-03-01"
    chapters, _ = assemble.chapter_markdown(content, pub, "nl")
    (here, clang, md), = chapters
    assert here == "publications/fascicule-test/00-introduction.md" and clang == "fr"
    assert "nog niet vertaald" in md  # the French text with the "not translated" notice


# --- the command (e2e) ------------------------------------------------------------------------------


def translations_json(run_clss, root) -> dict:
    code, out, err = run_clss(["translations", "--format", "json"], root)
    assert code == 0, err
    return json.loads(out)


def state_of(report: dict, relpath: str) -> str:
    return next(row["state"] for row in report["pages"] if row["path"] == relpath)


def test_cli_new_then_check(mini, run_clss):
    code, out, err = run_clss(["new", "quartier", "maritime2"], mini)
    assert code == 0, out + err
    code, out, err = run_clss(["check"], mini)
    assert code == 1 and "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert len(lines) == 7 and all(ln.startswith("content/quartiers/maritime2.yml:") for ln in lines), err


def test_cli_new_invalid_id_is_a_usage_error(mini, run_clss):
    code, out, err = run_clss(["new", "quartier", "Bad_ID"], mini)
    assert code == 2
    assert "not a valid id" in out + err and "Traceback" not in out + err


def test_translations_json_lists_every_page(mini, run_clss):
    report = translations_json(run_clss, mini)
    content = checks.load_and_check(mini / "content")
    assert {row["path"] for row in report["pages"]} == set(content.pages["fr"])
    assert all(row["state"] in STATES for row in report["pages"])
    assert sum(report["summary"].values()) == len(report["pages"])
    for state in STATES:
        assert report["summary"][state] == sum(1 for row in report["pages"] if row["state"] == state)
    assert state_of(report, "quartiers/marolles.md") == "missing"


def test_translations_text(mini, run_clss):
    code, out, err = run_clss(["translations"], mini)
    assert code == 0, err
    assert "quartiers/maritime.md" in out and "missing" in out


def test_translations_mark_then_outdated_then_strict(mini, run_clss):
    rel = "quartiers/maritime.md"
    code, out, err = run_clss(["translations", "--mark", f"content/nl/{rel}"], mini)
    assert code == 0, out + err
    assert state_of(translations_json(run_clss, mini), rel) == "up-to-date"
    content = checks.load_and_check(mini / "content")
    assert content.ok, content.errors
    assert content.translation_state(rel) == "up-to-date"
    fr = mini / "content/fr" / rel
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    assert state_of(translations_json(run_clss, mini), rel) == "outdated"
    assert checks.load_and_check(mini / "content").translation_state(rel) == "outdated"
    code, out, err = run_clss(["translations", "--strict"], mini)
    assert code == 1
    assert run_clss(["translations", "--mark", f"content/nl/{rel}"], mini)[0] == 0
    assert state_of(translations_json(run_clss, mini), rel) == "up-to-date"


def test_usage_errors_exit_2(mini, run_clss):
    for args in (["pdf"], ["check", "--bogus"], ["translations", "--format", "xml"], ["new", "quartier"]):
        code, out, err = run_clss(args, mini)
        assert code == 2, (args, code, err)
        assert "Traceback" not in out + err
