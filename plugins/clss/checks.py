"""Cross-file checks: references between YAML files, prose pages and Markdown content.

Each rule adds ContentError values to `content.errors`; nothing raises.
"""
from __future__ import annotations

import difflib
import functools
import pickle
import posixpath
import re
from pathlib import Path

from . import incremental, languages, sections
from . import model as m
from .cache import Cache
from .content import Content, ContentError, Page
from .languages import CODES, SOURCE
from .load import load
from .messages import Message, msg
from .page_memo import Found, PageMemo
from .page_memo import is_file as _is_file
from .syntax import (
    CITE_RE,
    COUNT_OPTIONS,
    COUNT_RE,
    COUNTABLE,
    FOOTDEF_RE,
    FOOTREF_RE,
    INSERT_RE,
    INSERTS_FIGURES,
    INSERTS_PLAIN,
    INSERTS_WITH_ID,
    LINK_RE,
    count_options,
    prose_lines,
)


def generated_pages(content: Content) -> set[str]:
    """Relative paths (as Markdown sources) of the pages the assembly generates."""
    out = {"index.md", "quartiers/index.md", "projects/index.md", "publications/index.md"}
    out |= {f"quartiers/{q}.md" for q in content.quartiers}
    out |= {f"projects/{p}.md" for p in content.projects}
    for pub in content.publications.values():
        out.add(f"publications/{pub.id}/index.md")
        out |= {f"publications/{pub.id}/{c}.md" for c in pub.chapters}
    return out


def load_and_check(root: Path | str) -> Content:
    """Load content/ and run every rule: what `clss check` reports."""
    return load_checked(root)[0]


def load_checked(root: Path | str, cache_dir: Path | None = None) -> tuple[Content, sections.SectionIndex]:
    """load_and_check, and the chapters' headings it read (for a build to use them again).
    `cache_dir`: where the checks' findings and the headings are kept between runs (clss.cache,
    keyed on every file of content/, mkdocs.yml and the code: unchanged content is not checked again)."""
    key = incremental.content_key(Path(root)) if cache_dir is not None else None  # before reading: see below
    content = load(root, Cache(cache_dir) if cache_dir is not None else None)
    index = sections.SectionIndex(content, Path(root).parent / "mkdocs.yml", cache_dir, key)
    run(content, index, Cache(cache_dir) if key else None, key)
    if key and incremental.content_key(Path(root)) != key:  # a file was saved meanwhile: what was kept may not be that content's
        Cache(cache_dir).forget("checks", key)
        index.forget_kept()
    return content, index


def run(content: Content, index: sections.SectionIndex | None = None, cache: Cache | None = None,
        content_key: str | None = None, memo: PageMemo | None = None) -> None:
    """Every rule over a loaded Content. `index`: the chapters' headings, when the caller shares
    them with the site's assembly (clss serve); made here otherwise. `cache` and `content_key`
    (clss.incremental.content_key of the files `content` was loaded from, unchanged since): the
    findings of the same content are taken from the cache instead of checking again. `memo`:
    what each page's rules found in earlier runs of the same process (clss serve)."""
    if cache is not None and content_key:
        kept = cache.get("checks", content_key)
        if kept is not None:
            try:
                errors, warnings = pickle.loads(kept)
            except Exception:  # noqa: BLE001 - an entry of another version: check again
                pass
            else:
                content.errors.extend(errors)
                content.warnings.extend(warnings)
                content.errors.sort()
                return
    loaded = (len(content.errors), len(content.warnings))
    _rules(content, index, memo)
    if cache is not None and content_key:
        found = (content.errors[loaded[0]:], content.warnings[loaded[1]:])
        cache.put("checks", content_key, pickle.dumps(found))
    content.errors.sort()


def _rules(content: Content, index: sections.SectionIndex | None, memo: PageMemo | None = None) -> None:
    _references(content)
    _histories(content)
    _pages(content, memo)
    _sources(content, index or sections.SectionIndex(content, content.root.parent / "mkdocs.yml"))
    from .figures import review as figures  # photos and drawings: declarations, files, placements, print resolution

    figures.run(content)
    from . import editor_checks  # heading levels, links without https://, file names, case clashes, plain messages

    editor_checks.check(content)


def _sources(content: Content, index: sections.SectionIndex) -> None:
    """Each `sources:` entry of a quartier or project names a publication, one of its chapters
    and a heading anchor of that chapter's page (in French, with a counterpart in each language);
    so does the `source:` of each step of the timeline (content/timeline.yml)."""
    owners = [("quartiers", x) for x in content.quartiers.values()] + [("projects", x) for x in content.projects.values()]
    entries: list[tuple[str, tuple[str | int, ...], m.Source]] = [(f"content/{folder}/{item.id}.yml", ("sources", i), s)
               for folder, item in owners for i, s in enumerate(getattr(item, "sources", []))]
    entries += [("content/timeline.yml", ("events", i, "source"), e.source) for i, e in enumerate(content.timeline)]
    for rel, key, s in entries:
        i = int(key[1])
        pub = content.publications.get(s.publication)
        if pub is None:
            if _is_file(content.root / "publications" / f"{s.publication}.yml"):
                continue  # it exists but failed to load: reported once, in its own right
            content.error(rel, _line(content, rel, *key, "publication"), msg("source %(i)d: unknown publication `%(id)s`%(close)s; use the id of a file in content/publications/", i=i + 1, id=s.publication, close=_close(s.publication, content.publications)))
            continue
        if s.chapter not in pub.chapters:
            content.error(rel, _line(content, rel, *key, "chapter"), msg("source %(i)d: `%(chapter)s` is not a chapter of `%(pub)s`%(close)s; see `chapters:` in content/publications/%(pub)s.yml", i=i + 1, chapter=s.chapter, pub=pub.id, close=_close(s.chapter, pub.chapters)))
            continue
        found = index.headings(pub.id, s.chapter, languages.SOURCE)
        if found is None:  # the chapter could not be assembled; that problem is reported on its own
            continue
        anchors = [a for a, _ in found]
        if s.anchor not in anchors:
            content.error(rel, _line(content, rel, *key, "anchor"), msg("source %(i)d: no heading with anchor `%(anchor)s` in %(pub)s/%(chapter)s%(close)s; anchors there: %(anchors)s", i=i + 1, anchor=s.anchor, pub=pub.id, chapter=s.chapter, close=_close(s.anchor, anchors), anchors=", ".join(anchors) or msg("none")))
            continue
        for lang in languages.others(languages.SOURCE):
            other = index.headings(pub.id, s.chapter, lang)
            if other is not None and len(other) != len(found):
                content.error(rel, _line(content, rel, *key, "anchor"), msg("source %(i)d: the %(LANG)s page of %(pub)s/%(chapter)s has %(n)d headings, the French one %(m)d; the anchor has no %(LANG)s counterpart until both have the same headings", i=i + 1, LANG=lang.upper(), pub=pub.id, chapter=s.chapter, n=len(other), m=len(found)))


def _line(content: Content, rel: str, *key) -> int:
    return content.lines.get((rel,) + key, 1)


# A file that exists but failed to load is reported once, in its own right; references to it
# are not reported again (one line per problem, no cascade).
def _has_quartier(content: Content, qid: str) -> bool:
    return qid in content.quartiers or _is_file(content.root / "quartiers" / f"{qid}.yml")


def _has_project(content: Content | Found, pid: str, is_file=_is_file) -> bool:
    return pid in content.projects or is_file(content.root / "projects" / f"{pid}.yml")


def _has_fr(content: Content | Found, relpath: str, is_file=_is_file) -> bool:
    if relpath in content.pages.get(SOURCE, {}):
        return True
    inside = relpath.endswith(".md") and not relpath.startswith(("../", "/")) and relpath != ".."
    return inside and is_file(content.root / SOURCE / relpath)


def _references(content: Content) -> None:
    for q in content.quartiers.values():
        rel = f"content/quartiers/{q.id}.yml"
        if content.communes and q.commune not in content.communes:
            content.error(rel, _line(content, rel, "commune"), msg("unknown commune `%(id)s`; use one of the ids in content/communes.yml", id=q.commune))
        if content.waves and q.wave not in content.waves:
            content.error(rel, _line(content, rel, "wave"), msg("unknown wave `%(id)s`; use one of %(ids)s (content/waves.yml)", id=q.wave, ids=", ".join(content.waves)))
        if not _has_fr(content, f"quartiers/{q.id}.md"):
            content.error(rel, 1, msg("no French text for this quartier: create content/%(src)s/quartiers/%(id)s.md (clss new quartier %(id)s does it)", src=SOURCE, id=q.id))
    for p in content.projects.values():
        rel = f"content/projects/{p.id}.yml"
        if not _has_quartier(content, p.quartier):
            close = _close(p.quartier, content.quartiers)
            content.error(rel, _line(content, rel, "quartier"), msg("unknown quartier `%(id)s`%(close)s; it must be the id of a file in content/quartiers/", id=p.quartier, close=close))
        for i, t in enumerate(p.themes):
            if content.themes and t not in content.themes:
                content.error(rel, _line(content, rel, "themes", i), msg("unknown theme `%(id)s`%(close)s; the closed set is in content/themes.yml", id=t, close=_close(t, content.themes)))
        if not _has_fr(content, f"projects/{p.id}.md"):
            content.error(rel, 1, msg("no French text for this project: create content/fr/projects/%(id)s.md", id=p.id))
    for i, r in enumerate(content.referents):
        if content.waves and r.wave not in content.waves:
            content.error("content/referents.yml", _line(content, "content/referents.yml", "referents", i, "wave"), msg("referent `%(name)s`: unknown wave `%(id)s`", name=r.name, id=r.wave))
        if r.quartier and not _has_quartier(content, r.quartier):
            rrel = "content/referents.yml"
            content.error(rrel, _line(content, rrel, "referents", i, "quartier"), msg("referent `%(name)s`: unknown quartier `%(id)s`%(close)s", name=r.name, id=r.quartier, close=_close(r.quartier, content.quartiers)))
    for pub in content.publications.values():
        rel = f"content/publications/{pub.id}.yml"
        seen = set()
        for i, ch in enumerate(pub.chapters):
            if ch in seen:
                content.error(rel, _line(content, rel, "chapters", i), msg("chapter `%(id)s` listed twice", id=ch))
            seen.add(ch)
            if not _has_fr(content, f"publications/{pub.id}/{ch}.md"):
                content.error(rel, _line(content, rel, "chapters", i), msg("chapter `%(id)s` has no file content/fr/publications/%(pub)s/%(id)s.md", id=ch, pub=pub.id))
        if pub.back_cover and not _has_fr(content, f"publications/{pub.id}/{pub.back_cover}.md"):
            content.error(rel, _line(content, rel, "back_cover"), msg("back cover `%(id)s` has no file content/fr/publications/%(pub)s/%(id)s.md", id=pub.back_cover, pub=pub.id))
    # aliases and names must not clash between quartiers
    names: dict[str, str] = {}
    for q in content.quartiers.values():
        for n in [*(q.name.get(lang) for lang in CODES), *(a for lang in CODES for a in q.aliases.get(lang))]:
            key = n.casefold()
            if key in names and names[key] != q.id:
                rel = f"content/quartiers/{q.id}.yml"
                content.error(rel, _line(content, rel, "aliases"), msg("name or alias `%(name)s` is also used by quartier `%(id)s`", name=n, id=names[key]))
            names[key] = q.id


def _histories(content: Content) -> None:
    """Dated histories: in date order, sources that exist, a launch that fits the wave."""
    items = [("quartiers", q) for q in content.quartiers.values()] + [("projects", p) for p in content.projects.values()]
    for folder, x in items:
        rel = f"content/{folder}/{x.id}.yml"
        for i, o in enumerate(x.history):
            line = _line(content, rel, "history", i)
            if i and o.day < x.history[i - 1].day:
                content.error(rel, line, msg("history is not in date order; list the observations oldest first"))
            if o.source and content.publications and o.source not in content.publications \
                    and not _is_file(content.root / "publications" / f"{o.source}.yml"):  # a file that failed to load is reported once
                content.error(rel, line, msg("unknown source `%(id)s`%(close)s; give the id of a publication in content/publications/", id=o.source, close=_close(o.source, content.publications)))
        if not isinstance(x, m.Quartier):
            continue
        wave = content.waves.get(x.wave)
        launched = x.launched
        if wave and launched is not None and launched < wave.start:
            first = next(i for i, o in enumerate(x.history) if o.status == "in-progress")
            content.error(rel, _line(content, rel, "history", first), msg("launched in %(launched)s, before wave %(wave)s started (%(start)s); check the date or the wave", launched=launched, wave=wave.id, start=wave.start))
        if launched is None and x.current.status != "not-launched":
            content.error(rel, _line(content, rel, "history"), msg("status `%(status)s` but no `in-progress` observation (the launch); add one with the launch date", status=x.current.status))


def _close(value: str, options) -> Message | str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return msg(" (did you mean `%(id)s`?)", id=close[0]) if close else ""


def _pages(content: Content, memo: PageMemo | None = None) -> None:
    known = generated_pages(content)
    bib = {r.get("id") for r in content.bibliography}
    context = (frozenset(known), frozenset(bib), frozenset(content.projects), tuple(content.waves),
               frozenset(content.pages.get(SOURCE, {})), repr(content.glossary), content.root) if memo is not None else ()
    for lang, pages in content.pages.items():
        for relpath, page in pages.items():
            check = functools.partial(_page_rules, content, lang, relpath, page, known, bib)
            if memo is None:
                content.errors.extend(check(_is_file))
            else:
                content.errors.extend(memo.findings((lang, relpath, page.path, page.body, page.body_line, context), check))


def _page_rules(content: Content, lang: str, relpath: str, page: Page, known: set[str], bib: set, is_file) -> list[ContentError]:
    """The problems of one page (`is_file`: how the rules look for a file)."""
    found = Found(content)
    if lang != SOURCE and not _has_fr(found, relpath, is_file):
        found.error(page.path, 1, msg("Dutch page without a French page: content/fr/%(path)s does not exist; every NL page translates a FR page at the same path", path=relpath))
    _markdown(found, page, known, bib, is_file)
    if lang != SOURCE:
        _glossary(found, page)
    return found.errors


def _markdown(content: Content | Found, page: Page, known: set[str], bib: set, is_file=_is_file) -> None:
    refs: dict[str, int] = {}
    defs: dict[str, int] = {}
    base = posixpath.dirname(page.relpath)
    for i, line in prose_lines(page.body):
        n = page.body_line + i
        _counts(content, page, n, line)
        mt = FOOTDEF_RE.match(line)
        if mt:
            if mt.group(1) in defs:
                content.error(page.path, n, msg("footnote `[^%(label)s]` is defined twice (also line %(line)d)", label=mt.group(1), line=defs[mt.group(1)]))
            defs[mt.group(1)] = n
        for r in FOOTREF_RE.finditer(line):
            if not (mt and r.start() == 0):
                refs.setdefault(r.group(1), n)
        ins = INSERT_RE.match(line.strip())
        if line.strip().startswith("[[insert"):
            if not ins:
                content.error(page.path, n, msg("malformed data insert; write `[[insert: NAME]]` alone on its line"))
            else:
                name, arg = ins.group(1), ins.group(2)
                if name in INSERTS_WITH_ID:
                    if not arg or not _has_project(content, arg, is_file):
                        content.error(page.path, n, msg("`[[insert: project %(id)s]]`: unknown project%(close)s", id=arg or "", close=_close(arg or "", content.projects)))
                elif name not in INSERTS_PLAIN and name not in INSERTS_FIGURES:  # figures: clss.figures.review
                    content.error(page.path, n, msg("unknown data insert `%(name)s`%(close)s; known: %(known)s", name=name, close=_close(name, INSERTS_PLAIN | INSERTS_WITH_ID | INSERTS_FIGURES), known=", ".join(sorted(INSERTS_PLAIN | INSERTS_WITH_ID | INSERTS_FIGURES))))
        for lk in LINK_RE.finditer(line):
            is_img, text, target = lk.group(1), lk.group(2), lk.group(3)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                if target.startswith(("http://", "https://")) and not m.URL_RE.match(target):
                    content.error(page.path, n, msg("malformed URL `%(url)s`", url=target))
                continue
            path_part = target.split("#", 1)[0]
            resolved = posixpath.normpath(posixpath.join(base, path_part)) if path_part else page.relpath
            if is_img:
                if not text.strip():
                    content.error(page.path, n, msg("image `%(target)s` has no alt text; describe it between the brackets: ![description](%(target)s)", target=target))
                if not is_file(page.path.parent / path_part):
                    content.error(page.path, n, msg("image not found: `%(target)s` (looked for %(path)s)", target=target, path=content.rel(page.path.parent / path_part)))
            else:
                if not path_part.endswith(".md") and path_part:
                    if not is_file(page.path.parent / path_part):
                        content.error(page.path, n, msg("broken link `%(target)s`: no such file; link to another page with its .md path, e.g. ../quartiers/marolles.md", target=target))
                elif resolved not in known and not _has_fr(content, resolved, is_file):
                    content.error(page.path, n, msg("broken link `%(target)s`: no page `%(path)s`; check the path (relative to this file)", target=target, path=resolved))
        for c in CITE_RE.finditer(line):
            if c.group(1) not in bib:
                content.error(page.path, n, msg("citation `@%(key)s` is not in content/bibliography.yaml%(close)s", key=c.group(1), close=_close(c.group(1), bib)))
    for ref, n in refs.items():
        if ref not in defs:
            content.error(page.path, n, msg("footnote `[^%(label)s]` is called but never defined; add a line `[^%(label)s]: …`", label=ref))
    for d, n in defs.items():
        if d not in refs:
            content.error(page.path, n, msg("footnote `[^%(label)s]` is defined but never called in the text", label=d))


def _counts(content: Content | Found, page: Page, n: int, line: str) -> None:
    for mt in COUNT_RE.finditer(line):
        what, opts = mt.group(1), count_options(mt.group(2))
        if what not in COUNTABLE:
            content.error(page.path, n, msg("`%(count)s`: cannot count `%(what)s`; count one of %(known)s", count=mt.group(0), what=what, known=", ".join(sorted(COUNTABLE))))
        for key, value in opts.items():
            if key not in COUNT_OPTIONS:
                content.error(page.path, n, msg("`%(count)s`: unknown option `%(key)s`; use `words`, `Words` or `wave=ID`", count=mt.group(0), key=key))
            elif key == "wave" and content.waves and value not in content.waves:
                content.error(page.path, n, msg("`%(count)s`: unknown wave `%(id)s`; use one of %(ids)s", count=mt.group(0), id=value, ids=", ".join(content.waves)))
    if "[[count" in COUNT_RE.sub("", line):  # also beside a well-formed count
        content.error(page.path, n, msg("malformed count; write `[[count: quartiers]]` (options: `words`, `Words`, `wave=1.0`)"))


def _glossary(content: Content | Found, page: Page) -> None:
    if not content.glossary:
        return
    patterns = []
    for term in content.glossary:
        for form in term.avoid:
            if form in page.body:  # cheap pre-filter: the per-line regex loop was ~75% of `clss check`
                patterns.append((re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])"), form, term.nl))
    if not patterns:
        return
    for i, line in enumerate(page.body.split("\n")):
        # French titles of cited works (in italics) and URLs are allowed: blank out link targets,
        # citations, italics. Text in « » is NOT exempt: Dutch pages quote with “ ”.
        scrub = re.sub(r"\]\([^)]*\)", "]", line)
        scrub = re.sub(r"https?://\S+", " ", scrub)
        scrub = re.sub(r"\[@[^\]]*\]", " ", scrub)
        scrub = re.sub(r"\[\[[^\]]*\]\]", " ", scrub)  # data inserts and counts
        scrub = re.sub(r"\*[^*]+\*", lambda mt: mt.group(0) if "**" in mt.group(0) else " ", scrub)
        for rx, form, nl in patterns:
            if rx.search(scrub):
                content.error(page.path, page.body_line + i, msg("`%(form)s` is to be avoided in a Dutch page; the glossary (content/glossary.yml) gives `%(nl)s`", form=form, nl=nl))
