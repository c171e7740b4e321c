"""YAML with line numbers, and pydantic validation turned into `path:line: message` problems.

Values an editor has not filled in yet (`TODO`, as written by `clss new`) are reported once each
as unfilled, with the line, instead of as a type error.
"""
from __future__ import annotations

import difflib
import functools
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .content import Content
from .messages import M_, Message, msg

TODO = "TODO"

# --- YAML with line numbers ----------------------------------------------------------------


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster, same marks


def read_yaml(path: Path, content: Content, line_offset: int = 0):
    """Parse one YAML document, recording the line of every key. Returns (data, lines) or
    (None, {}) after recording an error."""
    rel = content.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        content.error(rel, exc.object.count(b"\n", 0, exc.start) + 1, msg("not valid UTF-8 text (%(reason)s at byte %(byte)d); save the file as UTF-8", reason=exc.reason, byte=exc.start))
        return None, {}
    except OSError as exc:
        content.error(rel, 1, msg("cannot read the file: %(reason)s", reason=exc.strerror))
        return None, {}
    return parse_yaml(text, rel, content, line_offset)


def parse_yaml(text: str, rel: str, content: Content, line_offset: int = 0):
    """Parse one YAML document with libyaml (CSafeLoader); returns (data, {key path: line}) and
    records YAML errors."""
    return _parse_yaml(text, rel, content, line_offset)


@functools.lru_cache(maxsize=1024)  # every preview save loads the same files again
def _compose(text: str):
    """The YAML node tree of a text (never changed afterwards: each load constructs new data from it)."""
    return yaml.compose(text, Loader=_Loader)


def _parse_yaml(text: str, rel: str, content: Content, line_offset: int = 0):
    lines: dict[tuple, int] = {}
    node = None
    try:
        node = _compose(text)
        if node is None:
            return None, lines
        data = _Loader("").construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        content.error(rel, line, msg("YAML syntax error: %(problem)s; check the indentation and quoting on this line or the one before", problem=problem))
        return None, lines
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        content.error(rel, line, msg("YAML error: character %(char)s is not allowed (%(reason)s); remove it", char=char, reason=exc.reason))
        return None, lines
    except yaml.YAMLError as exc:
        content.error(rel, 1 + line_offset, msg("YAML error: %(problem)s", problem=str(exc)))
        return None, lines
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an impossible date 2025-02-30
        if isinstance(exc, RecursionError):
            content.error(rel, 1 + line_offset, msg("YAML error: lists or mappings are nested too deeply"))
            return None, lines
        line, value = _bad_scalar(node) if node is not None else (1, None)
        if value is not None:
            content.error(rel, line + line_offset, msg("YAML value error in `%(value)s`: %(problem)s", value=value, problem=str(exc)))
        else:
            content.error(rel, line + line_offset, msg("YAML value error: %(problem)s", problem=str(exc)))
        return None, lines

    visited: set[int] = set()

    def walk(n, path):
        lines.setdefault(path, n.start_mark.line + 1 + line_offset)
        if id(n) in visited:  # an alias (*name): already walked; also stops recursive aliases
            return
        visited.add(id(n))
        if isinstance(n, yaml.MappingNode):
            seen: dict = {}
            for k, v in n.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k.value)
                kline = k.start_mark.line + 1 + line_offset
                if key in seen:
                    content.error(rel, kline, msg("duplicate key `%(key)s` (first at line %(line)d); keep only one", key=key, line=seen[key]))
                seen[key] = kline
                lines[path + (key,)] = kline
                walk(v, path + (key,))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, path + (i,))

    walk(node, ())
    return data, lines


def _bad_scalar(root) -> tuple[int, str | None]:
    """The line (1-based) and text of the first scalar that cannot be constructed."""
    stack, seen = [root], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            try:
                _Loader("").construct_object(n)
            except Exception:  # noqa: BLE001 - any failure points at this value
                return n.start_mark.line + 1, n.value[:80]
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for kv in reversed(n.value) for x in reversed(kv))
        else:
            stack.extend(reversed(n.value))
    return 1, None


# --- pydantic errors → friendly messages ---------------------------------------------------


def _models_in(annotation) -> list[type[BaseModel]]:
    out = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        f = current.model_fields.get(part)
        if f is None:
            return None
        found = _models_in(f.annotation)
        if not found:
            return None
        current = found[0]
    return current


def _clean_loc(err: Any) -> tuple:
    """The key path of a pydantic error without pydantic's union tags (`function-after[…]`, `str`…).
    A tag never comes first, and the last item of an unknown-key error is the editor's own key
    (which may well be `date` or `[`)."""
    loc = tuple(err["loc"])
    body, last = (loc[:-1], loc[-1:]) if err["type"] in ("extra_forbidden", "missing") else (loc, ())
    tags = {"function-after", "literal", "str", "int", "float", "date", "constrained-str"}
    # a union tag never follows a list index: `history.1.date` is the editor's key `date`
    kept = [p for i, p in enumerate(body) if i == 0 or isinstance(body[i - 1], int)
            or not (isinstance(p, str) and ("[" in p or p in tags))]
    return tuple(kept) + last


def _suggestion(err: Any, model: type[BaseModel]) -> tuple[list[str], list[str]]:
    """For an unknown key: (allowed keys, the close match as a one-item list or [])."""
    loc = _clean_loc(err)
    parent = _model_at(model, loc[:-1]) or model
    allowed = list(parent.model_fields)
    return allowed, difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)


def _friendly(err: Any, model: type[BaseModel]) -> Message:
    loc = _clean_loc(err)
    key = ".".join(str(p) for p in loc) or "(document)"
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed, close = _suggestion(err, model)
        if close:
            return msg("unknown key `%(name)s`; did you mean `%(close)s`?", name=name, close=close[0])
        return msg("unknown key `%(name)s`; allowed keys: %(allowed)s", name=name, allowed=", ".join(allowed))
    if kind == "missing":
        return msg("missing required key `%(key)s`; add it (see content/README.md)", key=key)
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return msg("`%(key)s`: %(value)s is not allowed; expected one of %(expected)s", key=key, value=repr(err.get("input")), expected=expected)
    if kind == "string_pattern_mismatch":
        return msg("`%(key)s`: %(value)s has the wrong form (expected pattern %(pattern)s)", key=key, value=repr(err.get("input")), pattern=err["ctx"]["pattern"])
    # a model's own message (ValueError(msg(…))), or pydantic's words: the common ones are in
    # the cli catalogs (PYDANTIC below)
    error = err.get("ctx", {}).get("error")
    if isinstance(error, ValueError) and error.args and isinstance(error.args[0], Message):
        return msg("`%(key)s`: %(detail)s", key=key, detail=error.args[0])
    return msg("`%(key)s`: %(detail)s", key=key, detail=Message(err["msg"].replace("Value error, ", "")))


# pydantic's and the models' messages that editors meet most, for the catalogs (pybabel extract)
PYDANTIC = (M_("Input should be a valid dictionary"), M_("Input should be a valid list"), M_("Input should be a valid string"),
            M_("Input should be a valid integer"), M_("Input should be a valid number"), M_("Input should be a valid boolean"),
            M_("Input should be a valid date"), M_("must not be empty"), M_("String should have at least 1 character"))


_TODO_HINTS = {
    "fr": M_("the text in French"), "nl": M_("the text in Dutch"), "commune": M_("the id of a commune from content/communes.yml"),
    "wave": M_("a wave id from content/waves.yml (e.g. \"2.0\")"), "date": M_("the date as YYYY-MM-DD (or the year alone)"),
    "status": M_("in-progress, stopped or not-launched (projects: in-progress, stopped or completed)"),
    "source": M_("the id of the publication the fact comes from (a file name in content/publications/)"),
    "quartier": M_("the id of a quartier (a file name in content/quartiers/)"), "themes": M_("ids from content/themes.yml"),
}


def unfilled(data, path: tuple = (), seen: set[int] | None = None) -> list[tuple]:
    """Key paths whose value is still the scaffold marker `TODO`. A container reached twice
    (a YAML alias, even a recursive one) is walked once."""
    seen = set() if seen is None else seen
    if isinstance(data, str):
        return [path] if data.strip() == TODO else []
    if not isinstance(data, (dict, list)) or id(data) in seen:
        return []
    seen.add(id(data))
    items = data.items() if isinstance(data, dict) else enumerate(data)
    return [p for k, v in items for p in unfilled(v, path + (k,), seen)]


def _line_of(lines: dict, loc: tuple) -> int:
    for i in range(len(loc), -1, -1):
        if loc[:i] in lines:
            return lines[loc[:i]]
    return 1


def validate(model: type[BaseModel], data, rel: str, lines: dict, content: Content):
    if not isinstance(data, dict):
        content.error(rel, 1, msg("expected a mapping of keys (`key: value`) at the top of the file, found %(found)s", found=type(data).__name__))
        return None
    todo = unfilled(data)
    for loc in todo:
        key = ".".join(str(p) for p in loc)
        named = [p for p in loc if isinstance(p, str)]
        hint = _TODO_HINTS.get(named[-1] if named else "", M_("the value"))
        content.error(rel, _line_of(lines, loc), msg("`%(key)s` is not filled in yet: replace TODO with %(hint)s", key=key, hint=Message(hint)))
    try:
        obj = model.model_validate(data)
        return None if todo else obj
    except ValidationError as exc:
        seen = set()
        errors = [e for e in exc.errors() if not any(tuple(e["loc"])[: len(t)] == t for t in todo)]
        # `statut:` for `status:` is one problem: the "did you mean" covers the missing `status`
        suggested = {_clean_loc(e)[:-1] + tuple(_suggestion(e, model)[1]) for e in errors if e["type"] == "extra_forbidden"}
        for err in errors:
            if err["type"] == "missing" and _clean_loc(err) in suggested:
                continue
            line = _line_of(lines, tuple(err["loc"]))
            where = _clean_loc(err)
            if where and where[-1] == "date" and err["type"] != "missing":  # a union (date | YYYY-MM | YYYY): one message
                problem = msg("`%(key)s`: %(value)s is not a date; write it as YYYY-MM-DD (or YYYY-MM, or the year alone)",
                              key=".".join(map(str, where)), value=repr(err.get("input")))
            else:
                problem = _friendly(err, model)
            if (line, problem) in seen or (line, where) in seen:
                continue
            seen.update({(line, problem), (line, where)})
            content.error(rel, line, problem)
        return None


