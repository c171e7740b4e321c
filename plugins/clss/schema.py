"""JSON Schemas of the YAML files under content/, generated from the pydantic models.

`clss schema` writes one schema per kind of file into content/.schemas/; each YAML file names its
schema on its first line (`# yaml-language-server: $schema=…`), so that VS Code (with the YAML
extension) and other editors using yaml-language-server complete keys and flag typos while typing.
A test checks that the committed schemas are those the models generate.
"""
from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

SCHEMA_DIR = ".schemas"  # under content/
DRAFT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class Kind:
    name: str  # schema file: <name>.schema.json
    model: str  # class name in clss.model
    files: str  # glob under content/
    id_from_file_name: bool = False  # the loader takes `id` from the file name when absent
    module: str = "clss.model"  # where the model class is (figures: clss.figures.model)

    def model_class(self):
        return getattr(importlib.import_module(self.module), self.model, None)


KINDS: tuple[Kind, ...] = (
    Kind("quartier", "Quartier", "quartiers/*.yml", True),
    Kind("project", "Project", "projects/*.yml", True),
    Kind("publication", "Publication", "publications/*.yml", True),
    Kind("communes", "Communes", "communes.yml"),
    Kind("themes", "Themes", "themes.yml"),
    Kind("referents", "Referents", "referents.yml"),
    Kind("waves", "Waves", "waves.yml"),
    Kind("timeline", "Timeline", "timeline.yml"),
    Kind("glossary", "Glossary", "glossary.yml"),
    Kind("figures", "Illustrations", "figures.yml", module="clss.figures.model"),
)


def kinds() -> list[Kind]:
    """The kinds whose model exists (the model may gain or lose files)."""
    return [k for k in KINDS if isinstance(k.model_class(), type)]


YEAR_PATTERN = "^(19|20)\\d{2}"


def _lenient(node):
    """What the models accept before validation but pydantic's schema does not show: a year written
    as a number (`date: 2021`, turned into "2021"), a wave written as a number (`wave: 1.0`)."""
    if isinstance(node, list):
        return [_lenient(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _lenient(v) for k, v in node.items()}
    if node.get("type") == "string" and str(node.get("pattern", "")).startswith(YEAR_PATTERN):
        return {"anyOf": [node, {"type": "integer", "minimum": 1900, "maximum": 2099}]}
    enum = node.get("enum")
    if node.get("type") == "string" and enum and all(isinstance(e, str) and e.replace(".", "", 1).isdigit() and "." in e for e in enum):
        return {"anyOf": [node, {"type": "number", "enum": [float(e) for e in enum]}]}
    return node


def generate() -> dict[str, dict]:
    """{file name: JSON Schema} for every kind of YAML file."""
    out = {}
    for k in kinds():
        model = k.model_class()
        schema = _lenient(model.model_json_schema(mode="validation"))
        if k.id_from_file_name and "id" in schema.get("required", []):
            schema["required"] = [r for r in schema["required"] if r != "id"]
            if not schema["required"]:
                del schema["required"]
            schema["properties"]["id"]["description"] = "Optional: the file name without .yml."
        head = {"$schema": DRAFT, "$id": f"clss:{k.name}", "title": schema.pop("title", k.model)}
        if "description" not in schema:
            head["description"] = f"content/{k.files}"
        out[f"{k.name}.schema.json"] = {**head, **schema}
    return out


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(content_root: Path, out_dir: Path | None = None) -> list[Path]:
    """Write the schemas; returns the files that changed."""
    out_dir = Path(out_dir) if out_dir else Path(content_root) / SCHEMA_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in generate().items():
        path = out_dir / name
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale(content_root: Path, out_dir: Path | None = None) -> list[str]:
    """Schema files that are missing, different from the models' or left over."""
    out_dir = Path(out_dir) if out_dir else Path(content_root) / SCHEMA_DIR
    wanted = {n: render(s) for n, s in generate().items()}
    bad = [n for n, text in wanted.items() if not (out_dir / n).is_file() or (out_dir / n).read_text(encoding="utf-8") != text]
    if out_dir.is_dir():
        bad += sorted(p.name for p in out_dir.glob("*.schema.json") if p.name not in wanted)
    return bad


def modeline(content_root: Path, yaml_path: Path) -> str:
    """The first line a YAML file needs to name its schema (relative path, so it works anywhere)."""
    for k in kinds():
        if yaml_path.resolve() in {p.resolve() for p in Path(content_root).glob(k.files)}:
            rel = os.path.relpath(Path(content_root) / SCHEMA_DIR / f"{k.name}.schema.json", yaml_path.parent)
            return MODELINE + Path(rel).as_posix()
    raise KeyError(str(yaml_path))


def add_modelines(content_root: Path) -> list[Path]:
    """Insert (or correct) the `# yaml-language-server: $schema=` first line of every YAML file
    that has a schema. Only the first line is touched. Returns the files changed."""
    changed = []
    for k in kinds():
        for path in sorted(Path(content_root).glob(k.files)):
            line = modeline(content_root, path)
            raw = path.read_bytes().decode("utf-8")
            bom = "\ufeff" if raw.startswith("\ufeff") else ""
            text = raw[len(bom):]
            nl = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" and text.split("\n", 1)[0].endswith("\r") else "\n"
            first, sep, rest = text.partition("\n")
            if first.rstrip("\r").startswith(MODELINE):
                if first.rstrip("\r") == line:
                    continue
                new = bom + line + nl.rstrip("\n") + sep + rest if nl == "\r\n" else bom + line + sep + rest
            else:
                new = bom + line + nl + text
            path.write_bytes(new.encode("utf-8"))
            changed.append(path)
    return changed
