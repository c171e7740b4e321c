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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import languages
from . import blocks as bl
from .tracking import STAMP_DIR, Stamp, _read, compare, read_stamp

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


def _at(seq, i):
    """seq[i], or None when there is no index."""
    return seq[i] if seq is not None and i is not None else None
