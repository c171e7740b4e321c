"""`clss preflight FILE.pdf …`: what a print shop checks before printing, and whether each PDF
is fit for its edition (exit 1 when one is not).

Per PDF: page sizes and boxes, fonts (embedded, subset), the colour spaces the pages use, the
maximum total ink, images and their effective resolution where they are placed, and the
PDF/X, PDF/A and PDF/UA identification with the output intents.

Method (pikepdf/QPDF, no rendering: a renderer gives RGB pixels, not inks): every page's
content stream is read with `pikepdf.parse_content_stream`, with the forms it draws
(recursively), following the graphics state (q/Q, cm, colour spaces). Total ink is the sum of
the four components of each CMYK colour set (DeviceGray counts as black ink only), and for
CMYK images the largest sum over their pixels. The registration colour of printer's marks
(C = M = Y = K = 100 %, outside the trimmed page) is reported apart and not counted. An image's
effective resolution is its pixel size over its placed size (the current transformation
matrix at `Do`).

Fit for print (PDF/X): an output intent GTS_PDFX with an embedded CMYK profile, the PDF/X
version in the XMP metadata, no RGB colour, total ink at most 300 %, images at 150 ppi or more
(below 300 ppi: a warning), every font embedded, a TrimBox on every page within a BleedBox
within the MediaBox. Fit for the web (PDF/A): an output intent GTS_PDFA1, the PDF/A
identification, every font embedded."""
from __future__ import annotations

from .scan import Report, family, rich_black, scan
from .verdict import inspect, judge, lines, run

__all__ = ["Report", "family", "inspect", "judge", "lines", "rich_black", "run", "scan"]
