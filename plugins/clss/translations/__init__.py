"""Translation tracking and exchange for the translated languages (see languages.SOURCE).

- `tracking`: block-level stamps in content/translations/<lang>/ and the page states;
- `exchange`: XLIFF export/import for the translation agency, glossary as TBX/CSV;
- this module: what the `clss translations` command prints.
"""
from __future__ import annotations

from pathlib import Path

from .. import languages
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
                echo(f"{p}: no translated strings ({languages.SOURCE}/{lang} pairs) in this YAML file under content/")
                status = 1
                continue
            stamp = read_data_stamp(root / "content", lang)
            stamp[file] = {s.key: s.source for s in strings}
            write_data_stamp(root / "content", lang, stamp)
            echo(f"marked the {len(strings)} {languages.get(lang).name} strings of content/{file} as translating the current French")
            continue
        rel = _relpath(root, p, lang)
        if rel is None:
            echo(f"{p}: not a page under content/{lang}/")
            status = 1
            continue
        if not (root / "content" / languages.SOURCE / rel).is_file() or not (root / "content" / lang / rel).is_file():
            echo(f"content/{lang}/{rel}:1: no such page, or no French page content/{languages.SOURCE}/{rel}")
            status = 1
            continue
        write_stamp(root / "content", lang, rel, current_stamp(root / "content", rel))
        echo(f"marked content/{lang}/{rel} as translating the current content/{languages.SOURCE}/{rel}")
    return status


def diff(root: Path, path, console, lang: str | None = None) -> int:
    """Print, per changed block, the French then, the French now and the translation now."""
    from rich.table import Table
    from rich.text import Text

    lang = lang or target_languages()[0]
    rel = _relpath(root, Path(path), lang)
    if rel is None or not (root / "content" / languages.SOURCE / rel).is_file():
        console.print(f"{path}: not a page under content/{languages.SOURCE}/ or content/{lang}/")
        return 1
    st = page_status(root / "content", rel, lang)
    if st.state == "missing":
        console.print(f"content/{lang}/{rel}: not translated yet ({st.total} blocks in French)")
        return 0
    if not st.changes:
        console.print(f"content/{lang}/{rel}: up to date ({st.total} blocks)")
        return 0
    if not st.stamped:
        console.print(f"content/{lang}/{rel}: no translation stamp; every block is listed. "
                      f"After checking, record it with `clss translations --mark content/{lang}/{rel}`.")
    console.print(f"content/{lang}/{rel}: {st.changed} of {st.total} blocks changed in French")
    src, tgt = languages.get(languages.SOURCE).name, languages.get(lang).name
    table = Table(show_lines=True, expand=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column(f"{src}, translated", ratio=1)
    table.add_column(f"{src}, now", ratio=1)
    table.add_column(f"{tgt}, now", ratio=1)
    for c in st.changes:
        line = str(c.new.line) if c.new else "—"
        old = Text(c.old or "(new block)", style="dim" if c.old is None else "red")
        new = Text(c.new.key if c.new else "(deleted)", style="green" if c.new else "dim")
        target = Text(c.target.key if c.target else "—")
        table.add_row(line, old, new, target)
    console.print(table)
    return 0
