"""Print: assembled Markdown → pandoc (typst writer + Lua filters) → Typst templates → PDF.

One pandoc run per publication and language (the chapters concatenated; a chapter that falls
back to French is set in French), one pandoc run per language for all quartier sheets; then
typst-py lays out each PDF with the fonts of the PyPI font packages only, as PDF/A-2b +
PDF/UA-1 (tagged, title and language set, alt text on every image, fonts embedded), with a
timestamp taken from the content so that two builds of the same content are byte-identical.

Facts from the YAML files reach Typst as JSON data (`json("/data.json")` in the templates),
never pasted into Typst source, so that any text (even `<script>`, `#` or `$`) is shown as text.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import assemble, charts, i18n, typography
from .. import model as m
from ..load import Content

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
FILTERS = HERE / "filters"
# one small filter per concern (headings, data-blocks, boxes, quotes, layout, alt-text); print.lua
# runs the block-level ones in two document traversals instead of five, alt-text.lua only runs
# when there are images (it makes pandoc walk every inline)
FILTERS_MAIN = "print.lua"
FILTER_IMAGES = "alt-text.lua"
# pandoc spends ~40 % of a long document in minor GCs with the default 1 MB nursery
PANDOC_RTS = "-A128m"
PDF_STANDARDS = ["a-2b", "ua-1"]
PAPERS = ("a4", "a5")
CSL_LANG = {"fr": "fr-FR", "nl": "nl-NL"}


class PrintError(Exception):
    """A PDF could not be made. The message has one problem per line (`path:line: message`
    or plain text); it is meant for editors, never a traceback."""


@dataclass(frozen=True)
class Job:
    kind: str  # "publication" | "quartier" | "quartiers"
    ident: str  # publication id, quartier id, or "all"
    lang: str
    relpath: str  # path of the PDF under build/print/<lang>/

    def __str__(self) -> str:
        return f"{self.lang}/{self.relpath}"


@dataclass
class Source:
    """Everything one PDF needs: the template, its JSON data, the typst body and the assets."""

    job: Job
    template: str  # report | brochure | sheet
    data: dict
    body: str
    assets: dict[str, bytes] = field(default_factory=dict)
    timestamp: dt.datetime | None = None
    paper: str = "a4"


# --- jobs ---------------------------------------------------------------------------------


def job_for(content: Content, name: str, lang: str) -> Job:
    """The job of `name`: a publication id, `quartiers` (all sheets combined) or `quartier:ID`."""
    if name in content.publications:
        return Job("publication", name, lang, f"{name}.pdf")
    if name == "quartiers":
        return Job("quartiers", "all", lang, "quartiers/all.pdf")
    if name.startswith("quartier:"):
        qid = name.split(":", 1)[1]
        if qid in content.quartiers:
            return Job("quartier", qid, lang, f"quartiers/{qid}.pdf")
        known = ", ".join(sorted(content.quartiers)) or "none"
        raise KeyError(f"unknown quartier `{qid}`; known: {known}")
    known = ", ".join([*sorted(content.publications), "quartiers", "quartier:ID"])
    raise KeyError(f"unknown publication `{name}`; known: {known}")


def all_jobs(content: Content, langs) -> list[Job]:
    """Every PDF: each publication, each quartier sheet and the combined sheets, per language."""
    jobs = []
    for lang in langs:
        for pid in sorted(content.publications):
            jobs.append(Job("publication", pid, lang, f"{pid}.pdf"))
        for qid in sorted(content.quartiers):
            jobs.append(Job("quartier", qid, lang, f"quartiers/{qid}.pdf"))
        jobs.append(Job("quartiers", "all", lang, "quartiers/all.pdf"))
    return jobs


# --- Markdown pre-pass -------------------------------------------------------------------------

COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
ADMONITION_RE = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[A-Za-z][\w-]*)(?:[ \t]+"(?P<title>.*)")?[ \t]*$')
FENCE_RE = re.compile(r"^(```|~~~)")
IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")


def _attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def prepare(markdown: str) -> str:
    """Turn the site-only Markdown (MkDocs admonitions, HTML comments) into pandoc Markdown:
    `!!! case "Title"` + an indented body → `::: {.case title="Title"}` … `:::`."""
    markdown = COMMENT_RE.sub("", markdown)
    markdown = markdown.replace("&#39;", "\u2019")  # apostrophes of YAML values (Jinja autoescape)
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if FENCE_RE.match(line.lstrip()):
            in_fence = not in_fence
        mt = None if in_fence else ADMONITION_RE.match(line)
        if not mt:
            out.append(line)
            i += 1
            continue
        body: list[str] = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(("    ", "\t"))):
            body.append(lines[i][4:] if lines[i].startswith("    ") else lines[i][1:] if lines[i].startswith("\t") else "")
            i += 1
        while body and not body[-1].strip():
            body.pop()
        attrs = f".{mt.group('kind')}"
        if mt.group("title"):
            attrs += f" title={_attr(mt.group('title'))}"
        out += ["", f"::: {{{attrs}}}", prepare("\n".join(body)), ":::", ""]
    return "\n".join(out)


AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
PARAGRAPH_SPLIT_RE = re.compile(r"(\n[ \t]*\n)")


def link_qr_codes(markdown: str, lang: str, assets: dict[str, bytes]) -> str:
    """The brochure says "Scan the QR code … or click this link": in print, give each link of
    the paragraph after a paragraph mentioning a QR code its QR code (segno SVG asset)."""
    _ = i18n.gettext_for(lang)
    out, after_qr = [], False
    for chunk in PARAGRAPH_SPLIT_RE.split(markdown):
        if not chunk.strip():
            out.append(chunk)
            continue
        head = chunk.lstrip()
        prose = not head.startswith(("#", "!", ":::", "<", "|", ">"))
        if after_qr and prose:
            images = []
            for url in AUTOLINK_RE.findall(chunk):
                name = f"qr/link-{hashlib.sha1(url.encode()).hexdigest()[:12]}.svg"
                assets[name] = charts.qr_svg(url)
                alt = _("QR code to %(url)s") % {"url": url}
                images.append(f"![{alt}]({name})")
            if images:
                chunk += "\n\n" + " ".join(images)
        after_qr = prose and re.search(r"\bQR\b", IMAGE_RE.sub("", chunk)) is not None
        out.append(chunk)
    return "".join(out)


ANNEX_RE = re.compile(r"^::: \{\.annex-quartier\}\n(?P<body>(?:(?!^:::).*\n)*?)^:::$", re.M)
QR_SRC_RE = re.compile(r"\]\(qr/(?P<id>[a-z0-9-]+)\.svg\)")


def annex_texts(markdown: str, content: Content, lang: str, site_url: str) -> str:
    """Each quartier's annex page in the brochure also gets the quartier's own text (the same
    Markdown as its sheet), in a `::: {.annex-text}` div inside the annex block."""
    def add(mt: re.Match) -> str:
        qr = QR_SRC_RE.search(mt.group("body"))
        if not qr or qr.group("id") not in content.quartiers:
            return mt.group(0)
        text, clang = assemble.prose_markdown(content, f"quartiers/{qr.group('id')}.md", lang, site_url)
        if not text.strip():
            return mt.group(0)
        text = prepare(text)
        if clang != lang:
            text = _raw_typst(f'#set text(lang: "{clang}")') + "\n" + text
        return f"::: {{.annex-quartier}}\n{mt.group('body')}\n:::: {{.annex-text}}\n\n{text}\n\n::::\n:::"
    return ANNEX_RE.sub(add, markdown)


def _raw_typst(code: str) -> str:
    return f"\n```{{=typst}}\n{code}\n```\n"


def _missing_alt(markdown: str, source: str, content: Content | None = None) -> list[str]:
    """`path:line: …` for every image without alt text (PDF/UA-1 requires one)."""
    problems = []
    for mt in IMAGE_RE.finditer(markdown):
        if mt.group("alt").strip():
            continue
        line = 1
        path = content.root.parent / source if content is not None else None
        if path is not None and path.is_file():
            for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
                if f"]({mt.group('src')}" in text:
                    line = n
                    break
        problems.append(f"{source}:{line}: the image `{mt.group('src')}` has no alt text; "
                        f"write what it shows between the brackets: ![…]({mt.group('src')})")
    return problems


# --- data for the templates ----------------------------------------------------------------

# keys whose strings stay as written (doc-title: the PDF /Title is the manifest's text)
NO_TYPOGRAPHY = {"url", "qr", "id", "lang", "region", "status", "kind", "paper", "order", "year", "wave", "launched", "doc-title"}


def _typeset(value, lang: str, key: str = ""):
    """Typographic apostrophes (and French non-breaking spaces) in the strings of the data,
    which Typst shows as text, without its smart quotes."""
    if isinstance(value, dict):
        return {k: _typeset(v, lang, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typeset(v, lang, key) for v in value]
    if isinstance(value, str) and key not in NO_TYPOGRAPHY and not value.startswith(("http://", "https://", "/")):
        value = value.replace("'", "\u2019")
        return typography.french(value) if lang == "fr" else value
    return value


def _labels(lang: str) -> dict[str, str]:
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
        "programme": _("Local social-health contracts"),
        "also-available": _("This publication is also available in Dutch") if lang == "fr" else _("This publication is also available in French"),
    }


def _date_text(value, lang: str) -> str:
    if isinstance(value, dt.date):
        return i18n.date(value, lang, "long")
    return i18n.month_or_year(str(value), lang)


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _print_settings(paper: str, bleed: float, crop_marks: bool) -> dict:
    if paper not in PAPERS:
        raise PrintError(f"unknown paper `{paper}`; use one of {', '.join(PAPERS)}")
    if bleed < 0 or bleed > 20:
        raise PrintError(f"bleed {bleed} mm is out of range; use 0 to 20 mm")
    return {"paper": paper, "bleed": round(float(bleed), 3), "marks": bool(crop_marks)}


def _publication_data(content: Content, pub: m.Publication, lang: str) -> dict:
    _ = i18n.gettext_for(lang)
    other = "nl" if lang == "fr" else "fr"
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
        "short-title": title if len(title) <= 70 else title.split(" (")[0].split(" – ")[0][:70],
        "subtitle": pub.subtitle.get(lang) if pub.subtitle else None,
        "date-text": _date_text(pub.date, lang),
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


def _quartier_data(content: Content, q: m.Quartier, lang: str, site_url: str) -> dict:
    _ = i18n.gettext_for(lang)
    commune = content.communes.get(q.commune)
    cpas = content.cpas_of(q)
    url = f"{site_url.rstrip('/') + '/' if site_url else ''}{lang}/quartiers/{q.id}/"
    return {
        "id": q.id,
        "name": q.name.get(lang),
        "commune": commune.name.get(lang) if commune else q.commune,
        "wave": q.wave,
        "launched": str(q.launched) if q.launched else "—",
        "status": q.status.value,
        "status-label": assemble.status_label(q.status.value, _),
        "observed": _("observed on %(date)s") % {"date": i18n.date(q.status.observed, lang, "long")},
        "situation": _("Situation on %(date)s") % {"date": i18n.date(q.status.observed, lang, "long")},
        "cpas": cpas.get(lang) if cpas else "—",
        "referents": ", ".join(r.name for r in content.referents_of(q.id)) or "—",
        "aliases": ", ".join(q.aliases),
        "projects": [
            {
                "title": p.title.get(lang),
                "subtitle": p.subtitle.get(lang) if p.subtitle else "",
                "carrier": p.carrier,
                "status": p.status,
                "status-label": assemble.status_label(p.status, _),
            }
            for p in content.projects_of(q.id)
        ],
        "url": url,
        "qr": f"/qr/{q.id}.svg",
        "qr-alt": _("QR code to the web page of %(name)s") % {"name": q.name.get(lang)},
    }


# --- pandoc ------------------------------------------------------------------------------------


def _pandoc(markdown: str, lang: str, template: str, bibliography: Path | None, source: str) -> str:
    from ..citations import pandoc_path

    # no implicit figures (the alt text would become a visible caption), no TeX: a `$` or a
    # backslash in the prose is text, never math or raw LaTeX that the typst writer would drop
    reader = "markdown-implicit_figures-tex_math_dollars-tex_math_single_backslash-raw_tex"
    reader += "" if bibliography else "-citations"
    args = [pandoc_path(), "-f", reader, "-t", "typst", "--wrap=none", "-M", f"lang={CSL_LANG[lang]}"]
    if bibliography:
        args += ["--citeproc", f"--bibliography={bibliography}"]
    args.append(f"--lua-filter={FILTERS / FILTERS_MAIN}")
    if "![" in markdown:
        args.append(f"--lua-filter={FILTERS / FILTER_IMAGES}")
    env = dict(os.environ, GHCRTS=PANDOC_RTS)
    try:
        proc = subprocess.run(args, input=markdown.encode("utf-8"), capture_output=True, timeout=300, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"{source}: pandoc could not run: {exc}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PrintError(f"{source}: pandoc failed: {' '.join(msg[:3]) or proc.returncode}")
    return proc.stdout.decode("utf-8")


# --- sources -------------------------------------------------------------------------------------


def _source_marker(path: str) -> str:
    return _raw_typst(f"// clss-source: {path}")


NOCITE = "---\nnocite: '@*'\n---\n\n"


def _pandoc_parts(parts: list[str], lang: str, template: str, bibliography: Path | None, source: str) -> str:
    """Run pandoc on a publication's chapters, in two halves at a chapter boundary side by side
    when the text is long (pandoc's Markdown reader is single-threaded and is most of the time).

    Footnotes are inline in Typst and author-date citations do not depend on earlier ones, so
    the halves concatenate to the same result as one run. The half holding the bibliography
    chapter (`::: {#refs}`) lists every entry of bibliography.yaml (`nocite: '@*'`), as the site
    does."""
    def doc(chunk: list[str], whole: bool = False) -> str:
        text = "\n\n".join(chunk)
        if "{#refs}" in text:
            return NOCITE + text
        # a half without the bibliography chapter must not get a reference list of its own
        return text if whole else "---\nsuppress-bibliography: true\n---\n\n" + text

    total = sum(len(p) for p in parts)
    if total < 150_000 or len(parts) < 2:
        return _pandoc(doc(parts, whole=True), lang, template, bibliography, source)
    # cut before a chapter that opens with a level-1 heading (a part), nearest to the middle,
    # so that each half keeps the document's heading levels
    starts = [i for i, part in enumerate(parts) if i and re.search(r"^# \S", part, re.M)
              and not re.search(r"^#{2,6} \S", part.split("\n# ", 1)[0], re.M)]
    if not starts:
        return _pandoc(doc(parts, whole=True), lang, template, bibliography, source)
    before = [sum(len(p) for p in parts[:i]) for i in starts]
    cut = min(zip(starts, before), key=lambda sb: abs(sb[1] - total / 2))[0]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        halves = list(pool.map(lambda chunk: _pandoc(doc(chunk), lang, template, bibliography, source), (parts[:cut], parts[cut:])))
    return "\n".join(halves)


def _with_references(chapters: list[tuple[str, str, str]], lang: str) -> list[tuple[str, str, str]]:
    """Citeproc puts the reference list where `::: {#refs}` is, else at the very end without a
    title. A publication that cites works but has no bibliography chapter (the brochure) gets a
    titled list at the end of the last chapter that cites."""
    from ..citations import collect

    if any("{#refs}" in md for _, _, md in chapters):
        return chapters
    citing = [i for i, (_, _, md) in enumerate(chapters) if collect(md)]
    if not citing:
        return chapters
    i = citing[-1]
    here, clang, md = chapters[i]
    title = i18n.gettext_for(lang)("References")
    out = list(chapters)
    out[i] = (here, clang, f"{md}\n\n### {title}\n\n::: {{#refs}}\n:::\n")
    return out


def publication_source(content: Content, job: Job, site_url: str = "", paper: str | None = None) -> Source:
    pub = content.publications[job.ident]
    lang = job.lang
    chapters, assets = assemble.chapter_markdown(content, pub, lang, site_url)
    assets = dict(assets)
    chapters = _with_references(chapters, lang)
    parts, problems = [], []
    for here, clang, md in chapters:
        source = f"content/{clang}/{here}"
        problems += _missing_alt(md, source, content)
        text = prepare(md)
        if pub.print.template == "brochure":
            text = link_qr_codes(text, lang, assets)
            text = annex_texts(text, content, lang, site_url)
        if clang != lang:  # a chapter not yet translated: set in French (hyphenation, /Lang)
            text = _raw_typst(f'#set text(lang: "{clang}")') + "\n" + text + "\n" + _raw_typst(f'#set text(lang: "{lang}")')
        parts.append(_source_marker(source) + "\n" + text)
    if pub.back_cover:
        rel = f"publications/{pub.id}/{pub.back_cover}.md"
        text, clang = assemble.prose_markdown(content, rel, lang, site_url, strip_h1=False)
        if text.strip():
            problems += _missing_alt(text, f"content/{clang}/{rel}", content)
            inner = prepare(text)
            if clang != lang:
                inner = _raw_typst(f'#set text(lang: "{clang}")') + "\n" + inner
            parts.append(_source_marker(f"content/{clang}/{rel}") + "\n::: {.back-cover}\n\n" + inner + "\n\n:::\n")
    if problems:
        raise PrintError("\n".join(problems))
    bib = content.root / "bibliography.yaml"
    body = _pandoc_parts(parts, lang, pub.print.template, bib if bib.is_file() else None, f"content/{lang}/publications/{pub.id}")
    data = _publication_data(content, pub, lang)
    if pub.print.template == "brochure":
        data["quartiers"] = {q.id: _quartier_data(content, q, lang, site_url) for q in content.quartiers.values()}
    return Source(job, pub.print.template, data, body, assets, _stamp(pub.day), paper or pub.print.paper)


SHEET_RE = re.compile(r"^// clss-sheet-start: (?P<id>[\w-]+)\n(?P<body>.*?)^// clss-sheet-end$", re.S | re.M)


def sheet_bodies(content: Content, lang: str, ids: list[str], site_url: str = "") -> dict[str, str]:
    """The typst body of each quartier sheet: one pandoc run for all of them."""
    parts, problems = [], []
    for qid in ids:
        rel = f"quartiers/{qid}.md"
        text, clang = assemble.prose_markdown(content, rel, lang, site_url)
        problems += _missing_alt(text, f"content/{clang}/{rel}", content)
        inner = prepare(text)
        if clang != lang:
            inner = _raw_typst(f'#set text(lang: "{clang}")') + "\n" + inner
        parts.append(f'::: {{.sheet quartier="{qid}"}}\n\n{_source_marker(f"content/{clang}/{rel}")}\n{inner}\n\n:::\n')
    if problems:
        raise PrintError("\n".join(problems))
    out = _pandoc("\n\n".join(parts), lang, "sheet", None, f"content/{lang}/quartiers")
    bodies = {mt.group("id"): mt.group("body") for mt in SHEET_RE.finditer(out)}
    missing = [qid for qid in ids if qid not in bodies]
    if missing:
        raise PrintError(f"content/{lang}/quartiers: the text of {', '.join(missing)} could not be converted")
    return bodies


def sheet_source(content: Content, job: Job, bodies: dict[str, str], site_url: str = "") -> Source:
    lang = job.lang
    ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
    quartiers = [content.quartiers[qid] for qid in ids]
    _ = i18n.gettext_for(lang)
    title = (f"{quartiers[0].name.get(lang)} — {_('Quartier sheet')}" if job.kind == "quartier"
             else f"{_('Quartier sheets')} — {_('Local social-health contracts')}")
    data = {
        "kind": "sheets",
        "title": title,
        "doc-title": title,
        "combined": job.kind == "quartiers",
        "order": ids,
        "quartiers": {q.id: _quartier_data(content, q, lang, site_url) for q in quartiers},
        "keywords": ["CLSS", _("Local social-health contracts")],
    }
    assets = {f"qr/{q.id}.svg": charts.qr_svg(data["quartiers"][q.id]["url"]) for q in quartiers}
    body = "\n".join(bodies[qid] for qid in ids)
    observed = max(q.status.observed for q in quartiers)
    return Source(job, "sheet", data, body, assets, _stamp(observed), "a4")


def _sheet_ids(content: Content, jobs) -> list[str]:
    ids: set[str] = set()
    for job in jobs:
        if job.kind == "quartiers":
            ids.update(content.quartiers)
        elif job.kind == "quartier":
            ids.add(job.ident)
    return sorted(ids)


# --- typst -----------------------------------------------------------------------------------------


@functools.cache
def _fonts():
    import typst

    from ..site.fonts import font_dirs

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=font_dirs())


def _safe_rel(rel: str) -> Path:
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts:
        raise PrintError(f"unsafe asset path `{rel}`")
    return p


def _main_source(template: str) -> str:
    return (f'#import "/templates/{template}.typ": *\n'
            f"#show: {template}.with(data: data)\n")


LOCATION_RE = re.compile(r"┌─ (?P<file>[^\n]*?):(?P<line>\d+):\d+")


def _typst_error(exc, body: str, main_lines: int) -> str:
    """`content/…md: typesetting failed: message` for a Typst error raised by the body (the
    chapter is found through the `// clss-source:` markers), else the plain message with the
    template location."""
    message = str(getattr(exc, "message", None) or exc).strip()
    first = message.splitlines()[0] if message else "typesetting failed"
    diag = str(getattr(exc, "diagnostic", "") or "")
    diag = diag[diag.find("error:"):] if "error:" in diag else diag  # warnings come first
    where = [(mt.group("file"), int(mt.group("line"))) for mt in LOCATION_RE.finditer(diag)]
    source = None
    for file, line in where:
        if file.endswith("main.typ") and line > main_lines:
            for text in reversed(body.split("\n")[: line - main_lines]):
                if text.startswith("// clss-source: "):
                    source = text[len("// clss-source: "):].strip()
                    break
            break
    template = next((f"{file.split('templates/')[-1]}:{line}" for file, line in where if "templates/" in file), None)
    detail = f" (in template {template})" if template else ""
    return f"{source}: typesetting failed: {first}{detail}" if source else f"typesetting failed: {first}{detail}"


def compile_source(src: Source, target: Path, *, paper: str | None = None, bleed: float = 0.0, crop_marks: bool = False) -> None:
    import typst

    settings = _print_settings(paper or src.paper, bleed, crop_marks)
    data = _typeset(dict(src.data, labels=_labels(src.job.lang)), src.job.lang)
    data.update(lang=src.job.lang, region="BE", print=settings)
    main = _main_source(src.template)
    text = main + src.body
    with tempfile.TemporaryDirectory(prefix="clss-print-") as tmp:
        root = Path(tmp)
        shutil.copytree(TEMPLATES, root / "templates")
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
        (root / "main.typ").write_text(text, encoding="utf-8")
        for rel, blob in sorted(src.assets.items()):
            dest = root / _safe_rel(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(blob)
        try:
            compiler = typst.Compiler(str(root / "main.typ"), root=str(root), font_paths=_fonts(), ignore_system_fonts=True)
            pdf = compiler.compile(format="pdf", pdf_standards=PDF_STANDARDS, timestamp=src.timestamp)
        except Exception as exc:  # typst.TypstError: show the editor where, not a traceback
            if os.environ.get("CLSS_PRINT_KEEP"):  # keep the Typst project to debug a template
                keep = Path(os.environ["CLSS_PRINT_KEEP"]) / str(src.job).replace("/", "_")
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(root, keep)
                (keep / "error.txt").write_text(str(getattr(exc, "diagnostic", exc)), encoding="utf-8")
            raise PrintError(f"{src.job}: " + _typst_error(exc, src.body, main.count("\n"))) from None
    if crop_marks:
        pdf = add_bleed_box(pdf, settings["bleed"])
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_name(target.name + ".part")
    tmp_target.write_bytes(pdf)
    os.replace(tmp_target, target)


# --- PDF post-processing: the BleedBox with crop marks ------------------------------------------------

MM = 72 / 25.4


def add_bleed_box(pdf: bytes, bleed_mm: float) -> bytes:
    """With crop marks the media box also holds the marks, so Typst's page.bleed is larger than
    the real bleed. Add `/BleedBox` (trim box + bleed) to every page in an incremental update,
    leaving the rest of the file (tags, PDF/A metadata) untouched. Deterministic."""
    trim_re = re.compile(rb"/TrimBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
    startxref = re.findall(rb"startxref\s+(\d+)\s+%%EOF", pdf)
    trailer = re.findall(rb"trailer\s*<<(.*?)>>\s*startxref", pdf, re.S)
    if not startxref or not trailer:
        return pdf
    updates = []
    for mt in re.finditer(rb"(?m)^(\d+) 0 obj\s*(<<.*?>>)\s*endobj", pdf, re.S):
        obj, dic = mt.group(1), mt.group(2)
        if b"/Type/Page" not in dic.replace(b" ", b"") or b"/Type/Pages" in dic.replace(b" ", b""):
            continue
        tb = trim_re.search(dic)
        if not tb or b"/BleedBox" in dic:
            continue
        x0, y0, x1, y1 = (float(v) for v in tb.groups())
        b = bleed_mm * MM
        box = f"/BleedBox[{x0 - b:.4f} {y0 - b:.4f} {x1 + b:.4f} {y1 + b:.4f}]".encode()
        updates.append((int(obj), dic[:-2] + box + b">>"))
    if not updates:
        return pdf
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for num, dic in updates:
        offsets.append((num, len(out)))
        out += b"%d 0 obj\n" % num + dic + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for num, off in sorted(offsets):
        out += b"%d 1\n%010d 00000 n\r\n" % (num, off)
    old = trailer[-1]
    keep = re.sub(rb"/Prev\s+\d+", b"", old).strip()
    out += b"trailer\n<<" + keep + b"/Prev " + startxref[-1] + b">>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- rendering ---------------------------------------------------------------------------------------------


def render(root: Path, content: Content, job: Job, target: Path, paper: str | None = None, bleed: float = 0.0,
           crop_marks: bool = False, site_url: str = "") -> None:
    """Make one PDF at `target`. Raises PrintError (editor-readable) on failure."""
    try:
        if job.kind == "publication":
            src = publication_source(content, job, site_url, paper)
        else:
            ids = sorted(content.quartiers) if job.kind == "quartiers" else [job.ident]
            src = sheet_source(content, job, sheet_bodies(content, job.lang, ids, site_url), site_url)
        compile_source(src, Path(target), paper=paper, bleed=bleed, crop_marks=crop_marks)
    except PrintError:
        raise
    except KeyError as exc:
        raise PrintError(f"{job}: unknown {exc.args[0]!r}") from None


# --- many PDFs in parallel ------------------------------------------------------------------------------
# A task is one publication of one language, or all the quartier sheets of one language (one
# pandoc run for their texts, then one Typst compile per sheet, which reuses the fonts and the
# template already laid out in that process). Workers report each finished PDF on a queue, so
# that progress() is called per PDF, as it is written.

_STATE: dict = {}


def _init_worker(content: Content, site_url: str, out_dir: str, queue=None) -> None:
    _STATE.update(content=content, site_url=site_url, out_dir=Path(out_dir), queue=queue)


def _run_task(jobs: list[Job]) -> list[tuple[Job, str | None]]:
    content, site_url, out_dir = _STATE["content"], _STATE["site_url"], _STATE["out_dir"]
    results: list[tuple[Job, str | None]] = []

    def done(job: Job, error: str | None) -> None:
        results.append((job, error))
        if _STATE.get("queue") is not None:
            _STATE["queue"].put((job, error))

    bodies = None
    for job in jobs:
        try:
            if job.kind == "publication":
                src = publication_source(content, job, site_url)
            else:
                if bodies is None:
                    bodies = sheet_bodies(content, job.lang, _sheet_ids(content, jobs), site_url)
                src = sheet_source(content, job, bodies, site_url)
            compile_source(src, out_dir / job.lang / job.relpath)
            done(job, None)
        except PrintError as exc:
            done(job, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: report it with the job, not a traceback
            done(job, f"{job}: internal error: {type(exc).__name__}: {exc}")
    return results


def _tasks(content: Content, jobs: list[Job]) -> list[list[Job]]:
    """Group the jobs into tasks, the longest first (reports, brochures, then the sheets)."""
    tasks: list[list[Job]] = []
    sheets: dict[str, list[Job]] = {}
    for job in jobs:
        if job.kind == "publication":
            tasks.append([job])
        else:
            sheets.setdefault(job.lang, []).append(job)
    for group in sheets.values():
        tasks.append(sorted(group, key=lambda j: (j.kind != "quartiers", j.ident)))

    def cost(task: list[Job]) -> float:
        job = task[0]
        if job.kind == "publication":
            return 10.0 if content.publications[job.ident].kind == "report" else 4.0
        return 0.2 * len(task)

    return sorted(tasks, key=cost, reverse=True)


def _mp_context():
    """fork is fastest, but only safe while this process has a single thread (no Typst/rayon
    threads, no progress-bar thread); otherwise forkserver."""
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        threads = 2
    methods = multiprocessing.get_all_start_methods()
    if threads == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def render_all(root: Path, content: Content, jobs: list[Job], out_dir: Path, site_url: str = "",
               max_workers: int | None = None, progress=None) -> None:
    """Make every PDF of `jobs` into out_dir/<lang>/<relpath>, in parallel (processes; default
    os.cpu_count()). Calls progress(job) after each PDF is written; raises PrintError listing
    every failure (the other PDFs are still made)."""
    out_dir = Path(out_dir)
    tasks = _tasks(content, list(jobs))
    failures: list[str] = []

    def record(job: Job, error: str | None) -> None:
        if error:
            failures.append(error)
        elif progress:
            progress(job)

    workers = max(1, min(max_workers or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        _init_worker(content, site_url, str(out_dir))
        for task in tasks:
            for job, error in _run_task(task):
                record(job, error)
    else:
        ctx = _mp_context()
        queue = ctx.SimpleQueue()
        reported: set[Job] = set()

        def drain() -> None:
            while not queue.empty():
                job, error = queue.get()
                reported.add(job)
                record(job, error)

        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                    initargs=(content, site_url, str(out_dir), queue)) as pool:
            pending = {pool.submit(_run_task, task): task for task in tasks}
            while pending:
                finished, _ = cf.wait(pending, timeout=0.05, return_when=cf.FIRST_COMPLETED)
                drain()
                for fut in finished:
                    task = pending.pop(fut)
                    try:
                        results = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                        results = [(job, f"{job}: the PDF worker stopped: {type(exc).__name__}: {exc}") for job in task]
                    drain()
                    for job, error in results:
                        if job not in reported:
                            reported.add(job)
                            record(job, error)
    if failures:
        raise PrintError("\n".join(failures))
