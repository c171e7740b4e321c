"""The timeline of the CLSS, drawn from data: the waves of quartiers (content/waves.yml, with the
number of their quartiers, communes and launches counted from content/quartiers/) and the other
steps of content/timeline.yml, each as of the content's date (Content.as_of).

Time runs down, one band per year (a phone reads it without turning); the events of a year share
its band in date order, each a dot with its label beside it, coloured by kind (legend below).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .. import i18n, typography
from ..cache import Cache
from ..content import Content
from ..vocab import N_
from . import svg as s

KINDS = {  # kind → (legend, colour)
    "wave": (N_("Waves of quartiers"), "#005a70"),
    "quartiers": (N_("In the quartiers"), "#1b7a3d"),
    "region": (N_("Regional framework"), "#6a0036"),
    "milestone": (N_("Milestones"), "#5c5c5c"),
}


@dataclass(frozen=True)
class Event:
    day: dt.date  # the first day the date stands for
    when: str  # the date as written in the source: "2021", "novembre 2025"…
    kind: str
    label: str


def events(content: Content, lang: str) -> list[Event]:
    """Every step of the timeline, in date order (a wave before the other steps of its year)."""
    _ = i18n.gettext_for(lang)
    out = []
    for w in content.waves.values():
        qs = [q for q in content.quartiers.values() if q.wave == w.id]
        if not qs:
            continue
        launched = sum(1 for q in qs if q.launched is not None)
        what = (_("%(n)d quartiers in %(m)d communes") % {"n": len(qs), "m": len({q.commune for q in qs})}
                if launched == len(qs) else _("%(launched)d of %(n)d quartiers launched") % {"launched": launched, "n": len(qs)})
        out.append(Event(dt.date(w.start, 1, 1), str(w.start), "wave", _("Wave %(wave)s: %(what)s") % {"wave": w.id, "what": what}))
    for e in content.timeline:
        when = i18n.date(e.date, lang) if isinstance(e.date, dt.date) else i18n.month_or_year(e.date, lang)
        out.append(Event(e.day, when, e.kind, e.label.get(lang)))
    out.sort(key=lambda e: (e.day, e.kind != "wave"))
    if lang == "fr":
        out = [Event(e.day, e.when, e.kind, typography.french(e.label).replace("'", "\u2019")) for e in out]
    else:
        out = [Event(e.day, e.when, e.kind, e.label.replace("'", "\u2019")) for e in out]
    return out


def timeline_text(content: Content, lang: str) -> str:
    """The chart's text equivalent: every step with its date."""
    _ = i18n.gettext_for(lang)
    return _("The CLSS timeline") + ". " + "; ".join(f"{e.when} — {e.label}" for e in events(content, lang)) + "."


def positions(evs: list[Event]) -> list[float]:
    """Where each event sits on the time axis: the events of one year share its band evenly
    (dates often give the year only), in date order."""
    by_year: dict[int, list[int]] = {}
    for i, e in enumerate(evs):
        by_year.setdefault(e.day.year, []).append(i)
    pos = [0.0] * len(evs)
    for year, idx in by_year.items():
        for k, i in enumerate(idx):
            pos[i] = year + (k + 0.5) / len(idx)
    return pos


@functools.cache
def _chart_class():
    """pygal's XY chart, its printed labels beside the dot (pygal puts them below and to the
    right); made on first use, so that pygal is imported only when a chart is drawn."""
    import pygal

    class TimelineChart(pygal.XY):
        def _static_value(self, serie_node, value, x, y, metadata, align_text="left", classes=None):
            shift = self.style.value_font_size
            super()._static_value(serie_node, value, x - shift + self.dots_size + 8, y - shift, metadata, align_text, classes)

    return TimelineChart


def timeline_svg(content: Content, lang: str, layout: s.Layout = s.PRINT, cache: Cache | None = None) -> str:
    """The chart; empty when there is no step to draw (an edition dated before the first)."""
    evs = events(content, lang)
    return s.drawn(cache, "timeline", _draw, tuple(evs), timeline_text(content, lang), lang, layout) if evs else ""


@functools.lru_cache(maxsize=32)  # the same steps draw the same chart (every preview save)
def _draw(evs: tuple[Event, ...], text: str, lang: str, layout: s.Layout) -> str:
    _ = i18n.gettext_for(lang)
    pos = positions(list(evs))
    first, last = evs[0].day.year, evs[-1].day.year
    years = list(range(first, last + 1))
    per_year = max((sum(1 for e in evs if e.day.year == y) for y in years), default=1)
    band = max(2 * layout.font, int(per_year * layout.font * 1.7))
    kinds = [k for k in KINDS if any(e.kind == k for e in evs)]
    columns = len(kinds) if layout.width >= 600 else 2
    legend_rows = -(-len(kinds) // columns)
    chart = _chart_class()(
        style=s.style(tuple(KINDS[k][1] for k in kinds), layout), width=layout.width,
        height=60 + band * len(years) + legend_rows * 2 * layout.font, title=_("The CLSS timeline"),
        legend_at_bottom=True, legend_at_bottom_columns=columns, legend_box_size=layout.font,
        margin=8, margin_bottom=8 + (legend_rows - 1) * 2 * layout.font, spacing=10,
        xrange=(0, 1), range=(first, last + 1), inverse_y_axis=True, stroke=False, dots_size=6,
        show_x_labels=False, show_x_guides=False, show_y_guides=False, print_labels=True, print_values=False,
        y_labels=[{"label": str(y), "value": y + 0.5} for y in years],
    )
    s.config(chart, "timeline", "#chart-timeline .text-overlay text.label{text-anchor:start}")
    for k in kinds:
        chart.add(_(KINDS[k][0]), [{"value": (0, p), "label": e.label} for e, p in zip(evs, pos, strict=True) if e.kind == k])
    return s.finish(chart, text)
