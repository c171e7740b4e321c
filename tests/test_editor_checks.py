"""Editor checks (issue 16, item 4): heading levels, links without https://, file names that are
not ids, names differing only by case, plain messages. On a copy of the project."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from clss import checks, editor_checks

from conftest import ERROR_LINE

FR = "content/fr/quartiers/maritime.md"


def errors(project: Path):
    content = checks.load_and_check(project / "content")
    return [str(e) for e in content.errors]


def test_project_copy_is_clean(content_copy):
    assert errors(content_copy) == []


def test_heading_skip(project):
    p = project / FR
    text = p.read_text(encoding="utf-8")
    p.write_text(text + "\n## Section\n\n#### Trop bas\n\nTexte.\n", encoding="utf-8")
    found = [e for e in errors(project) if "heading level" in e]
    assert len(found) == 1
    n = p.read_text(encoding="utf-8").split("\n").index("#### Trop bas") + 1
    assert found[0].startswith(f"{FR}:{n}: ") and "`###`" in found[0]


def test_link_without_https(project):
    p = project / FR
    p.write_text(p.read_text(encoding="utf-8") + "\nVoir [le site](www.cerapss.be/projets).\n", encoding="utf-8")
    found = [e for e in errors(project) if "www.cerapss.be" in e]
    assert len(found) == 1, found  # one problem, one line (no second "broken link")
    assert "add https://" in found[0] and "https://www.cerapss.be/projets" in found[0]


def test_file_name_not_an_id(project):
    src = project / "content/quartiers/maritime.yml"
    bad = project / "content/quartiers/Maritime Nord.yml"
    bad.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    found = [e for e in errors(project) if e.startswith("content/quartiers/Maritime Nord.yml:")]
    assert found, errors(project)
    assert any("maritime-nord.yml" in e for e in found)
    for e in found:
        m = ERROR_LINE.match(e)
        assert m and m["line"] == "1", e
        assert "^[" not in e and "pattern" not in e, e  # no regular expression shown to editors


def test_names_differing_by_case(project):
    src = project / FR
    (src.parent / "Maritime.md").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    found = [e for e in errors(project) if "Maritime.md" in e]
    assert len(found) == 1 and "content/fr/quartiers/maritime.md" in found[0] and "Maritime.md" in found[0]


def test_suggest_id():
    assert editor_checks.suggest_id("Bas_de_Forêt  2") == "bas-de-foret-2"
    assert editor_checks.suggest_id("Marolles Nord") == "marolles-nord"


def test_messages_have_no_python_escapes(project):
    q = project / "content/quartiers/maritime.yml"
    text = q.read_text(encoding="utf-8")
    q.write_text(re.sub(r"(?m)^commune: .*$", "commune: \"molen\u00a0beek\"", text, count=1), encoding="utf-8")
    found = errors(project)
    assert found
    for e in found:
        assert not re.search(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}", e), e
    assert editor_checks.plain("`a\\xa0b` and \\u202f") == "`a[no-break space]b` and [narrow no-break space]"
