"""Charts and QR codes drawn at build time as SVG (pygal, segno): no script at view time."""
from __future__ import annotations

import io
import re

import pygal
import segno
from pygal.style import Style

from . import i18n
from .content import Content
from .vocab import QUARTIER_STATUSES as STATUSES
from .vocab import status_label

STATUS_COLOURS = {"in-progress": "#1b7a3d", "stopped": "#b3261e", "not-launched": "#6b6b6b"}


def _labels(lang: str) -> dict[str, str]:
    """Status labels with typographic apostrophes (À l’arrêt), as printed text has them."""
    return {s: status_label(s, i18n.gettext_for(lang)).replace("'", "\u2019") for s in STATUSES}


def counts(content: Content) -> dict[str, dict[str, int]]:
    """Quartiers per wave and current status (waves in content/waves.yml order)."""
    waves = list(content.waves) or sorted({q.wave for q in content.quartiers.values()})
    out = {w: {s: 0 for s in STATUSES} for w in waves}
    for q in content.quartiers.values():
        out.setdefault(q.wave, {s: 0 for s in STATUSES})[q.current.status] += 1
    return out


def status_text(content: Content, lang: str) -> str:
    """The chart's text alternative: every number the chart shows."""
    _ = i18n.gettext_for(lang)
    labels = _labels(lang)
    parts = []
    for wave, by in counts(content).items():
        detail = ", ".join(f"{labels[s].lower()}: {n}" for s, n in by.items())
        parts.append(_("wave %(wave)s") % {"wave": wave} + f" ({detail})")
    return _("Quartiers by status and wave") + ": " + "; ".join(parts)


def status_by_wave(content: Content, lang: str) -> bytes:
    """Stacked horizontal bars: one bar per wave, one segment per status."""
    _ = i18n.gettext_for(lang)
    labels = _labels(lang)
    style = Style(
        background="white", plot_background="white", foreground="#222", foreground_strong="#111",
        foreground_subtle="#555", colors=tuple(STATUS_COLOURS[s] for s in STATUSES),
        font_family="Source Sans Pro, sans-serif", label_font_size=14, major_label_font_size=14,
        legend_font_size=14, value_font_size=13, title_font_size=16,
    )
    chart = pygal.HorizontalStackedBar(
        style=style, width=640, height=260, legend_at_bottom=True, legend_at_bottom_columns=3,
        print_values=True, show_y_guides=False, js=[], disable_xml_declaration=True,
        explicit_size=True, margin=12, title=_("Quartiers by status and wave"),
    )
    chart.uuid = "status-by-wave"  # pygal draws a random id otherwise: builds must be byte-identical
    data = counts(content)
    chart.x_labels = [_("Wave %(wave)s") % {"wave": w} for w in data]
    for s in STATUSES:
        chart.add(labels[s], [data[w][s] or None for w in data])
    svg = chart.render(is_unicode=True)
    svg = re.sub(r"<script.*?</script>", "", svg, flags=re.S)  # pygal's interactivity hooks: static chart
    # pygal adds a <desc>-less root; give it an accessible name and role for both site and print
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(status_text(content, lang))}" ', 1)
    return svg.encode("utf-8")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def qr_svg(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=url)
    return buf.getvalue()
