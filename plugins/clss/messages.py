"""What `clss` says to editors, in their language: French, Dutch or English (the fallback).

A problem or progress line is a `Message`: an English msgid with named parameters
(`msg("unknown commune `%(id)s`", id=...)`), kept as data until the CLI renders it with the
translator of the editor's language (`translator(lang)`, `Message.render(t)`). Its English
text is what `str()` gives, so tests and logs that read English keep working.

The catalogs are babel/gettext `.po` files like the site's, in their own domain
`locales/{fr,nl}/LC_MESSAGES/cli.po`: editor-facing words (YAML keys, `clss check`, file
names) stay apart from the readers' site and print strings, so that a translator of one is not
asked about the other. Extract with `pybabel extract -F babel.cfg` (see README.md).

The editor's language comes from `--ui-lang` or, as any program does, from the locale of the
environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); `ui_language()` reads it once, in the CLI.
"""
from __future__ import annotations

import functools
import gettext
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "cli"
ENGLISH = "en"
UI_LANGS = (ENGLISH, "fr", "nl")
LOCALES_DIR = Path(__file__).parent / "locales"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order
_DECIMAL_RE = re.compile(r"%\((\w+)\)\.(\d)f")


@dataclass(frozen=True)
class Message:
    """An English msgid and its named parameters; a parameter may itself be a Message."""

    id: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int | None = None

    def render(self, t: gettext.NullTranslations | None = None) -> str:
        t = t or gettext.NullTranslations()
        if self.plural is not None:
            text = t.ngettext(self.id, self.plural, self.n or 0)
        else:
            text = t.gettext(self.id)
        if not self.params and self.plural is None:
            return text
        values = {k: v.render(t) if isinstance(v, Message) else v for k, v in self.params}
        lang = t.info().get("language")
        if lang:  # decimals as the language writes them: "12,3 s"
            text = _DECIMAL_RE.sub(lambda mt: format_decimal(values[mt.group(1)], "0." + "0" * int(mt.group(2)), locale=lang)
                                   .replace("%", "%%"), text)
        return text % values

    def __str__(self) -> str:
        return self.render()

    def __rich__(self) -> str:  # a rich console that does not know the editor's language: English
        return self.render()


@dataclass(frozen=True)
class Problem:
    """The `path:line: message` line of a ContentError, rendered like a Message: on one line,
    in plain words."""

    error: Any

    def render(self, t: gettext.NullTranslations | None = None) -> str:
        shown = self.error.msg if getattr(self.error, "msg", None) is not None else self.error.message
        return f"{self.error.path}:{self.error.line}: {text(shown, t)}"

    def __str__(self) -> str:
        return self.render()

    def __rich__(self) -> str:
        from rich.markup import escape

        return escape(self.render())


def msg(msgid: str, **params: Any) -> Message:
    """A message to an editor: `msg("unknown wave `%(wave)s`", wave=q.wave)`."""
    return Message(msgid, tuple(params.items()))


def msg_n(singular: str, plural: str, n: int, **params: Any) -> Message:
    """A message whose words depend on a number `n` (`%(n)d problem` / `%(n)d problems`)."""
    return Message(singular, tuple({"n": n, **params}.items()), plural, n)


def M_(msgid: str) -> str:  # noqa: N802 - like gettext's N_, for the editor-facing catalog (N_ marks reader strings)
    """Mark a string for extraction; it is translated later (click help texts, labels)."""
    return msgid


@functools.cache
def translator(lang: str) -> gettext.NullTranslations:
    """The editor-facing catalog of `lang` (locales/<lang>/LC_MESSAGES/cli.po, compiled in
    memory); English, or a language without catalog, gets the msgids themselves."""
    po_path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == ENGLISH or not po_path.is_file():
        return gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def ui_language(option: str | None, environ: Mapping[str, str]) -> str:
    """The editor's language: `option` (--ui-lang) if given, else the first of LANGUAGE (a
    colon-separated list), LC_ALL, LC_MESSAGES, LANG that is set; `fr_BE.UTF-8` → `fr`.
    English when none names French or Dutch (C, POSIX, de_DE …)."""
    if option:
        return option if option in UI_LANGS else ENGLISH
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if not value:
            continue
        for item in value.split(":") if name == "LANGUAGE" else [value]:
            code = re.split(r"[_.@-]", item.strip(), maxsplit=1)[0].lower()
            if code in UI_LANGS:
                return code
        if name != "LANGUAGE":  # the first set locale variable decides, as in gettext
            return ENGLISH
    return ENGLISH


# --- one line, plain words ----------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ntr])")
_NAMES = {"\n": M_("line break"), "\t": M_("tab"), "\r": M_("carriage return"), "\xa0": M_("no-break space"),
          "\u202f": M_("narrow no-break space"), "\u200b": M_("zero-width space"), "\ufeff": M_("byte order mark"),
          "\u00ad": M_("soft hyphen"), "\u2028": M_("line separator"), "\u2029": M_("paragraph separator")}


def one_line(text: str) -> str:
    """One problem = one line: line breaks and control characters quoted from the content are
    written as Python escapes (which `plain` then names)."""
    return _CONTROL_RE.sub(lambda mt: mt.group(0).encode("unicode_escape").decode("ascii"), text)


def plain(text: str, t: gettext.NullTranslations | None = None) -> str:
    """Python escapes (`\\xa0`, `\\u202f`, `\\n` …) in a message → the character's name in words."""
    t = t or gettext.NullTranslations()

    def word(mt: re.Match) -> str:
        code = mt.group(1)
        ch = {"n": "\n", "t": "\t", "r": "\r"}.get(code) or chr(int(code[1:], 16))
        name = t.gettext(_NAMES[ch]) if ch in _NAMES else unicodedata.name(ch, "").lower() or f"U+{ord(ch):04X}"
        return f"[{name}]"

    return _ESCAPE_RE.sub(word, text)


def text(message: str | Message, t: gettext.NullTranslations | None = None) -> str:
    """A message as the editor reads it: in the language of `t`, on one line, in plain words."""
    rendered = message.render(t) if isinstance(message, Message) else message
    return plain(one_line(rendered), t)


@dataclass(frozen=True)
class UI:
    """The editor's language, as the CLI speaks it: `ui(message)` renders a message (progress,
    summaries), `ui.problem(error)` a `path:line: message` line."""

    lang: str
    t: gettext.NullTranslations

    @classmethod
    def of(cls, lang: str) -> UI:
        return cls(lang, translator(lang))

    def __call__(self, message: str | Message | Problem) -> str:
        return message.render(self.t) if isinstance(message, (Message, Problem)) else message

    def message(self, error: Any) -> str:
        """The message of a ContentError (or anything with `message` and `msg`), on one line."""
        shown = error.msg if getattr(error, "msg", None) is not None else error.message
        return text(shown, self.t)

    def problem(self, error: Any) -> str:
        """`path:line: message` of a ContentError."""
        return Problem(error).render(self.t)
