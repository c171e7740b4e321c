"""What every chart shares: its two layouts (the site, drawn for a phone first; print), the pygal
style, and the clean-up that makes a pygal SVG static, reproducible and accessible.

Sizes are in the SVG's own units (its viewBox). On the site a chart is drawn in the page itself
(inline SVG: the page's web font reaches its text) at the width of the column, never wider than
`SITE_MAX_PX`; on a 390 px phone the column is `PHONE_COLUMN_PX` wide, so a label of `font` units
shows at `font × PHONE_COLUMN_PX / width` px — at least `MIN_LABEL_PX` (clss.css: .clss-chart).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

from ..cache import Cache
from ..cache import key as cache_key
from ..incremental import code_digest

if TYPE_CHECKING:  # pygal is imported only when a chart is drawn (not when it comes from the cache)
    import pygal
    from pygal.style import Style

FONT = "Source Sans Pro, sans-serif"  # the face of the site (@font-face in clss.css) and of the PDFs
PHONE_COLUMN_PX = 358  # a 390 px wide screen less Material's page margins (2 × 16 px)
MIN_LABEL_PX = 12
SITE_MAX_PX = 480  # clss.css: .clss-chart svg { max-width }


@dataclass(frozen=True)
class Layout:
    target: str  # "site" or "print"
    width: int  # of the viewBox
    font: int  # size of every label, in viewBox units

    def px_on_phone(self, size: float) -> float:
        """How large `size` (viewBox units) shows on a 390 px wide phone."""
        return size * min(PHONE_COLUMN_PX, SITE_MAX_PX) / self.width


SITE = Layout("site", 400, 14)  # 14 units → 12.5 px on a phone, 16.8 px at most on a desktop
PRINT = Layout("print", 640, 14)  # at 82 % of the A4 brochure's text width: 14/640 × 140 mm ≈ 8.7 pt


def style(colours: tuple[str, ...], layout: Layout, value_colours: tuple[str, ...] = ()) -> Style:
    from pygal.style import Style

    f = layout.font
    return Style(
        background="white", plot_background="white", foreground="#222", foreground_strong="#111",
        foreground_subtle="#767676", colors=colours, value_colors=value_colours, opacity="1", opacity_hover="1",
        font_family=FONT, label_font_size=f, major_label_font_size=f, legend_font_size=f, value_font_size=f,
        value_label_font_size=f, tooltip_font_size=f, title_font_size=f + 2, no_data_font_size=f + 2,
    )


def config(chart: pygal.graph.graph.Graph, ident: str, css: str = "") -> None:
    """Settings every chart has: static (no script), the same bytes at every build; `css` is
    added to pygal's own style sheets (rules scoped by `#chart-<ident>`)."""
    chart.config.js = []
    chart.config.disable_xml_declaration = True
    chart.config.explicit_size = True
    chart.config.truncate_legend = -1  # never cut a legend or a label short
    chart.config.truncate_label = -1
    if css:
        chart.config.css = [*chart.config.css, "inline:" + css]
    chart.uuid = ident  # pygal draws a random id otherwise; the id scopes the chart's <style>


def finish(chart: pygal.graph.graph.Graph, label: str) -> str:
    """The SVG as one line, with an accessible name (`label`, the chart's text equivalent), no
    script, no comment (pygal's carry the day of the build), no id but the chart's own."""
    svg = chart.render(is_unicode=True)
    svg = re.sub(r"<script.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r' id="activate-serie-\d+"', "", svg)  # hooks of pygal's script; two charts on a page would repeat them
    svg = re.sub(r"\s*\n\s*", " ", svg).strip()
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def drawn(cache: Cache | None, name: str, draw, *args) -> str:
    """`draw(*args)`: a chart's SVG, kept in the cache (kind "charts") under the chart's name, its
    data (`args`, with their repr), the package's code and pygal's version (code_digest). A build
    whose numbers are unchanged neither imports pygal nor draws."""
    if cache is None or not cache.enabled:
        return draw(*args)
    k = cache_key(name, repr(args), code_digest())
    return cache.made("charts", k, lambda: draw(*args).encode("utf-8")).decode("utf-8")


def figure_html(svg: str, ident: str) -> str:
    """The chart drawn in the page itself, one line (a raw HTML block for Markdown). The search
    index skips it: its words are in the text equivalent and in the page around it."""
    return f'<figure class="clss-chart clss-chart--{ident}" data-pagefind-ignore>{svg}</figure>'


def font_sizes(svg: str) -> list[float]:
    """Every font size the chart's style sheet sets (viewBox units)."""
    return [float(x) for x in re.findall(r"font-size:\s*([0-9.]+)px", svg)]
