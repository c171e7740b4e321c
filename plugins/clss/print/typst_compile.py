"""Typst: lay out a `Source` with typst-py (fonts of the PyPI font packages only) with a fixed
timestamp (byte-identical output), and map Typst errors to the content file they come from.

Two editions of every PDF: `web` (PDF/A-2b + PDF/UA-1, sRGB) and `print` (PDF/X-4, CMYK for
the press profile; see clss.print.edition)."""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from . import data, postprocess, slots
from . import edition as editions
from .jobs import PrintError
from .markdown import SOURCE_PREFIX
from .sources import Source

TEMPLATES = Path(__file__).parent / "templates"
PDF_STANDARDS = {"web": ["a-2b", "ua-1"], "print": []}  # print: PDF/X-4 is made by edition.make_pdfx
EDITIONS = tuple(PDF_STANDARDS)
LOCATION_RE = re.compile(r"┌─ (?P<file>[^\n]*?):(?P<line>\d+):\d+")


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


def main_source(template: str) -> str:
    return (f'#import "/templates/{template}.typ": *\n'
            f"#show: {template}.with(data: data)\n")


def typst_error(exc, body: str, main_lines: int) -> str:
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
                if text.startswith(SOURCE_PREFIX):
                    source = text[len(SOURCE_PREFIX):].strip()
                    break
            break
    template = next((f"{file.split('templates/')[-1]}:{line}" for file, line in where if "templates/" in file), None)
    detail = f" (in template {template})" if template else ""
    return f"{source}: typesetting failed: {first}{detail}" if source else f"typesetting failed: {first}{detail}"


def _keep_project(root: Path, src: Source, exc: Exception) -> None:
    """CLSS_PRINT_KEEP=DIR keeps the Typst project of a failed PDF to debug a template."""
    keep = Path(os.environ["CLSS_PRINT_KEEP"]) / str(src.job).replace("/", "_")
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(root, keep)
    (keep / "error.txt").write_text(str(getattr(exc, "diagnostic", exc)), encoding="utf-8")


class Workspace:
    """A Typst project folder and its compiler, for the PDFs one process makes one after the
    other (a task's quartier sheets): the templates are copied once, and Typst reads again only
    the files that changed, keeping what it made of the others (a sheet: about 15 ms of layout
    instead of 22). Each PDF's project (`write`) replaces the data, the main file and the
    assets of the last one. A context manager: the folder is removed on exit."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="clss-print-")
        self.root = Path(self._tmp.name)
        shutil.copytree(TEMPLATES, self.root / "templates")
        self._compiler: Any = None  # typst.Compiler, made with the first PDF (its main file must exist)
        self._assets: list[Path] = []

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self._compiler = None
        self._tmp.cleanup()

    def write(self, src: Source, facts: dict, main: str) -> None:
        """The project of `src`: its data, main file and assets, instead of the last PDF's."""
        for old in self._assets:  # never an asset of the PDF before
            old.unlink(missing_ok=True)
        self._assets = []
        (self.root / "data.json").write_text(json.dumps(facts, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
        (self.root / "main.typ").write_text(main + src.body, encoding="utf-8")
        for rel, blob in sorted(src.assets.items()):
            dest = self.root / _safe_rel(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(blob)
            self._assets.append(dest)

    def typeset(self, src: Source, standards: list[str]):
        """Typst's answer for the project written last (raises typst.TypstError)."""
        import typst

        if self._compiler is None:
            self._compiler = typst.Compiler(str(self.root / "main.typ"), root=str(self.root), font_paths=_fonts(),
                                            ignore_system_fonts=True)
        with slots.slot():
            return self._compiler.compile(format="pdf", pdf_standards=standards, timestamp=src.timestamp)  # type: ignore[arg-type]


def compile_pdf(src: Source, *, paper: str | None = None, bleed: float = 0.0, crop_marks: bool = False,
                edition: str = "web", workspace: Workspace | None = None) -> bytes:
    """The PDF of `src` in its `edition` ("web" or "print"), post-processed (see
    postprocess.finish; edition.make_pdfx for the print edition). `workspace`: the one to lay
    it out in, when the caller makes several PDFs in a row (else one for this PDF)."""
    if edition not in EDITIONS:
        raise PrintError(f"unknown edition `{edition}`; use one of {', '.join(EDITIONS)}")
    if workspace is None:
        with Workspace() as own:
            return compile_pdf(src, paper=paper, bleed=bleed, crop_marks=crop_marks, edition=edition, workspace=own)
    settings = data.print_settings(paper or src.paper, bleed, crop_marks)
    facts = data.typeset(dict(src.data, labels=data.labels(src.job.lang)), src.job.lang)
    facts.update(lang=src.job.lang, region="BE", print=dict(settings, edition=edition))
    main = main_source(src.template)
    workspace.write(src, facts, main)
    try:
        pdf = workspace.typeset(src, PDF_STANDARDS[edition])
    except Exception as exc:  # typst.TypstError: show the editor where, not a traceback
        if os.environ.get("CLSS_PRINT_KEEP"):
            _keep_project(workspace.root, src, exc)
        raise PrintError(f"{src.job}: " + typst_error(exc, src.body, main.count("\n"))) from None
    assert isinstance(pdf, bytes)  # one PDF document (not one image per page)
    pdf = postprocess.finish(pdf, bleed_mm=settings["bleed"] if crop_marks else None)
    if edition == "print":
        try:
            pdf = editions.make_pdfx(pdf, bleed_mm=settings["bleed"])
        except editions.EditionError as exc:
            raise PrintError(f"{src.job}: print edition: {exc}") from None
    return pdf


def compile_source(src: Source, target: Path, *, paper: str | None = None, bleed: float = 0.0,
                   crop_marks: bool = False, edition: str = "web", workspace: Workspace | None = None) -> None:
    """Write the PDF of `src` to `target` (atomically: a `.part` file renamed)."""
    pdf = compile_pdf(src, paper=paper, bleed=bleed, crop_marks=crop_marks, edition=edition, workspace=workspace)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(pdf)
    os.replace(part, target)
