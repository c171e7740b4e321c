"""Import of the translation agency's XLIFF: every unit is checked first (footnote calls,
citation keys and data inserts kept, French unchanged since the export), then the translated
blocks are written back into the Dutch pages at their places and the YAML strings in place,
and re-stamped. Export is in `exchange`."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import languages
from ..messages import M_, Message, msg
from . import blocks as bl
from .exchange import UNTRANSLATED, XLIFF_NS, DataString, _pair_now, data_strings, fr_to_target, read_data_stamp, write_data_stamp  # noqa: F401
from .tracking import STAMP_DIR, Stamp, _read, compare, read_stamp, write_stamp  # noqa: F401


@dataclass
class Unit:
    id: str
    source: str
    target: str
    line: int
    translated: bool


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    blocks: int = 0
    strings: int = 0


def read_units(path: Path, shown: str, say: Callable[[Message], str] = str) -> tuple[list[Unit], list[str]]:
    from translate.storage import xliff

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return [], [f"{shown}:1: " + say(msg("cannot read the file: %(reason)s", reason=exc.strerror))]
    try:
        store: Any = xliff.xlifffile(raw)
    except Exception as exc:  # noqa: BLE001 - any parse failure: not a usable XLIFF file
        line = getattr(exc, "lineno", None) or (exc.args[1][0] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else 1)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [], [f"{shown}:{line}: " + say(msg("not a readable XLIFF file (%(reason)s); export again or ask the agency for XLIFF 1.2", reason=reason))]
    units = []
    for u in store.getunits():
        if u.isheader():
            continue
        tnode = u.xmlelement.find(f"{{{u.namespace}}}target") if u.namespace else u.xmlelement.find("target")
        state = tnode.get("state") if tnode is not None else None
        target = u.target or ""
        units.append(Unit(u.xmlelement.get("id") or "", str(u.source or ""), str(target), u.xmlelement.sourceline or 1,
                          bool(target.strip()) and state not in UNTRANSLATED))
    return units, []


def _check_tokens(unit: Unit, shown: str, say: Callable[[Message], str] = str) -> list[str]:
    src, tgt = bl.protected(unit.source), bl.protected(unit.target)
    errors = []
    names = {"footnote": (M_("footnote call"), "[^{}]"), "citation": (M_("citation key"), "@{}"), "insert": (M_("data insert"), "{}")}
    for kind, (label, fmt) in names.items():
        if src[kind] != tgt[kind]:
            lost = sorted(set(src[kind]) - set(tgt[kind])) or [x for x in src[kind] if src[kind].count(x) > tgt[kind].count(x)]
            extra = sorted(set(tgt[kind]) - set(src[kind])) or [x for x in tgt[kind] if tgt[kind].count(x) > src[kind].count(x)]
            parts = []
            if lost:
                parts.append(say(msg("missing %(items)s", items=", ".join(fmt.format(x) for x in dict.fromkeys(lost)))))
            if extra:
                parts.append(say(msg("unknown %(items)s", items=", ".join(fmt.format(x) for x in dict.fromkeys(extra)))))
            errors.append(f"{shown}:{unit.line}: " + say(msg("unit %(id)s: %(what)s changed in the translation (%(details)s); keep it exactly as in the French",
                                                             id=unit.id, what=Message(label), details="; ".join(parts))))
    if "\n" in unit.target.strip() and "\n" not in unit.source:
        errors.append(f"{shown}:{unit.line}: " + say(msg("unit %(id)s: the translation has line breaks the French block does not have; join the lines", id=unit.id)))
    return errors


def _yaml_scalar(text: str, old: yaml.Node | None) -> str:
    style = getattr(old, "style", None)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style is None:
        try:
            if yaml.safe_load(text) == text and not text.startswith(("'", '"')) and "#" not in text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _block_lines(b: bl.Block, text: str) -> list[str]:
    if b.kind == "table":
        return text.split("\n")
    if b.kind == "meta":
        return [b.marker + _yaml_scalar(text, None)]
    if b.kind == "quote":
        return ["> " + text]
    return [b.marker + text + b.suffix]


def import_file(root: Path, path: Path, lang: str | None = None, say: Callable[[Message], str] = str) -> ImportResult:
    """Import a translated XLIFF file; nothing is written when any unit is refused. The
    problems are `path:line: message` lines, their messages rendered by `say` (English by default)."""
    lang = lang or languages.others(languages.SOURCE)[0]
    content_root = Path(root) / "content"
    try:
        shown = Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    res = ImportResult()
    units, errors = read_units(path, shown, say)
    if errors:
        res.errors = errors
        return res
    by_page: dict[str, dict[int, Unit]] = {}
    data_units: dict[str, Unit] = {}
    for u in units:
        if not u.translated:
            continue
        res.errors += _check_tokens(u, shown, say)
        mt = re.fullmatch(r"(.+\.md)#(\d+)", u.id)
        if u.id.startswith("data:"):
            data_units[u.id[5:]] = u
        elif mt:
            by_page.setdefault(mt.group(1), {})[int(mt.group(2))] = u
        else:
            res.errors.append(f"{shown}:{u.line}: " + say(msg("unit id `%(id)s` does not name a page block; was this file exported by `clss translations --export`?", id=u.id)))
    plans = []
    for rel, page_units in sorted(by_page.items()):
        plan = _plan_page(content_root, lang, rel, page_units, shown, res.errors, say)
        if plan:
            plans.append(plan)
    data_plan = _plan_data(content_root, lang, data_units, shown, res.errors, say)
    if res.errors:
        return res
    for target_path, text, rel, stamp in plans:
        if text is not None:
            target_path.parent.mkdir(parents=True, exist_ok=True)
            target_path.write_bytes(text.encode("utf-8"))
            res.written.append(f"content/{lang}/{rel}")
        write_stamp(content_root, lang, rel, stamp)
        res.blocks += sum(1 for _ in by_page.get(rel, ()))
    for file, (text, n) in data_plan.items():
        if text is not None:
            (content_root / file).write_bytes(text.encode("utf-8"))
            res.written.append(f"content/{file}")
        res.strings += n
    if data_units:
        stamp = read_data_stamp(content_root, lang)
        for s in data_strings(content_root, lang):
            if s.id in data_units:
                stamp.setdefault(s.file, {})[s.key] = s.source
        write_data_stamp(content_root, lang, stamp)
    return res


def _plan_page(content_root: Path, lang: str, rel: str, units: dict[int, Unit], shown: str, errors: list[str],
               say: Callable[[Message], str] = str):
    import difflib

    src_text = _read(content_root / languages.SOURCE / rel)
    if src_text is None:
        u = next(iter(units.values()))
        errors.append(f"{shown}:{u.line}: " + say(msg("unit %(id)s: no French page content/%(src)s/%(path)s", id=u.id, src=languages.SOURCE, path=rel)))
        return None
    source = bl.split(src_text)
    for j, u in sorted(units.items()):
        if j >= len(source) or source[j].text != bl.collapse(u.source) and source[j].text != u.source.strip():
            errors.append(f"{shown}:{u.line}: " + say(msg("unit %(id)s: the French text changed since the export; "
                                                          "export again (`clss translations --export DIR`) and re-apply this translation", id=u.id)))
    if any(e.startswith(f"{shown}:") and f" {rel}#" in e for e in errors):
        return None
    path = content_root / lang / rel
    raw = path.read_bytes() if path.is_file() else None
    stamp = read_stamp(content_root, lang, rel)
    if raw is None:  # a new translation: French structure, translated texts
        missing = [b for j, b in enumerate(source) if b.translatable and j not in units]
        if missing:
            u = next(iter(units.values()))
            errors.append(f"{shown}:{u.line}: " + say(msg("unit %(id)s: content/%(lang)s/%(path)s does not exist yet and %(n)d of its blocks "
                                                          "are not translated in this file (first: content/%(src)s/%(path)s:%(line)d)",
                                                          id=u.id, lang=lang, path=rel, n=len(missing), src=languages.SOURCE, line=missing[0].line)))
            return None
        lines = src_text.split("\n")
        for j in sorted(range(len(source)), reverse=True):
            b = source[j]
            if j in units:
                lines[b.start:b.end] = _block_lines(b, bl.collapse(units[j].target) if b.kind != "table" else units[j].target.strip())
        new_stamp = Stamp.of_blocks(f"{languages.SOURCE}/{rel}", source)
        return path, "\n".join(lines), rel, new_stamp
    text = raw.decode("utf-8")
    crlf = "\r\n" in text
    target = bl.split(text)
    where = fr_to_target(stamp, source, target)
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    for j, u in units.items():
        b = source[j]
        new = u.target.strip() if b.kind == "table" else bl.collapse(u.target)
        ti = where[j]
        if ti is not None:
            t = target[ti]
            if t.text == new:
                continue
            edits.append((t.start, t.end, _block_lines(t, new)))
        else:  # a new French block: insert after the translation of the block before it
            prev = next((where[k] for k in range(j - 1, -1, -1) if where[k] is not None), None)
            at = target[prev].end if prev is not None else (target[0].start if target else len(lines))
            edits.append((at, at, ["", *_block_lines(b, new)] if prev is not None else [*_block_lines(b, new), ""]))
    for start, end, new_lines in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if crlf:
            new_lines = [ln + "\r" for ln in new_lines]
        lines[start:end] = new_lines
    new_text = "\n".join(lines)
    # the stamp: imported blocks now translate the French as it is; the others keep their old French
    old_keys = stamp.keys if stamp else [None] * len(target)
    now = [b.key for b in source]
    merged_meta: dict[str, str] = {}
    merged_body: list[str] = []

    def keep(key: str | None, block: bl.Block | None):
        if key is None:
            return
        if block is not None and block.kind == "meta":
            merged_meta[block.marker[:-2]] = block.text
        elif key.split(": ", 1)[0] in ("title", "description") and stamp and key in [f"{k}: {v}" for k, v in stamp.meta.items()]:
            merged_meta[key.split(": ", 1)[0]] = key.split(": ", 1)[1]
        else:
            merged_body.append(key)

    if stamp is None:
        for j, b in enumerate(source):
            wj = where[j]
            if j in units or (wj is not None and target[wj].text == b.text):
                keep(b.key, b)
    else:
        sm = difflib.SequenceMatcher(None, old_keys, now, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                for j in range(j1, j2):
                    keep(now[j], source[j])
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                oi, nj = i1 + k, j1 + k
                if nj < j2 and nj in units:
                    keep(now[nj], source[nj])
                elif oi < i2:
                    keep(old_keys[oi], None)
    new_stamp = Stamp(f"{languages.SOURCE}/{rel}", merged_meta, merged_body)
    return path, (new_text if new_text != text else None), rel, new_stamp


def _plan_data(content_root: Path, lang: str, units: dict[str, Unit], shown: str, errors: list[str],
               say: Callable[[Message], str] = str) -> dict:
    if not units:
        return {}
    strings = {s.id: s for s in data_strings(content_root, lang)}
    per_file: dict[str, list[tuple[DataString, str]]] = {}
    for sid, u in units.items():
        s = strings.get(sid)
        if s is None:
            errors.append(f"{shown}:{u.line}: " + say(msg("unit data:%(id)s: no such string in the YAML files any more; export again", id=sid)))
            continue
        if s.source != bl.collapse(u.source):
            errors.append(f"{shown}:{u.line}: " + say(msg("unit data:%(id)s: the French text changed since the export; export again", id=sid)))
            continue
        if s.node is None:
            errors.append(f"{shown}:{u.line}: " + say(msg("unit data:%(id)s: content/%(file)s has no `%(lang)s:` key for it; add `%(lang)s: \"…\"` under `%(src)s:` and import again",
                                                          id=sid, file=s.file, lang=lang, src=languages.SOURCE)))
            continue
        per_file.setdefault(s.file, []).append((s, bl.collapse(u.target)))
    out = {}
    for file, items in per_file.items():
        text = (content_root / file).read_bytes().decode("utf-8")
        new = bl.clean(text)  # the node marks count in the cleaned text
        n = 0
        for s, value in sorted(items, key=lambda it: it[0].node.start_mark.index, reverse=True):  # type: ignore[union-attr]
            n += 1
            if bl.collapse(s.target or "") == value:
                continue
            a, b = s.node.start_mark.index, s.node.end_mark.index  # type: ignore[union-attr]
            new = new[:a] + _yaml_scalar(value, s.node) + new[b:]
        out[file] = (new if new != text else None, n)
    return out
