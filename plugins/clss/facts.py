"""The facts of a quartier as a reader sees them, in one language: computed once, here, for
both outputs — the site's quartier page (templates/quartier.md.j2) and the printed sheet
(print/data.py → templates/sheet.typ) show the same values."""
from __future__ import annotations

from dataclasses import dataclass

from . import i18n, vocab
from . import model as m
from .content import Content

MISSING = "—"  # a fact the data does not give


@dataclass(frozen=True)
class ProjectLine:
    id: str
    title: str
    subtitle: str
    carrier: str
    status: str
    status_label: str


@dataclass(frozen=True)
class QuartierFacts:
    id: str
    name: str
    commune: str
    wave: str
    launched: str  # year or month as written in the data, or MISSING
    status: str
    status_label: str
    observed: str  # the date of the current observation, written out as precisely as entered
    cpas: str
    referents: tuple[str, ...]
    aliases: tuple[str, ...]
    projects: tuple[ProjectLine, ...]


def quartier_facts(content: Content, q: m.Quartier, lang: str) -> QuartierFacts:
    _ = i18n.gettext_for(lang)
    commune = content.communes.get(q.commune)
    cpas = content.cpas_of(q)
    now = q.current
    return QuartierFacts(
        id=q.id,
        name=q.name.get(lang),
        commune=commune.name.get(lang) if commune else q.commune,
        wave=q.wave,
        launched=str(q.launched) if q.launched else MISSING,
        status=now.status,
        status_label=vocab.status_label(now.status, _),
        observed=i18n.written_date(now.date, lang),
        cpas=cpas.get(lang) if cpas else MISSING,
        referents=tuple(r.name for r in content.referents_of(q.id)),
        aliases=tuple(q.aliases.get(lang)),
        projects=tuple(
            ProjectLine(p.id, p.title.get(lang), p.subtitle.get(lang) if p.subtitle else "", p.carrier.get(lang),
                        p.current.status, vocab.status_label(p.current.status, _))
            for p in content.projects_of(q.id)
        ),
    )
