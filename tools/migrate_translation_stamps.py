"""One-off migration: the whole-file `translation_of: <digest>` stamps in the front matter of the
translated pages become block-level stamps in content/translations/<lang>/.

The old digest is the sha256 of the French file's bytes; the French version it names is looked
up in the git history, so outdated pages keep the old French text for `--diff`.
Run (done once, in 2026; kept for the record): python tools/migrate_translation_stamps.py [PROJECT_ROOT] [--strip]
(--strip also removes the `translation_of:` lines from the front matter.)
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from clss import languages
from clss.syntax import FRONT_RE
from clss.translations import blocks as bl
from clss.translations.tracking import Stamp, write_stamp

STAMP_LINE = re.compile(r"^translation_of:[ \t]*([0-9a-f]{12})[ \t]*\r?\n", re.M)


def _versions(root: Path, rel: str):
    path = root / "content" / languages.SOURCE / rel
    if path.is_file():
        yield path.read_bytes()
    try:
        shas = subprocess.run(["git", "log", "--format=%H", "--", f"content/{languages.SOURCE}/{rel}"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return
    for sha in shas:
        proc = subprocess.run(["git", "show", f"{sha}:content/{languages.SOURCE}/{rel}"], cwd=root, capture_output=True)
        if proc.returncode == 0:
            yield proc.stdout


def migrate(root: Path, strip: bool = False) -> int:
    found = lost = 0
    for lang in languages.others(languages.SOURCE):
        for path in sorted((root / "content" / lang).rglob("*.md")):
            rel = path.relative_to(root / "content" / lang).as_posix()
            text = path.read_text(encoding="utf-8")
            head = FRONT_RE.match(bl.clean(text))
            mt = STAMP_LINE.search(head.group(0)) if head else None
            if mt:
                digest = mt.group(1)
                for raw in _versions(root, rel):
                    if hashlib.sha256(raw).hexdigest()[:12] == digest:
                        write_stamp(root / "content", lang, rel, Stamp.of_blocks(
                            f"{languages.SOURCE}/{rel}", bl.split(raw.decode("utf-8", errors="replace"))))
                        found += 1
                        break
                else:
                    lost += 1
                    print(f"content/{lang}/{rel}: French version {digest} not found in git; left unstamped")
                if strip:
                    end = head.end()  # type: ignore[union-attr]
                    new_head = STAMP_LINE.sub("", text[:end], count=1)
                    if re.fullmatch(r"---[ \t]*\r?\n---[ \t]*\r?\n", new_head):  # the stamp was all
                        new_head = ""
                        rest = text[end:].lstrip("\r\n")
                    else:
                        rest = text[end:]
                    path.write_text(new_head + rest, encoding="utf-8", newline="")
    print(f"{found} stamps migrated, {lost} not found")
    return 1 if lost else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(migrate(Path(args[0] if args else ".").resolve(), strip="--strip" in sys.argv))
