"""UI strings (gettext .po catalogs compiled at build time), dates and numbers via babel."""
from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from . import languages
from .messages import DOMAIN as EDITOR_DOMAIN

LOCALES_DIR = Path(__file__).parent / "locales"
LOCALE = {lang.code: lang.locale for lang in languages.LANGUAGES}


def _reader_catalogs(lang: str) -> list[Path]:
    """The readers' catalogs (messages, site, print); cli.po speaks to editors (clss.messages)."""
    return [p for p in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")) if p.stem != EDITOR_DOMAIN]


@functools.cache
def translations(lang: str) -> gettext.GNUTranslations:
    """Compile every locales/<lang>/LC_MESSAGES/*.po (site, print) in memory into one catalog."""
    merged = None
    for po_path in _reader_catalogs(lang):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=LOCALE[lang])
        if merged is None:
            merged = catalog
        else:
            for msg in catalog:
                if msg.id:
                    merged[msg.id] = msg
    if merged is None:  # no catalog for this language: messages stay in English
        return gettext.GNUTranslations()  # type: ignore[call-arg]
    buf = io.BytesIO()
    write_mo(buf, merged)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_for(lang: str):
    return translations(lang).gettext


def catalog_messages(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for po_path in _reader_catalogs(lang):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=LOCALE[lang])
        out.update({str(m.id): str(m.string or "") for m in catalog if m.id})
    return out


def date(value: dt.date, lang: str, fmt: str = "long") -> str:
    return format_date(value, format=fmt, locale=LOCALE[lang])


def written_date(value, lang: str, fmt: str = "long") -> str:
    """A date of the data as precise as it was entered: a full date written out, a month or a
    year as such (never a made-up first day of the month)."""
    if isinstance(value, dt.date):
        return date(value, lang, fmt)
    return month_or_year(str(value), lang)


def month_or_year(value: str, lang: str) -> str:
    """'2025-04' → 'avril 2025' / 'april 2025'; '2024' → '2024'."""
    if len(value) == 7:
        y, mth = value.split("-")
        return format_date(dt.date(int(y), int(mth), 1), format="MMMM y", locale=LOCALE[lang])
    return value


def number(value, lang: str) -> str:
    return format_decimal(value, locale=LOCALE[lang])


def number_words(value: int, lang: str) -> str:
    """18 → 'dix-huit' / 'achttien' (num2words), for counts written out in prose."""
    from num2words import num2words

    return num2words(value, lang=lang)


def language_name(lang: str, in_lang: str | None = None) -> str:
    return (Locale.parse(LOCALE[lang]).get_language_name(LOCALE[in_lang or lang]) or lang).capitalize()
