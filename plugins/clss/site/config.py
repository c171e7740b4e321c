"""Options of the `clss` MkDocs plugin, with their defaults, in one place.

`clss build` and `clss serve` set them on `config.plugins["clss"].config` after MkDocs'
`load_config` (see clss.site.build.load_site_config); in mkdocs.yml they can be given like
any plugin option for a plain `mkdocs build`.
"""
from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..languages import CODES, SOURCE


class ClssConfig(Config):
    lang = c.Choice(CODES, default=SOURCE)  # the language this MkDocs build renders
    content_dir = c.Type(str, default="content")  # read when no Content object was handed over
    print_dir = c.Type(str, default="build/print")  # PDFs to publish: <print_dir>/<lang>/…pdf
    cache_dir = c.Optional(c.Type(str))  # font subsets, Jinja bytecode; none: no disk cache
    root_url = c.Type(str, default="")  # public URL of build/site/; defaults to site_url
    lang_subdir = c.Type(bool, default=True)  # write into <site_dir>/<lang>/ (plain `mkdocs build`)
    preview = c.Type(bool, default=False)  # invalid content becomes pages listing the problems
    search = c.Type(bool, default=True)  # build the Pagefind index after the pages
