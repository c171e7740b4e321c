"""The status-by-wave chart: one stacked bar per wave, one segment per status, each segment
labelled with its number (none for an empty one), the legend below."""
from __future__ import annotations

import functools

from .. import i18n
from ..cache import Cache
from ..content import Content
from ..vocab import QUARTIER_STATUSES as STATUSES
from ..vocab import status_label
from . import svg as s

STATUS_COLOURS = {"in-progress": "#1b7a3d", "stopped": "#b3261e", "not-launched": "#6b6b6b"}


def labels(lang: str) -> dict[str, str]:
    """Status labels with typographic apostrophes (À l’arrêt), as printed text has them."""
    return {st: status_label(st, i18n.gettext_for(lang)).replace("'", "\u2019") for st in STATUSES}


def counts(content: Content) -> dict[str, dict[str, int]]:
    """Quartiers per wave and current status (waves in content/waves.yml order)."""
    waves = list(content.waves) or sorted({q.wave for q in content.quartiers.values()})
    out = {w: {st: 0 for st in STATUSES} for w in waves}
    for q in content.quartiers.values():
        out.setdefault(q.wave, {st: 0 for st in STATUSES})[q.current.status] += 1
    return out


def status_text(content: Content, lang: str) -> str:
    """The chart's text equivalent: every number the chart shows."""
    _ = i18n.gettext_for(lang)
    names = labels(lang)
    parts = []
    for wave, by in counts(content).items():
        detail = ", ".join(f"{names[st].lower()}: {n}" for st, n in by.items())
        parts.append(_("wave %(wave)s") % {"wave": wave} + f" ({detail})")
    return _("Quartiers by status and wave") + ": " + "; ".join(parts)


def status_by_wave(content: Content, lang: str, layout: s.Layout = s.PRINT, cache: Cache | None = None) -> str:
    """Stacked horizontal bars: one bar per wave, one segment per status. The numbers are white
    on the segments (contrast ≥ 5:1); no value axis, so no axis label can meet a number."""
    data = counts(content)
    frozen = tuple((w, tuple(by.items())) for w, by in data.items())
    return s.drawn(cache, "status-by-wave", _draw, frozen, status_text(content, lang), lang, layout)


@functools.lru_cache(maxsize=32)  # the same numbers draw the same chart (every page, every preview save)
def _draw(frozen: tuple, text: str, lang: str, layout: s.Layout) -> str:
    import pygal

    _ = i18n.gettext_for(lang)
    names = labels(lang)
    data = {w: dict(by) for w, by in frozen}
    chart = pygal.HorizontalStackedBar(
        style=s.style(tuple(STATUS_COLOURS[st] for st in STATUSES), layout, ("white",) * len(STATUSES)),
        width=layout.width, height=110 + 56 * max(len(data), 1), legend_at_bottom=True,
        legend_at_bottom_columns=len(STATUSES) if layout.width >= 600 else 2, legend_box_size=layout.font, print_values=True, print_zeroes=False,
        show_x_labels=False, show_y_guides=False, show_x_guides=False, margin=8, spacing=12,
        margin_bottom=8 if layout.width >= 600 else 8 + 2 * layout.font,  # pygal counts one legend row
        title=_("Quartiers by status and wave"),
    )
    s.config(chart, "status-by-wave", "#chart-status-by-wave .text-overlay text.value{font-weight:700}")
    waves = list(reversed(data))  # pygal draws the first bar at the bottom: the first wave on top
    chart.x_labels = [_("Wave %(wave)s") % {"wave": w} for w in waves]
    for st in STATUSES:
        chart.add(names[st], [data[w][st] or None for w in waves])
    return s.finish(chart, text)
