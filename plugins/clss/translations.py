"""Translation tracking: each NL page records the digest of the FR file it translates."""
from __future__ import annotations

import re
from pathlib import Path

from .load import Content


def report(content: Content) -> dict:
    rows = []
    for relpath in sorted(content.pages["fr"]):
        state = content.translation_state(relpath)
        rows.append({"path": relpath, "state": state, "fr": f"content/fr/{relpath}", "nl": f"content/nl/{relpath}"})
    summary = {s: sum(1 for r in rows if r["state"] == s) for s in ("up-to-date", "outdated", "missing")}
    return {"pages": rows, "summary": summary}


def mark(root: Path, content: Content, paths) -> int:
    """Write `translation_of: <digest of the FR file>` into the front matter of NL files."""
    status = 0
    for p in paths:
        p = Path(p).resolve()
        try:
            rel = p.relative_to((root / "content" / "nl").resolve()).as_posix()
        except ValueError:
            print(f"{p}: not a Dutch page under content/nl/")
            status = 1
            continue
        fr = content.pages["fr"].get(rel)
        if fr is None or not p.is_file():
            print(f"{p}: no such NL page or no French page content/fr/{rel}")
            status = 1
            continue
        text = p.read_text(encoding="utf-8")
        stamp = f"translation_of: {fr.digest}"
        if text.startswith("---\n") and "\n---" not in text[3:]:
            print(f"content/nl/{rel}:1: front matter opened with `---` is never closed; add a line `---` after it")
            status = 1
            continue
        if text.startswith("---\n"):
            end = text.index("\n---", 3)
            head = text[4:end]
            if re.search(r"^translation_of:.*$", head, re.M):
                head = re.sub(r"^translation_of:.*$", stamp, head, flags=re.M)
            else:
                head = head.rstrip("\n") + ("\n" if head.strip() else "") + stamp
            text = "---\n" + head.strip("\n") + "\n" + text[end + 1:]
        else:
            text = f"---\n{stamp}\n---\n\n" + text
        p.write_text(text, encoding="utf-8")
        print(f"marked content/nl/{rel} as translating FR {fr.digest}")
    return status
