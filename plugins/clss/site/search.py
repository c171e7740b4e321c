"""Search with Pagefind (PyPI `pagefind[extended]`): one index per language, built after that
language's MkDocs build into <site>/<lang>/pagefind/.

Pagefind reads the language from <html lang>, folds diacritics ("sante" finds "santé"), stems
where it has a stemmer (French and Dutch) and splits its index into fragments that the browser
loads only when the reader searches. Only the page body (`data-pagefind-body` in our theme
override of main.html) is indexed; navigation, header and footer are not.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .. import cache as cache_mod

OUTPUT_SUBDIR = "pagefind"
# Pagefind's own UIs: we draw results in Material's search box (assets/javascripts/search.js)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchError(Exception):
    pass


OPTIONS = ("--exclude-selectors", ".headerlink", "--silent")


def _pages_key(site_dir: Path, out: Path) -> str:
    """The inputs of an index: every HTML page of the site (path and bytes), the options and
    Pagefind's version."""
    from importlib import metadata

    parts = [f"pagefind={metadata.version('pagefind')}", *OPTIONS]
    for page in sorted(site_dir.rglob("*.html")):
        if out not in page.parents:
            parts += [page.relative_to(site_dir).as_posix(), hashlib.sha256(page.read_bytes()).hexdigest()]
    return cache_mod.key(*parts)


def index(site_dir: Path, lang: str, output: Path | None = None, cache: cache_mod.Cache | None = None,
          background: bool = False) -> None:
    """Index the pages of `site_dir` into <site_dir>/pagefind/ (or `output`). With a `cache`, the
    index of the very same pages is written from it instead of running Pagefind again.
    `background`: Pagefind runs at the lowest CPU priority (the preview's refresh: a rebuild
    after the next save keeps the cores)."""
    out = output if output is not None else site_dir / OUTPUT_SUBDIR
    store = cache if cache is not None and cache.enabled else None
    key = _pages_key(site_dir, out) if store is not None else ""
    if store is not None and (stored := store.get_tree("pagefind", key)) is not None:
        shutil.rmtree(out, ignore_errors=True)
        for name, data in stored.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        return
    _run(site_dir, out, background)
    if store is not None:
        store.put_tree("pagefind", key, {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})


def _pagefind() -> list[str]:
    """Pagefind's binary itself (pagefind_bin_extended's public `get_executable`): without the
    Python start-up of `python -m pagefind` in front of it (~0.12 s per index)."""
    try:
        from pagefind_bin_extended import get_executable

        return [str(get_executable())]
    except (ImportError, OSError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def _run(site_dir: Path, out: Path, background: bool = False) -> None:
    shutil.rmtree(out, ignore_errors=True)  # Pagefind writes in place: never into a previous build's files
    cmd = [*_pagefind(), "--site", str(site_dir), "--output-path", str(out), *OPTIONS]
    nice = shutil.which("nice") if background else None
    if nice:
        cmd = [nice, "-n", "19", *cmd]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"could not run Pagefind: {exc}") from None
    if proc.returncode != 0:
        raise SearchError((proc.stderr or proc.stdout).strip() or f"pagefind exited with {proc.returncode}")
    if not (out / "pagefind.js").is_file():
        raise SearchError("Pagefind wrote no index")
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
