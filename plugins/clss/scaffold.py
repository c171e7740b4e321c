"""`clss new quartier|project|publication ID`: files whose facts are visibly unfilled.

Nothing is invented: every fact is `TODO` (which `clss check` reports, with its line, until an
editor fills it in) and the French text is a scaffold marker that blocks a release. No Dutch page
is written: until a translator writes it, the Dutch site and PDFs show the French text with a
"not yet translated" notice.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .languages import SOURCE
from .messages import Message, msg

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

QUARTIER = """# Facts of the CLSS quartier `{id}`. Replace every TODO, then run `clss check`.
name:
  fr: TODO
  nl: TODO
commune: TODO               # an id from content/communes.yml
wave: TODO                  # an id from content/waves.yml, e.g. "2.0"
history:                    # dated observations, oldest first; the latest is the current state
  - date: TODO              # YYYY-MM-DD, or the year alone
    status: TODO            # in-progress (the first one is the launch) | stopped | not-launched
    source: TODO            # id of the publication that reports it (content/publications/)
links: []
"""

PROJECT = """# Facts of the CLSS project `{id}`. Replace every TODO, then run `clss check`.
quartier: {quartier}
title:
  fr: TODO
  nl: TODO
carrier:
  fr: TODO
  nl: TODO
partners: []                # e.g. - {{fr: CPAS de Forest, nl: OCMW Vorst}}
themes: [TODO]              # ids from content/themes.yml
dates: {{}}                 # start / end as YYYY or YYYY-MM, when known
figures: []                 # - {{value: 140, date: 2024, label: {{fr: …, nl: …}}}}
history:
  - date: TODO
    status: TODO            # in-progress | stopped | completed
    source: TODO
links: []
"""

PUBLICATION = """# Manifest of the publication `{id}`. Replace every TODO, then run `clss check`.
kind: {kind}
title:
  fr: TODO
  nl: TODO
date: TODO                  # YYYY-MM-DD (or YYYY-MM, or the year)
as_of: TODO                 # the day its facts (statuses, counts, lists) are frozen at: YYYY-MM-DD
credits:
  author: [TODO]
citation:
  fr: TODO
  nl: TODO
contact:
  organisation:
    fr: TODO
    nl: TODO
chapters:
  - 00-{first}
fallback: false             # true: a release may show the French text of untranslated chapters
print:
  template: {template}
  paper: {paper}
"""

TEXT = """# TODO

<!-- TODO: write the text of this {what}, then remove this line. -->
"""

KINDS = {"report": ("report", "a4"), "brochure": ("brochure", "a4"), "fascicule": ("brochure", "a5")}


def new(root: Path, kind: str, ident: str, quartier: str | None = None, pub_kind: str = "report",
        say: Callable[[Message], None] = print) -> int:
    """Write the files; `say` prints what was done (the CLI: in the editor's language)."""
    if not ID_RE.match(ident):
        suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-") or "my-id"
        say(msg("`%(id)s` is not a valid id: use lower-case letters, digits and hyphens, e.g. `%(suggestion)s`", id=ident, suggestion=suggestion))
        return 2
    content = root / "content"
    if kind == "publication":
        first = "introduction"
        files = {
            content / "publications" / f"{ident}.yml": PUBLICATION.format(id=ident, kind=pub_kind, first=first, template=KINDS[pub_kind][0], paper=KINDS[pub_kind][1]),
            content / SOURCE / "publications" / ident / f"00-{first}.md": TEXT.format(what="chapter"),
        }
    elif kind == "quartier":
        files = {content / "quartiers" / f"{ident}.yml": QUARTIER.format(id=ident),
                 content / SOURCE / "quartiers" / f"{ident}.md": TEXT.format(what="quartier")}
    else:
        files = {content / "projects" / f"{ident}.yml": PROJECT.format(id=ident, quartier=quartier or "TODO               # the id of its quartier (content/quartiers/)"),
                 content / SOURCE / "projects" / f"{ident}.md": TEXT.format(what="project")}
    existing = [p for p in files if p.exists()]
    if existing:
        say(msg("%(path)s already exists; nothing written", path=str(existing[0].relative_to(root))))
        return 1
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        say(msg("wrote %(path)s", path=str(path.relative_to(root))))
    say(msg("Replace every TODO, then run `clss check`. The Dutch text is for the translator: until it exists, "
            "the Dutch site and PDFs show the French text with a notice."))
    return 0
