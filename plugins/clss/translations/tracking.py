"""Block-level translation tracking.

The stamp of a translated page lives beside the content, not in the translated Markdown:
`content/translations/<lang>/<relpath>.yml` records the normalized French blocks that
`content/<lang>/<relpath>` translates. Comparing it with the French file today tells which
blocks changed; the stamp keeps their old text so that `clss translations --diff` can show it.

Everything here works from the files under content/ (no `Content` needed), so the site, the
print and the CLI can call it cheaply.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import languages
from . import blocks as bl

STAMP_DIR = "translations"  # content/translations/<lang>/<relpath>.yml
HEADER = ("# Translation stamp written by `clss translations` (--mark, --import): the blocks of\n"
          "# content/{source} that content/{target} translates, normalized. Do not edit by hand.\n")


def stamp_path(content_root: Path, lang: str, relpath: str) -> Path:
    return Path(content_root) / STAMP_DIR / lang / f"{relpath}.yml"


# --- stamp files ------------------------------------------------------------------------


@dataclass
class Stamp:
    source: str  # e.g. "fr/quartiers/marolles.md"
    meta: dict[str, str] = field(default_factory=dict)  # title, description
    body: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [f"{k}: {v}" for k, v in self.meta.items()] + list(self.body)

    @property
    def signatures(self) -> list[str]:
        return [f"meta:{k}:" for k in self.meta] + [_signature(key) for key in self.body]

    @classmethod
    def of_blocks(cls, source: str, blocks: list[bl.Block]) -> "Stamp":
        meta = {b.marker[:-2]: b.text for b in blocks if b.kind == "meta"}
        return cls(source, meta, [b.key for b in blocks if b.kind != "meta"])

    def dump(self, lang: str) -> str:
        data: dict[str, object] = {"source": self.source}
        if self.meta:
            data["meta"] = dict(self.meta)
        data["blocks"] = list(self.body)
        target = lang + self.source[self.source.index("/"):] if "/" in self.source else lang
        return HEADER.format(source=self.source, target=target) + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=float("inf"), default_flow_style=False)


def _signature(key: str) -> str:
    found = bl.split(key)
    return found[0].signature if len(found) == 1 else "paragraph"


def read_stamp(content_root: Path, lang: str, relpath: str) -> Stamp | None:
    path = stamp_path(content_root, lang, relpath)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return parse_stamp(raw)


@lru_cache(maxsize=512)
def parse_stamp(raw: bytes) -> Stamp | None:
    """A stamp file's bytes as a Stamp (None when it cannot be read as one)."""
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        return None
    meta = data.get("meta") or {}
    return Stamp(str(data.get("source", "")), {str(k): str(v) for k, v in meta.items()}, [str(x) for x in data["blocks"]])


def write_stamp(content_root: Path, lang: str, relpath: str, stamp: Stamp) -> bool:
    """Write the stamp; returns False when the file already said exactly this."""
    path = stamp_path(content_root, lang, relpath)
    text = stamp.dump(lang)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def current_stamp(content_root: Path, relpath: str) -> Stamp:
    """The stamp that says "translates the French page as it is now"."""
    text = _read(Path(content_root) / languages.SOURCE / relpath)
    return Stamp.of_blocks(f"{languages.SOURCE}/{relpath}", bl.split(text or ""))


# --- comparison -----------------------------------------------------------------------------


@dataclass
class Change:
    """One changed place: `old` is the French block the translation was made from (None for a
    new block), `new` the French block now (None when it was deleted), `target` the translated
    block paired with the old French (None when there is none)."""

    old: str | None
    new: bl.Block | None
    target: bl.Block | None
    index: int  # index of `new` in the French blocks (or where the deleted block was)

    @property
    def kind(self) -> str:
        return "new" if self.old is None else "deleted" if self.new is None else "changed"


@dataclass
class PageStatus:
    relpath: str
    state: str  # up-to-date | outdated | missing
    changed: int  # changed, new or deleted French blocks since the stamp
    total: int  # blocks of the French page
    changes: list[Change] = field(default_factory=list)
    stamped: bool = True  # False: no stamp at all (every block counts as changed)


def _read(path: Path) -> str | None:
    try:
        return bl.clean(path.read_bytes().decode("utf-8", errors="replace"))
    except OSError:
        return None


def pair(stamp: Stamp, target: list[bl.Block]) -> list[int | None]:
    """For each block of the stamp (old French), the index of the translated block made from it."""
    old = stamp.signatures
    new = [b.signature for b in target]
    if old == new:
        return list(range(len(old)))
    out: list[int | None] = [None] * len(old)
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                out[i1 + k] = j1 + k
    return out


def compare(stamp: Stamp | None, source: list[bl.Block], target: list[bl.Block] | None) -> tuple[list[Change], list[int | None]]:
    """The changes between the stamped French and the French now, and the pairing of the
    stamp's blocks with the translated blocks."""
    if stamp is None:
        return [Change(None, b, None, i) for i, b in enumerate(source)], []
    pairing = pair(stamp, target or [])
    old = stamp.keys
    sm = difflib.SequenceMatcher(None, old, [b.key for b in source], autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            oi, nj = i1 + k, j1 + k
            o = old[oi] if oi < i2 else None
            pi = pairing[oi] if o is not None else None
            t = target[pi] if target and pi is not None else None
            n = source[nj] if nj < j2 else None
            changes.append(Change(o, n, t, nj if n is not None else j1 + (j2 - j1)))
    return changes, pairing


def page_status(content_root: Path | str, relpath: str, lang: str | None = None) -> PageStatus:
    """The translation state of one page, e.g. page_status(root / "content", "quartiers/marolles.md")."""
    root = Path(content_root)
    lang = lang or next(iter(languages.others(languages.SOURCE)))
    return status_of(relpath, _read(root / languages.SOURCE / relpath), _read(root / lang / relpath),
                     read_stamp(root, lang, relpath))


def status_of(relpath: str, source_text: str | None, target_text: str | None, stamp: Stamp | None) -> PageStatus:
    """The translation state of one page from its texts (as `bl.clean` gives them) and its stamp."""
    source = bl.split(source_text) if source_text is not None else []
    if target_text is None:
        return PageStatus(relpath, "missing", len(source), len(source), [], stamped=False)
    target = bl.split(target_text)
    changes, _ = compare(stamp, source, target)
    state = "up-to-date" if stamp is not None and not changes else "outdated"
    return PageStatus(relpath, state, len(changes), len(source), changes, stamped=stamp is not None)


def changed_blocks(content_root: Path | str, relpath: str, lang: str | None = None) -> tuple[int, int]:
    """(changed blocks, total blocks) of the French page since its translation was stamped;
    (0, total) when up to date. For the "outdated" notices of the site and the PDFs."""
    st = page_status(content_root, relpath, lang)
    return st.changed, st.total
