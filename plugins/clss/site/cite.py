"""BibTeX and RIS records of a publication, made at build time from its manifest
(content/publications/<id>.yml: title, subtitle, credits, date) for the "cite this" box.

One CSL-JSON item is the single description of the publication; pandoc (already the citation
engine of site and print) writes it as BibTeX, escaping what LaTeX would read as commands
(`&`, `%`, `$`, `#`, `_`, braces), and rispy (PyPI, maintained) writes it as RIS. Nothing is
guessed: an author is written as given (a literal name, not split into given and family names);
no publisher or place is added (the manifest has none apart from the citation line); a brochure's
subtitle is left out (neither format has a plain subtitle field), a report's names its kind.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import rispy

from .. import languages
from .. import model as m
from ..citations import pandoc_env, pandoc_path

CSL_TYPE = {"report": "report", "brochure": "pamphlet", "fascicule": "pamphlet"}
RIS_TYPE = {"report": "RPRT", "brochure": "PAMP", "fascicule": "PAMP"}


def _one_line(text: str) -> str:
    """RIS is one field per line: no line break inside a value."""
    return re.sub(r"\s+", " ", text).strip()


def _date_parts(pub: m.Publication) -> list[int]:
    d = pub.date
    if isinstance(d, dt.date):
        return [d.year, d.month, d.day]
    return [int(x) for x in str(d).split("-")]  # "2025" or "2025-11"


def csl_item(pub: m.Publication, lang: str, url: str = "") -> dict:
    """The publication as one CSL-JSON item in `lang` (`url`: its public address, if known)."""
    item: dict = {
        "id": pub.id,
        "type": CSL_TYPE[pub.kind],
        "title": _one_line(pub.title.get(lang)),
        "author": [{"literal": _one_line(a)} for a in pub.credits.author],
        "issued": {"date-parts": [_date_parts(pub)]},
        "language": languages.get(lang).locale.replace("_", "-"),  # BCP 47, e.g. fr-BE
    }
    if pub.subtitle and pub.kind == "report":  # a report's subtitle names its kind ("Rapport 2025")
        item["genre"] = _one_line(pub.subtitle.get(lang))
    if url:
        item["URL"] = url
    return item


def bibtex(pub: m.Publication, lang: str, url: str = "") -> bytes:
    """A BibTeX record (pandoc's `bibtex` writer: classic fields, read by BibTeX and biber alike)."""
    proc = subprocess.run([pandoc_path(), "-f", "csljson", "-t", "bibtex"],
                          input=json.dumps([csl_item(pub, lang, url)], ensure_ascii=False).encode("utf-8"),
                          capture_output=True, check=True, env=pandoc_env())
    return proc.stdout


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the "1." line it puts before each record (not part of RIS)."""

    def set_header(self, count: int) -> str:
        return ""


def ris(pub: m.Publication, lang: str, url: str = "") -> bytes:
    """A RIS record (rispy)."""
    item = csl_item(pub, lang, url)
    parts = item["issued"]["date-parts"][0]
    ref: dict = {
        "type_of_reference": RIS_TYPE[pub.kind],
        "authors": [a["literal"] for a in item["author"]],
        "title": item["title"],
        "year": str(parts[0]),
        "language": item["language"],
    }
    if len(parts) == 3:
        ref["date"] = f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}/"
    if "genre" in item:
        ref["type_of_work"] = item["genre"]
    if url:
        ref["urls"] = [url]
    return rispy.dumps([ref], implementation=_RisWriter).encode("utf-8")


def paths(pub_id: str) -> dict[str, str]:
    """Where the records of a publication are, from the language root (beside its page)."""
    return {"BibTeX": f"publications/{pub_id}/{pub_id}.bib", "RIS": f"publications/{pub_id}/{pub_id}.ris"}


def files(pub: m.Publication, lang: str, url: str = "") -> dict[str, bytes]:
    """{path: bytes} of the publication's BibTeX and RIS records in `lang`."""
    where = paths(pub.id)
    return {where["BibTeX"]: bibtex(pub, lang, url), where["RIS"]: ris(pub, lang, url)}
