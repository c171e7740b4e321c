"""Charts drawn from the content at build time with pygal, as static SVG (no script at view time):

- svg.py       the two layouts (site: phone first, drawn in the page; print), style, clean-up
- status.py    quartiers by status and wave (`[[insert: status-chart]]`)
- timeline.py  the timeline of the CLSS (`[[insert: timeline]]`; content/timeline.yml + waves.yml)

Each chart has a text equivalent (its accessible name, and the alt text in print). QR codes: clss.qr.
"""
from __future__ import annotations

from .status import counts, status_by_wave, status_text
from .svg import PRINT, SITE, Layout, figure_html
from .timeline import events, timeline_svg, timeline_text

__all__ = ["PRINT", "SITE", "Layout", "counts", "events", "figure_html", "status_by_wave", "status_text",
           "timeline_svg", "timeline_text"]
