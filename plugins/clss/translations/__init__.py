"""Translation tracking and exchange for the translated languages (see languages.SOURCE).

- `tracking`: block-level stamps in content/translations/<lang>/ and the page states;
- `exchange`: XLIFF export/import for the translation agency, glossary as TBX/CSV;
- this module: what the `clss translations` command prints.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import languages
from ..messages import M_, Message, msg, msg_n
from .tracking import (  # noqa: F401 - the public API
    PageStatus,
    changed_blocks,
    current_stamp,
    page_status,
    read_stamp,
    stamp_path,
    write_stamp,
)

STATES = ("up-to-date", "outdated", "missing")
LANGUAGE_NAMES = {"fr": M_("French"), "nl": M_("Dutch")}  # in the editor's language (clss.messages)


def target_languages() -> tuple[str, ...]:
    return languages.others(languages.SOURCE)


def source_pages(content_root: Path) -> list[str]:
    """The French pages (posix paths under content/<source>/), as the loader finds them."""
    base = Path(content_root) / languages.SOURCE
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*.md")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts))


def report(content_root, lang: str | None = None) -> dict:
    """Per French page: state of its translation, changed/total blocks and where they are.
    `content_root` is the content/ folder (a loaded Content is accepted too)."""
    if not isinstance(content_root, (str, Path)):  # a loaded Content
        content_root = content_root.root
    content_root = Path(content_root)
    lang = lang or target_languages()[0]
    rows = []
    for relpath in source_pages(content_root):
        st = page_status(content_root, relpath, lang)
        rows.append({
            "path": relpath,
            "state": st.state,
            "changed": st.changed if st.state != "up-to-date" else 0,
            "total": st.total,
            "stamped": st.stamped,
            "blocks": [{"kind": c.kind, "line": c.new.line if c.new else None} for c in st.changes] if st.stamped else [],
            languages.SOURCE: f"content/{languages.SOURCE}/{relpath}",
            lang: f"content/{lang}/{relpath}",
        })
    summary = {s: sum(1 for r in rows if r["state"] == s) for s in STATES}
    return {"lang": lang, "pages": rows, "summary": summary}


def _relpath(root: Path, p: Path, lang: str) -> str | None:
    p = Path(p)
    if not p.is_absolute():
        p = (Path.cwd() / p)
    p = p.resolve()
    for code in (lang, languages.SOURCE):
        try:
            return p.relative_to((root / "content" / code).resolve()).as_posix()
        except ValueError:
            continue
    return None


def mark(root: Path, content, paths, lang: str | None = None, echo=print) -> int:
    """Record that the translated files `paths` translate the current French pages."""
    lang = lang or target_languages()[0]
    status = 0
    for p in paths:
        if str(p).endswith(".yml"):  # the translated strings of a YAML file
            from .exchange import data_strings, read_data_stamp, write_data_stamp

            path = (Path.cwd() / p).resolve()
            try:
                file = path.relative_to((root / "content").resolve()).as_posix()
            except ValueError:
                file = None
            strings = [s for s in data_strings(root / "content", lang) if s.file == file and s.target]
            if not strings:
                echo(msg("%(path)s: no translated strings (%(src)s/%(lang)s pairs) in this YAML file under content/", path=str(p), src=languages.SOURCE, lang=lang))
                status = 1
                continue
            stamp = read_data_stamp(root / "content", lang)
            stamp[file] = {s.key: s.source for s in strings}
            write_data_stamp(root / "content", lang, stamp)
            echo(msg("marked the %(n)d %(language)s strings of content/%(file)s as translating the current French",
                     n=len(strings), language=Message(LANGUAGE_NAMES.get(lang, lang)), file=file))
            continue
        rel = _relpath(root, p, lang)
        if rel is None:
            echo(msg("%(path)s: not a page under content/%(lang)s/", path=str(p), lang=lang))
            status = 1
            continue
        if not (root / "content" / languages.SOURCE / rel).is_file() or not (root / "content" / lang / rel).is_file():
            echo(msg("content/%(lang)s/%(path)s:1: no such page, or no French page content/%(src)s/%(path)s", lang=lang, path=rel, src=languages.SOURCE))
            status = 1
            continue
        write_stamp(root / "content", lang, rel, current_stamp(root / "content", rel))
        echo(msg("marked content/%(lang)s/%(path)s as translating the current content/%(src)s/%(path)s", lang=lang, path=rel, src=languages.SOURCE))
    return status


def diff(root: Path, path, console, lang: str | None = None, say: Callable[[Message], str] = str) -> int:
    """Print, per changed block, the French then, the French now and the translation now (the
    words rendered by `say`, English by default)."""
    from rich.table import Table
    from rich.text import Text

    lang = lang or target_languages()[0]
    rel = _relpath(root, Path(path), lang)
    if rel is None or not (root / "content" / languages.SOURCE / rel).is_file():
        console.print(say(msg("%(path)s: not a page under content/%(src)s/ or content/%(lang)s/", path=str(path), src=languages.SOURCE, lang=lang)))
        return 1
    st = page_status(root / "content", rel, lang)
    if st.state == "missing":
        console.print(say(msg("content/%(lang)s/%(path)s: not translated yet (%(n)d blocks in French)", lang=lang, path=rel, n=st.total)))
        return 0
    if not st.changes:
        console.print(say(msg("content/%(lang)s/%(path)s: up to date (%(n)d blocks)", lang=lang, path=rel, n=st.total)))
        return 0
    if not st.stamped:
        console.print(say(msg("content/%(lang)s/%(path)s: no translation stamp; every block is listed. "
                              "After checking, record it with `clss translations --mark content/%(lang)s/%(path)s`.", lang=lang, path=rel)))
    console.print(say(msg_n("content/%(lang)s/%(path)s: %(n)d of %(total)d blocks changed in French",
                            "content/%(lang)s/%(path)s: %(n)d of %(total)d blocks changed in French", st.changed, lang=lang, path=rel, total=st.total)))
    src, tgt = Message(LANGUAGE_NAMES.get(languages.SOURCE, languages.SOURCE)), Message(LANGUAGE_NAMES.get(lang, lang))
    table = Table(show_lines=True, expand=True)
    table.add_column(say(msg("line")), justify="right", no_wrap=True)
    table.add_column(say(msg("%(language)s, translated", language=src)), ratio=1)
    table.add_column(say(msg("%(language)s, now", language=src)), ratio=1)
    table.add_column(say(msg("%(language)s, now", language=tgt)), ratio=1)
    for c in st.changes:
        line = str(c.new.line) if c.new else "—"
        old = Text(c.old or say(msg("(new block)")), style="dim" if c.old is None else "red")
        new = Text(c.new.key if c.new else say(msg("(deleted)")), style="green" if c.new else "dim")
        target = Text(c.target.key if c.target else "—")
        table.add_row(line, old, new, target)
    console.print(table)
    return 0
