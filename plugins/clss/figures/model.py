"""The schema of content/figures.yml: photos and drawings with their alt text and caption per
language (one figure, two texts), credit, pending state and print hints; galleries.

(Kept apart from clss.model, which it builds on; a project's key figures are `model.Figure`.)
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from ..messages import msg
from ..model import Localized, Slug, Strict, Text

MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".svg")


def _media_path(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", value) or ".." in parts or "://" in value:
        raise ValueError(msg("`%(path)s` is outside content/: give the path of a file inside content/, e.g. media/brochure-5-ans/pleniere.jpg", path=value))
    if not value.lower().endswith(MEDIA_SUFFIXES):
        raise ValueError(msg("`%(path)s` is not an image file name: use a .jpg, .png, .webp or .svg file (convert a TIFF to JPEG or PNG)", path=value))
    return value


MediaPath = Annotated[str, Field(max_length=300, description="Path relative to content/, e.g. media/brochure-5-ans/pleniere.jpg"),
                      AfterValidator(_media_path)]


class LocalizedFile(Strict):
    """One image file per language (a picture with text in it)."""

    fr: MediaPath
    nl: MediaPath

    def get(self, lang: str) -> str:
        return getattr(self, lang)


PrintWidth = Annotated[str, Field(pattern=r"^\d{1,3}(?:\.\d+)?mm$")] | Annotated[float, Field(gt=0, le=1)]


class Illustration(Strict):
    """A photo or drawing placed in the prose with `[[insert: figure ID]]` (content/figures.yml).
    One figure, two texts: `alt` and `caption` per language; the file is shared unless given per
    language. (A project's key figures are `Figure`.)"""

    id: Slug
    file: MediaPath | LocalizedFile  # relative to content/, e.g. media/brochure-5-ans/pleniere.jpg
    kind: Literal["photo", "drawing"] = "photo"
    alt: Localized | None = None  # what the picture shows, for readers who cannot see it
    decorative: bool = False  # instead of `alt`: the picture adds nothing to the text
    caption: Localized | None = None
    credit: Text | None = None  # e.g. "© Victoire 2Rivoyre"
    pending: bool = False  # the file is not supplied yet: a labelled box stands in (drafts only)
    width: PrintWidth | None = None  # print: "80mm", or a fraction of the column width (0.5)
    placement: Literal["here", "top", "bottom"] = "here"  # print: where on the page

    @field_validator("file", mode="before")
    @classmethod
    def _file(cls, v):
        return _media_path(v) if isinstance(v, str) else v  # one plain message, not one per union branch

    def file_for(self, lang: str) -> str:
        return self.file if isinstance(self.file, str) else self.file.get(lang)


class Gallery(Strict):
    """Figures shown together as a grid: `[[insert: gallery ID]]`."""

    id: Slug
    figures: list[Slug] = Field(min_length=1)


class Illustrations(Strict):
    """content/figures.yml: every photo and drawing of the prose, and the galleries."""

    figures: list[Illustration] = []
    galleries: list[Gallery] = []
