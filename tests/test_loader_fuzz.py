"""Fuzzing the loader: whatever YAML text an editor saves, `load.load` never raises.

The fuzzed text is written as a quartier file, a project file and as the front matter of a
Markdown page, in a minimal content tree (reference data only, empty fr/ and nl/), so that one
load takes milliseconds. Each load must return a Content whose errors are ContentError values
(path, line >= 1, one-line message), or load the fuzzed file.

Examples: 40 per test (6 tests) in the fast tier; 400 per test when CI=true (2,400 in total).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clss import checks
from clss import model as m
from clss.content import Content, ContentError

from conftest import ERROR_LINE

pytestmark = pytest.mark.xdist_group("test_loader_fuzz")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
settings.register_profile("clss-fuzz", max_examples=40, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("clss-fuzz-ci", max_examples=400, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings(settings.get_profile("clss-fuzz-ci" if CI else "clss-fuzz"))

REFERENCE = ("communes.yml", "themes.yml", "waves.yml", "glossary.yml")
TARGETS = {
    "quartier": "quartiers/fuzz.yml",
    "project": "projects/fuzz.yml",
    "front-matter": "fr/fuzz.md",
}


@pytest.fixture(scope="module")
def tree(content_copy, tmp_path_factory):
    """content/ with only the reference data and empty language folders."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    content = root / "content"
    for sub in ("fr", "nl", "quartiers", "projects"):
        (content / sub).mkdir(parents=True)
    for name in REFERENCE:
        shutil.copy2(content_copy / "content" / name, content / name)
    (content / "referents.yml").write_text("referents: []\n", encoding="utf-8")
    return content


# --- strategies ------------------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
           | st.dates() | st.sampled_from(["1.0", "2.0", 2.0, "in-progress", "not-launched", "stopped", "TODO",
                                            "molenbeek-saint-jean", "acces-services", "https://www.example.be",
                                            "2025-11-25", "2025-02-30", "2025-04", "fuzz"]))
keys = st.sampled_from(sorted({*m.Quartier.model_fields, *m.Project.model_fields, *m.QuartierObservation.model_fields,
                               *m.Figure.model_fields, *m.LocalizedList.model_fields, *m.Link.model_fields,
                               *m.FrontMatter.model_fields, *m.Source.model_fields, "statut", "titel"})) | st.text(max_size=12)
documents = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                         | st.dictionaries(keys, children, max_size=6), max_leaves=25)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


structured = st.builds(dump, documents | st.dictionaries(keys, documents, min_size=1, max_size=10))
# arbitrary text, and text built from YAML-significant pieces (more likely to reach the parser's corners)
pieces = st.sampled_from(["\n", "  ", "- ", ": ", "? ", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "!!str ",
                          "!!binary ", "|", ">", "---\n", "...\n", "\t", "\ufeff", "\x85", "\u2028", "%YAML 1.1\n",
                          "name", "history", "status", "date", "TODO", "fr", "nl", "2025-02-30", "é", "\U0001f600", "\u200d", "\x00"])
yamlish = st.lists(pieces, max_size=40).map("".join)
texts = st.text(max_size=200) | yamlish


def write(tree, target: str, text: str) -> str:
    path = tree / TARGETS[target]
    if target == "front-matter":
        text = f"---\n{text}\n---\n\n# Titre\n\nTexte.\n"
    path.write_text(text, encoding="utf-8")
    return f"content/{TARGETS[target]}"


def check_load(tree, target: str, text: str) -> None:
    rel = write(tree, target, text)
    try:
        content = checks.load_and_check(tree)  # must never raise
    finally:
        (tree / TARGETS[target]).unlink()
    assert isinstance(content, Content)
    for e in content.errors:
        assert isinstance(e, ContentError)
        assert isinstance(e.path, str) and e.path
        assert isinstance(e.line, int) and e.line >= 1
        assert isinstance(e.message, str) and e.message.strip()
        assert ERROR_LINE.match(str(e)), repr(str(e))  # exactly one `path:line: message` line
    if not any(e.path == rel for e in content.errors):  # no complaint about it: it was loaded
        if target == "quartier":
            assert "fuzz" in content.quartiers
        elif target == "project":
            assert "fuzz" in content.projects
        else:
            assert "fuzz.md" in content.pages["fr"]


@pytest.mark.parametrize("target", list(TARGETS))
@FUZZ
@given(text=texts)
def test_fuzz_text(tree, target, text):
    check_load(tree, target, text)


@pytest.mark.parametrize("target", list(TARGETS))
@FUZZ
@given(text=structured)
def test_fuzz_structured(tree, target, text):
    check_load(tree, target, text)


@pytest.mark.parametrize("target", list(TARGETS))
def test_valid_examples_load(tree, target):
    """The property's other branch is reachable: a valid document loads without complaint."""
    docs = {
        "quartier": {"name": {"fr": "Fuzz", "nl": "Fuzz"}, "aliases": {"fr": ["F"], "nl": []}, "commune": "forest", "wave": "2.0",
                     "history": [{"date": dt.date(2025, 11, 25), "status": "not-launched"}]},
        "project": {"quartier": "nulle-part", "title": {"fr": "F", "nl": "F"}, "carrier": {"fr": "X", "nl": "X"},
                    "partners": [{"fr": "Y", "nl": "Y"}], "themes": ["logement"],
                    "figures": [{"value": 1, "date": 2024, "label": {"fr": "f", "nl": "f"}}],
                    "history": [{"date": "2024-05", "status": "completed"}]},
        "front-matter": {"title": "Fuzz", "translation_of": "0123456789ab"},
    }
    rel = write(tree, target, dump(docs[target]))
    try:
        content = checks.load_and_check(tree)
    finally:
        (tree / TARGETS[target]).unlink()
    loaded = {"quartier": content.quartiers, "project": content.projects, "front-matter": content.pages["fr"]}[target]
    assert ("fuzz.md" if target == "front-matter" else "fuzz") in loaded
    # the only complaints about it are the cross-file ones (no French text, unknown quartier)
    mine = [e.message for e in content.errors if e.path == rel]
    assert all(x.startswith(("no French text", "unknown quartier")) for x in mine), mine
