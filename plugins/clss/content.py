"""The loaded content: every YAML fact and prose page, the problems found, and views of it
as of a date. Plain data: nothing here reads files, knows MkDocs or calls pandoc."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .figures.model import Gallery, Illustration
from .languages import CODES as LANGS
from .languages import SOURCE
from .messages import Message, one_line


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    message: str  # in English, on one line
    msg: Message | None = field(default=None, compare=False)  # the same, to render in the editor's language

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Page:
    """One Markdown prose file of one language."""

    lang: str
    relpath: str  # posix path under content/<lang>/, e.g. "quartiers/marolles.md"
    path: Path
    meta: m.FrontMatter
    body: str
    body_line: int  # 1-based line number of the first body line in the file
    raw: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:12]

    @property
    def title(self) -> str | None:
        if self.meta.title:
            return self.meta.title
        for line in self.body.splitlines():
            mt = re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)
            if mt:
                return mt.group(1)
        return None


@dataclass(frozen=True)
class Translation:
    state: str  # up-to-date | outdated | missing
    changed: int  # source blocks new or changed since the translation was stamped
    total: int  # blocks of the source page


@dataclass
class Content:
    root: Path
    communes: dict[str, m.Commune] = field(default_factory=dict)
    themes: dict[str, m.Theme] = field(default_factory=dict)
    referents: list[m.Referent] = field(default_factory=list)
    glossary: list[m.GlossaryTerm] = field(default_factory=list)
    quartiers: dict[str, m.Quartier] = field(default_factory=dict)
    projects: dict[str, m.Project] = field(default_factory=dict)
    publications: dict[str, m.Publication] = field(default_factory=dict)
    bibliography: list[dict] = field(default_factory=list)
    waves: dict[str, m.Wave] = field(default_factory=dict)
    timeline: list[m.TimelineEvent] = field(default_factory=list)  # content/timeline.yml (the waves aside)
    pages: dict[str, dict[str, Page]] = field(default_factory=lambda: {lang: {} for lang in LANGS})
    errors: list[ContentError] = field(default_factory=list)
    lines: dict[tuple, int] = field(default_factory=dict)  # (relpath, *key path) -> line
    translations: dict[tuple[str, str], Translation] = field(default_factory=dict)  # (lang, relpath) ->
    figures: dict[str, Illustration] = field(default_factory=dict)  # content/figures.yml
    galleries: dict[str, Gallery] = field(default_factory=dict)
    figures_invalid: set[str] = field(default_factory=set)  # ids of figures.yml entries that failed to load (reported once)
    warnings: list[ContentError] = field(default_factory=list)  # shown by `clss check`; some block a release

    @property
    def ok(self) -> bool:
        return not self.errors

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path | str, line: int, message: str | Message) -> ContentError:
        """A problem at `path:line`, as `error` records it (not recorded)."""
        p = self.rel(path) if isinstance(path, Path) else path
        # one problem = one line: escape line breaks and control characters quoted from the content
        text = one_line(str(message))
        return ContentError(p, max(int(line), 1), text, message if isinstance(message, Message) else None)

    def error(self, path: Path | str, line: int, message: str | Message) -> None:
        self.errors.append(self.problem(path, line, message))

    def as_of(self, day: dt.date) -> Content:
        """The content as it stood on `day`: quartiers and projects with no observation on or
        before it are absent, histories stop at it, figures and referents listed later are left
        out. Prose pages are the same (a publication's own text is dated by its editors)."""
        quartiers = {}
        for q in self.quartiers.values():
            history = [o for o in q.history if o.day <= day]
            if history:
                quartiers[q.id] = q.model_copy(update={"history": history})
        projects = {}
        for p in self.projects.values():
            seen = [o for o in p.history if o.day <= day]
            if seen and p.quartier in quartiers:
                figures = [f for f in p.figures if f.day <= day]
                projects[p.id] = p.model_copy(update={"history": seen, "figures": figures})
        referents = [r for r in self.referents if r.listed <= day and (r.until is None or r.until > day)]
        waves = {w.id: w for w in self.waves.values() if w.start <= day.year}
        timeline = [e for e in self.timeline if e.day <= day]
        return dataclasses.replace(self, quartiers=quartiers, projects=projects, referents=referents, waves=waves,
                                   timeline=timeline)

    def observed(self) -> dt.date | None:
        """The date of the latest observation of any quartier or project."""
        days = [o.day for x in (*self.quartiers.values(), *self.projects.values()) for o in x.history]
        return max(days) if days else None

    def projects_of(self, quartier_id: str) -> list[m.Project]:
        return sorted((p for p in self.projects.values() if p.quartier == quartier_id), key=lambda p: p.id)

    def referents_of(self, quartier_id: str) -> list[m.Referent]:
        return [r for r in self.referents if r.quartier == quartier_id]

    def cpas_of(self, q: m.Quartier) -> m.Localized | None:
        if q.cpas:
            return q.cpas
        commune = self.communes.get(q.commune)
        return commune.cpas if commune else None

    def translation(self, relpath: str, lang: str | None = None) -> Translation:
        """The state of the `lang` page translating source page `relpath` (block-level stamps,
        read by the loader from content/translations/)."""
        lang = lang or next(c for c in LANGS if c != SOURCE)
        return self.translations.get((lang, relpath), Translation("missing", 0, 0))

    def translation_state(self, relpath: str, lang: str | None = None) -> str:
        """'up-to-date', 'outdated' or 'missing'."""
        return self.translation(relpath, lang).state


