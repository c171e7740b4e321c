"""The `clss` command in the editor's language: the help texts of the click commands and
options, and click's own words in a help page (Usage, Options, Commands, [default: …]).

The help texts are English msgids of the cli catalogs (clss.messages). `localize(cli, ui)` puts
them in `ui`'s language before click reads them; the English msgid of each is kept on its
object the first time, so that localizing again (another language, or English) starts from it.
"""
from __future__ import annotations

import gettext
import os
import re
from collections.abc import Iterable, Iterator

import click
from rich.console import Console
from rich.markup import escape

from .messages import M_, UI, Message, Problem, ui_language

CLICK_WORDS = (M_("Usage:"), M_("Options:"), M_("Commands:"), M_("Show this message and exit."), M_("[default: %(value)s]"))
_DEFAULT_RE = re.compile(r"\[default: ([^\]]*)\]")


def current_ui() -> UI:
    """The editor's language of this command (set by clss.cli.main or --ui-lang; else the locale)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(UI) if ctx is not None else None
    return found or UI.of(ui_language(None, os.environ))


def error_console() -> UIConsole:
    """Standard error, speaking the editor's language (what build and serve say on their way)."""
    return UIConsole(current_ui(), stderr=True, highlight=False)


def say(message) -> None:
    """Print a message (clss.messages) in the editor's language."""
    click.echo(current_ui()(message))


def ui_lang_arg(argv: list[str]) -> str | None:
    """The value of --ui-lang in `argv`, read before click parses it: the help texts must be in
    the editor's language before click prints them (`clss --ui-lang nl --help`)."""
    for i, arg in enumerate(argv):
        if arg == "--ui-lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
    return None


def commands(command: click.Command) -> Iterator[click.Command]:
    """`command` and all its subcommands."""
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from commands(sub)


def help_texts(command: click.Command) -> Iterator[str]:
    """The English help texts of `command`, its subcommands and their options (the msgids)."""
    for cmd in commands(command):
        ids = _msgids(cmd)
        yield from (t for t in (ids["help"], ids["short_help"]) if t)
        for p in cmd.params:
            if isinstance(p, click.Option) and _msgids(p)["help"]:
                yield _msgids(p)["help"]


def localize(command: click.Command, ui: UI) -> None:
    """Help texts of `command` and its subcommands in the language of `ui`."""
    for cmd in commands(command):
        ids = _msgids(cmd)
        cmd.help = _t(ui.t, ids["help"])
        cmd.short_help = _t(ui.t, ids["short_help"])
        cmd.context_class = LocalizedContext
        for p in cmd.params:
            if isinstance(p, click.Option):
                p.help = _t(ui.t, _msgids(p)["help"])


def _msgids(obj: click.Command | click.Option) -> dict:
    if isinstance(obj, click.Command):
        return vars(obj).setdefault("_clss_msgids", {"help": obj.help, "short_help": obj.short_help})
    return vars(obj).setdefault("_clss_msgids", {"help": obj.help})


def _t(t: gettext.NullTranslations, msgid: str | None) -> str | None:
    return t.gettext(msgid) if msgid else msgid  # gettext("") is the catalog's header


class LocalizedFormatter(click.HelpFormatter):
    """click's help page with its own words from the cli catalogs."""

    def __init__(self, t: gettext.NullTranslations, **kwargs) -> None:
        super().__init__(**kwargs)
        self.t = t

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else self.t.gettext("Usage:") + " ")

    def write_heading(self, heading: str) -> None:  # "Options:" → "Options :" (French), "Opties:"
        self.write(f"{'':>{self.current_indent}}{self.t.gettext(heading + ':')}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        def row_help(text: str) -> str:
            text = _DEFAULT_RE.sub(lambda mt: self.t.gettext("[default: %(value)s]") % {"value": mt.group(1)}, text)
            return self.t.gettext(text) if text else text  # e.g. click's "Show this message and exit."

        super().write_dl([(term, row_help(text)) for term, text in rows], col_max, col_spacing)


class UIConsole(Console):
    """A rich console that prints messages and problems (clss.messages) in the editor's language;
    what build and serve say goes through it."""

    def __init__(self, ui: UI, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ui = ui

    def print(self, *objects, **kwargs) -> None:  # type: ignore[override]
        super().print(*(self._shown(o) for o in objects), **kwargs)

    def _shown(self, obj):
        if isinstance(obj, Problem):  # quotes the content: no rich markup in it
            return escape(self.ui(obj))
        return self.ui(obj) if isinstance(obj, Message) else obj


class LocalizedContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        ui = self.find_object(UI)
        t = ui.t if ui is not None else gettext.NullTranslations()
        return LocalizedFormatter(t, width=self.terminal_width, max_width=self.max_content_width)
