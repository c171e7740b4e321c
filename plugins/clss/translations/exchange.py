"""Exchange with the translation agency: XLIFF 1.2 out, XLIFF back in.

`export()` writes the French blocks that are new or changed since the translation was stamped
(every block with `everything=True`), plus the translatable YAML strings (titles, names,
labels) that changed, as one XLIFF 1.2 file that CAT tools (Trados, memoQ …) read, with
context: the page, the heading path, the previous translation (as an alt-trans) and the
French it was made from. The glossary goes along as TBX and CSV.

`import_file()` checks every unit first (footnote calls, citation keys and data inserts must
be kept; the French must not have changed since the export) and refuses the whole file with
`path:line: message` lines otherwise. Then it writes each translated block at its place in the
translated Markdown (a block whose text is unchanged keeps its bytes, so an unchanged export
round-trips byte for byte) and updates the stamps of the blocks it translated.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import languages
from . import blocks as bl
from .tracking import STAMP_DIR, Stamp, _read, compare, read_stamp, write_stamp

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
UNTRANSLATED = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}
DATA_STAMP = "data.yml"  # content/translations/<lang>/data.yml: the French YAML strings translated
DATA_SKIP = {"glossary.yml"}  # terminology, exported as TBX, not as strings to translate


# --- YAML strings ---------------------------------------------------------------------------


@dataclass
class DataString:
    file: str  # posix path under content/, e.g. "quartiers/marolles.yml"
    key: str  # dotted key path of the {fr, nl} mapping, e.g. "figures.0.label"
    source: str
    target: str | None
    node: yaml.Node | None  # the target's scalar node (None when the key is absent)
    line: int

    @property
    def id(self) -> str:
        return f"{self.file}:{self.key}"


def data_files(content_root: Path) -> list[Path]:
    out = []
    for path in sorted(Path(content_root).rglob("*.yml")):
        rel = path.relative_to(content_root)
        if rel.parts[0] in (STAMP_DIR, *languages.CODES):
            continue
        if rel.as_posix() in DATA_SKIP or any(p.startswith(".") for p in rel.parts):
            continue
        out.append(path)
    return out


def data_strings(content_root: Path, lang: str) -> list[DataString]:
    """Every {fr: …, nl: …} pair in the YAML files (by the YAML nodes, so lines are exact)."""
    out: list[DataString] = []
    for path in data_files(content_root):
        rel = path.relative_to(content_root).as_posix()
        try:
            node = yaml.compose(bl.clean(path.read_text(encoding="utf-8")), Loader=yaml.SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # `clss check` reports it

        def walk(n, keypath):
            if isinstance(n, yaml.MappingNode):
                pairs = {k.value: v for k, v in n.value if isinstance(k, yaml.ScalarNode)}
                src = pairs.get(languages.SOURCE)
                if isinstance(src, yaml.ScalarNode) and src.tag.endswith(":str") and isinstance(pairs.get(lang, src), yaml.ScalarNode):
                    tgt = pairs.get(lang)
                    out.append(DataString(rel, ".".join(keypath), bl.collapse(src.value),  # noqa: B023 (called within the iteration)
                                          None if tgt is None else tgt.value, tgt, (tgt or src).start_mark.line + 1))
                    return
                for k, v in n.value:
                    walk(v, keypath + (str(k.value),))
            elif isinstance(n, yaml.SequenceNode):
                for i, v in enumerate(n.value):
                    walk(v, keypath + (str(i),))

        if node is not None:
            walk(node, ())
    return out


def read_data_stamp(content_root: Path, lang: str) -> dict[str, dict[str, str]]:
    path = Path(content_root) / STAMP_DIR / lang / DATA_STAMP
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(f): {str(k): str(v) for k, v in (keys or {}).items()} for f, keys in data.items()} if isinstance(data, dict) else {}


def write_data_stamp(content_root: Path, lang: str, stamp: dict[str, dict[str, str]]) -> None:
    path = Path(content_root) / STAMP_DIR / lang / DATA_STAMP
    text = ("# Translation stamp of the YAML strings: the French text each translated string was made from.\n"
            "# Written by `clss translations` (--mark, --import). Do not edit by hand.\n")
    clean = {f: dict(sorted(v.items())) for f, v in sorted(stamp.items()) if v}
    text += yaml.safe_dump(clean, allow_unicode=True, sort_keys=False, width=float("inf")) if clean else ""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def mark_data(content_root: Path, lang: str) -> None:
    """Stamp every YAML string that has a translation as translating its current French."""
    stamp: dict[str, dict[str, str]] = {}
    for s in data_strings(content_root, lang):
        if s.target:
            stamp.setdefault(s.file, {})[s.key] = s.source
    write_data_stamp(content_root, lang, stamp)


def outdated_data(content_root: Path, lang: str) -> list[DataString]:
    stamp = read_data_stamp(content_root, lang)
    return [s for s in data_strings(content_root, lang) if not s.target or stamp.get(s.file, {}).get(s.key) != s.source]


# --- export ---------------------------------------------------------------------------------


def _heading_path(blocks: list[bl.Block], upto: int) -> str:
    trail: list[tuple[int, str]] = []
    for b in blocks[:upto]:
        if b.kind == "heading":
            level = b.marker.count("#")
            trail = [t for t in trail if t[0] < level] + [(level, b.text)]
    return " › ".join(t for _, t in trail)


def export(content_root: Path, out_dir: Path, lang: str | None = None, everything: bool = False, glossary=True) -> dict:
    """Write <out_dir>/clss-<src>-<lang>.xlf (+ glossary files). Returns counts and file names."""
    from translate.storage import xliff

    lang = lang or languages.others(languages.SOURCE)[0]
    src = languages.SOURCE
    content_root = Path(content_root)
    store: Any = xliff.xlifffile(sourcelanguage=src, targetlanguage=lang)
    units = pages = 0
    for fr_path in sorted((content_root / src).rglob("*.md")):
        rel = fr_path.relative_to(content_root / src).as_posix()
        if any(p.startswith(".") for p in Path(rel).parts):
            continue
        source = bl.split(_read(fr_path) or "")
        target_text = _read(content_root / lang / rel)
        target = bl.split(target_text) if target_text is not None else None
        stamp = read_stamp(content_root, lang, rel)
        changes, pairing = compare(stamp, source, target)
        if target is not None and stamp is None:  # no stamp: pair by shape with the French now
            pairing_now = _pair_now(source, target)
            changes = [type(c)(None, c.new, _at(target, pairing_now[c.index]), c.index) for c in changes]
        by_index = {c.index: c for c in changes if c.new is not None}
        now_pairs = fr_to_target(stamp, source, target) if target is not None else [None] * len(source)
        first = True
        for j, b in enumerate(source):
            if not b.translatable:
                continue
            change = by_index.get(j)
            if change is None and not everything:
                continue
            if first:
                first = False
                pages += 1
            u = store.addsourceunit(b.text, filename=f"content/{src}/{rel}", createifmissing=True)
            u.setid(f"{rel}#{j}")
            u.xmlelement.set("resname", f"{rel}:{b.line}")
            previous = None
            if change is not None:
                previous = change.target.text if change.target else None
                u.target = ""
            else:
                ti = now_pairs[j]
                u.target = target[ti].text if ti is not None and target is not None else ""
                u.xmlelement.find(f"{{{store.namespace}}}target").set("state", "final") if ti is not None else None
            notes = [f"Page: content/{src}/{rel}, line {b.line} ({_kind_label(b)})"]
            heading = _heading_path(source, j)
            if heading:
                notes.append(f"Section: {heading}")
            if change is not None and change.old is not None:
                notes.append(f"French when last translated: {change.old}")
            for n in notes:
                u.addnote(n, origin="developer")
            if previous:
                u.addalttrans(previous, origin="previous-translation")
            units += 1
    data = data_strings(content_root, lang) if everything else outdated_data(content_root, lang)
    if data:
        old = read_data_stamp(content_root, lang)
        for s in data:
            u = store.addsourceunit(s.source, filename="content/data", createifmissing=True)
            u.setid(f"data:{s.id}")
            u.xmlelement.set("resname", f"{s.file}:{s.line}")
            fresh = s.target and old.get(s.file, {}).get(s.key) == s.source
            u.target = s.target if fresh else ""
            if fresh:
                u.xmlelement.find(f"{{{store.namespace}}}target").set("state", "final")
            u.addnote(f"Data: content/{s.file}, key {s.key}", origin="developer")
            if s.target and not fresh:
                u.addalttrans(s.target, origin="previous-translation")
            units += 1
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _drop_empty_placeholder_file(store)
    xlf = out_dir / f"clss-{src}-{lang}.xlf"
    xml = bytes(store).replace(b"urn:oasis:names:tc:xliff:document:1.1", XLIFF_NS.encode()).replace(b'version="1.1"', b'version="1.2"', 1)
    xlf.write_bytes(xml)
    written = [xlf]
    if glossary:
        terms = read_glossary(content_root) if glossary is True else glossary
        if terms:
            written += write_glossary(terms, out_dir, lang)
    return {"units": units, "pages": pages, "data": len(data), "files": [str(p) for p in written]}


def _drop_empty_placeholder_file(store) -> None:
    """translate-toolkit starts with a `<file original="NoName">`; drop it when empty."""
    root = store.document.getroot()
    for f in list(root):
        if f.get("original") == "NoName" and not list(f.iter(f"{{{store.namespace}}}trans-unit")):
            root.remove(f)


def _kind_label(b: bl.Block) -> str:
    return {"heading": f"heading level {b.marker.count('#')}", "item": "list item", "footnote": f"footnote {b.marker.strip()[:-1]}",
            "quote": "quotation", "indented": "indented paragraph", "table": "table (keep the | separators)",
            "admonition": "box title", "meta": f"page {b.marker.strip()[:-1]}", "paragraph": "paragraph"}.get(b.kind, b.kind)


def _pair_now(source: list[bl.Block], target: list[bl.Block]) -> list[int | None]:
    from .tracking import pair

    return pair(Stamp.of_blocks("", source), target)


def fr_to_target(stamp: Stamp | None, source: list[bl.Block], target: list[bl.Block]) -> list[int | None]:
    """For each French block now, the index of the translated block at its place (or None)."""
    import difflib

    from .tracking import pair

    if stamp is None:
        return _pair_now(source, target)
    pairing = pair(stamp, target)
    out: list[int | None] = [None] * len(source)
    sm = difflib.SequenceMatcher(None, stamp.keys, [b.key for b in source], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                out[j1 + k] = pairing[i1 + k]
    return out


def read_glossary(content_root: Path) -> list:
    """The terms of content/glossary.yml as simple objects (fr, nl, avoid, note)."""
    from types import SimpleNamespace

    try:
        data = yaml.safe_load((Path(content_root) / "glossary.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    terms = data.get("terms") if isinstance(data, dict) else None
    out = []
    for t in terms or []:
        if isinstance(t, dict) and all(isinstance(t.get(c), str) for c in languages.CODES):
            out.append(SimpleNamespace(**{c: t[c] for c in languages.CODES}, avoid=[str(a) for a in t.get("avoid") or []], note=t.get("note")))
    return out


def write_glossary(glossary, out_dir: Path, lang: str) -> list[Path]:
    """The glossary as TBX (terminology exchange) and CSV (source, target, forbidden forms, note)."""
    from translate.storage import tbx

    src = languages.SOURCE
    store = tbx.tbxfile(sourcelanguage=src, targetlanguage=lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([src, lang, "avoid", "note"])
    for term in glossary:
        u = store.addsourceunit(getattr(term, src))
        u.target = getattr(term, lang)
        if term.note:
            u.addnote(term.note)
        w.writerow([getattr(term, src), getattr(term, lang), "; ".join(term.avoid), term.note or ""])
    out_dir = Path(out_dir)
    (out_dir / "glossary.tbx").write_bytes(bytes(store))
    (out_dir / "glossary.csv").write_text(buf.getvalue(), encoding="utf-8")
    return [out_dir / "glossary.tbx", out_dir / "glossary.csv"]


# --- import ---------------------------------------------------------------------------------


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


def read_units(path: Path, shown: str) -> tuple[list[Unit], list[str]]:
    from translate.storage import xliff

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return [], [f"{shown}:1: cannot read the file: {exc.strerror}"]
    try:
        store: Any = xliff.xlifffile(raw)
    except Exception as exc:  # noqa: BLE001 - any parse failure: not a usable XLIFF file
        line = getattr(exc, "lineno", None) or (exc.args[1][0] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else 1)
        return [], [f"{shown}:{line}: not a readable XLIFF file ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); export again or ask the agency for XLIFF 1.2"]
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


def _check_tokens(unit: Unit, shown: str) -> list[str]:
    src, tgt = bl.protected(unit.source), bl.protected(unit.target)
    errors = []
    names = {"footnote": ("footnote call", "[^{}]"), "citation": ("citation key", "@{}"), "insert": ("data insert", "{}")}
    for kind, (label, fmt) in names.items():
        if src[kind] != tgt[kind]:
            lost = sorted(set(src[kind]) - set(tgt[kind])) or [x for x in src[kind] if src[kind].count(x) > tgt[kind].count(x)]
            extra = sorted(set(tgt[kind]) - set(src[kind])) or [x for x in tgt[kind] if tgt[kind].count(x) > src[kind].count(x)]
            parts = []
            if lost:
                parts.append("missing " + ", ".join(fmt.format(x) for x in dict.fromkeys(lost)))
            if extra:
                parts.append("unknown " + ", ".join(fmt.format(x) for x in dict.fromkeys(extra)))
            errors.append(f"{shown}:{unit.line}: unit {unit.id}: {label} changed in the translation ({'; '.join(parts)}); "
                          f"keep it exactly as in the French")
    if "\n" in unit.target.strip() and "\n" not in unit.source:
        errors.append(f"{shown}:{unit.line}: unit {unit.id}: the translation has line breaks the French block does not have; join the lines")
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


def import_file(root: Path, path: Path, lang: str | None = None) -> ImportResult:
    """Import a translated XLIFF file; nothing is written when any unit is refused."""
    lang = lang or languages.others(languages.SOURCE)[0]
    content_root = Path(root) / "content"
    try:
        shown = Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = str(path)
    res = ImportResult()
    units, errors = read_units(path, shown)
    if errors:
        res.errors = errors
        return res
    by_page: dict[str, dict[int, Unit]] = {}
    data_units: dict[str, Unit] = {}
    for u in units:
        if not u.translated:
            continue
        res.errors += _check_tokens(u, shown)
        mt = re.fullmatch(r"(.+\.md)#(\d+)", u.id)
        if u.id.startswith("data:"):
            data_units[u.id[5:]] = u
        elif mt:
            by_page.setdefault(mt.group(1), {})[int(mt.group(2))] = u
        else:
            res.errors.append(f"{shown}:{u.line}: unit id `{u.id}` does not name a page block; was this file exported by `clss translations --export`?")
    plans = []
    for rel, page_units in sorted(by_page.items()):
        plan = _plan_page(content_root, lang, rel, page_units, shown, res.errors)
        if plan:
            plans.append(plan)
    data_plan = _plan_data(content_root, lang, data_units, shown, res.errors)
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


def _plan_page(content_root: Path, lang: str, rel: str, units: dict[int, Unit], shown: str, errors: list[str]):
    import difflib

    src_text = _read(content_root / languages.SOURCE / rel)
    if src_text is None:
        u = next(iter(units.values()))
        errors.append(f"{shown}:{u.line}: unit {u.id}: no French page content/{languages.SOURCE}/{rel}")
        return None
    source = bl.split(src_text)
    for j, u in sorted(units.items()):
        if j >= len(source) or source[j].text != bl.collapse(u.source) and source[j].text != u.source.strip():
            errors.append(f"{shown}:{u.line}: unit {u.id}: the French text changed since the export; "
                          f"export again (`clss translations --export DIR`) and re-apply this translation")
    if any(e.startswith(f"{shown}:") and f" {rel}#" in e for e in errors):
        return None
    path = content_root / lang / rel
    raw = path.read_bytes() if path.is_file() else None
    stamp = read_stamp(content_root, lang, rel)
    if raw is None:  # a new translation: French structure, translated texts
        missing = [b for j, b in enumerate(source) if b.translatable and j not in units]
        if missing:
            u = next(iter(units.values()))
            errors.append(f"{shown}:{u.line}: unit {u.id}: content/{lang}/{rel} does not exist yet and {len(missing)} of its blocks "
                          f"are not translated in this file (first: content/{languages.SOURCE}/{rel}:{missing[0].line})")
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


def _plan_data(content_root: Path, lang: str, units: dict[str, Unit], shown: str, errors: list[str]) -> dict:
    if not units:
        return {}
    strings = {s.id: s for s in data_strings(content_root, lang)}
    per_file: dict[str, list[tuple[DataString, str]]] = {}
    for sid, u in units.items():
        s = strings.get(sid)
        if s is None:
            errors.append(f"{shown}:{u.line}: unit data:{sid}: no such string in the YAML files any more; export again")
            continue
        if s.source != bl.collapse(u.source):
            errors.append(f"{shown}:{u.line}: unit data:{sid}: the French text changed since the export; export again")
            continue
        if s.node is None:
            errors.append(f"{shown}:{u.line}: unit data:{sid}: content/{s.file} has no `{lang}:` key for it; add `{lang}: \"…\"` under `{languages.SOURCE}:` and import again")
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


def _at(seq, i):
    """seq[i], or None when there is no index."""
    return seq[i] if seq is not None and i is not None else None
