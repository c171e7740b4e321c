"""pybabel extractor for the cli catalogs (babel.cfg): the msg()/M_() calls of clss/cli.py, and
the help texts of its commands and options (docstrings and help=) with click's own words."""
from __future__ import annotations

from babel.messages.extract import extract_python

from .cli import cli
from .cli_language import CLICK_WORDS, help_texts


def extract(fileobj, keywords, comment_tags, options):
    yield from extract_python(fileobj, keywords, comment_tags, options)
    for text in dict.fromkeys([*help_texts(cli), *CLICK_WORDS]):
        yield 0, "", text, []
