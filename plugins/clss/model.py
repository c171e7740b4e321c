"""The content model: typed schemas of every YAML file under content/.

Plain Python + pydantic: nothing here knows about MkDocs or pandoc. Every model forbids
unknown keys, so a typo such as `statut:` for `status:` is an error (see load.py for how
errors are turned into `path:line: message`).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, AfterValidator

LANGS = ("fr", "nl")
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
        raise ValueError(f"`{value}` is not a well-formed http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_url)]


class Localized(Strict):
    """A text given in both languages."""

    fr: Text
    nl: Text

    def get(self, lang: str) -> str:
        return getattr(self, lang)


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


class Theme(Strict):
    id: Slug
    waves: list[Literal["1.0", "2.0"]]
    label: Localized
    short: Localized


class Themes(Strict):
    themes: list[Theme]


class Referent(Strict):
    name: Text
    wave: Literal["1.0", "2.0"]
    quartier: Slug | None = None

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

STATUSES = ("in-progress", "stopped", "not-launched")


class Status(Strict):
    value: Literal["in-progress", "stopped", "not-launched"]
    observed: dt.date
    source: str | None = None


def _wave_str(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
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

    def section(self, content, lang: str):
        """The linked section on the page of `lang` (anchor, heading, chapter path), or None."""
        from .sections import resolve

        return resolve(content, self.publication, self.chapter, self.anchor, lang)



class Quartier(Strict):
    """Language-neutral facts of one CLSS quartier (content/quartiers/<id>.yml)."""

    id: Slug
    name: Localized
    aliases: list[Text] = []
    commune: Slug
    wave: Literal["1.0", "2.0"]
    launched: int | None = Field(default=None, ge=2015, le=2040)  # None while not launched
    status: Status
    cpas: Localized | None = None  # only when it differs from the commune's CPAS
    links: list[Link] = []
    sources: list[Source] = []

    @field_validator("wave", mode="before")
    @classmethod
    def _wave(cls, v):
        return _wave_str(v)


class Figure(Strict):
    value: int | float
    label: Localized
    year: int | None = Field(default=None, ge=2015, le=2040)


YearMonth = Annotated[str, Field(pattern=r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?$")]


class Dates(Strict):
    """Known dates only, as `2024` or `2025-04` (year or year-month)."""

    start: YearMonth | None = None
    end: YearMonth | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _year(cls, v):
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Project(Strict):
    """Language-neutral facts of one CLSS project (content/projects/<id>.yml)."""

    id: Slug
    quartier: Slug
    title: Localized
    subtitle: Localized | None = None
    carrier: Text
    partners: list[Text] = []
    themes: list[Slug] = Field(min_length=1)
    dates: Dates = Dates()
    figures: list[Figure] = []
    status: Literal["in-progress", "stopped", "completed"]
    links: list[Link] = []
    sources: list[Source] = []


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


class PrintSettings(Strict):
    template: Literal["report", "brochure"]
    paper: Literal["a4", "a5"] = "a4"
    columns: Literal[1, 2] = 1


class Publication(Strict):  # noqa: D101
    """A publication manifest (content/publications/<id>.yml)."""

    id: Slug
    kind: Literal["report", "brochure"]
    title: Localized
    subtitle: Localized | None = None
    date: dt.date | YearMonth  # a full date, or the year (month) when only that is known
    credits: Credits
    citation: Localized
    legal_deposit: Annotated[str, Field(pattern=r"^D/\d{4}/\d{4}/\d+$")] | None = None
    contact: Contact
    chapters: list[Annotated[str, Field(pattern=r"^[0-9]{2}-[a-z0-9-]+$")]] = Field(min_length=1)
    back_cover: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    print: PrintSettings

    @field_validator("date", mode="before")
    @classmethod
    def _year(cls, v):
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @property
    def day(self) -> dt.date:
        """A concrete date for timestamps and sorting (1 January when only the year is known)."""
        if isinstance(self.date, dt.date):
            return self.date
        parts = [int(x) for x in self.date.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], 1)


# --- prose --------------------------------------------------------------------------------

FRONT_MATTER_KEYS = ("title", "description", "translation_of")


class FrontMatter(Strict):
    """Front matter of a prose page: translatable text only, plus the translation stamp."""

    title: Text | None = None
    description: Text | None = None
    translation_of: Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")] | None = None
