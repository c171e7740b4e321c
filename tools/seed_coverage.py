"""How much of the seeds survived the restructuring into Markdown.

The French sources of the 2025 report and of the brochure were restructured by hand from the
plain-text seeds (``../shared/seeds`` beside the repository). This tool measures, without
changing anything:

- report body words: the seed's body (colophon, sommaire, bibliography list, back cover, page
  numbers, running headers and footnote call superscripts removed) against the chapter Markdown
  (front matter, markup, ``[^N]`` labels and added ``— Speaker`` lines removed, citation keys
  replaced by author surname(s) + year). Both sides are folded (case, accents, punctuation),
  footnotes are moved to the end in number order, and the two word sequences are aligned; the
  coverage is "seed words found in source" / "seed words";
- footnotes: the seed's numbers against ``[^N]`` definitions (FR and NL);
- sommaire: each entry must be a heading of the FR report, at the level its place in the
  sommaire implies;
- bibliography: seed entries against ``content/bibliography.yaml`` (first author + year);
- brochure: the same word coverage, with the longest missing runs for a human to judge (lists
  now rendered from YAML by ``[[insert: …]]`` are expected to be missing and are tagged);
- NL/FR word ratio of the report;
- quotes: every block quote ends with a ``— Speaker`` paragraph or is a dialogue.

Run ``python tools/seed_coverage.py [--json] [--check] [--root DIR] [--seeds DIR]``.
It is a measurement: the exit code is 0 unless ``--check`` is given and a goal is missed.
"""
from __future__ import annotations

import argparse
import bisect
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPORT_SEED = "000_2de47f855580b026.txt"
BROCHURE_SEED = "002_0b68582476e96345.txt"
REPORT_ID = "rapport-2025"
BROCHURE_ID = "brochure-5-ans"

COVERAGE_GOAL = 0.98
NL_RATIO_GOAL = 0.85
LEVEL_GOAL = 0.90
TOP_RUNS = 15

from clss.syntax import CITE_RE, INSERT_RE  # the same syntax rules as `clss check`

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
# a footnote call: superscript digits glued to the text (not the ² of km²)
SUP_CALL_RE = re.compile(rf"(?<=\S)(?<!km)[{SUPERSCRIPTS}]+")
SUP_DEF_RE = re.compile(rf"^\s*([{SUPERSCRIPTS}]+)\s+(.*)$")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:page\s*)?\d{1,3}\s*$", re.I)
# a table-of-contents line: "Title<TAB>12", "Title **75**", "<b>TITLE</b>\t<b>P.5</b>"
TOC_LINE_RE = re.compile(r"\t\s*(?:<b>|\*\*)?\s*(?:P\.\s*)?\d{1,3}\s*(?:</b>|\*\*)?\s*$")
SOMMAIRE_PAGE_RE = re.compile(r"(?:\t|\s+)(?:\*\*)?\d{1,3}(?:\*\*)?\s*$")

FRONT_MATTER_RE = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ADMONITION_RE = re.compile(r'^!!!\s+([\w-]+)(?:\s+"(.*)")?\s*$')
FOOTDEF_RE = re.compile(r"^\[\^(\w+)\]:\s*(.*)$")
FOOTREF_RE = re.compile(r"\[\^(\w+)\](?!:)")
CITE_KEY = r"[a-z][a-z0-9]*[0-9]{4}[a-z]?"
CITE_GROUP_RE = re.compile(rf"\[([^\[\]]*?-?@{CITE_KEY}[^\[\]]*)\]")
CITE_ITEM_RE = re.compile(rf"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{CITE_KEY})(?P<locator>.*)$", re.S)
LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^)]*\)")
HTML_TAG_RE = re.compile(r"</?(?:b|i|em|strong|sup|sub|br|span|div|p|u|s|small|mark)\b[^>]*>", re.I)
ATTRIBUTION_RE = re.compile(r"^\s*[—―]\s*(.+?)\s*$")
DIALOGUE_RE = re.compile(r"^[\s«“\"]*\*\*[^*]+\*\*\s*:")


# --------------------------------------------------------------------------- words


def fold(text: str) -> str:
    """Lower case, no accents, œ → oe: the form in which words are compared."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def norm_text(text: str) -> str:
    return " ".join(words(text))


@dataclass
class Stream:
    """A word sequence with, for each word, where it comes from."""

    words: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)  # original spelling, for the listings
    marks: list[tuple[int, str]] = field(default_factory=list)  # (position, insert name)

    def add(self, text: str, where: str) -> None:
        for w in re.findall(r"[^\W_]+", text):
            for f in words(w):
                self.words.append(f)
                self.where.append(where)
                self.raw.append(w)

    def mark(self, name: str) -> None:
        self.marks.append((len(self.words), name))

    def __len__(self) -> int:
        return len(self.words)


# --------------------------------------------------------------------------- alignment


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of pairs (sorted by first item) increasing in the second item."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tails_idx.append(k)
        else:
            tails[pos] = j
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    out = []
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _align(a, b, alo, ahi, blo, bhi, out, small=3_000_000):
    if alo >= ahi or blo >= bhi:
        return
    if (ahi - alo) * (bhi - blo) > small:
        ca = Counter(a[alo:ahi])
        cb = Counter(b[blo:bhi])
        pos_b = {b[j]: j for j in range(blo, bhi) if cb[b[j]] == 1 and ca.get(b[j]) == 1}
        pairs = [(i, pos_b[a[i]]) for i in range(alo, ahi) if a[i] in pos_b]
        anchors = _lis(pairs)
        if anchors:
            pa, pb = alo, blo
            for i, j in anchors:
                _align(a, b, pa, i, pb, j, out, small)
                out.append((i, j, 1))
                pa, pb = i + 1, j + 1
            _align(a, b, pa, ahi, pb, bhi, out, small)
            return
    sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    out.extend((alo + i, blo + j, n) for i, j, n in sm.get_matching_blocks() if n)


def align(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Matching blocks (i, j, n) of two word lists, in order (difflib, anchored on words that
    occur once on each side so that 55 000-word texts align in seconds)."""
    out: list[tuple[int, int, int]] = []
    _align(a, b, 0, len(a), 0, len(b), out)
    out.sort()
    return out


@dataclass
class Comparison:
    seed_words: int
    source_words: int
    aligned: int  # seed words aligned, in order, with a source word
    moved: int  # seed words found verbatim elsewhere in the source (text moved by hand)
    multiset: int  # seed words found in source, ignoring order
    seed_flags: list[bool]
    source_flags: list[bool]
    seed_to_source: list[int]  # for each seed word, the source position of the next aligned word
    moved_runs: list[dict] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return self.aligned + self.moved


def _unmatched_runs(flags: list[bool]) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < len(flags):
        if flags[i]:
            i += 1
            continue
        k = i
        while k < len(flags) and not flags[k]:
            k += 1
        out.append((i, k))
        i = k
    return out


def compare(seed: Stream, src: Stream, min_moved: int = 5) -> Comparison:
    blocks = align(seed.words, src.words)
    sflags = [False] * len(seed)
    tflags = [False] * len(src)
    nxt = [len(src)] * (len(seed) + 1)
    for i, j, n in blocks:
        for k in range(n):
            sflags[i + k] = True
            tflags[j + k] = True
            nxt[i + k] = j + k
    for i in range(len(seed) - 1, -1, -1):  # unmatched seed word: position of next matched one
        if not sflags[i]:
            nxt[i] = nxt[i + 1]
    aligned = sum(sflags)
    # text moved by hand: a missing seed run found verbatim among the unaligned source words
    g = 4
    grams: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(src) - g + 1):
        if not any(tflags[j:j + g]):
            grams.setdefault(tuple(src.words[j:j + g]), []).append(j)
    moved_flags = list(sflags)
    moved_runs = []
    for i0, i1 in sorted(_unmatched_runs(sflags), key=lambda r: r[0] - r[1]):
        i = i0
        while i1 - i >= min_moved:
            best = (0, 0, 0)
            for j in grams.get(tuple(seed.words[i:i + g]), []):
                n = 0
                while i + n < i1 and j + n < len(src) and not tflags[j + n] and seed.words[i + n] == src.words[j + n]:
                    n += 1
                best = max(best, (n, j, i))
            n, j, _ = best
            if n >= min_moved:
                for k in range(n):
                    moved_flags[i + k] = True
                    tflags[j + k] = True
                moved_runs.append({"seed": seed.where[i], "source": src.where[j], "words": n,
                                   "text": " ".join(seed.raw[i:i + n])[:160]})
                i += n
            else:
                i += 1
    moved = sum(moved_flags) - aligned
    multiset = sum((Counter(seed.words) & Counter(src.words)).values())
    moved_runs.sort(key=lambda r: -r["words"])
    return Comparison(seed_words=len(seed), source_words=len(src), aligned=aligned, moved=moved,
                      multiset=multiset, seed_flags=moved_flags, source_flags=tflags,
                      seed_to_source=nxt, moved_runs=moved_runs)


def runs(stream: Stream, flags: list[bool], top: int) -> list[dict]:
    """The longest runs of unmatched words, longest first."""
    found = sorted(_unmatched_runs(flags), key=lambda r: (r[0] - r[1], r[0]))
    out = []
    for i, k in found[:top]:
        text = " ".join(stream.raw[i:k])
        if len(text) > 240:
            text = text[:237] + "…"
        first, last = stream.where[i], stream.where[k - 1]
        out.append({"start": i, "end": k, "words": k - i,
                    "where": first if first == last else f"{first}–{last.split(':')[-1]}",
                    "text": text})
    return out


def tag_insert_runs(cmp: Comparison, src: Stream, found: list[dict]) -> None:
    """Tag missing seed runs that sit where the source has a data insert."""
    for r in found:
        lo = cmp.seed_to_source[r["start"] - 1] + 1 if r["start"] > 0 else 0
        hi = cmp.seed_to_source[r["end"]] if r["end"] < len(cmp.seed_to_source) else len(src)
        names = [name for pos, name in src.marks if lo <= pos <= hi]
        if names:
            r["insert"] = ", ".join(dict.fromkeys(names))


# --------------------------------------------------------------------------- seeds


def paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    out, cur = [], []
    for n, line in lines:
        if line.strip():
            cur.append((n, line))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def para_text(p: list[tuple[int, str]]) -> str:
    return " ".join(line.strip() for _, line in p)


@dataclass
class SeedText:
    body: list[list[tuple[int, str]]]  # paragraphs of (line number, text)
    footnotes: dict[int, tuple[int, str]] = field(default_factory=dict)  # n -> (line, text)
    calls: list[tuple[int, int]] = field(default_factory=list)  # (n, line)
    artefacts: dict[str, int] = field(default_factory=dict)


def clean_seed_body(paras, footnotes=True, toc=False, page_numbers=True) -> SeedText:
    """Remove page artefacts from seed paragraphs; pull footnote definitions out.

    Page artefacts: lines holding only a page number (when `page_numbers`), table-of-contents
    lines (when `toc`), running headers — a level-1 "# TITLE" repeated on several pages, or a
    short non-heading paragraph (≤ 15 words: page header, photo credit, QR label) met three
    times or more; the first occurrence is kept. Footnote calls (superscript digits glued to a
    word, not the ² of km²) are removed and counted; footnote texts are returned apart.
    """
    st = SeedText(body=[])
    art = Counter()
    kept = []
    for p in paras:
        lines = []
        for n, line in p:
            if page_numbers and PAGE_NUMBER_RE.match(line):
                art["page numbers"] += 1
                continue
            if toc and TOC_LINE_RE.search(line):
                art["table of contents lines"] += 1
                continue
            if footnotes:
                m = SUP_DEF_RE.match(line)
                if m:
                    num = int(m.group(1).translate(SUP_TO_DIGIT))
                    st.footnotes[num] = (n, m.group(2).strip())
                    continue
                for c in SUP_CALL_RE.finditer(line):
                    st.calls.append((int(c.group(0).translate(SUP_TO_DIGIT)), n))
                    art["footnote call superscripts"] += 1
                line = SUP_CALL_RE.sub("", line)
            lines.append((n, line))
        if lines:
            kept.append(lines)
    seen = Counter(norm_text(para_text(p)) for p in kept)
    first_seen: set[str] = set()
    for p in kept:
        key = norm_text(para_text(p))
        raw = para_text(p).lstrip()
        h1 = bool(re.match(r"#\s", raw))
        heading = raw.startswith("#")
        if key and (h1 and seen[key] >= 2 or not heading and seen[key] >= 3 and len(key.split()) <= 15):
            if key in first_seen:
                art["running headers"] += 1
                continue
            first_seen.add(key)
        st.body.append(p)
    st.artefacts = dict(art)
    return st


@dataclass
class ReportSeed:
    text: SeedText
    sommaire: list[tuple[int, str]]
    bibliography: list[tuple[int, str]]
    ranges: dict[str, tuple[int, int]]
    stream: Stream = field(default_factory=Stream)
    # word ranges of the seed that read like a speaker label after a quote: the text after the
    # closing » on the quote's last line, or a short line / paragraph right after it
    speaker_zones: list[tuple[int, int]] = field(default_factory=list)


def read_report_seed(path: Path) -> ReportSeed:
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = list(enumerate(lines, start=1))
    i_som = next(i for i, l in enumerate(lines) if l.strip().strip("*").strip() == "Sommaire")
    i_start = next(i for i in range(i_som + 1, len(lines))
                   if lines[i].startswith("Ce rapport d'évaluation scientifique"))
    i_bib = max(i for i, l in enumerate(lines) if l.strip().strip("*").strip() == "Bibliographie")
    title = next(l for l in lines if l.strip()).strip()
    title = re.sub(r"\s+\d{4}$", "", title)
    i_back = next((i for i in range(i_bib + 1, len(lines)) if lines[i].strip().startswith(title[:50])),
                  len(lines))
    som = [(n, l) for n, l in numbered[i_som + 1:i_start] if l.strip()]
    bib = bibliography_entries(paragraphs(numbered[i_bib + 1:i_back]))
    text = clean_seed_body(paragraphs(numbered[i_start:i_bib + 1]))
    text.artefacts = {"colophon and sommaire lines": i_start,
                      "bibliography entries": len(bib),
                      "back cover lines": len(lines) - i_back,
                      **text.artefacts}
    seed = ReportSeed(text, som, bib, {"body": (i_start + 1, i_bib + 1),
                                       "bibliography": (i_bib + 2, i_back),
                                       "back cover": (i_back + 1, len(lines))})
    st = Stream()
    spans = []  # (paragraph index, line text, first word, end word)
    for pi, p in enumerate(text.body):
        for n, line in p:
            start = len(st)
            st.add(seed_markup(line), str(n))
            spans.append((pi, line, start, len(st)))
    for k, (pi, line, start, end) in enumerate(spans):
        if "»" not in line:
            continue
        tail = len(words(seed_markup(line[line.rindex("»") + 1:])))
        if 0 < tail <= 12:
            seed.speaker_zones.append((end - tail, end))
        elif tail == 0 and k + 1 < len(spans):
            npi, _, nstart, nend = spans[k + 1]
            same_para = npi == pi
            para_words = sum(e - b for q, _, b, e in spans if q == npi)
            if 0 < nend - nstart <= 12 and (same_para or para_words <= 12):
                seed.speaker_zones.append((nstart, nend))
    for num in sorted(text.footnotes):
        n, t = text.footnotes[num]
        st.add(seed_markup(t), str(n))
    seed.stream = st
    return seed


def bibliography_entries(paras) -> list[tuple[int, str]]:
    """One entry per paragraph, or per "- " item when a paragraph is a list."""
    out: list[tuple[int, str]] = []
    for p in paras:
        cur: list[tuple[int, str]] = []
        for n, line in p:
            if line.lstrip().startswith("- ") and cur:
                out.append((cur[0][0], para_text(cur)))
                cur = []
            cur.append((n, line))
        if cur:
            out.append((cur[0][0], para_text(cur)))
    return [(n, re.sub(r"^-\s+", "", t).strip()) for n, t in out]


def seed_markup(line: str) -> str:
    line = HTML_TAG_RE.sub(" ", line)
    return line.replace("^", "").replace("~~", "")


# --------------------------------------------------------------------------- bibliography


def load_bibliography(root: Path) -> list[dict]:
    path = root / "content" / "bibliography.yaml"
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("references", data) if isinstance(data, dict) else data


def _names(entry: dict) -> list[str]:
    people = entry.get("author") or entry.get("editor") or []
    out = []
    for p in people:
        if isinstance(p, dict):
            out.append(" ".join(x for x in (p.get("non-dropping-particle"), p.get("family") or p.get("literal")) if x))
    return out


def _year(entry: dict) -> int | None:
    try:
        return int(entry["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def cite_renderer(bib: list[dict]):
    table = {}
    for e in bib:
        names = _names(e)
        if not names:
            who = ""
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} et {names[1]}"
        else:
            who = f"{names[0]} et al."
        table[e.get("id")] = (who, _year(e))
    unknown: set[str] = set()

    def item(key: str, suppress: bool, narrative: bool, locator: str = "") -> str:
        if key not in table:
            unknown.add(key)
            return key
        who, year = table[key]
        year = year or "s. d."
        if suppress:
            return f"{year}{locator}"
        return f"{who} ({year}{locator})" if narrative else f"{who}, {year}{locator}"

    def group(m: re.Match) -> str:
        parts = []
        for chunk in m.group(1).split(";"):
            im = CITE_ITEM_RE.match(chunk.strip())
            if not im:
                parts.append(chunk)
                continue
            parts.append(f"{im.group('prefix')}{item(im.group('key'), bool(im.group('suppress')), False, im.group('locator'))}")
        return "(" + "; ".join(parts) + ")"

    def render(text: str) -> str:
        text = CITE_GROUP_RE.sub(group, text)
        return CITE_RE.sub(lambda m: item(m.group(1), False, True), text)

    render.unknown = unknown  # type: ignore[attr-defined]
    return render


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(s))


def match_bibliography(seed_entries: list[tuple[int, str]], bib: list[dict]) -> dict:
    seeds = []
    for line, text in seed_entries:
        head = _squash(text.split(",")[0])
        years = [int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20[0-4]\d)(?!\d)", text)]
        seeds.append({"line": line, "head": head, "years": years, "text": text})
    ybib = []
    for e in bib:
        names = _names(e)
        ybib.append({"id": e.get("id"), "family": _squash(names[0]) if names else "", "year": _year(e)})
    pairs: dict[int, tuple[int, str]] = {}
    used: set[int] = set()

    def prefix(s, y):
        return bool(y["family"]) and s["head"].startswith(y["family"])

    def fuzzy(s, y):
        f = y["family"]
        return bool(f) and difflib.SequenceMatcher(None, f, s["head"][:len(f) + 1]).ratio() >= 0.8

    passes = [
        (lambda s, y: prefix(s, y) and y["year"] in s["years"], ""),
        (lambda s, y: prefix(s, y) and not s["years"], "the seed entry gives no year"),
        (lambda s, y: fuzzy(s, y) and y["year"] in s["years"], "surname spelled differently"),
    ]
    for test, note in passes:
        for si, s in enumerate(seeds):
            if si in pairs:
                continue
            for yi, y in enumerate(ybib):
                if yi not in used and test(s, y):
                    pairs[si] = (yi, note)
                    used.add(yi)
                    break
    matched = [{"seed_line": seeds[si]["line"], "id": ybib[yi]["id"], **({"note": note} if note else {})}
               for si, (yi, note) in sorted(pairs.items())]
    unmatched_seed = []
    for si, s in enumerate(seeds):
        if si in pairs:
            continue
        near = [y["id"] for y in ybib if prefix(s, y) or fuzzy(s, y)]
        unmatched_seed.append({"seed_line": s["line"], "entry": s["text"][:120], "years": s["years"],
                               **({"closest": near} if near else {})})
    unmatched_yaml = [y["id"] for yi, y in enumerate(ybib) if yi not in used]
    return {"seed_entries": len(seeds), "yaml_entries": len(ybib), "matched": len(matched),
            "matches": matched, "unmatched_seed": unmatched_seed, "unmatched_yaml": unmatched_yaml}


# --------------------------------------------------------------------------- Markdown sources


@dataclass
class Heading:
    level: int
    text: str
    where: str


@dataclass
class Quote:
    where: str
    paragraphs: list[tuple[str, str]]  # (where, text)


@dataclass
class Source:
    """One publication's Markdown, read in chapter order."""

    body: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, where, text)
    footnotes: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (where, text)
    footrefs: dict[str, list[str]] = field(default_factory=dict)  # label -> [where]
    headings: list[Heading] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    inserts: list[tuple[str, str]] = field(default_factory=list)  # (where, name)
    files: list[str] = field(default_factory=list)


def read_markdown(path: Path, rel: str, src: Source, expand=None) -> None:
    text = path.read_text(encoding="utf-8")
    # HTML comments are not rendered (keep their line breaks so line numbers stay right)
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    offset = 0
    fm = FRONT_MATTER_RE.match(text)
    if fm:
        offset = fm.group(0).count("\n")
        text = text[fm.end():]
    src.files.append(rel)
    lines = text.split("\n")
    i = 0
    quote: Quote | None = None
    qpara: list[str] = []
    qwhere = ""
    foot: str | None = None
    in_admonition = False

    def close_qpara():
        nonlocal qpara
        if quote is not None and qpara:
            quote.paragraphs.append((qwhere, " ".join(qpara)))
        qpara = []

    def close_quote():
        nonlocal quote
        close_qpara()
        if quote is not None:
            src.quotes.append(quote)
            for w, t in quote.paragraphs:
                src.body.append(("quote", w, t))
        quote = None

    while i < len(lines):
        raw = lines[i]
        where = f"{rel}:{i + 1 + offset}"
        i += 1
        line = raw
        if in_admonition:
            if raw.startswith("    ") or not raw.strip():
                line = raw[4:]
            else:
                in_admonition = False
        # footnote continuation (indented lines after a definition)
        if foot is not None:
            if raw.startswith("    ") and raw.strip():
                w, t = src.footnotes[foot]
                src.footnotes[foot] = (w, t + " " + raw.strip())
                continue
            if raw.strip():
                foot = None
        stripped = line.strip()
        if not FOOTDEF_RE.match(stripped.lstrip("> ")):
            for r in FOOTREF_RE.finditer(line):
                src.footrefs.setdefault(r.group(1), []).append(where)
        if stripped.startswith(">"):
            content = re.sub(r"^(\s*>\s?)+", "", line)
            if quote is None:
                quote = Quote(where, [])
            if content.strip():
                if not qpara:
                    qwhere = where
                qpara.append(content.strip())
            else:
                close_qpara()
            continue
        close_quote()
        if not stripped:
            continue
        m = FOOTDEF_RE.match(stripped)
        if m:
            foot = m.group(1)
            src.footnotes[foot] = (where, m.group(2))
            continue
        m = INSERT_RE.match(stripped.strip())
        if m:
            name = m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
            src.inserts.append((where, name))
            src.body.append(("insert", where, name))
            if expand is not None:
                expand(m.group(1), m.group(2), src)
            continue
        m = ADMONITION_RE.match(stripped)
        if m and not raw.startswith(" "):
            in_admonition = True
            if m.group(2):
                src.body.append(("case", where, m.group(2)))
            continue
        m = HEADING_RE.match(stripped)
        if m:
            src.headings.append(Heading(len(m.group(1)), m.group(2), where))
            src.body.append(("heading", where, m.group(2)))
            continue
        src.body.append(("text", where, stripped))
    close_quote()


def read_publication(root: Path, lang: str, pub: str, chapters: list[str], expand_projects=False) -> Source:
    src = Source()
    base = root / "content" / lang / "publications" / pub

    def expand(kind, arg, s):
        if kind == "project" and arg:
            p = root / "content" / lang / "projects" / f"{arg}.md"
            if p.is_file():
                read_markdown(p, f"content/{lang}/projects/{arg}.md", s)

    for ch in chapters:
        p = base / f"{ch}.md"
        if p.is_file():
            read_markdown(p, f"content/{lang}/publications/{pub}/{ch}.md", src,
                          expand if expand_projects else None)
    return src


def chapters_of(root: Path, pub: str) -> list[str]:
    path = root / "content" / "publications" / f"{pub}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("chapters") or [])


def source_markup(text: str, render) -> str:
    text = FOOTREF_RE.sub(" ", text)
    text = render(text)
    text = LINK_RE.sub(r"\1", text)
    text = HTML_TAG_RE.sub(" ", text)
    return text.replace("^", "").replace("~~", "")


def source_stream(src: Source, render, drop: set[str] = frozenset(), footnotes=True) -> Stream:
    """Words of a source; `drop` holds the `where` of paragraphs to leave out."""
    st = Stream()
    for kind, where, text in src.body:
        if kind == "insert":
            st.mark(text)
            continue
        if where in drop:
            continue
        st.add(source_markup(text, render), where)
    if footnotes:
        for label in sorted(src.footnotes, key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0, s)):
            where, text = src.footnotes[label]
            st.add(source_markup(text, render), where)
    return st


# --------------------------------------------------------------------------- checks


def speaker_lines(src: Source, seed: ReportSeed, render) -> tuple[list[dict], list[dict]]:
    """Split `— Speaker` paragraphs into those the seed has next to the quote (after the
    closing », or on a short line just below it) and those added by hand."""
    sw = seed.stream.words
    index: dict[tuple[str, ...], list[int]] = {}
    n = 5
    for k in range(len(sw) - n + 1):
        index.setdefault(tuple(sw[k:k + n]), []).append(k + n)
    zones = {}
    for b, e in seed.speaker_zones:
        zones.setdefault(b, []).append(e)

    def contains(big, small):
        return bool(small) and any(big[k:k + len(small)] == small for k in range(len(big) - len(small) + 1))

    kept, added = [], []
    for q in src.quotes:
        if len(q.paragraphs) < 2:
            continue
        where, last = q.paragraphs[-1]
        m = ATTRIBUTION_RE.match(last)
        if not m:
            continue
        label = words(source_markup(m.group(1), render))
        before = words(source_markup(" ".join(t for _, t in q.paragraphs[:-1]), render))
        ends = index.get(tuple(before[-n:]), []) if len(before) >= n else []
        found = None
        for e in ends:
            for b in (e, e + 1):
                for z in zones.get(b, []):
                    zone = sw[b:z]
                    if contains(zone, label) or contains(label, zone):
                        found = seed.stream.where[b]
        item = {"where": where, "speaker": m.group(1)}
        if found:
            kept.append({**item, "seed_line": found})
        else:
            added.append(item)
    return kept, added


def check_quotes(src: Source) -> dict:
    violations = []
    attributed = dialogues = 0
    for q in src.quotes:
        paras = [t for _, t in q.paragraphs]
        if paras and ATTRIBUTION_RE.match(paras[-1]) and len(paras) >= 2:
            attributed += 1
        elif paras and DIALOGUE_RE.match(paras[0]) and sum(bool(DIALOGUE_RE.match(p)) for p in paras) >= 2:
            dialogues += 1
        else:
            first = paras[0] if paras else ""
            violations.append({"where": q.where, "start": first[:90] + ("…" if len(first) > 90 else ""),
                               "why": "a lone attribution line" if paras and ATTRIBUTION_RE.match(paras[-1])
                               else "no final « — Speaker » paragraph and not a dialogue"})
    return {"quotes": len(src.quotes), "attributed": attributed, "dialogues": dialogues,
            "violations": violations}


def sommaire_entries(seed_lines: list[tuple[int, str]]) -> list[dict]:
    """Sommaire entries with the heading level their position implies.

    Level 1: chapters of the introduction, the three parts (a numbered entry followed by an
    "A." section), conclusion générale, annexe, bibliographie. Level 2: sections A–F, the part
    conclusions, numbered subsections of the introductory chapters. Level 3: numbered entries
    inside a part; titled entries under a numbered subsection of an introductory chapter (a
    run of titled entries between a numbered subsection and the next chapter's "1." holds
    subsections when it has two entries or more before that chapter — a chapter never lists a
    lone titled subsection). Level 4: titled entries inside a part. a), b), c): one level below their parent.
    """
    entries = []
    for n, line in seed_lines:
        text = SOMMAIRE_PAGE_RE.sub("", line).strip().strip("*").strip()
        if not text:
            continue
        if re.match(r"^[A-Z]\.\s", text):
            kind = "letter"
        elif re.match(r"^\d+\.\s", text):
            kind = "num"
        elif re.match(r"^[a-z]\)\s", text):
            kind = "alpha"
        elif re.match(r"^Conclusion de la .*partie", text, re.I):
            kind = "partconcl"
        else:
            kind = "title"
        entries.append({"line": n, "text": text, "kind": kind, "level": None})
    in_part = False
    i = 0
    while i < len(entries):
        e = entries[i]
        nxt = entries[i + 1] if i + 1 < len(entries) else None
        prev = entries[i - 1] if i else None
        if e["kind"] == "num" and nxt and nxt["text"].startswith("A. "):
            e["level"], in_part = 1, True
        elif e["kind"] in ("letter", "partconcl"):
            e["level"] = 2
        elif e["kind"] == "alpha":  # a), b), c): one level below the entry they belong to
            parent = next((x for x in reversed(entries[:i]) if x["kind"] != "alpha"), None)
            e["level"] = (parent["level"] + 1) if parent and parent.get("level") else 4
        elif in_part and e["kind"] == "num":
            e["level"] = 3
        elif in_part:  # a title inside a part, or the first entry after it
            if prev and (prev["kind"] in ("num", "alpha") or prev["level"] == 4):
                e["level"] = 4
            elif prev and prev["kind"] == "letter":
                e["level"] = 3
            else:
                e["level"], in_part = 1, False
        elif e["kind"] == "num":
            e["level"] = 2
        elif prev is None or prev["kind"] != "num":
            e["level"] = 1
        else:  # a run of titles after a numbered subsection of an introductory chapter
            k = i
            while k < len(entries) and entries[k]["kind"] == "title":
                k += 1
            opens = k < len(entries) and re.match(r"^1\.\s", entries[k]["text"]) \
                and not (k + 1 < len(entries) and entries[k + 1]["text"].startswith("A. "))
            run = list(range(i, k))
            subs = run[:-1] if opens else run
            for r in run:
                entries[r]["level"] = 3 if (r in subs and len(subs) >= 2) else 1
            i = k
            continue
        i += 1
    return entries


def heading_key(text: str, render) -> str:
    return norm_text(source_markup(text, render))


def check_sommaire(entries: list[dict], headings: list[Heading], render) -> dict:
    keys = [heading_key(h.text, render) for h in headings]
    cursor = 0
    results = []
    used: set[int] = set()
    for e in entries:
        key = norm_text(e["text"])
        cands = [k for k, hk in enumerate(keys) if f" {key} " in f" {hk} "]
        fuzzy = False
        if not cands:
            scored = [(difflib.SequenceMatcher(None, key, hk).ratio(), k) for k, hk in enumerate(keys)]
            scored = [(r, k) for r, k in scored if r >= 0.85]
            if scored:
                best = max(r for r, _ in scored)
                cands = [k for r, k in scored if r == best]
                fuzzy = True
        res = {"line": e["line"], "entry": e["text"], "expected_level": e["level"]}
        if not cands:
            res["status"] = "missing"
        else:
            def rank(k):
                return (keys[k] != key, headings[k].level != e["level"], k < cursor, abs(k - cursor))
            k = min(cands, key=rank)
            cursor = k + 1
            used.add(k)
            h = headings[k]
            res.update(heading=h.text, level=h.level, where=h.where,
                       status="ok" if h.level == e["level"] else "level")
            if fuzzy:
                res["text_differs"] = True
        results.append(res)
    return {"entries": len(results),
            "at_expected_level": sum(r["status"] == "ok" for r in results),
            "other_level": sum(r["status"] == "level" for r in results),
            "missing": sum(r["status"] == "missing" for r in results),
            "text_differs": sum(bool(r.get("text_differs")) for r in results),
            "results": results,
            "headings_not_in_sommaire": [{"where": h.where, "level": h.level, "heading": h.text}
                                         for k, h in enumerate(headings) if k not in used]}


def footnote_check(seed: ReportSeed, fr: Source, nl: Source, seed_words_of, render) -> dict:
    numbers = sorted({n for n, _ in seed.text.calls} | set(seed.text.footnotes))
    calls = {n for n, _ in seed.text.calls}
    per = []
    for n in numbers:
        lab = str(n)
        item = {"n": n, "seed_call": n in calls, "seed_text": n in seed.text.footnotes,
                "fr_definition": fr.footnotes.get(lab, ("", ""))[0] or None,
                "fr_call": (fr.footrefs.get(lab) or [None])[0],
                "nl_definition": nl.footnotes.get(lab, ("", ""))[0] or None,
                "nl_call": (nl.footrefs.get(lab) or [None])[0]}
        if n in seed.text.footnotes and lab in fr.footnotes:
            sw = seed_words_of(seed.text.footnotes[n][1])
            fw = words(source_markup(fr.footnotes[lab][1], render))
            item["text_coverage"] = round(sum((Counter(sw) & Counter(fw)).values()) / max(1, len(sw)), 3)
        per.append(item)
    extra_fr = sorted(set(fr.footnotes) - {str(n) for n in numbers})
    extra_nl = sorted(set(nl.footnotes) - {str(n) for n in numbers})
    fr_labels = set(fr.footnotes)
    return {
        "seed_numbers": len(numbers),
        "seed_calls": len(calls),
        "seed_definitions": len(seed.text.footnotes),
        "fr_found": sum(1 for p in per if p["fr_definition"]),
        "fr_calls_found": sum(1 for p in per if p["fr_call"]),
        "nl_found": sum(1 for p in per if p["nl_definition"]),
        "nl_calls_found": sum(1 for p in per if p["nl_call"]),
        "nl_for_each_fr": all(lab in nl.footnotes for lab in fr_labels),
        "fr_without_nl": sorted(fr_labels - set(nl.footnotes), key=lambda s: (len(s), s)),
        "fr_extra_labels": extra_fr,
        "nl_extra_labels": extra_nl,
        "per_footnote": per,
    }


# --------------------------------------------------------------------------- measure


def find_seeds(root: Path, seeds: Path | None = None) -> Path:
    d = Path(seeds) if seeds else root.resolve().parent / "shared" / "seeds"
    if not (d / REPORT_SEED).is_file() or not (d / BROCHURE_SEED).is_file():
        raise FileNotFoundError(f"seed folder not found: {d} (expected {REPORT_SEED} and {BROCHURE_SEED})")
    return d


def measure(root: Path, seeds: Path | None = None) -> dict:
    """Compare the sources of `root` (the repository) with the seeds; return the figures."""
    root = Path(root)
    sd = find_seeds(root, seeds)
    bib = load_bibliography(root)
    render = cite_renderer(bib)

    # ---- report
    rseed = read_report_seed(sd / REPORT_SEED)
    chapters = chapters_of(root, REPORT_ID)
    fr = read_publication(root, "fr", REPORT_ID, chapters)
    nl = read_publication(root, "nl", REPORT_ID, chapters)
    kept, added = speaker_lines(fr, rseed, render)
    fr_stream = source_stream(fr, render, drop={a["where"] for a in added})
    cmp = compare(rseed.stream, fr_stream)
    missing = runs(rseed.stream, cmp.seed_flags, TOP_RUNS)
    for r in missing:
        r["where"] = f"seed line {r['where']}"
    tag_insert_runs(cmp, fr_stream, missing)
    extra = runs(fr_stream, cmp.source_flags, 10)
    report = {
        "seed": str(sd / REPORT_SEED),
        "seed_artefacts_removed": rseed.text.artefacts,
        "seed_line_ranges": rseed.ranges,
        "seed_words": cmp.seed_words,
        "source_words": cmp.source_words,
        "seed_words_found": cmp.matched,
        "seed_words_aligned": cmp.aligned,
        "seed_words_moved": cmp.moved,
        "coverage": round(cmp.matched / max(1, cmp.seed_words), 4),
        "coverage_in_order": round(cmp.aligned / max(1, cmp.seed_words), 4),
        "coverage_multiset": round(cmp.multiset / max(1, cmp.seed_words), 4),
        "source_words_found_in_seed": sum(cmp.source_flags),
        "source_in_seed": round(sum(cmp.source_flags) / max(1, cmp.source_words), 4),
        "goal": COVERAGE_GOAL,
        "moved_runs": cmp.moved_runs[:TOP_RUNS],
        "speaker_lines": len(kept) + len(added),
        "speaker_lines_in_seed": len(kept),
        "speaker_lines_added": len(added),
        "speaker_lines_added_list": added,
        "speaker_lines_in_seed_list": kept,
        "citation_keys_unknown": sorted(render.unknown),
        "missing_runs": missing,
        "added_runs": extra,
        "files": len(fr.files),
    }

    # ---- footnotes, sommaire, bibliography, quotes
    footnotes = footnote_check(rseed, fr, nl, lambda t: words(seed_markup(t)), render)
    entries = sommaire_entries(rseed.sommaire)
    sommaire = check_sommaire(entries, fr.headings, render)
    bibliography = match_bibliography(rseed.bibliography, bib)
    quotes = check_quotes(fr)

    # ---- NL / FR
    fr_all = source_stream(fr, render)
    nl_all = source_stream(nl, render)
    per_chapter = []
    for ch in chapters:
        fw = sum(1 for w in fr_all.where if w.split(":")[0].endswith(f"/{ch}.md"))
        nw = sum(1 for w in nl_all.where if w.split(":")[0].endswith(f"/{ch}.md"))
        if fw:
            per_chapter.append({"chapter": ch, "fr": fw, "nl": nw, "ratio": round(nw / fw, 3)})
    nlfr = {"fr_words": len(fr_all), "nl_words": len(nl_all),
            "ratio": round(len(nl_all) / max(1, len(fr_all)), 4), "goal": NL_RATIO_GOAL,
            "chapters_below_goal": [c for c in per_chapter if c["ratio"] < NL_RATIO_GOAL and c["fr"] >= 50],
            "per_chapter": per_chapter,
            "nl_footnotes_for_each_fr": footnotes["nl_for_each_fr"],
            "fr_footnotes_without_nl": footnotes["fr_without_nl"]}

    # ---- brochure
    blines = list(enumerate((sd / BROCHURE_SEED).read_text(encoding="utf-8").splitlines(), start=1))
    btext = clean_seed_body(paragraphs(blines), footnotes=False, toc=True, page_numbers=False)
    bseed = Stream()
    for p in btext.body:
        for n, line in p:
            bseed.add(seed_markup(line), str(n))
    bsrc = read_publication(root, "fr", BROCHURE_ID, chapters_of(root, BROCHURE_ID), expand_projects=True)
    projects_dir = root / "content" / "fr" / "projects"
    inserted = {f"content/fr/projects/{p.name}" for p in projects_dir.glob("*.md")} if projects_dir.is_dir() else set()
    not_inserted = sorted(f for f in inserted if f not in bsrc.files)
    for f in not_inserted:  # project texts the brochure does not insert still count as sources
        read_markdown(root / f, f, bsrc)
    bstream = source_stream(bsrc, render)
    bcmp = compare(bseed, bstream)
    bmissing = runs(bseed, bcmp.seed_flags, TOP_RUNS)
    for r in bmissing:
        r["where"] = f"seed line {r['where']}"
    tag_insert_runs(bcmp, bstream, bmissing)
    all_runs = runs(bseed, bcmp.seed_flags, 10 ** 6)
    tag_insert_runs(bcmp, bstream, all_runs)
    in_inserts = sum(r["words"] for r in all_runs if r.get("insert"))
    brochure = {
        "seed": str(sd / BROCHURE_SEED),
        "seed_artefacts_removed": btext.artefacts,
        "seed_words": bcmp.seed_words,
        "source_words": bcmp.source_words,
        "seed_words_found": bcmp.matched,
        "seed_words_aligned": bcmp.aligned,
        "seed_words_moved": bcmp.moved,
        "coverage": round(bcmp.matched / max(1, bcmp.seed_words), 4),
        "coverage_in_order": round(bcmp.aligned / max(1, bcmp.seed_words), 4),
        "coverage_multiset": round(bcmp.multiset / max(1, bcmp.seed_words), 4),
        "source_words_found_in_seed": sum(bcmp.source_flags),
        "source_in_seed": round(sum(bcmp.source_flags) / max(1, bcmp.source_words), 4),
        "moved_runs": bcmp.moved_runs[:TOP_RUNS],
        "missing_words_where_data_inserts_stand": in_inserts,
        "coverage_outside_inserts": round(bcmp.matched / max(1, bcmp.seed_words - in_inserts), 4),
        "inserts": [name for _, name in bsrc.inserts],
        "missing_runs": bmissing,
        "note": "lists replaced by data inserts (timeline, status, quartier annexes, referents) are "
                "expected to be missing; so are picture texts (drawings, photo credits, QR captions).",
    }

    failures = []
    if report["coverage"] < COVERAGE_GOAL:
        failures.append(f"report coverage {report['coverage']:.1%} < {COVERAGE_GOAL:.0%}")
    n = footnotes["seed_numbers"]
    if footnotes["fr_found"] != n or n != 22:
        failures.append(f"FR footnotes {footnotes['fr_found']}/{n} (seed has {n}, expected 22)")
    if footnotes["nl_found"] != n:
        failures.append(f"NL footnotes {footnotes['nl_found']}/{n}")
    if sommaire["missing"]:
        failures.append(f"{sommaire['missing']} sommaire entries missing")
    if bibliography["unmatched_seed"] or bibliography["unmatched_yaml"]:
        failures.append(f"bibliography: {len(bibliography['unmatched_seed'])} seed and "
                        f"{len(bibliography['unmatched_yaml'])} YAML entries unmatched")
    if quotes["violations"]:
        failures.append(f"{len(quotes['violations'])} quotes without attribution")
    return {"root": str(root), "seeds": str(sd), "report": report, "footnotes": footnotes,
            "sommaire": sommaire, "bibliography": bibliography, "brochure": brochure,
            "nl_fr": nlfr, "quotes": quotes,
            "check": {"ok": not failures, "failures": failures}}


# --------------------------------------------------------------------------- output


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _n(x: int) -> str:
    return f"{x:,}".replace(",", " ")


def format_text(r: dict) -> str:
    out: list[str] = []
    w = out.append

    def row(label, value, note=""):
        w(f"  {label:<44} {value:>14}  {note}".rstrip())

    def mark(ok):
        return "OK" if ok else "MISSED"

    rep = r["report"]
    w(f"Seed coverage — sources of {r['root']} against {r['seeds']}")
    w("")
    w("REPORT rapport-2025 (FR chapters vs seed body)")
    arte = ", ".join(f"{k}: {v}" for k, v in rep["seed_artefacts_removed"].items())
    row("seed body words", _n(rep["seed_words"]))
    w(f"    removed from the seed — {arte}")
    row("source words", _n(rep["source_words"]))
    w(f"    front matter, markup, [^N] labels removed; citation keys → author + year; "
      f"{rep['speaker_lines_added']} of {rep['speaker_lines']} '— Speaker' lines have no counterpart "
      f"in the seed and are left out")
    row("seed words found in source = COVERAGE", _n(rep["seed_words_found"]),
        f"= {_pct(rep['coverage'])}  (goal ≥ {_pct(rep['goal'])}) {mark(rep['coverage'] >= rep['goal'])}")
    row("  of which aligned in order / moved", f"{_n(rep['seed_words_aligned'])} / {_n(rep['seed_words_moved'])}",
        f"in order {_pct(rep['coverage_in_order'])}")
    row("  same, ignoring order (multiset)", _pct(rep["coverage_multiset"]))
    row("source words found in seed", _n(rep["source_words_found_in_seed"]),
        f"= {_pct(rep['source_in_seed'])} of the source")
    for x in rep["moved_runs"]:
        w(f"    moved: {x['words']} w from seed line {x['seed']} to {x['source']}: {x['text']}")
    if rep["citation_keys_unknown"]:
        w(f"    citation keys not in bibliography.yaml: {', '.join(rep['citation_keys_unknown'])}")
    w("  longest seed runs not found in the source:")
    for x in rep["missing_runs"]:
        tag = f" [insert: {x['insert']}]" if x.get("insert") else ""
        w(f"    {x['words']:>4} w  {x['where']}{tag}: {x['text']}")
    w("  longest source runs not in the seed:")
    for x in rep["added_runs"]:
        w(f"    {x['words']:>4} w  {x['where']}: {x['text']}")
    w("")

    fn = r["footnotes"]
    w("FOOTNOTES")
    row("seed footnote numbers (calls / texts)", f"{fn['seed_numbers']} ({fn['seed_calls']} / {fn['seed_definitions']})")
    row("FR [^N] definitions", f"{fn['fr_found']}/{fn['seed_numbers']}",
        f"calls {fn['fr_calls_found']}/{fn['seed_numbers']} {mark(fn['fr_found'] == fn['seed_numbers'] == 22)}")
    row("NL [^N] definitions", f"{fn['nl_found']}/{fn['seed_numbers']}",
        f"calls {fn['nl_calls_found']}/{fn['seed_numbers']} {mark(fn['nl_found'] == fn['seed_numbers'])}")
    for p in fn["per_footnote"]:
        probs = [k for k in ("fr_definition", "fr_call", "nl_definition", "nl_call") if not p[k]]
        if probs or p.get("text_coverage", 1) < 0.9:
            extra = f" text coverage {_pct(p['text_coverage'])}" if "text_coverage" in p else ""
            w(f"    [^{p['n']}]: missing {', '.join(probs) or '—'}{extra}")
    if fn["fr_extra_labels"] or fn["nl_extra_labels"]:
        w(f"    labels not in the seed: FR {fn['fr_extra_labels']} NL {fn['nl_extra_labels']}")
    w("")

    so = r["sommaire"]
    w("SOMMAIRE entries as headings of the FR report")
    row("entries", so["entries"])
    row("found at the expected level", so["at_expected_level"], _pct(so["at_expected_level"] / max(1, so["entries"])))
    row("found at another level", so["other_level"])
    row("missing", so["missing"], mark(not so["missing"]))
    for x in so["results"]:
        if x["status"] == "level":
            w(f"    level {x['level']} instead of {x['expected_level']}: {x['where']}  {x['heading']}")
        elif x["status"] == "missing":
            w(f"    MISSING (level {x['expected_level']}, seed line {x['line']}): {x['entry']}")
        if x.get("text_differs"):
            w(f"    text differs: seed line {x['line']} « {x['entry']} » ~ {x['where']} « {x['heading']} »")
    extra = so["headings_not_in_sommaire"]
    if extra:
        w(f"  headings not in the sommaire ({len(extra)}): "
          + "; ".join(f"{'#' * h['level']} {h['heading']} ({h['where'].rsplit('/', 1)[-1]})" for h in extra))
    w("")

    bi = r["bibliography"]
    w("BIBLIOGRAPHY seed entries vs content/bibliography.yaml (first author + year)")
    row("seed entries / YAML entries", f"{bi['seed_entries']} / {bi['yaml_entries']}")
    row("matched", bi["matched"], mark(not bi["unmatched_seed"] and not bi["unmatched_yaml"]))
    for m in bi["matches"]:
        if m.get("note"):
            w(f"    seed line {m['seed_line']} ↔ {m['id']}: {m['note']}")
    for u in bi["unmatched_seed"]:
        w(f"    seed line {u['seed_line']} unmatched: {u['entry']}" + (f" (closest: {u['closest']})" if u.get("closest") else ""))
    for u in bi["unmatched_yaml"]:
        w(f"    YAML {u} unmatched")
    w("")

    br = r["brochure"]
    w("BROCHURE brochure-5-ans + projects (FR) vs seed")
    w(f"    removed from the seed — {', '.join(f'{k}: {v}' for k, v in br['seed_artefacts_removed'].items())}")
    row("seed words / source words", f"{_n(br['seed_words'])} / {_n(br['source_words'])}")
    row("seed words found in source = COVERAGE", _n(br["seed_words_found"]), f"= {_pct(br['coverage'])}")
    row("  of which aligned in order / moved", f"{_n(br['seed_words_aligned'])} / {_n(br['seed_words_moved'])}",
        f"in order {_pct(br['coverage_in_order'])}")
    row("  same, ignoring order (multiset)", _pct(br["coverage_multiset"]))
    row("source words found in seed", _n(br["source_words_found_in_seed"]), f"= {_pct(br['source_in_seed'])} of the source")
    for x in br["moved_runs"]:
        w(f"    moved: {x['words']} w from seed line {x['seed']} to {x['source']}: {x['text']}")
    row("missing words where a data insert stands", _n(br["missing_words_where_data_inserts_stand"]),
        f"coverage without them {_pct(br['coverage_outside_inserts'])}")
    w(f"  {br['note']}")
    w("  longest seed runs not found in the source:")
    for x in br["missing_runs"]:
        tag = f" [insert: {x['insert']}]" if x.get("insert") else ""
        w(f"    {x['words']:>4} w  {x['where']}{tag}: {x['text']}")
    w("")

    nf = r["nl_fr"]
    w("NL / FR report")
    row("FR words / NL words", f"{_n(nf['fr_words'])} / {_n(nf['nl_words'])}")
    row("NL/FR ratio", _pct(nf["ratio"]), f"(goal ≥ {_pct(nf['goal'])}) {mark(nf['ratio'] >= nf['goal'])}")
    row("an NL footnote for each FR footnote", "yes" if nf["nl_footnotes_for_each_fr"] else "no",
        ", ".join(nf["fr_footnotes_without_nl"]))
    for c in nf["chapters_below_goal"]:
        w(f"    {c['chapter']}: NL/FR {_pct(c['ratio'])} ({c['nl']} / {c['fr']} words)")
    w("")

    q = r["quotes"]
    w("QUOTES in the FR report")
    row("block quotes", q["quotes"])
    row("with a final '— Speaker' paragraph", q["attributed"])
    row("dialogues", q["dialogues"])
    row("without attribution", len(q["violations"]), mark(not q["violations"]))
    for v in q["violations"]:
        w(f"    {v['where']}: {v['why']}: {v['start']}")
    w(f"  '— Speaker' lines: {rep['speaker_lines']} ({rep['speaker_lines_in_seed']} next to the quote in "
      f"the seed, {rep['speaker_lines_added']} added)")
    w("")
    c = r["check"]
    w("CHECK: " + ("all goals met" if c["ok"] else "goals missed — " + "; ".join(c["failures"])))
    return "\n".join(out)


def default_root() -> Path:
    cwd = Path.cwd()
    if (cwd / "content" / "publications").is_dir():
        return cwd
    return Path(__file__).resolve().parents[3]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tools/seed_coverage.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--root", type=Path, default=None, help="the repository (default: here)")
    ap.add_argument("--seeds", type=Path, default=None, help="the seed folder (default: ../shared/seeds)")
    args = ap.parse_args(argv)
    root = args.root or default_root()
    try:
        result = measure(root, args.seeds)
    except FileNotFoundError as exc:
        print(f"seed_coverage: {exc}", file=sys.stderr)
        return 2 if args.check else 0
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_text(result))
    return 1 if args.check and not result["check"]["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
