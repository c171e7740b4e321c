"""The release gate: what must not be published, one `path:line: message` per problem.

A plain `clss build` makes a draft (it builds, and says at the end what blocks a release);
`clss check --release` and `clss build --release` refuse while any of these remain:
- a missing or placeholder `site_url` (QR codes, printed addresses, canonical links need it);
- a scaffold marker left in a page (`<!-- TODO … -->`, written by `clss new`);
- a figure still pending (its file not supplied) or printing below 300 ppi (clss.figures);
- a page of the site or of a publication that is not translated, or whose translation is
  outdated, unless the publication's manifest allows showing the French text (`fallback: true`).
"""
from __future__ import annotations

import re
from pathlib import Path

from . import siteurl
from .content import Content, ContentError
from .languages import CODES, SOURCE
from .messages import Message, msg
from .syntax import prose_lines

TODO_MARK = "<!-- TODO"
TODO_HEADING = re.compile(r"^#{1,6}\s+TODO\s*$")


def blockers(root: Path, content: Content) -> list[ContentError]:
    out: list[ContentError] = []
    url = siteurl.read(root)
    if not url.url:
        out.append(_problem("mkdocs.yml", url.line, msg("no `site_url`: set the public address of the site (e.g. https://www.ccc-ggc.brussels/clss/) before a release")))
    elif not url.real:
        out.append(_problem("mkdocs.yml", url.line, msg("`site_url: %(url)s` is a placeholder: set the public address of the site before a release (QR codes and printed addresses use it)", url=url.url)))
    for lang in CODES:
        for page in content.pages[lang].values():
            for i, line in prose_lines(page.body):
                if TODO_MARK in line or TODO_HEADING.match(line):
                    out.append(_problem(content.rel(page.path), page.body_line + i, msg("text still to write (scaffold marker `<!-- TODO`): write it and remove the marker")))
    allowed = _fallback_allowed(content)
    for relpath in sorted(content.pages[SOURCE]):
        if relpath in allowed:
            continue
        for lang in CODES:
            state = content.translation_state(relpath, lang)
            if lang == SOURCE or state == "up-to-date":
                continue
            target = f"content/{lang}/{relpath}"
            if state == "missing":
                out.append(_problem(target, 1, msg("not translated yet: write the %(LANG)s page (readers would see the French text), or allow the fallback in the publication's manifest (`fallback: true`)", LANG=lang.upper())))
            else:
                out.append(_problem(target, 1, msg("outdated translation: the French page content/%(src)s/%(path)s changed since; update the translation and re-stamp it (clss translations --mark %(target)s)", src=SOURCE, path=relpath, target=target)))
    from .figures import review as figures  # pending figures, images below 300 ppi where they print

    out += figures.blockers(content)
    return sorted(out)


def _problem(path: str, line: int, message: Message) -> ContentError:
    return ContentError(path, line, str(message), message)


def _fallback_allowed(content: Content) -> set[str]:
    """Chapter paths of publications whose manifest allows the French text as a fallback."""
    return {f"publications/{pub.id}/{ch}.md" for pub in content.publications.values() if pub.fallback for ch in pub.chapters}
