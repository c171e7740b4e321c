"""JSON Schemas of the YAML files (issue 16, item 4): generated from the models, committed,
named on the first line of each YAML file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from clss import schema

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schemas_are_up_to_date():
    stale = schema.stale(ROOT / "content")
    assert not stale, f"run `clss schema` and commit content/{schema.SCHEMA_DIR}/: {stale}"


def test_clss_schema_writes_and_checks(tmp_path, run_clss):
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    code, out, err = run_clss(["schema", "--check"], tmp_path)
    assert code == 1 and ":1: not up to date" in err
    code, out, err = run_clss(["schema"], tmp_path)
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "content" / schema.SCHEMA_DIR).iterdir())
    assert "quartier.schema.json" in names and "publication.schema.json" in names
    assert run_clss(["schema", "--check"], tmp_path)[0] == 0
    quartier = json.loads((tmp_path / "content" / schema.SCHEMA_DIR / "quartier.schema.json").read_text(encoding="utf-8"))
    assert quartier["additionalProperties"] is False  # typos such as `statut:` are flagged by editors
    assert "id" not in quartier.get("required", [])  # the id comes from the file name


def _validator(name: str):
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(schema.generate()[f"{name}.schema.json"])


def test_every_yaml_file_names_its_schema_and_validates():
    import yaml

    for k in schema.kinds():
        for path in sorted((ROOT / "content").glob(k.files)):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            assert first == schema.modeline(ROOT / "content", path), f"{path}: first line should be {schema.modeline(ROOT / 'content', path)}"


def test_schemas_accept_the_content_and_flag_a_typo(content_copy):
    """Every YAML file validates against its schema (read as an editor does: dates are text)."""
    import yaml

    class EditorLoader(yaml.SafeLoader):
        pass

    EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    for k in schema.kinds():
        v = _validator(k.name)
        for path in sorted((content_copy / "content").glob(k.files)):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
            assert not [f"{list(e.path)}: {e.message}" for e in v.iter_errors(data)], path
    v = _validator("quartier")
    path = sorted((content_copy / "content/quartiers").glob("*.yml"))[0]
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
    data["statut"] = data.pop("commune")
    assert list(v.iter_errors(data))


def test_add_modelines_only_touches_the_first_line(tmp_path):
    q = tmp_path / "content" / "quartiers"
    q.mkdir(parents=True)
    (q / "a.yml").write_text("# comment\nname: x\n", encoding="utf-8")
    (q / "b.yml").write_text("# yaml-language-server: $schema=wrong.json\nname: y\n", encoding="utf-8")
    changed = schema.add_modelines(tmp_path / "content")
    assert len(changed) == 2
    line = "# yaml-language-server: $schema=../.schemas/quartier.schema.json"
    assert (q / "a.yml").read_text(encoding="utf-8") == f"{line}\n# comment\nname: x\n"
    assert (q / "b.yml").read_text(encoding="utf-8") == f"{line}\nname: y\n"
    assert schema.add_modelines(tmp_path / "content") == []
