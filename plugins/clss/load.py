"""Read content/ into the model, collecting every problem as a ContentError(path, line, message).

Nothing here raises on bad content: `load()` always returns a Content whose `errors` list is
empty when everything is valid. The CLI prints the errors as `path:line: message`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel

from . import model as m
from .cache import Cache
from .cache import key as cache_key
from .content import Content, Page
from .figures.model import Gallery, Illustration
from .incremental import code_digest
from .languages import CODES as LANGS
from .languages import SOURCE
from .messages import msg
from .syntax import FRONT_RE
from .yamlread import parse_yaml, read_yaml, validate

CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "book", "chapter",
    "report", "thesis", "webpage", "paper-conference", "entry-dictionary", "entry-encyclopedia",
    "legislation", "manuscript", "document", "speech", "interview", "post", "post-weblog",
}


# --- Markdown prose ---------------------------------------------------------------------



def read_page(path: Path, lang: str, relpath: str, content: Content) -> Page | None:
    rel = content.rel(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:  # e.g. a dangling symbolic link
        content.error(rel, 1, msg("cannot read the file: %(reason)s", reason=exc.strerror))
        return None
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (Windows editors) must not hide the front matter
    except UnicodeDecodeError as exc:
        content.error(rel, exc.object.count(b"\n", 0, exc.start) + 1, msg("not valid UTF-8 text (%(reason)s); save the file as UTF-8", reason=exc.reason))
        return None
    text = text.replace("\r\n", "\n")
    meta = m.FrontMatter()
    body, body_line = text, 1
    if text.startswith("---"):
        mt = FRONT_RE.match(text)
        if not mt:
            content.error(rel, 1, msg("front matter opened with `---` is never closed; add a line `---` after it"))
            return None
        n_errors = len(content.errors)
        data, lines = parse_yaml(mt.group(1) or "", rel, content, line_offset=1)
        if data is not None:
            if not isinstance(data, dict):
                content.error(rel, 2, msg("front matter must be `key: value` lines (title, description)"))
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
        content.error(content.rel(path), 1, msg("missing file; it holds the %(what)s reference data", what=name.split(".")[0]))
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
                content.error(rel, 1, msg("use the extension `.yml` for data files"))
                continue
            data, lines = read_yaml(path, content)
            if data is None:
                if not any(e.path == rel for e in content.errors):
                    content.error(rel, 1, msg("the file is empty"))
                continue
            if isinstance(data, dict) and "id" not in data:
                data = {"id": path.stem, **data}
            obj = validate(model, data, rel, lines, content)
            if obj is None:
                continue
            if obj.id != path.stem:
                content.error(rel, lines.get(("id",), 1), msg("`id: %(id)s` must match the file name `%(name)s`; rename one of them", id=obj.id, name=path.stem))
                continue
            if obj.id in out:
                content.error(rel, lines.get(("id",), 1), msg("duplicate id `%(id)s`", id=obj.id))
                continue
            out[obj.id] = obj
            for k, v in lines.items():
                content.lines[(rel,) + k] = v
        elif path.is_file() and not path.name.startswith("."):
            content.error(content.rel(path), 1, msg("unexpected file in %(folder)s/: only `<id>.yml` files belong here", folder=sub))
    return out


def load(root: Path | str, cache: Cache | None = None) -> Content:
    """Load everything under `root` (the content/ folder), each file against its schema.
    Rules across files are `clss.checks.run`'s; `clss.checks.load_and_check` does both.
    `cache`: the translation state of each page is kept there (kind "translations")."""
    root = Path(root).resolve()
    content = Content(root=root)
    if not root.is_dir():
        content.error(str(root), 1, msg("content folder not found; run clss from the project folder"))
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
    waves = _load_single(content, "waves.yml", m.Waves)
    if waves:
        content.waves = _unique(content, "waves.yml", waves.waves, "waves")
    if (root / "timeline.yml").exists():  # optional: without it the timeline shows the waves only
        timeline = _load_single(content, "timeline.yml", m.Timeline)
        if timeline:
            content.timeline = list(timeline.events)
    glossary = _load_single(content, "glossary.yml", m.Glossary)
    if glossary:
        content.glossary = list(glossary.terms)
    _load_bibliography(content)
    if (root / "figures.yml").exists():  # photos and drawings (optional file)
        _load_figures(content)

    content.quartiers = _load_dir(content, "quartiers", m.Quartier)
    content.projects = _load_dir(content, "projects", m.Project)
    content.publications = _load_dir(content, "publications", m.Publication)

    for lang in LANGS:
        base = root / lang
        if not base.is_dir():
            content.error(content.rel(base), 1, msg("missing folder for the language `%(lang)s`", lang=lang))
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

    _translations(content, cache)
    content.errors.sort()
    return content


def _translations(content: Content, cache: Cache | None = None) -> None:
    """The state of every translated page, from the block-level stamps (clss.translations);
    with a `cache`, kept under the page's two texts, its stamp file and the code."""
    from .content import Translation
    from .translations.blocks import clean
    from .translations.tracking import parse_stamp, stamp_path, status_of

    def text(page: Page | None) -> str | None:  # the file as the loader read it, not read again
        return clean(page.raw.decode("utf-8", errors="replace")) if page is not None else None

    def stamp_bytes(lang: str, relpath: str) -> bytes | None:
        try:
            return stamp_path(content.root, lang, relpath).read_bytes()
        except OSError:
            return None

    for lang in LANGS:
        if lang == SOURCE:
            continue
        for relpath, source in content.pages[SOURCE].items():
            src, tgt, raw = text(source), text(content.pages[lang].get(relpath)), stamp_bytes(lang, relpath)

            def compare(relpath=relpath, src=src, tgt=tgt, raw=raw) -> bytes:
                st = status_of(relpath, src, tgt, parse_stamp(raw) if raw is not None else None)
                return json.dumps([st.state, st.changed if st.stamped else st.total, st.total]).encode("utf-8")

            if cache is not None and cache.enabled:
                k = cache_key("translation", lang, relpath, json.dumps([src, tgt]), b"1" + raw if raw is not None else b"0", code_digest())
                state, changed, total = json.loads(cache.made("translations", k, compare))
            else:
                state, changed, total = json.loads(compare())
            content.translations[(lang, relpath)] = Translation(state, changed, total)


def _load_figures(content: Content) -> None:
    """content/figures.yml, entry by entry: one bad figure is reported and the others still load
    (the ids of those that failed are kept, so that their placements are not reported again)."""
    path = content.root / "figures.yml"
    data, lines = read_yaml(path, content)
    rel = content.rel(path)
    for k, v in lines.items():
        content.lines[(rel,) + k] = v
    if data is None:
        return
    if not isinstance(data, dict) or set(data) - {"figures", "galleries"}:
        content.error(rel, 1, msg("expected the keys `figures:` (a list of figures) and `galleries:` (optional)"))
        return
    for key, model, target in (("figures", Illustration, content.figures), ("galleries", Gallery, content.galleries)):
        items = data.get(key) or []
        if not isinstance(items, list):
            content.error(rel, lines.get((key,), 1), msg("`%(key)s:` must be a list", key=key))
            continue
        for i, item in enumerate(items):
            sub = {k[2:]: v for k, v in lines.items() if k[:2] == (key, i)}
            sub[()] = lines.get((key, i), 1)
            before = len(content.errors)
            obj = validate(model, item, rel, sub, content)
            if obj is None:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    content.figures_invalid.add(item["id"])
                if len(content.errors) == before:
                    content.error(rel, lines.get((key, i), 1), msg("%(key)s entry %(i)d is not valid", key=key, i=i + 1))
                continue
            if obj.id in target:
                content.error(rel, lines.get((key, i, "id"), 1), msg("duplicate id `%(id)s` in %(what)s", id=obj.id, what=key))
                continue
            target[obj.id] = obj


def _unique(content: Content, name: str, items, what: str) -> dict:
    out = {}
    rel = content.rel(content.root / name)
    for i, item in enumerate(items):
        if item.id in out:  # the first one counts: no cascade from the duplicate's values
            content.error(rel, content.lines.get((rel, what, i, "id"), 1), msg("duplicate id `%(id)s` in %(what)s", id=item.id, what=what))
            continue
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
        content.error(rel, 1, msg("expected a key `references:` holding a list of CSL entries"))
        return
    seen: dict[str, int] = {}
    for i, ref in enumerate(refs):
        line = lines.get(("references", i), 1)
        if not isinstance(ref, dict):
            content.error(rel, line, msg("each bibliography entry must be a mapping with id, type, title"))
            continue
        rid = ref.get("id")
        if not isinstance(rid, str) or not re.match(r"^[a-z][a-z0-9]*[0-9]{4}[a-z]?$", rid or ""):
            content.error(rel, line, msg("entry id %(id)s must look like `surname2010` (lower-case, then the year)", id=repr(rid)))
            continue
        if rid in seen:
            content.error(rel, line, msg("duplicate bibliography id `%(id)s` (first at line %(line)d)", id=rid, line=seen[rid]))
            continue
        seen[rid] = line
        if not isinstance(ref.get("type"), str) or ref.get("type") not in CSL_TYPES:
            content.error(rel, lines.get(("references", i, "type"), line), msg("`%(id)s`: type %(type)s is not a CSL type; use one of book, chapter, article-journal, report, webpage…", id=rid, type=repr(ref.get("type"))))
        if not ref.get("title"):
            content.error(rel, line, msg("`%(id)s`: missing `title`", id=rid))
        content.bibliography.append(ref)
