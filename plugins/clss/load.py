"""Read content/ into the model, collecting every problem as a ContentError(path, line, message).

Nothing here raises on bad content: `load()` always returns a Content whose `errors` list is
empty when everything is valid. The CLI prints the errors as `path:line: message`.
"""
from __future__ import annotations

import copy
import os
import pickle
import difflib
import hashlib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from . import model as m

LANGS = m.LANGS
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "book", "chapter",
    "report", "thesis", "webpage", "paper-conference", "entry-dictionary", "entry-encyclopedia",
    "legislation", "manuscript", "document", "speech", "interview", "post", "post-weblog",
}


_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Page:
    """One Markdown prose file of one language."""

    lang: str
    relpath: str  # posix path under content/<lang>/, e.g. "quartiers/marolles.md"
    path: Path
    meta: m.FrontMatter
    body: str
    body_line: int  # 1-based line number of the first body line in the file
    raw: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:12]

    @property
    def title(self) -> str | None:
        if self.meta.title:
            return self.meta.title
        for line in self.body.splitlines():
            mt = re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)
            if mt:
                return mt.group(1)
        return None


@dataclass
class Content:
    root: Path
    communes: dict[str, m.Commune] = field(default_factory=dict)
    themes: dict[str, m.Theme] = field(default_factory=dict)
    referents: list[m.Referent] = field(default_factory=list)
    glossary: list[m.GlossaryTerm] = field(default_factory=list)
    quartiers: dict[str, m.Quartier] = field(default_factory=dict)
    projects: dict[str, m.Project] = field(default_factory=dict)
    publications: dict[str, m.Publication] = field(default_factory=dict)
    bibliography: list[dict] = field(default_factory=list)
    pages: dict[str, dict[str, Page]] = field(default_factory=lambda: {lang: {} for lang in LANGS})
    errors: list[ContentError] = field(default_factory=list)
    lines: dict[tuple, int] = field(default_factory=dict)  # (relpath, *key path) -> line

    @property
    def ok(self) -> bool:
        return not self.errors

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return path.as_posix()

    def error(self, path: Path | str, line: int, message: str) -> None:
        p = self.rel(path) if isinstance(path, Path) else path
        # one problem = one line: escape line breaks and control characters quoted from the content
        message = _CONTROL_RE.sub(lambda mt: mt.group(0).encode("unicode_escape").decode("ascii"), message)
        self.errors.append(ContentError(p, max(int(line), 1), message))

    def projects_of(self, quartier_id: str) -> list[m.Project]:
        return sorted((p for p in self.projects.values() if p.quartier == quartier_id), key=lambda p: p.id)

    def referents_of(self, quartier_id: str) -> list[m.Referent]:
        return [r for r in self.referents if r.quartier == quartier_id]

    def cpas_of(self, q: m.Quartier) -> m.Localized | None:
        if q.cpas:
            return q.cpas
        commune = self.communes.get(q.commune)
        return commune.cpas if commune else None

    def translation_state(self, relpath: str) -> str:
        """'up-to-date', 'outdated' or 'missing' for the NL page translating FR `relpath`."""
        fr = self.pages["fr"].get(relpath)
        nl = self.pages["nl"].get(relpath)
        if nl is None:
            return "missing"
        if fr is None or nl.meta.translation_of != fr.digest:
            return "outdated"
        return "up-to-date"


# --- YAML with line numbers ----------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    pass


def read_yaml(path: Path, content: Content, line_offset: int = 0):
    """Parse one YAML document, recording the line of every key. Returns (data, lines) or
    (None, {}) after recording an error."""
    rel = content.rel(path)
    try:
        text = path.read_text(encoding="utf-8") if line_offset == 0 else None
    except UnicodeDecodeError as exc:
        content.error(rel, exc.object.count(b"\n", 0, exc.start) + 1, f"not valid UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8")
        return None, {}
    except OSError as exc:
        content.error(rel, 1, f"cannot read the file: {exc.strerror}")
        return None, {}
    return parse_yaml(text, rel, content, line_offset)


_PARSED: dict[tuple[str, int], tuple] = {}  # (text, line_offset) -> (data, lines, [(line, message)])


def parse_yaml(text: str, rel: str, content: Content, line_offset: int = 0):
    """Parse one YAML document; returns (data, {key path: line}) and records YAML errors.

    Memoised by the exact text: `clss serve` and the tests re-load mostly unchanged files, and
    the pure-Python parser (kept for its precise error messages) is most of the loading time.
    Callers get their own copy of the data."""
    key = (text, line_offset)
    hit = _PARSED.get(key)
    if hit is None:
        hit = _disk_get(text, line_offset)
    if hit is None:
        scratch = Content(root=content.root)
        data, lines = _parse_yaml(text, rel, scratch, line_offset)
        hit = (data, lines, [(e.line, e.message) for e in scratch.errors])
        _disk_put(text, line_offset, hit)
    if len(_PARSED) >= 2048:
        _PARSED.clear()
    _PARSED[key] = hit
    data, lines, errors = hit
    for line, message in errors:
        content.error(rel, line, message)
    return copy.deepcopy(data), dict(lines)


CACHE_DIR: Path | None = None  # set by load(): <project>/.cache/clss/yaml (or $CLSS_CACHE_DIR/yaml)


def _disk_key(text: str, line_offset: int) -> Path | None:
    if CACHE_DIR is None:
        return None
    h = hashlib.sha256(f"{yaml.__version__}\0{line_offset}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()
    return CACHE_DIR / h[:2] / f"{h}.pickle"


def _disk_get(text: str, line_offset: int):
    """Parsed YAML from the on-disk cache (the parse is most of the loading time)."""
    path = _disk_key(text, line_offset)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # a corrupt or foreign cache entry: parse again
        return None


def _disk_put(text: str, line_offset: int, hit) -> None:
    path = _disk_key(text, line_offset)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(hit, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except (OSError, pickle.PicklingError, RecursionError, TypeError):
        pass


def _parse_yaml(text: str, rel: str, content: Content, line_offset: int = 0):
    lines: dict[tuple, int] = {}
    node = None
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return None, lines
        loader = _Loader("")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        content.error(rel, line, f"YAML syntax error: {problem}; check the indentation and quoting on this line or the one before")
        return None, lines
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        content.error(rel, line, f"YAML error: character {char} is not allowed ({exc.reason}); remove it")
        return None, lines
    except yaml.YAMLError as exc:
        content.error(rel, 1 + line_offset, f"YAML error: {exc}")
        return None, lines
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an impossible date 2025-02-30
        if isinstance(exc, RecursionError):
            content.error(rel, 1 + line_offset, "YAML error: lists or mappings are nested too deeply")
            return None, lines
        line, value = _bad_scalar(node) if node is not None else (1, None)
        shown = f" in `{value}`" if value is not None else ""
        content.error(rel, line + line_offset, f"YAML value error{shown}: {exc}")
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
                    content.error(rel, kline, f"duplicate key `{key}` (first at line {seen[key]}); keep only one")
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


def _clean_loc(err: dict) -> tuple:
    """The key path of a pydantic error without pydantic's union tags (`function-after[…]`, `str`…).
    A tag never comes first, and the last item of an unknown-key error is the editor's own key
    (which may well be `date` or `[`)."""
    loc = tuple(err["loc"])
    body, last = (loc[:-1], loc[-1:]) if err["type"] == "extra_forbidden" else (loc, ())
    tags = {"function-after", "literal", "str", "int", "float", "date"}
    return body[:1] + tuple(p for p in body[1:] if not (isinstance(p, str) and ("[" in p or p in tags))) + last


def _suggestion(err: dict, model: type[BaseModel]) -> tuple[list[str], list[str]]:
    """For an unknown key: (allowed keys, the close match as a one-item list or [])."""
    loc = _clean_loc(err)
    parent = _model_at(model, loc[:-1]) or model
    allowed = list(parent.model_fields)
    return allowed, difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.5)


def _friendly(err: dict, model: type[BaseModel]) -> str:
    loc = _clean_loc(err)
    key = ".".join(str(p) for p in loc) or "(document)"
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed, close = _suggestion(err, model)
        hint = f"; did you mean `{close[0]}`?" if close else f"; allowed keys: {', '.join(allowed)}"
        return f"unknown key `{name}`{hint}"
    if kind == "missing":
        return f"missing required key `{key}`; add it (see content/README.md)"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"`{key}`: {err.get('input')!r} is not allowed; expected one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"`{key}`: {err.get('input')!r} has the wrong form (expected pattern {err['ctx']['pattern']})"
    msg = err["msg"]
    msg = msg.replace("Value error, ", "")
    return f"`{key}`: {msg}"


def validate(model: type[BaseModel], data, rel: str, lines: dict, content: Content):
    if not isinstance(data, dict):
        content.error(rel, 1, f"expected a mapping of keys (`key: value`) at the top of the file, found {type(data).__name__}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        seen = set()
        errors = exc.errors()
        # `statut:` for `status:` is one problem: the "did you mean" covers the missing `status`
        suggested = {_clean_loc(e)[:-1] + tuple(_suggestion(e, model)[1]) for e in errors if e["type"] == "extra_forbidden"}
        for err in errors:
            if err["type"] == "missing" and _clean_loc(err) in suggested:
                continue
            loc = tuple(err["loc"])
            line = 1
            for i in range(len(loc), -1, -1):
                if loc[:i] in lines:
                    line = lines[loc[:i]]
                    break
            msg = _friendly(err, model)
            if (line, msg) in seen:
                continue
            seen.add((line, msg))
            content.error(rel, line, msg)
        return None


# --- Markdown prose ---------------------------------------------------------------------

FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)


def read_page(path: Path, lang: str, relpath: str, content: Content) -> Page | None:
    rel = content.rel(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:  # e.g. a dangling symbolic link
        content.error(rel, 1, f"cannot read the file: {exc.strerror}")
        return None
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (Windows editors) must not hide the front matter
    except UnicodeDecodeError as exc:
        content.error(rel, exc.object.count(b"\n", 0, exc.start) + 1, f"not valid UTF-8 text ({exc.reason}); save the file as UTF-8")
        return None
    text = text.replace("\r\n", "\n")
    meta = m.FrontMatter()
    body, body_line = text, 1
    if text.startswith("---"):
        mt = FRONT_RE.match(text)
        if not mt:
            content.error(rel, 1, "front matter opened with `---` is never closed; add a line `---` after it")
            return None
        n_errors = len(content.errors)
        data, lines = parse_yaml(mt.group(1) or "", rel, content, line_offset=1)
        if data is not None:
            if not isinstance(data, dict):
                content.error(rel, 2, "front matter must be `key: value` lines (title, description)")
                return None
            meta = validate(m.FrontMatter, data, rel, lines, content)
            if meta is None:
                return None
        elif len(content.errors) > n_errors:  # a YAML error, already reported
            return None
        body = text[mt.end():]
        body_line = text[: mt.end()].count("\n") + 1
    return Page(lang, relpath, path, meta, body, body_line, raw)


# --- loading everything ----------------------------------------------------------------


def _load_single(content: Content, name: str, model: type[BaseModel]):
    path = content.root / name
    if not path.exists():
        content.error(content.rel(path), 1, f"missing file; it holds the {name.split('.')[0]} reference data")
        return None
    data, lines = read_yaml(path, content)
    if data is None:
        return None
    rel = content.rel(path)
    for k, v in lines.items():
        content.lines[(rel,) + k] = v
    return validate(model, data, rel, lines, content)


def _load_dir(content: Content, sub: str, model: type[BaseModel]) -> dict:
    out: dict = {}
    folder = content.root / sub
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml",) or (path.suffix == ".yml" and not path.name.startswith(".")):
            rel = content.rel(path)
            if path.suffix == ".yaml":
                content.error(rel, 1, "use the extension `.yml` for data files")
                continue
            data, lines = read_yaml(path, content)
            if data is None:
                if not any(e.path == rel for e in content.errors):
                    content.error(rel, 1, "the file is empty")
                continue
            if isinstance(data, dict) and "id" not in data:
                data = {"id": path.stem, **data}
            obj = validate(model, data, rel, lines, content)
            if obj is None:
                continue
            if obj.id != path.stem:
                content.error(rel, lines.get(("id",), 1), f"`id: {obj.id}` must match the file name `{path.stem}`; rename one of them")
                continue
            if obj.id in out:
                content.error(rel, lines.get(("id",), 1), f"duplicate id `{obj.id}`")
                continue
            out[obj.id] = obj
            for k, v in lines.items():
                content.lines[(rel,) + k] = v
        elif path.is_file() and not path.name.startswith("."):
            content.error(content.rel(path), 1, f"unexpected file in {sub}/: only `<id>.yml` files belong here")
    return out


def load(root: Path | str) -> Content:
    """Load and validate everything under `root` (the content/ folder)."""
    root = Path(root).resolve()
    content = Content(root=root)
    global CACHE_DIR
    CACHE_DIR = None if os.environ.get("CLSS_NO_CACHE") else Path(os.environ.get("CLSS_CACHE_DIR") or root.parent / ".cache" / "clss") / "yaml"
    if not root.is_dir():
        content.error(str(root), 1, "content folder not found; run clss from the project folder")
        return content

    communes = _load_single(content, "communes.yml", m.Communes)
    if communes:
        content.communes = _unique(content, "communes.yml", [c for c in communes.communes], "communes")
    themes = _load_single(content, "themes.yml", m.Themes)
    if themes:
        content.themes = _unique(content, "themes.yml", themes.themes, "themes")
    referents = _load_single(content, "referents.yml", m.Referents)
    if referents:
        content.referents = list(referents.referents)
    glossary = _load_single(content, "glossary.yml", m.Glossary)
    if glossary:
        content.glossary = list(glossary.terms)
    _load_bibliography(content)

    content.quartiers = _load_dir(content, "quartiers", m.Quartier)
    content.projects = _load_dir(content, "projects", m.Project)
    content.publications = _load_dir(content, "publications", m.Publication)

    for lang in LANGS:
        base = root / lang
        if not base.is_dir():
            content.error(content.rel(base), 1, f"missing folder for the language `{lang}`")
            continue
        for path in sorted(base.rglob("*")):
            if path.is_dir() or path.name.startswith("."):
                continue
            relpath = path.relative_to(base).as_posix()
            if path.suffix != ".md":
                continue  # images and other assets are checked when referenced
            page = read_page(path, lang, relpath, content)
            if page:
                content.pages[lang][relpath] = page

    from . import checks  # cross-references and Markdown checks

    checks.run(content)
    content.errors.sort()
    return content


def _unique(content: Content, name: str, items, what: str) -> dict:
    out = {}
    rel = content.rel(content.root / name)
    for i, item in enumerate(items):
        if item.id in out:
            content.error(rel, content.lines.get((rel, what, i, "id"), 1), f"duplicate id `{item.id}` in {what}")
        out[item.id] = item
    return out


def _load_bibliography(content: Content) -> None:
    path = content.root / "bibliography.yaml"
    if not path.exists():
        return
    data, lines = read_yaml(path, content)
    rel = content.rel(path)
    if data is None:
        return
    refs = data.get("references") if isinstance(data, dict) else None
    if not isinstance(refs, list):
        content.error(rel, 1, "expected a key `references:` holding a list of CSL entries")
        return
    seen: dict[str, int] = {}
    for i, ref in enumerate(refs):
        line = lines.get(("references", i), 1)
        if not isinstance(ref, dict):
            content.error(rel, line, "each bibliography entry must be a mapping with id, type, title")
            continue
        rid = ref.get("id")
        if not isinstance(rid, str) or not re.match(r"^[a-z][a-z0-9]*[0-9]{4}[a-z]?$", rid or ""):
            content.error(rel, line, f"entry id {rid!r} must look like `surname2010` (lower-case, then the year)")
            continue
        if rid in seen:
            content.error(rel, line, f"duplicate bibliography id `{rid}` (first at line {seen[rid]})")
            continue
        seen[rid] = line
        if not isinstance(ref.get("type"), str) or ref.get("type") not in CSL_TYPES:
            content.error(rel, lines.get(("references", i, "type"), line), f"`{rid}`: type {ref.get('type')!r} is not a CSL type; use one of book, chapter, article-journal, report, webpage…")
        if not ref.get("title"):
            content.error(rel, line, f"`{rid}`: missing `title`")
        content.bibliography.append(ref)
