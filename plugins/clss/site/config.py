"""Options of the `clss` MkDocs plugin, with their defaults, in one place."""
from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ClssConfig(Config):
    lang = c.Choice(("fr", "nl"), default="fr")  # overridden by $CLSS_LANG (set by `clss build`)
    content_dir = c.Type(str, default="content")
    print_dir = c.Type(str, default="build/print")  # where the PDFs to publish are found
    root_url = c.Type(str, default="")  # URL of build/site/ once hosted; defaults to site_url
