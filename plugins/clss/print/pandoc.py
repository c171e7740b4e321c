"""pandoc: prepared Markdown → Typst markup (typst writer, the Lua filters of filters/, citeproc)."""
from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import languages, typography
from ..cache import Cache, key
from ..citations import PANDOC_RTS, pandoc_env
from . import slots
from .jobs import PrintError

FILTERS = Path(__file__).parent / "filters"
# one small filter per concern (headings, data-blocks, boxes, quotes, layout, alt-text); print.lua
# runs the block-level ones in two document traversals instead of five, alt-text.lua only runs
# when there are images (it makes pandoc walk every inline)
FILTERS_MAIN = "print.lua"
FILTER_IMAGES = "alt-text.lua"
# no implicit figures (the alt text would become a visible caption), no TeX: a `$` or a
# backslash in the prose is text, never math or raw LaTeX that the typst writer would drop
READER = "markdown-implicit_figures-tex_math_dollars-tex_math_single_backslash-raw_tex"
NOCITE = "---\nnocite: '@*'\n---\n\n"
NO_BIBLIOGRAPHY = "---\nsuppress-bibliography: true\n---\n\n"
CACHE_KIND = "pandoc"  # under <project>/.cache/clss/pandoc/ (clss.cache)
FILE_OPTIONS = ("--bibliography", "--csl", "--lua-filter", "--template", "--citation-abbreviations")
SPLIT_AT = 150_000  # characters: longer publications go through pandoc in two halves


# pandoc's typst writer writes every apostrophe as `'`, which Typst turns into a smart quote: an
# elision after an unclosed quote pairs with it ('on te dépossède d'un truc → “… d”un truc). A `'`
# between two letters (l'AG, d'un, aujourd'hui, LSGC's) is always an apostrophe: write ’ itself
# (clss.typography.apostrophe, the rule the site follows).
# what stays as written: raw text, and string literals of addresses and paths (#link, #image)
VERBATIM_RE = re.compile(r'(`+).*?\1|"(?:https?:|mailto:|/|#)(?:[^"\\\n]|\\.)*"', re.S)


def apostrophes(typst: str) -> str:
    """Typographic apostrophes in pandoc's Typst markup, outside raw text and addresses."""
    parts, last = [], 0
    for mt in VERBATIM_RE.finditer(typst):
        parts += [typography.apostrophe(typst[last:mt.start()]), mt.group(0)]
        last = mt.end()
    parts.append(typography.apostrophe(typst[last:]))
    return "".join(parts)


def run(markdown: str, lang: str, bibliography: Path | None, source: str, cache_dir: Path | None = None) -> str:
    """One pandoc run, on one of the cores' slots; `source` names the content in error messages.
    `cache_dir` (<project>/.cache/clss, None: no cache): pandoc's answer is kept there under a
    key of all its inputs, and the same input is answered from it without running pandoc."""
    cache = Cache(cache_dir)
    call = _call(cache, markdown, lang, bibliography)
    hit = _cached(cache, call)
    if hit is not None:
        return hit
    with slots.slot():
        return _run(call, source, cache)


def _command(markdown: str, lang: str, bibliography: Path | None) -> list[str]:
    """pandoc's command line for `markdown` (the text itself goes to its standard input)."""
    from ..citations import csl_args, pandoc_path

    args = [pandoc_path(), "-f", READER + ("" if bibliography else "-citations"), "-t", "typst", "--wrap=none",
            "-M", f"lang={languages.get(lang).csl_locale}"]
    if bibliography:
        args += ["--citeproc", f"--bibliography={bibliography}", *csl_args()]
    args.append(f"--lua-filter={FILTERS / FILTERS_MAIN}")
    if "![" in markdown:
        args.append(f"--lua-filter={FILTERS / FILTER_IMAGES}")
    return args


@functools.lru_cache(maxsize=4)
def _pandoc_identity(path: str) -> str:
    """Which pandoc `path` is: pypandoc-binary's version, and the binary's size and time."""
    try:
        version = importlib.metadata.version("pypandoc-binary")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    try:
        st = os.stat(path)
        return f"{version} {st.st_size} {st.st_mtime_ns}"
    except OSError:
        return version


def _key(args: list[str], markdown: str) -> str:
    """The cache key of one pandoc run: everything that can change its answer — the command
    line, GHCRTS, the pandoc binary, the bytes of every file an option names (bibliography,
    CSL style, filters, template) and of every filter in filters/ (they load each other), and
    the Markdown text."""
    parts: list[str | bytes] = [CACHE_KIND + "-1", json.dumps(args), PANDOC_RTS, _pandoc_identity(args[0])]
    for arg in args:
        name, _, value = arg.partition("=")
        if name in FILE_OPTIONS:
            parts += [value, Path(value).read_bytes()]
    for path in sorted(FILTERS.rglob("*")):
        if path.is_file():
            parts += [path.relative_to(FILTERS).as_posix(), path.read_bytes()]
    parts.append(markdown)
    return key(*parts)


def _call(cache: Cache, markdown: str, lang: str, bibliography: Path | None) -> tuple[list[str], str, str]:
    """One pandoc run to make: (command line, the Markdown text, its cache key; "" without a
    cache or when an input file cannot be read — pandoc will say so)."""
    args = _command(markdown, lang, bibliography)
    try:
        k = _key(args, markdown) if cache.enabled else ""
    except OSError:
        k = ""
    return args, markdown, k


def _cached(cache: Cache, call: tuple[list[str], str, str]) -> str | None:
    """pandoc's answer for `call` from the cache (with typographic apostrophes), or None."""
    raw = cache.get(CACHE_KIND, call[2]) if call[2] else None
    return None if raw is None else apostrophes(raw.decode("utf-8"))


def _run(call: tuple[list[str], str, str], source: str, cache: Cache) -> str:
    """One pandoc run (the caller holds a slot), its answer kept in `cache`. The cache is asked
    again first: another PDF's worker may have made the same answer while this one waited."""
    hit = _cached(cache, call)
    if hit is not None:
        return hit
    args, markdown, k = call
    raw = _convert(args, markdown, source)
    if k:
        cache.put(CACHE_KIND, k, raw)
    return apostrophes(raw.decode("utf-8"))


def _convert(args: list[str], markdown: str, source: str) -> bytes:
    """Run pandoc: its standard output (Typst markup, UTF-8) or PrintError."""
    try:
        proc = subprocess.run(args, input=markdown.encode("utf-8"), capture_output=True, timeout=300, env=pandoc_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintError(f"{source}: pandoc could not run: {exc}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PrintError(f"{source}: pandoc failed: {' '.join(msg[:3]) or proc.returncode}")
    return proc.stdout


def run_parts(parts: list[str], lang: str, bibliography: Path | None, source: str, cache_dir: Path | None = None) -> str:
    """Run pandoc on a publication's chapters, in two halves at a chapter boundary side by side
    when the text is long (pandoc's Markdown reader is single-threaded and is most of the time)
    and a second core is free at that moment (slots.spare): while other PDFs are being made,
    a split only costs more CPU (+31 % measured) and memory for no gain in wall time.

    Footnotes are inline in Typst and author-date citations do not depend on earlier ones, so
    the halves concatenate to the same result as one run. The half holding the bibliography
    chapter (`::: {#refs}`) lists every entry of the bibliography (`nocite: '@*'`), as the site
    does. `cache_dir`: as for `run` (the whole text and each half are kept under their own keys)."""
    def doc(chunk: list[str], whole: bool = False) -> str:
        text = "\n\n".join(chunk)
        if "{#refs}" in text:
            return NOCITE + text
        # a half without the bibliography chapter must not get a reference list of its own
        return text if whole else NO_BIBLIOGRAPHY + text

    total = sum(len(p) for p in parts)
    if total < SPLIT_AT or len(parts) < 2:
        return run(doc(parts, whole=True), lang, bibliography, source, cache_dir)
    # cut before a chapter that opens with a level-1 heading (a part), nearest to the middle,
    # so that each half keeps the document's heading levels
    starts = [i for i, part in enumerate(parts) if i and re.search(r"^# \S", part, re.M)
              and not re.search(r"^#{2,6} \S", part.split("\n# ", 1)[0], re.M)]
    if not starts:
        return run(doc(parts, whole=True), lang, bibliography, source, cache_dir)
    before = [sum(len(p) for p in parts[:i]) for i in starts]
    cut = min(zip(starts, before, strict=True), key=lambda sb: abs(sb[1] - total / 2))[0]
    cache = Cache(cache_dir)
    whole, halves = doc(parts, whole=True), (doc(parts[:cut]), doc(parts[cut:]))
    # kept from an earlier run, one way or the other: no slot, no pandoc
    calls = [_call(cache, text, lang, bibliography) for text in (whole, *halves)]
    kept = [_cached(cache, call) for call in calls]
    if kept[0] is not None:
        return kept[0]
    if kept[1] is not None and kept[2] is not None:
        return kept[1] + "\n" + kept[2]
    with slots.slot(), slots.spare() as two:
        if not two:
            return _run(calls[0], source, cache)
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda call: _run(call, source, cache), calls[1:]))
    return "\n".join(done)
