"""The rules of figures, for `clss check` (errors and warnings) and the release gate.

- each figure has alt text in both languages, or says `decorative: true` (not both);
- its file is inside content/, exists (or the figure is `pending: true`) and is an image that
  can be used (images.inspect: not damaged, not a bomb, an SVG without scripts);
- every `[[insert: figure ID]]` / `[[insert: gallery …]]` names figures or galleries of
  content/figures.yml, and galleries name known figures;
- the effective resolution at the printed width: below 150 ppi an error, below 300 a warning
  that blocks a release;
- a release refuses pending figures (listed with the line that declares them).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content, ContentError
from ..languages import CODES
from ..messages import Message, msg
from ..syntax import INSERT_RE, prose_lines
from . import images, placing
from .model import Illustration

FIGURES_FILE = "content/figures.yml"


@dataclass
class Use:
    """One placement of a figure: the Markdown file and line, and its printed width."""

    path: str
    line: int
    lang: str
    mm: float


@dataclass
class Review:
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # low resolution, unused figures…
    blockers: list[ContentError] = field(default_factory=list)  # pending figures, resolution < 300 ppi


def _line(content: Content, *key) -> int:
    return content.lines.get((FIGURES_FILE, *key), 1)


def _close(value: str, options) -> Message | str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return msg(" (did you mean `%(id)s`?)", id=close[0]) if close else ""


def _problem(path: str, line: int, message: Message) -> ContentError:
    """A problem whose message the CLI shows in the editor's language (clss.messages)."""
    return ContentError(path, line, str(message), message)


def resolve_ids(content: Content, name: str, arg: str) -> tuple[list[str], list[str]]:
    """The figure ids an insert shows, and the ids it names that are unknown."""
    ids = arg.split()
    if name == "gallery" and len(ids) == 1 and ids[0] in content.galleries:
        ids = list(content.galleries[ids[0]].figures)
    return [i for i in ids if i in content.figures], [i for i in ids if i not in content.figures]


def file_path(content: Content, fig: Illustration, lang: str) -> Path:
    return content.root / fig.file_for(lang)


def inside_content(content: Content, path: Path) -> bool:
    try:
        path.resolve().relative_to(content.root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def review(content: Content) -> Review:
    out = Review()
    infos = _declarations(content, out)
    uses = _placements(content, out)
    for fid, fig in content.figures.items():
        if fid not in uses and not any(fid in g.figures for g in content.galleries.values()):
            out.warnings.append(_problem(FIGURES_FILE, _line(content, "figures", _index(content, fid), "id"),
                                         msg("figure `%(id)s` is placed nowhere; place it with `[[insert: figure %(id)s]]` or remove it", id=fid)))
        if fig.pending:
            where = ", ".join(sorted({f"{u.path}:{u.line}" for u in uses.get(fid, [])})) or msg("placed nowhere")
            out.blockers.append(_problem(FIGURES_FILE, _line(content, "figures", _index(content, fid), "pending"),
                                         msg("figure `%(id)s` is pending: its file %(file)s is not supplied yet (%(where)s); "
                                             "add the file and remove `pending: true`", id=fid, file=fig.file_for("fr"), where=where)))
    for fid, placed in uses.items():
        for use in placed:
            info = infos.get((fid, use.lang))
            if info is None or info.vector:
                continue
            ppi = placing.ppi(info.width, use.mm)
            if ppi >= placing.PPI_WARN:
                continue
            facts = {"id": fid, "file": content.figures[fid].file_for(use.lang), "width": info.width, "height": info.height,
                     "mm": round(use.mm), "ppi": round(ppi), "needed": round(use.mm / 25.4 * placing.PPI_WARN)}
            if ppi < placing.PPI_ERROR:
                out.errors.append(_problem(use.path, use.line, msg(
                    "figure `%(id)s` (%(file)s, %(width)d×%(height)d px) prints %(mm)d mm wide at %(ppi)d ppi, below %(limit)d: "
                    "it would print blurred; supply a larger file (at least %(needed)d px wide) or give it a smaller `width:`",
                    limit=placing.PPI_ERROR, **facts)))
            else:
                problem = _problem(use.path, use.line, msg(
                    "figure `%(id)s` (%(file)s, %(width)d×%(height)d px) prints %(mm)d mm wide at %(ppi)d ppi, below the %(limit)d ppi "
                    "a print shop expects: supply a larger file (at least %(needed)d px wide) or give it a smaller `width:`",
                    limit=placing.PPI_WARN, **facts))
                out.warnings.append(problem)
                out.blockers.append(problem)
    return out


def _index(content: Content, fid: str) -> int:
    return list(content.figures).index(fid)


def _declarations(content: Content, out: Review) -> dict[tuple[str, str], images.ImageInfo]:
    infos: dict[tuple[str, str], images.ImageInfo] = {}
    for i, (fid, fig) in enumerate(content.figures.items()):
        if fig.decorative and fig.alt:
            out.errors.append(_problem(FIGURES_FILE, _line(content, "figures", i, "decorative"),
                                       msg("figure `%(id)s`: `decorative: true` and an `alt:` text; keep one (decorative means there is nothing to describe)", id=fid)))
        elif not fig.decorative and fig.alt is None and not fig.pending:
            out.errors.append(_problem(FIGURES_FILE, _line(content, "figures", i, "id"),
                                       msg("figure `%(id)s` has no alt text: describe what it shows under `alt:` (fr and nl), "
                                           "or say `decorative: true` when it adds nothing to the text", id=fid)))
        if fig.pending:
            continue
        key = ("figures", i, "file")
        seen: dict[str, images.ImageInfo | None] = {}
        for lang in CODES:
            rel = fig.file_for(lang)
            line = _line(content, *key, lang) if not isinstance(fig.file, str) else _line(content, *key)
            if rel in seen:
                if seen[rel] is not None:
                    infos[(fid, lang)] = seen[rel]  # type: ignore[assignment]
                continue
            seen[rel] = None
            path = content.root / rel
            if not inside_content(content, path):
                out.errors.append(_problem(FIGURES_FILE, line, msg("figure `%(id)s`: `%(file)s` leads outside content/ (a link?): put the image file itself inside content/", id=fid, file=rel)))
                continue
            if not path.is_file():
                out.errors.append(_problem(FIGURES_FILE, line, msg("figure `%(id)s`: file not found: content/%(file)s; add it, or mark the figure `pending: true` until it is supplied", id=fid, file=rel)))
                continue
            try:
                seen[rel] = infos[(fid, lang)] = images.inspect(path)
            except images.BadImage as exc:
                out.errors.append(_problem(FIGURES_FILE, line, msg("figure `%(id)s`: content/%(file)s: %(reason)s", id=fid, file=rel, reason=str(exc))))
    for gi, gal in enumerate(content.galleries.values()):
        for j, fid in enumerate(gal.figures):
            if fid not in content.figures:
                out.errors.append(_problem(FIGURES_FILE, _line(content, "galleries", gi, "figures", j),
                                           msg("gallery `%(gallery)s`: unknown figure `%(id)s`%(close)s; declare it under `figures:`",
                                               gallery=gal.id, id=fid, close=_close(fid, content.figures))))
    return infos


def _placements(content: Content, out: Review) -> dict[str, list[Use]]:
    uses: dict[str, list[Use]] = {}
    for lang in CODES:
        for relpath, page in content.pages[lang].items():
            if "[[insert:" not in page.body:
                continue
            column = placing.column_for(content, relpath)
            rel = content.rel(page.path)
            for i, text in prose_lines(page.body):
                mt = INSERT_RE.match(text.strip())
                if not mt or mt.group(1) not in ("figure", "gallery"):
                    continue
                name, arg, n = mt.group(1), mt.group(2) or "", page.body_line + i
                if not arg:
                    out.errors.append(_problem(rel, n, msg("`[[insert: %(name)s]]` names no figure; write `[[insert: %(name)s ID]]` with an id of content/figures.yml", name=name)))
                    continue
                if name == "figure" and len(arg.split()) > 1:
                    out.errors.append(_problem(rel, n, msg("`[[insert: figure %(ids)s]]` names several figures; use `[[insert: gallery %(ids)s]]` for a grid", ids=arg)))
                    continue
                ids, unknown = resolve_ids(content, name, arg)
                for u in unknown:
                    if u in content.figures_invalid:
                        continue  # its declaration failed to load: reported once, there
                    known = list(content.figures) + (list(content.galleries) if name == "gallery" else [])
                    out.errors.append(_problem(rel, n, msg("`[[insert: %(name)s %(ids)s]]`: unknown figure `%(id)s`%(close)s; declare it in content/figures.yml",
                                                           name=name, ids=arg, id=u, close=_close(u, known))))
                for fid in ids:
                    mm = placing.width_mm(content.figures[fid], column, in_gallery=name == "gallery")
                    uses.setdefault(fid, []).append(Use(rel, n, lang, mm))
    return uses


def run(content: Content) -> None:
    """`clss check`: add the errors and warnings of figures to the content."""
    if not content.figures and not content.galleries and not _any_figure_insert(content):
        return
    result = review(content)
    content.errors.extend(result.errors)
    content.warnings.extend(result.warnings)
    content.warnings.sort()


def blockers(content: Content) -> list[ContentError]:
    """What a release refuses: pending figures and images below 300 ppi where they print."""
    if not content.figures:
        return []
    return review(content).blockers


def _any_figure_insert(content: Content) -> bool:
    return any("[[insert: figure" in p.body or "[[insert: gallery" in p.body for pages in content.pages.values() for p in pages.values())
