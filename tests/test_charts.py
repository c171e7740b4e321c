"""Figures made from data (issue 15, item 5; issue 14, item 6): the status-by-wave chart and the
timeline of the CLSS, drawn at build time from content/ — readable on a phone (labels ≥ 12 px on a
390 px screen), typographic apostrophes, dated editions — and the QR codes of the videos."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from clss import assemble, charts, qr, typography
from clss.load import load

PHONE_COLUMN_PX = 358  # what a chart gets on a 390 px wide screen (Material's margins: 2 × 16 px)
SVG = "{http://www.w3.org/2000/svg}"

TIMELINE = """\
# yaml-language-server: $schema=.schemas/timeline.schema.json
events:
  - date: 2022
    kind: region
    label: {fr: "PSSI : premiers plans d’action validés", nl: "GWGP: eerste actieplannen goedgekeurd"}
    source: {publication: rapport-test, chapter: 01-etat, anchor: contexte}
  - date: 2024
    kind: region
    label: {fr: Un arrêté clarifie le cadre, nl: Een besluit verduidelijkt het kader}
    source: {publication: rapport-test, chapter: 01-etat, anchor: contexte}
"""
LATE_EVENT = """\
  - date: 2026-03
    kind: milestone
    label: {fr: Un événement postérieur, nl: Een latere gebeurtenis}
    source: {publication: rapport-test, chapter: 01-etat, anchor: contexte}
"""


def _with_timeline(root, text=TIMELINE):
    (root / "content" / "timeline.yml").write_text(text, encoding="utf-8")
    for lang in ("fr", "nl"):
        page = root / "content" / lang / "publications/rapport-test/01-etat.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        body = page.read_text(encoding="utf-8") if page.is_file() else "# Stand van zaken\n\n## Context\n\nTekst.\n"
        page.write_text(body + "\n[[insert: timeline]]\n", encoding="utf-8")
    content = load(root / "content")
    assert content.ok, content.errors
    return content


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _phone_px(svg: str) -> list[float]:
    """Every font size of the chart as shown on a phone: the SVG is drawn at the column's width."""
    width = float(ET.fromstring(svg).get("viewBox").split()[2])
    return [float(x) * PHONE_COLUMN_PX / width for x in re.findall(r"font-size:\s*([0-9.]+)px", svg)]


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("draw", [charts.status_by_wave, charts.timeline_svg])
def test_site_charts_are_readable_on_a_phone(mini, lang, draw):
    content = _with_timeline(mini)
    svg = draw(content, lang, charts.SITE)
    sizes = _phone_px(svg)
    assert sizes and min(sizes) >= 12, sizes
    texts = _texts(svg)
    assert texts and not [t for t in texts if "'" in t], "straight apostrophe in a chart label"
    assert "<script" not in svg and "<!--" not in svg and 'role="img"' in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert len(ids) == 1 and ids[0].startswith("chart-"), ids  # its own only: ids are unique in a page


def test_status_chart_labels(mini):
    svg = charts.status_by_wave(load(mini / "content"), "fr", charts.SITE)
    texts = _texts(svg)
    assert "À l\u2019arrêt" in texts and "Vague 1.0" in texts
    values = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]
    assert values and "0" not in values, "an empty segment is labelled 0 (drawn over its neighbour)"
    assert not [t for t in ET.fromstring(svg).iter(f"{SVG}g") if "axis" in (t.get("class") or "") and " y" in (t.get("class") or "")
                and any(x.text and x.text.isdigit() for x in t.iter(f"{SVG}text"))], "a value axis whose labels can meet a bar's number"


def test_timeline_is_drawn_from_the_data(mini):
    content = _with_timeline(mini)
    text = charts.timeline_text(content, "fr")
    assert "2022 — PSSI\u00a0: premiers plans d’action validés" in text
    assert "Vague 1.0" in text and "Vague 2.0" in text  # the waves come from waves.yml and quartiers/
    svg = charts.timeline_svg(content, "nl", charts.SITE)
    assert "GWGP: eerste actieplannen goedgekeurd" in _texts(svg)
    moved = _with_timeline(mini, TIMELINE.replace("date: 2022", "date: 2023-05"))
    assert "mai 2023 — PSSI" in charts.timeline_text(moved, "fr")
    assert charts.timeline_svg(moved, "nl", charts.SITE) != svg


def test_dated_edition_leaves_out_later_events(mini):
    content = _with_timeline(mini, TIMELINE + LATE_EVENT)
    assert "Un événement postérieur" in charts.timeline_text(content, "fr")
    pub = content.publications["rapport-test"]
    dated = content.as_of(pub.facts_date)
    assert "Un événement postérieur" not in charts.timeline_text(dated, "fr")
    chapters, assets = assemble.chapter_markdown(content, pub, "fr")
    md = "\n".join(text for _, _, text in chapters)
    assert "](charts/timeline.svg)" in md and "Un événement postérieur" not in md
    assert "Un arrêté clarifie le cadre" in assets["charts/timeline.svg"].decode()
    assert "Un événement postérieur" not in assets["charts/timeline.svg"].decode()
    before_all = content.as_of(dt.date(2019, 12, 31))  # an edition dated before the first step: no chart
    assert charts.timeline_svg(before_all, "fr", charts.SITE) == ""
    assert assemble.Assembler(before_all, "fr", "site").chart("timeline", charts.timeline_svg, charts.timeline_text) == ""


def test_site_draws_the_charts_in_the_page(mini):
    content = _with_timeline(mini)
    a = assemble.assemble(content, "fr", "site")
    page = next(p for p in a.pages if p.path == "publications/rapport-test/01-etat.md")
    figure = next(line for line in page.markdown.split("\n") if line.startswith('<figure class="clss-chart clss-chart--timeline"'))
    assert figure.endswith("</figure>") and "<svg " in figure
    assert typography.french(figure) == figure  # the page's typography leaves the chart alone
    overview = next(p for p in a.pages if p.path == "quartiers/index.md")
    assert '<figure class="clss-chart clss-chart--status-by-wave"' in overview.markdown
    assert not [k for k in a.assets if k.startswith("charts/")]  # nothing to fetch: no file


def test_a_label_too_long_for_a_phone_is_refused_with_its_line(mini):
    (mini / "content" / "timeline.yml").write_text(TIMELINE.replace("Un arrêté clarifie le cadre", "Un arrêté clarifie le cadre institutionnel des CLSS en 2024"), encoding="utf-8")
    content = load(mini / "content")
    errors = [str(e) for e in content.errors if e.path.endswith("timeline.yml")]
    assert errors and errors[0].startswith("content/timeline.yml:9:"), errors


def test_qr_codes_follow_a_mention_of_a_qr_code():
    assets: dict[str, bytes] = {}
    md = ("**Scannez le QR code pour la vidéo**\n\nOu en cliquant sur ce lien : <https://youtube.com/shorts/x>\n\n"
          "Un autre lien : <https://example.org/>\n")
    out = qr.link_qr_codes(md, "fr", assets, src=lambda name: "../../" + name)
    name = qr.asset_name("https://youtube.com/shorts/x")
    assert f"![Code QR vers https://youtube.com/shorts/x](../../{name})" in out
    assert list(assets) == [name] and assets[name].startswith(b"<svg")
    assert "example.org" not in "".join(assets)  # only the paragraph right after the mention
    assert qr.link_qr_codes("Voir <https://youtube.com/shorts/x>\n", "fr", {}) == "Voir <https://youtube.com/shorts/x>\n"


def test_site_pages_mentioning_a_qr_code_show_it(mini):
    page = mini / "content" / "fr" / "publications/rapport-test/01-etat.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n**Scannez le QR code**\n\nOu ce lien : <https://youtube.com/shorts/x>\n", encoding="utf-8")
    a = assemble.assemble(load(mini / "content"), "fr", "site")
    md = next(p for p in a.pages if p.path == "publications/rapport-test/01-etat.md").markdown
    name = qr.asset_name("https://youtube.com/shorts/x")
    assert f"](../../{name})" in md and name in a.assets
    assert "<https://youtube.com/shorts/x>" in md  # the link stays, as text



def test_a_timeline_source_must_exist(mini):
    from clss import checks

    _with_timeline(mini, TIMELINE.replace("anchor: contexte}\n  - date: 2024", "anchor: nulle-part}\n  - date: 2024"))
    content = checks.load_and_check(mini / "content")
    errors = [str(e) for e in content.errors if e.path == "content/timeline.yml"]
    assert len(errors) == 1 and errors[0].startswith("content/timeline.yml:6:") and "nulle-part" in errors[0], errors


def test_a_chart_is_drawn_once_for_the_same_numbers_and_again_after_damage(tmp_path):
    """clss.charts.svg.drawn: the SVG of the same chart data comes from the cache (kind
    "charts"); other data draws; a damaged entry is refused and drawn again; no cache: drawn."""
    from clss.cache import Cache
    from clss.charts.svg import drawn

    calls = []

    def draw(numbers, lang):
        calls.append(numbers)
        return f"<svg>{numbers} {lang}</svg>"

    cache = Cache(tmp_path)
    assert drawn(cache, "demo", draw, (1, 2), "fr") == "<svg>(1, 2) fr</svg>"
    assert drawn(cache, "demo", draw, (1, 2), "fr") == "<svg>(1, 2) fr</svg>"
    assert calls == [(1, 2)]
    assert drawn(cache, "demo", draw, (1, 3), "fr") == "<svg>(1, 3) fr</svg>"
    assert len(calls) == 2
    entry = next(p for p in (tmp_path / "charts").rglob("*") if p.is_file())
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x01
    entry.write_bytes(bytes(data))
    drawn(cache, "demo", draw, (1, 2), "fr")
    drawn(cache, "demo", draw, (1, 3), "fr")
    assert len(calls) == 3  # the damaged one only
    drawn(Cache(None), "demo", draw, (1, 2), "fr")
    assert len(calls) == 4
