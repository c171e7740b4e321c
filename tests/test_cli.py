"""The `clss` command line on a copy of the project: new, check, translations, usage errors."""
from __future__ import annotations

import json

from clss import load

STATES = {"up-to-date", "outdated", "missing"}

FILLED_QUARTIER = """\
# Facts of the CLSS quartier Maritime 2 (filled in by hand after `clss new quartier maritime2`).
name:
  fr: Maritime bis
  nl: Maritiem bis
aliases: [Maritime 2]
commune: molenbeek-saint-jean
wave: "2.0"
launched: 2024
status:
  value: in-progress
  observed: 2025-11-25
  source: test
links:
  - url: https://www.example.be/maritime2
    label: {fr: Site du quartier, nl: Website van de wijk}
"""


def translations_json(run_clss, root) -> dict:
    code, out, err = run_clss(["translations", "--format", "json"], root)
    assert code == 0, err
    return json.loads(out)


def state_of(report: dict, relpath: str) -> str:
    return next(row["state"] for row in report["pages"] if row["path"] == relpath)


def test_new_quartier(project, run_clss):
    code, out, err = run_clss(["new", "quartier", "maritime2"], project)
    assert code == 0, out + err
    yml = project / "content/quartiers/maritime2.yml"
    fr = project / "content/fr/quartiers/maritime2.md"
    nl = project / "content/nl/quartiers/maritime2.md"
    assert yml.is_file() and fr.is_file() and nl.is_file()
    assert fr.read_text(encoding="utf-8").startswith("# ")
    yml.write_text(FILLED_QUARTIER, encoding="utf-8")
    code, out, err = run_clss(["check"], project)
    assert code == 0, err
    content = load.load(project / "content")
    assert content.ok, content.errors
    q = content.quartiers["maritime2"]
    assert (q.name.fr, q.commune, q.wave, q.launched, q.status.value) == ("Maritime bis", "molenbeek-saint-jean", "2.0", 2024, "in-progress")
    assert "quartiers/maritime2.md" in content.pages["fr"] and "quartiers/maritime2.md" in content.pages["nl"]


def test_new_quartier_invalid_id_is_a_usage_error(project, run_clss):
    code, out, err = run_clss(["new", "quartier", "Bad_ID"], project)
    assert code == 2
    assert "not a valid id" in out + err and "Traceback" not in out + err
    assert not list(project.glob("content/**/Bad_ID*"))


def test_new_quartier_never_overwrites(project, run_clss):
    before = (project / "content/quartiers/maritime.yml").read_bytes()
    code, out, err = run_clss(["new", "quartier", "maritime"], project)
    assert code != 0 and "already exists" in out + err
    assert (project / "content/quartiers/maritime.yml").read_bytes() == before


def test_new_project(project, run_clss):
    code, out, err = run_clss(["new", "project", "jardin-partage", "--quartier", "maritime"], project)
    assert code == 0, out + err
    code, out, err = run_clss(["check"], project)
    assert code == 0, err
    assert load.load(project / "content").projects["jardin-partage"].quartier == "maritime"


def test_translations_json_lists_every_page(content_copy, run_clss):
    report = translations_json(run_clss, content_copy)
    content = load.load(content_copy / "content")
    assert {row["path"] for row in report["pages"]} == set(content.pages["fr"])
    assert all(row["state"] in STATES for row in report["pages"])
    assert sum(report["summary"].values()) == len(report["pages"])
    for state in STATES:
        assert report["summary"][state] == sum(1 for row in report["pages"] if row["state"] == state)


def test_translations_text(content_copy, run_clss):
    code, out, err = run_clss(["translations"], content_copy)
    assert code == 0, err
    assert "quartiers/maritime.md" in out and "up to date" in out


def test_translations_strict(project, run_clss):
    nl_files = sorted(str(p.relative_to(project)) for p in (project / "content/nl").rglob("*.md"))
    code, out, err = run_clss(["translations", *[x for f in nl_files for x in ("--mark", f)]], project)
    assert code == 0, out + err
    report = translations_json(run_clss, project)
    fr_only = [row["path"] for row in report["pages"] if row["state"] == "missing"]
    for relpath in fr_only:  # give every FR page its (stamped) NL page
        target = project / "content/nl" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("# Vertaling\n", encoding="utf-8")
        assert run_clss(["translations", "--mark", f"content/nl/{relpath}"], project)[0] == 0
    code, out, err = run_clss(["translations", "--strict"], project)
    assert code == 0, out
    (project / "content/nl/quartiers/maritime.md").unlink()
    code, out, err = run_clss(["translations", "--strict", "--format", "json"], project)
    assert code == 1
    assert state_of(json.loads(out), "quartiers/maritime.md") == "missing"


def test_translations_mark_then_outdated(project, run_clss):
    code, out, err = run_clss(["translations", "--mark", "content/nl/quartiers/maritime.md"], project)
    assert code == 0, out + err
    assert state_of(translations_json(run_clss, project), "quartiers/maritime.md") == "up-to-date"
    content = load.load(project / "content")
    assert content.ok, content.errors  # the stamp is valid front matter
    fr = project / "content/fr/quartiers/maritime.md"
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    assert state_of(translations_json(run_clss, project), "quartiers/maritime.md") == "outdated"
    # marking again brings it back up to date (the stamp is replaced, not added twice)
    assert run_clss(["translations", "--mark", "content/nl/quartiers/maritime.md"], project)[0] == 0
    assert load.load(project / "content").translation_state("quartiers/maritime.md") == "up-to-date"
    assert (project / "content/nl/quartiers/maritime.md").read_text(encoding="utf-8").count("translation_of:") == 1


def test_usage_errors_exit_2(content_copy, run_clss):
    for args in (["pdf"], ["check", "--bogus"], ["translations", "--format", "xml"], ["new", "quartier"]):
        code, out, err = run_clss(args, content_copy)
        assert code == 2, (args, code, err)
        assert "Traceback" not in out + err
