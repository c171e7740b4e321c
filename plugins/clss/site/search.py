"""Search with Pagefind (PyPI `pagefind[extended]`): one index per language, built after that
language's MkDocs build into <site>/<lang>/pagefind/.

Pagefind reads the language from <html lang>, folds diacritics ("sante" finds "santé"), stems
where it has a stemmer (French and Dutch) and splits its index into fragments that the browser
loads only when the reader searches. Only the page body (`data-pagefind-body` in our theme
override of main.html) is indexed; navigation, header and footer are not.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
# Pagefind's own UIs: we draw results in Material's search box (assets/javascripts/search.js)
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchError(Exception):
    pass


def index(site_dir: Path, lang: str, output: Path | None = None) -> None:
    """Index the pages of `site_dir` into <site_dir>/pagefind/ (or `output`)."""
    out = output if output is not None else site_dir / OUTPUT_SUBDIR
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(out),
           "--exclude-selectors", ".headerlink", "--silent"]
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
