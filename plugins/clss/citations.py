"""Citations for the site, resolved by pandoc's citeproc (the same engine and style as print).

All citations of a language are sent to pandoc in one batch; the answers are cached per
content so that a site build runs pandoc once per language.
"""
from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from . import languages
from .cache import Cache
from .content import Content
from .syntax import CITE_RE

GROUP_RE = re.compile(r"\[(?:[^\[\]]*?;\s*)?-?@[a-z][a-z0-9]*[0-9]{4}[a-z]?[^\[\]]*\]")


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# GHC's runtime options (GHCRTS, added to pandoc's built-in `-H64m`), measured with
# bench/pandoc_rts.py (one pandoc alone, medians of 5, alternating; bench/RESULTS.md): `-H64m`
# reserves a 64 MiB heap for every run, so the brochure took as much memory as the report
# (191 MiB PSS); `-H1m` undoes it (brochure 144 MiB, report 184) and `-A8m` costs no more CPU
# than -A16m (report 2.12 s vs 2.28, brochure 0.80 vs 0.91). A build's peak was two brochures'
# pandoc side by side, and then the two sites' citations.
PANDOC_RTS = "-A8m -H1m"


def pandoc_env() -> dict[str, str]:
    """The environment of every pandoc run (site and print): this one, with PANDOC_RTS."""
    return dict(os.environ, GHCRTS=PANDOC_RTS)


# the citation style of site and print: French author-date (ISO 690) with places of publication,
# full page ranges and "(Author, year)"; vendored with its licence, see csl/README.md
CSL_STYLE = Path(__file__).parent / "csl" / "iso690-author-date-fr.csl"


def csl_args() -> list[str]:
    """The pandoc options that choose the citation style (site and print share them)."""
    return [f"--csl={CSL_STYLE}"]


def _run_pandoc(markdown: str, lang: str, bib: Path, to: str = "html") -> str:
    csl_lang = languages.get(lang).csl_locale
    proc = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", to, "--citeproc", "--wrap=none",
         f"--bibliography={bib}", *csl_args(), "-M", f"lang={csl_lang}", "-M", "link-citations=false",
         "-M", "suppress-bibliography=false"],
        input=markdown.encode("utf-8"), capture_output=True, check=True, env=pandoc_env(),
    )
    return proc.stdout.decode("utf-8")


@functools.lru_cache(maxsize=8)
def _resolve(bib_text: str, lang: str, citations: tuple[str, ...], cache_dir: Path | None) -> tuple[dict, str]:
    """`cache_dir` (e.g. <project>/.cache/clss): where pandoc's answers are kept between builds."""
    import hashlib

    style = hashlib.sha256(CSL_STYLE.read_bytes()).hexdigest()
    store = Cache(cache_dir)  # clss.cache, kind "citations"
    key = hashlib.sha256(json.dumps([bib_text, lang, citations, pandoc_path(), style]).encode()).hexdigest()
    kept = store.get("citations", key)
    if kept is not None:
        try:
            data = json.loads(kept)
            return data["rendered"], data["refs"]
        except (ValueError, KeyError, TypeError):
            pass
    rendered, refs = _resolve_with_pandoc(bib_text, lang, citations)
    store.put("citations", key, json.dumps({"rendered": rendered, "refs": refs}).encode("utf-8"))
    return rendered, refs


def _resolve_with_pandoc(bib_text: str, lang: str, citations: tuple[str, ...]) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "bib.json"
        bib.write_text(bib_text, encoding="utf-8")
        doc = "---\nnocite: '@*'\n---\n\n" + "\n\n".join(f"CITE{i}: {c}" for i, c in enumerate(citations))
        html = _run_pandoc(doc, lang, bib)
    rendered: dict[str, str] = {}
    for mt in re.finditer(r"<p>CITE(\d+): (.*?)</p>", html, re.S):
        rendered[citations[int(mt.group(1))]] = mt.group(2).strip()
    refs = html[html.find('<div id="refs"'):] if '<div id="refs"' in html else ""
    return rendered, refs


def _bib_text(content: Content) -> str:
    """The bibliography as CSL JSON (pandoc reads it; much faster to write than YAML)."""
    return json.dumps(content.bibliography, ensure_ascii=False, sort_keys=True, default=str)


@functools.lru_cache(maxsize=1024)  # every assembly of a language (each preview save) asks again
def collect(text: str) -> tuple[str, ...]:
    """Citation groups `[@a; @b, p. 3]` and narrative citations `@a` in a Markdown text."""
    found = [m.group(0) for m in GROUP_RE.finditer(text)]
    rest = GROUP_RE.sub(" ", text)
    found += [m.group(0) for m in CITE_RE.finditer(rest)]
    return tuple(found)


BIBLIOGRAPHY_MARKER = "<!-- clss:bibliography -->"  # where the site's reference list goes


def resolve(content: Content, lang: str, texts: list[str], cache_dir: Path | None = None) -> tuple[dict[str, str], str]:
    """One citeproc run per language: the rendered text of every citation in `texts` and the
    formatted reference list (every entry, as HTML blocks with `id="ref-key"`); pandoc's answer
    is kept in `cache_dir` when one is given."""
    if not content.bibliography:
        return {}, ""
    cites: set[str] = set()
    for t in texts:
        cites.update(collect(t))
    rendered, refs = _resolve(_bib_text(content), lang, tuple(sorted(cites)), cache_dir)
    out = ['<div class="clss-bibliography">']
    for mt in re.finditer(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', refs, re.S):
        out.append(f'<p class="csl-entry" id="ref-{mt.group(1)}">{mt.group(2)}</p>')
    out.append("</div>")
    return rendered, "\n".join(out) + "\n"


def keys_of(citation: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"@([a-z][a-z0-9]*[0-9]{4}[a-z]?)", citation)]


def link_citations(markdown: str, rendered: dict[str, str], bib_page_rel: str) -> str:
    """Replace pandoc citations in Markdown by their rendered text, linked to the bibliography."""
    def group(m):
        c = m.group(0)
        text = rendered.get(c)
        if text is None:
            return c
        keys = keys_of(c)
        if len(keys) == 1 and bib_page_rel:
            return _md_link(text, f"{bib_page_rel}#ref-{keys[0]}")
        return f'<span class="clss-cite">{text}</span>'

    out = GROUP_RE.sub(group, markdown)

    def narrative(m):
        c = m.group(0)
        text = rendered.get(c)
        if text is None:
            return c
        return _md_link(text, f"{bib_page_rel}#ref-{m.group(1)}") if bib_page_rel else text

    return "\n".join(CITE_RE.sub(narrative, line) if "@" in line else line for line in out.split("\n"))


def _md_link(html_text: str, target: str) -> str:
    """A Markdown link (so that MkDocs checks and rewrites it) around citeproc's text."""
    text = html_text.replace("[", "&#91;").replace("]", "&#93;")
    return f"[{text}]({target}){{: .clss-cite }}"
