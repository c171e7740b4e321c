"""How wide a figure prints, in millimetres — for the resolution check (pixels per inch at the
placed size). The PDF itself sets the same widths relative to the column (templates/base.typ,
clss-figure), so this table mirrors the text widths of the Typst templates: keep them in step.
"""
from __future__ import annotations

from ..content import Content
from .model import Illustration

# text width (mm) of each template and paper: the paper width minus the side margins
TEXT_WIDTH = {
    ("report", "a4"): 210 - 2 * 30, ("report", "a5"): 148 - 2 * 17,
    ("brochure", "a4"): 210 - 2 * 18, ("brochure", "a5"): 148 - 2 * 15,
    ("sheet", "a4"): 210 - 2 * 18,
}
COLUMN_GUTTER = 7.0  # brochure.typ: `set columns(gutter: 7mm)`
GALLERY_COLUMNS = 2  # base.typ: clss-gallery
GALLERY_GUTTER = 4.0
PPI_WARN = 300  # below: `clss check` warns, a release refuses
PPI_ERROR = 150  # below: an error in any build


def column_width(template: str, paper: str, columns: int = 1) -> float:
    text = TEXT_WIDTH.get((template, paper), TEXT_WIDTH[("report", "a4")])
    if template == "brochure" and paper == "a5":
        columns = 1  # the brochure sets A5 in one column
    return (text - (columns - 1) * COLUMN_GUTTER) / columns if columns > 1 else float(text)


def column_for(content: Content, relpath: str) -> float:
    """The column width a page's figures print in: a publication's chapter in its template,
    paper and columns; a quartier text in the sheet; any other page as in the report."""
    parts = relpath.split("/")
    if parts[0] == "publications" and len(parts) > 2 and parts[1] in content.publications:
        pr = content.publications[parts[1]].print
        return column_width(pr.template, pr.paper, pr.columns)
    if parts[0] == "quartiers":
        return column_width("sheet", "a4")
    return column_width("report", "a4")


def width_mm(fig: Illustration, column: float, in_gallery: bool = False) -> float:
    """The printed width: the `width:` hint (mm, or a fraction of the column), at most the column;
    by default the whole column. In a gallery, the width of a grid cell."""
    if in_gallery:
        column = (column - (GALLERY_COLUMNS - 1) * GALLERY_GUTTER) / GALLERY_COLUMNS
    if fig.width is None:
        return column
    if isinstance(fig.width, str):
        return min(float(fig.width.removesuffix("mm")), column)
    return column * float(fig.width)


def ppi(pixels: int, mm: float) -> float:
    return pixels / (mm / 25.4)
