"""Data for the Typst templates: the facts of a publication or a quartier, the UI labels and
the print settings, as one JSON document (`json("/data.json")` in the templates).

Facts reach Typst as data, never pasted into Typst source, so that any text (even `<script>`,
`#` or `$`) is shown as text.
"""
from __future__ import annotations

import datetime as dt

from .. import facts, i18n, languages, siteurl, typography
from .. import model as m
from ..load import Content
from .jobs import PrintError

PAPERS = ("a4", "a5")

# keys whose strings stay as written (doc-title: the PDF /Title is the manifest's text)
NO_TYPOGRAPHY = {"url", "qr", "id", "lang", "region", "status", "kind", "paper", "order", "year", "wave", "launched", "doc-title"}


def typeset(value, lang: str, key: str = ""):
    """Typographic apostrophes (and French non-breaking spaces) in the strings of the data,
    which Typst shows as text, without its smart quotes."""
    if isinstance(value, dict):
        return {k: typeset(v, lang, k) for k, v in value.items()}
    if isinstance(value, list):
        return [typeset(v, lang, key) for v in value]
    if isinstance(value, str) and key not in NO_TYPOGRAPHY and not value.startswith(("http://", "https://", "/")):
        value = value.replace("'", "\u2019")
        return typography.french(value) if lang == "fr" else value
    return value


# the msgid of "also available in <the other language>", by that language
ALSO_AVAILABLE = {"nl": "This publication is also available in Dutch", "fr": "This publication is also available in French"}


def labels(lang: str) -> dict[str, str]:
    _ = i18n.gettext_for(lang)
    return {
        "contents": _("Contents"),
        "author": _("Author"),
        "reviewers": _("Reviewers"),
        "translation": _("Translation"),
        "layout": _("Layout"),
        "cite": _("How to cite this document"),
        "legal-deposit": _("Legal deposit"),
        "contact": _("Contact"),
        "commune": _("Commune"),
        "wave": _("Wave"),
        "launched": _("Launched"),
        "status": _("Status"),
        "cpas": _("CPAS"),
        "referents": _("Neighbourhood referent"),
        "aliases": _("Also called"),
        "projects": _("Projects"),
        "carried-by": _("Carried by"),
        "quartier-sheet": _("Quartier sheet"),
        "quartier-sheets": _("Quartier sheets"),
        "scan": _("Scan the QR code to open this page on the website"),
        "scan-annex": _("Scan the QR code for the sheet of this quartier"),
        "credits": _("Credits"),
        "key-figures": _("Key figures"),
        "colon": "\u00a0:" if lang == "fr" else ":",
        "semicolon": "\u00a0;" if lang == "fr" else ";",
        "sources": _("Sources"),
        "page-abbr": _("p."),
        "programme": _("Local social-health contracts"),
        "also-available": _(ALSO_AVAILABLE[languages.others(lang)[0]]),
        "draft": languages.get(lang).draft_mark,
        "no-site-url": _("Web address not yet known"),
        "no-site-url-detail": _("The QR code and the address will be printed once the site is published."),
    }


def stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def print_settings(paper: str, bleed: float, crop_marks: bool) -> dict:
    if paper not in PAPERS:
        raise PrintError(f"unknown paper `{paper}`; use one of {', '.join(PAPERS)}")
    if bleed < 0 or bleed > 20:
        raise PrintError(f"bleed {bleed} mm is out of range; use 0 to 20 mm")
    return {"paper": paper, "bleed": round(float(bleed), 3), "marks": bool(crop_marks)}


def publication_data(content: Content, pub: m.Publication, lang: str) -> dict:
    _ = i18n.gettext_for(lang)
    other = languages.others(lang)[0]
    c = pub.contact
    contact_lines = []
    if c.name or c.email:
        contact_lines.append(" — ".join(x for x in (c.name, c.email) if x))
    contact_lines.append(c.organisation.get(lang))
    if c.address:
        contact_lines.append(c.address.get(lang))
    tail = " · ".join(x for x in (c.phone, c.org_email) if x)
    if tail:
        contact_lines.append(tail)
    if c.url:
        contact_lines.append(c.url)
    communes = {q.commune for q in content.quartiers.values()}
    title = pub.title.get(lang)
    return {
        "kind": pub.kind,
        "title": title,
        "doc-title": title,
        "short-title": (pub.print.short_title.get(lang) if pub.print.short_title
                        else title if len(title) <= 70 else title.split(" (")[0].split(" – ")[0][:70]),
        "running-heads": {cid: head.get(lang) for cid, head in pub.print.running_heads.items()},
        "chapter-starts": {**{cid: "recto" for cid in pub.print.recto}, **{cid: "run-on" for cid in pub.print.run_on}},
        "subtitle": pub.subtitle.get(lang) if pub.subtitle else None,
        "date-text": i18n.written_date(pub.date, lang),
        "year": str(pub.day.year),
        "publisher": c.organisation.get(lang),
        "organisation": c.organisation.get(lang).split(" – ")[0],
        "credits": {
            "author": ", ".join(pub.credits.author),
            "author-list": list(pub.credits.author),
            "reviewers": ", ".join(pub.credits.reviewers) or None,
            "translation": pub.credits.translation,
            "layout": pub.credits.layout,
            "editor": pub.credits.editor.get(lang) if pub.credits.editor else None,
        },
        "citation": pub.citation.get(lang),
        "legal-deposit": pub.legal_deposit,
        "contact-lines": contact_lines,
        "url": c.url,
        "keywords": ["CLSS", _("Local social-health contracts"), "Bruxelles" if lang == "fr" else "Brussel"],
        "other-lang": {"lang": other, "title": pub.title.get(other)},
        "columns": pub.print.columns,
        "stats": {
            "quartiers": _("%(n)d quartiers in %(m)d communes") % {"n": len(content.quartiers), "m": len(communes)},
        },
    }


def quartier_data(content: Content, q: m.Quartier, lang: str, site_url: str) -> dict:
    _ = i18n.gettext_for(lang)
    f = facts.quartier_facts(content, q, lang)
    url = f"{site_url.rstrip('/') + '/' if site_url else ''}{lang}/quartiers/{q.id}/"
    return {
        "id": f.id,
        "name": f.name,
        "commune": f.commune,
        "wave": f.wave,
        "launched": f.launched,
        "status": f.status,
        "status-label": f.status_label,
        "observed": _("observed on %(date)s") % {"date": f.observed},
        "situation": _("Situation on %(date)s") % {"date": f.observed},
        "cpas": f.cpas,
        "referents": ", ".join(f.referents) or facts.MISSING,
        "aliases": ", ".join(f.aliases),
        "projects": [
            {"title": p.title, "subtitle": p.subtitle, "carrier": p.carrier, "status": p.status, "status-label": p.status_label}
            for p in f.projects
        ],
        "url": url,
        "qr": f"/qr/{q.id}.svg",
        "qr-alt": _("QR code to the web page of %(name)s") % {"name": f.name},
    }


def is_real_site_url(url: str) -> bool:
    """False for a missing or placeholder `site_url`: QR codes and printed addresses of our own
    site then become a labelled box."""
    return bool(url) and siteurl.is_real(url)
