"""`clss new quartier ID` / `clss new project ID`: write the YAML and the FR/NL Markdown."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

QUARTIER = """# Facts of the CLSS quartier {id}. Fill in every value, then run `clss check`.
name:
  fr: "{title}"
  nl: "{title}"
aliases: []
commune: {commune}          # an id from content/communes.yml
wave: "2.0"                 # "1.0" (2021) or "2.0" (2023)
launched: null              # year, once launched
status:
  value: not-launched       # in-progress | stopped | not-launched
  observed: {today}
links: []
"""

PROJECT = """# Facts of the CLSS project {id}. Fill in every value, then run `clss check`.
quartier: {quartier}        # an id from content/quartiers/
title:
  fr: "{title}"
  nl: "{title}"
carrier: "…"
partners: []
themes: [acces-services]    # ids from content/themes.yml
dates: {{}}
figures: []
status: in-progress         # in-progress | stopped | completed
links: []
"""


def new(root: Path, kind: str, ident: str, quartier: str | None = None) -> int:
    if not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", ident):
        print(f"`{ident}` is not a valid id: use lower-case letters, digits and hyphens (e.g. bas-de-forest)")
        return 2
    folder = "quartiers" if kind == "quartier" else "projects"
    yml = root / "content" / folder / f"{ident}.yml"
    md = {lang: root / "content" / lang / folder / f"{ident}.md" for lang in ("fr", "nl")}
    existing = [p for p in (yml, *md.values()) if p.exists()]
    if existing:
        print(f"{existing[0].relative_to(root)} already exists; nothing written")
        return 1
    title = ident.replace("-", " ").title()
    if kind == "quartier":
        text = QUARTIER.format(id=ident, title=title, commune="molenbeek-saint-jean", today=dt.date.today().isoformat())
    else:
        text = PROJECT.format(id=ident, title=title, quartier=quartier or "…")
    yml.parent.mkdir(parents=True, exist_ok=True)
    yml.write_text(text, encoding="utf-8")
    for lang, path in md.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\n" + ("Texte à écrire.\n" if lang == "fr" else "Tekst te schrijven.\n"), encoding="utf-8")
    for p in (yml, *md.values()):
        print(f"wrote {p.relative_to(root)}")
    print("Fill in the YAML values and the texts, then run `clss check`.")
    return 0
