"""The content model: typed schemas of every YAML file under content/.

Plain Python + pydantic: nothing here knows about MkDocs or pandoc. Every model forbids
unknown keys, so a typo such as `statut:` for `status:` is an error (see load.py for how
errors are turned into `path:line: message`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .messages import msg
from .vocab import PROJECT_STATUSES, QUARTIER_STATUSES

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#][^\s<>\"]*)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, AfterValidator(_non_empty)]
Slug = Annotated[str, Field(pattern=SLUG, max_length=80)]


def _url(value: str) -> str:
    if not URL_RE.match(value):
        raise ValueError(msg("`%(url)s` is not a well-formed http(s) URL", url=value))
    return value


Url = Annotated[str, AfterValidator(_url)]


class Localized(Strict):
    """A text given in both languages."""

    fr: Text
    nl: Text

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class LocalizedList(Strict):
    """A list of texts per language (e.g. the names a quartier is also known by); may be empty."""

    fr: list[Text] = []
    nl: list[Text] = []

    def get(self, lang: str) -> list[str]:
        return getattr(self, lang)


def _year_str(v):
    """`2024` typed as a number is the year "2024" (never a Unix timestamp)."""
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


YearMonth = Annotated[str, Field(pattern=r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?$"), BeforeValidator(_year_str)]
DateOrYear = Annotated[dt.date | YearMonth, BeforeValidator(_year_str)]  # 2025-11-25, 2025-04 or 2025


def first_day(value: dt.date | str) -> dt.date:
    """The first day a date, `2025-04` or `2025` stands for."""
    if isinstance(value, dt.date):
        return value
    parts = [int(x) for x in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, 1)


def last_day(value: dt.date | str) -> dt.date:
    """The last day a date, `2025-04` or `2025` stands for."""
    if isinstance(value, dt.date):
        return value
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])


class Link(Strict):
    url: Url
    label: Localized


# --- reference data -----------------------------------------------------------------


class Commune(Strict):
    id: Slug
    name: Localized
    cpas: Localized  # "CPAS de Forest" / "OCMW Vorst"


class Communes(Strict):
    communes: list[Commune]


WaveId = Annotated[str, Field(pattern=r"^\d+\.\d+$")]


class Wave(Strict):
    """A wave of CLSS quartiers (content/waves.yml): `1.0` started in 2021, `2.0` in 2023…"""

    id: WaveId
    start: int = Field(ge=2015, le=2100)  # the year its quartiers were launched or designated

    @field_validator("id", mode="before")
    @classmethod
    def _wave(cls, v):
        return _wave_str(v)


class Waves(Strict):
    waves: list[Wave] = Field(min_length=1)


class Theme(Strict):
    id: Slug
    waves: list[WaveId]
    label: Localized
    short: Localized


class Themes(Strict):
    themes: list[Theme]


class Referent(Strict):
    name: Text
    wave: WaveId
    quartier: Slug | None = None
    listed: dt.date  # the date of the list that names this referent
    until: dt.date | None = None  # the day the referent left the post, when known

    @field_validator("wave", mode="before")
    @classmethod
    def _wave(cls, v):
        return _wave_str(v)


class Referents(Strict):
    referents: list[Referent]


class GlossaryTerm(Strict):
    fr: Text
    nl: Text
    avoid: list[Text] = []
    note: str | None = None


class Glossary(Strict):
    terms: list[GlossaryTerm]


# --- quartiers and projects ------------------------------------------------------------

class Observation(Strict):
    """One dated fact about the state of a quartier or project: on `date` its status was `status`
    (a launch is the first `in-progress`), as published in `source` (a publication id)."""

    date: DateOrYear
    status: str
    source: Slug | None = None

    @property
    def day(self) -> dt.date:
        return first_day(self.date)


class QuartierObservation(Observation):
    status: Literal[QUARTIER_STATUSES]  # type: ignore[valid-type]


class ProjectObservation(Observation):
    status: Literal[PROJECT_STATUSES]  # type: ignore[valid-type]


def _wave_str(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e6:  # 999…9 would overflow float()
        return f"{float(v):.1f}"
    return v


class Source(Strict):
    """A section of a publication that a quartier's or project's facts come from: the chapter
    (an id from the publication's `chapters:`) and the anchor of a heading on that chapter's
    page in French (as the site's toc gives it). Checked by `clss check`; listed as links
    under "Sources" on the page."""

    publication: Slug
    chapter: Annotated[str, Field(pattern=r"^[0-9]{2}-[a-z0-9-]+$")]
    anchor: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]


class _Dated(Strict):
    """Something whose state is a dated history; the current state is the latest observation."""

    history: list[Observation] = Field(min_length=1)

    @property
    def current(self) -> Observation:
        return max(self.history, key=lambda o: o.day)

    @property
    def first(self) -> Observation:
        return min(self.history, key=lambda o: o.day)


class Quartier(_Dated):
    """Language-neutral facts of one CLSS quartier (content/quartiers/<id>.yml)."""

    id: Slug
    name: Localized
    aliases: LocalizedList = LocalizedList()
    commune: Slug
    wave: WaveId
    history: list[QuartierObservation] = Field(min_length=1)  # type: ignore[assignment]
    cpas: Localized | None = None  # only when it differs from the commune's CPAS
    links: list[Link] = []
    sources: list[Source] = []

    @field_validator("wave", mode="before")
    @classmethod
    def _wave(cls, v):
        return _wave_str(v)

    @property
    def launched(self) -> int | None:
        """The year of the first `in-progress` observation (None while not launched)."""
        days = [o.day for o in self.history if o.status == "in-progress"]
        return min(days).year if days else None


class Figure(Strict):
    value: int | float
    label: Localized
    date: DateOrYear  # the date (or year) the figure describes

    @property
    def day(self) -> dt.date:
        return first_day(self.date)


class Dates(Strict):
    """Known dates only, as `2024` or `2025-04` (year or year-month)."""

    start: YearMonth | None = None
    end: YearMonth | None = None


class Project(_Dated):
    """Language-neutral facts of one CLSS project (content/projects/<id>.yml)."""

    id: Slug
    quartier: Slug
    title: Localized
    subtitle: Localized | None = None
    carrier: Localized
    partners: list[Localized] = []
    themes: list[Slug] = Field(min_length=1)
    dates: Dates = Dates()
    figures: list[Figure] = []
    history: list[ProjectObservation] = Field(min_length=1)  # type: ignore[assignment]
    links: list[Link] = []
    sources: list[Source] = []


# --- the timeline of the CLSS (content/timeline.yml) ------------------------------------------

ChartText = Annotated[str, AfterValidator(_non_empty), Field(max_length=46)]  # one line on a phone


class ChartLabel(Localized):
    """A label drawn on a chart, in both languages: at most 46 characters, so that it fits on one
    line of the chart on a phone."""

    fr: ChartText
    nl: ChartText


class TimelineEvent(Strict):
    """A dated step of the CLSS drawn on the timeline; the waves come from waves.yml."""

    date: DateOrYear  # 2024, 2025-11 or 2025-11-25: as precisely as the source says
    kind: Literal["quartiers", "region", "milestone"]  # in the quartiers; the Region's plans and rules; a milestone
    label: ChartLabel
    source: Source  # the section of a publication that says so

    @property
    def day(self) -> dt.date:
        return first_day(self.date)


class Timeline(Strict):
    events: list[TimelineEvent] = Field(min_length=1)


# --- publications ------------------------------------------------------------------------


class Credits(Strict):
    author: list[Text]
    reviewers: list[Text] = []
    translation: Text | None = None
    layout: Text | None = None
    editor: Localized | None = None  # e.g. the funder's line "Avec le soutien de …"


class Contact(Strict):
    name: Text | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    organisation: Localized
    address: Localized | None = None
    phone: Text | None = None
    org_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    url: Url | None = None


ChapterId = Annotated[str, Field(pattern=r"^[0-9]{2}-[a-z0-9-]+$")]


class PrintSettings(Strict):
    template: Literal["report", "brochure"]  # a fascicule prints with the brochure template
    paper: Literal["a4", "a5"] = "a4"
    columns: Literal[1, 2] = 1
    # a book (report): the running head of left-hand pages (default: the title, cut to 70
    # characters) and of right-hand pages per chapter (default: the chapter's first heading)
    short_title: Localized | None = None
    running_heads: dict[ChapterId, Localized] = {}
    recto: list[ChapterId] = []  # chapters that open on a right-hand page (parts)
    run_on: list[ChapterId] = []  # chapters that follow on the same page (no page break)
    paper_thickness_mm: Annotated[float, Field(gt=0, le=1)] | None = None  # spine of the cover spread


class Publication(Strict):  # noqa: D101
    """A publication manifest (content/publications/<id>.yml)."""

    id: Slug
    kind: Literal["report", "brochure", "fascicule"]
    title: Localized
    subtitle: Localized | None = None
    date: DateOrYear  # a full date, or the year (month) when only that is known
    as_of: dt.date | None = None  # the day its facts are frozen at (default: the last day of `date`)
    credits: Credits
    citation: Localized
    legal_deposit: Annotated[str, Field(pattern=r"^D/\d{4}/\d{4}/\d+$")] | None = None
    contact: Contact
    chapters: list[ChapterId] = Field(min_length=1)
    back_cover: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    fallback: bool = False  # a release may show the French text of chapters not yet translated
    print: PrintSettings

    @model_validator(mode="after")
    def _print_chapters(self) -> Publication:
        named = [*self.print.running_heads, *self.print.recto, *self.print.run_on]
        unknown = sorted({c for c in named if c not in self.chapters})
        if unknown:
            raise ValueError(msg("print: unknown chapter %(unknown)s; the chapters are %(chapters)s",
                                 unknown=", ".join(unknown), chapters=", ".join(self.chapters)))
        return self

    @property
    def day(self) -> dt.date:
        """A concrete date for timestamps and sorting (1 January when only the year is known)."""
        return first_day(self.date)

    @property
    def facts_date(self) -> dt.date:
        """The day the publication's facts are frozen at: everything it renders from data is as of it."""
        return self.as_of or last_day(self.date)


# --- prose --------------------------------------------------------------------------------

FRONT_MATTER_KEYS = ("title", "description", "translation_of")


class FrontMatter(Strict):
    """Front matter of a prose page: translatable text only, plus the translation stamp."""

    title: Text | None = None
    description: Text | None = None
    translation_of: Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")] | None = None
