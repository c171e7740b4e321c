"""Incremental builds: redo a PDF or a language's site only when one of its inputs changed.

Each output has a *key*: a hash of everything it is made from — the content files it reads,
the package's own code, filters, templates and catalogs, the versions of pandoc, Typst, MkDocs
and the fonts, and the options (language, draft, site address). The keys of the last build are
kept in `build/.clss/keys.json` with a hash of each output; an output is reused only when its key
is the same **and** the file (or folder) on disk still has the recorded hash, so a damaged or
hand-edited output is redone, never published as it is. `CLSS_NO_CACHE=1` redoes everything.
"""
from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

from .languages import SOURCE

PACKAGE = Path(__file__).parent
TOOLS = ("typst", "pypandoc-binary", "mkdocs", "mkdocs-material", "pymdown-extensions", "pagefind",
         "font-source-sans-pro", "font-source-serif-pro", "pikepdf", "pygal", "segno", "babel", "markdown", "jinja2",
         "pillow", "fonttools")


def _hash_files(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(set(paths)):
        try:
            data = p.read_bytes()
        except OSError:
            data = b"\0missing"
        h.update(p.relative_to(base).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return [p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts] if folder.is_dir() else []


@functools.cache
def code_digest() -> str:
    """The package itself (Python, Lua filters, Typst and Jinja templates, catalogs, theme) and the tools' versions."""
    versions = []
    for name in TOOLS:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return hashlib.sha256((_hash_files(_files(PACKAGE), PACKAGE) + "\0" + ";".join(versions)).encode()).hexdigest()


def content_key(content_root: Path) -> str:
    """A key over all a check or a chapter's headings can depend on: every file under content/
    (path and bytes), mkdocs.yml (the Markdown configuration of heading ids), the package's code
    and the tools' versions. For content loaded from these files and not changed in memory."""
    root = Path(content_root)
    yml = root.parent / "mkdocs.yml"
    return hashlib.sha256("\0".join((code_digest(), _hash_files(_files(root), root), _hash_files([yml], root.parent))).encode()).hexdigest()


class Keys:
    """The keys of one build, computed from the project's files."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        data = [p for p in self.content.glob("*.y*ml") if p.is_file()]
        for sub in ("quartiers", "projects", "publications"):
            data += _files(self.content / sub, "*.yml")
        data += _files(self.content / "media")  # photos and drawings (content/figures.yml): site and PDFs place them
        self.data = _hash_files(data, root)  # every fact: any publication or sheet may render it

    def _key(self, *parts: str) -> str:
        return hashlib.sha256("\0".join((code_digest(), self.data, *parts)).encode()).hexdigest()

    def _prose(self, lang: str, sub: str) -> str:
        """The prose under content/<lang>/<sub> and the source language's (fallback, notices),
        with the translation stamps."""
        paths = []
        for code in {lang, SOURCE}:
            target = self.content / code / sub
            paths += _files(target) if target.is_dir() else [target]
        stamps = self.content / "translations" / lang / sub
        paths += _files(stamps) if stamps.is_dir() else list(stamps.parent.glob(stamps.name + "*"))
        return _hash_files(paths, self.root)

    def pdf(self, job, draft: bool, site_url: str, options: str = "", cites: tuple[str, ...] | list[str] = (),
            prose: tuple[str, ...] | list[str] = (), printed: str = "") -> str:
        """`prose`: the folders/files under content/<lang>/ whose texts the PDF prints (by default
        its own: the publication's chapters, the quartier's text). `printed`: a digest of what it
        prints of other PDFs (their page numbers; clss.build). `cites`: publications whose whole
        texts count instead (clss.print.pagemap keys a kept page map with them)."""
        if not prose:
            prose = [f"publications/{job.ident}"] if job.kind == "publication" else [f"quartiers/{job.ident}.md"] if job.kind == "quartier" else ["quartiers"]
        texts = [self._prose(job.lang, sub) for sub in prose]
        bib = _hash_files([self.content / "bibliography.yaml"], self.root) if job.kind == "publication" or cites else ""
        cited = [self._prose(job.lang, f"publications/{pid}") for pid in cites]
        return self._key("pdf", job.kind, job.ident, job.lang, job.relpath, str(draft), site_url, options, bib, printed, *texts, *cited)

    def site(self, lang: str, pdfs: Path, site_url: str, epoch: str = "") -> str:
        prose = self._prose(lang, "")
        config = _hash_files([self.root / "mkdocs.yml"], self.root)
        published = _hash_files(_files(pdfs), pdfs) if pdfs.is_dir() else ""  # the PDFs the site links to (relative to their folder)
        return self._key("site", lang, site_url, epoch, prose, config, published)


def tree_digest(path: Path) -> str:
    """Hash of a file, or of every file under a folder."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return _hash_files(_files(path), path)


class Ledger:
    """The keys and output hashes of the previous build (build/.clss/keys.json)."""

    def __init__(self, path: Path, enabled: bool = True):
        self.path = path
        self.enabled = enabled
        self.entries: dict[str, dict[str, str]] = {}
        if enabled:
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    def fresh(self, name: str, key: str, output: Path) -> bool:
        """True when `output` was made from the same inputs and is intact."""
        entry = self.entries.get(name)
        if not self.enabled or not entry or entry.get("key") != key or not output.exists():
            return False
        return tree_digest(output) == entry.get("output")

    def record(self, name: str, key: str, output: Path) -> None:
        if output.exists():
            self.entries[name] = {"key": key, "output": tree_digest(output)}

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
