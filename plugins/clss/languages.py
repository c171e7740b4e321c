"""The languages of the publications: one table that every module reads.

Adding a language means adding a row here (plus its gettext catalog and content/<code>/).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # folder under content/ and build/site/, <html lang>
    locale: str  # babel locale for dates, numbers and the gettext catalog
    name: str  # the language's name in itself (language switch, language-choice page)
    csl_locale: str  # citeproc locale for citations and bibliographies
    draft_mark: str  # the mark printed in the margin of draft PDFs


LANGUAGES: tuple[Language, ...] = (
    Language("fr", "fr_BE", "Français", "fr-FR", "Brouillon"),
    Language("nl", "nl_BE", "Nederlands", "nl-NL", "Ontwerp"),
)
CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
SOURCE = "fr"  # the language the publications are written in; the others translate it
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def get(code: str) -> Language:
    return _BY_CODE[code]


def others(code: str) -> tuple[str, ...]:
    return tuple(c for c in CODES if c != code)
