"""The MkDocs plugin: hands the assembled pages of one language to mkdocs-material.

It only wires MkDocs events; loading, validation and assembly live in clss.load/assemble.
"""
from __future__ import annotations

import os

import markupsafe
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .. import assemble, load
from . import fonts
from .config import ClssConfig

OTHER = {"fr": "nl", "nl": "fr"}
PRELOADED = None  # a Content already loaded and validated in this process (set by clss.build)
NAMES = {"fr": "Français", "nl": "Nederlands"}


def number_footnotes(html: str) -> str:
    """Show a publication's own footnote numbers (labels [^14]) instead of per-page 1, 2…,
    so that the site and the PDF number footnotes identically."""
    html = re.sub(r'(<a class="footnote-ref" href="#fn:(\d+)"[^>]*>)\d+(</a>)', r"\1\2\3", html)
    return re.sub(r'<li id="fn:(\d+)">', r'<li id="fn:\1" value="\1">', html)


class TitleText(str):
    """A page title that escapes itself wherever the theme prints it, and stays plain text
    through `striptags` (which would otherwise turn `&lt;` back into `<`)."""

    def __html__(self):
        return str(markupsafe.escape(str(self)))

    def striptags(self):
        return self


class ClssPlugin(BasePlugin[ClssConfig]):
    def on_config(self, config):
        self.lang = os.environ.get("CLSS_LANG", self.config.lang)
        root = Path(config.config_file_path).parent
        self.root = root
        if not os.environ.get("CLSS_NO_CACHE"):
            os.environ.setdefault("CLSS_CACHE_DIR", str(root / ".cache" / "clss"))
        pre = PRELOADED
        if pre is not None and pre.root == (root / self.config.content_dir).resolve() and not pre.errors:
            content = pre
        else:
            content = load.load(root / self.config.content_dir)
        self.content = content
        from .. import citations

        citations.CACHE_DIR = root / ".cache" / "clss"
        self.root_url = (self.config.root_url or config.site_url or "").rstrip("/") + "/"
        if content.errors and os.environ.get("CLSS_SERVE"):
            self.assembly = assemble.error_assembly(content, self.lang)  # preview shows the problems
        elif content.errors:
            raise PluginError("invalid content:\n" + "\n".join(str(e) for e in content.errors))
        else:
            self.assembly = assemble.assemble(content, self.lang, "site", self.root_url)
        config.site_url = f"{self.root_url}{self.lang}/"
        config.theme["language"] = self.lang
        config.nav = self.assembly.nav
        config.extra["clss_lang"] = self.lang
        if "search" in config.plugins:
            config.plugins["search"].config.lang = [self.lang]
        # mkdocs.yml's site_dir (build/site/fr) stands for "build/site/<lang>"; an explicit
        # `mkdocs build -d DIR` or `clss build` (CLSS_SITE_DIR_FIXED) is kept as given
        default = Path(root / "build" / "site" / "fr").resolve()
        if not os.environ.get("CLSS_SITE_DIR_FIXED") and Path(config.site_dir).resolve() == default:
            config.site_dir = str(root / "build" / "site" / self.lang)
        self.by_path = {p.path: p for p in self.assembly.pages}
        return config

    def on_files(self, files: Files, config):
        for page in self.assembly.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for name, data in self.assembly.assets.items():
            files.append(File.generated(config, name, content=data))
        for name, data in fonts.webfonts(self.root / ".cache" / "clss").items():
            files.append(File.generated(config, f"assets/fonts/{name}", content=data))
        print_dir = Path(os.environ.get("CLSS_PRINT_DIR", self.root / self.config.print_dir)) / self.lang
        if print_dir.is_dir():
            for pdf in sorted(print_dir.rglob("*.pdf")):
                rel = pdf.relative_to(print_dir).as_posix()
                files.append(File.generated(config, f"pdf/{rel}", abs_src_path=str(pdf)))
        self.files = files
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # drop links to PDFs that were not built (e.g. `clss build --no-print` on a fresh clone)
        def pdf_link(m):
            target = m.group(2)
            resolved = os.path.normpath(os.path.join(os.path.dirname(page.file.src_uri), target)).replace(os.sep, "/")
            return m.group(0) if files.get_file_from_path(resolved) else m.group(1)

        return re.sub(r"\[([^\]]+)\]\(((?:\.\./)*pdf/[^)]+\.pdf)\)(\{[^}]*\})?", pdf_link, markdown)

    def on_page_context(self, context, page, config, nav):
        ap = self.by_path.get(page.file.src_uri)
        alternates = []
        for lang in ("fr", "nl"):
            alternates.append({"name": NAMES[lang], "lang": lang, "link": f"{self.root_url}{lang}/{page.url}"})
        config.extra["alternate"] = alternates
        page.meta["clss_content_lang"] = ap.content_lang if ap else self.lang
        page.meta["clss_translation"] = ap.translation if ap else "source"
        return context

    def on_page_content(self, html, page, config, files):
        # titles reach <title> and the navigation unescaped in the theme: escape them once here
        # (the page body already comes escaped from our autoescaped templates)
        if page._title_from_render and ("<" in page._title_from_render or "&" in page._title_from_render):
            page._title_from_render = TitleText(page._title_from_render)
        html = number_footnotes(html)
        # interview quotes: mark the closing "— Speaker" paragraph of each block quote
        return re.sub(r"(<blockquote>(?:(?!</blockquote>).)*?)<p>— ", lambda m: m.group(1) + '<p class="clss-speaker">— ', html, flags=re.S)
