"""The built website: languages, links, anchors, hreflang, search indexes, no third-party URL.

The site is built once per session (without PDFs) from a copy of the project.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLSS = [sys.executable, "-m", "clss.cli"]


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "plugins").symlink_to(ROOT / "plugins")
    return dest


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    proj = copy_project(tmp_path_factory.mktemp("siteproj"))
    env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([*CLSS, "build", "--no-print"], cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proj / "build" / "site"


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.alternates: dict[str, str] = {}
        self.srcs: list[str] = []
        self.langs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if "name" in a and tag == "a":
            self.ids.add(a["name"])
        if "lang" in a and tag != "html":
            self.langs.append(a["lang"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if tag in ("img", "script", "source") and a.get("src"):
            self.srcs.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "preload", "icon", "preconnect"):
            self.srcs.append(a["href"])


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(site: Path, lang: str) -> list[Path]:
    return sorted((site / lang).rglob("*.html"))


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_expected_pages_exist(site, lang):
    base = site / lang
    quartiers = [p for p in (base / "quartiers").iterdir() if p.is_dir()]
    assert len(quartiers) == 18
    for path in ["index.html", "quartiers/index.html", "projects/assap/index.html", "projects/l-atelier/index.html",
                 "projects/soyons-solidaires/index.html", "publications/rapport-2025/index.html",
                 "publications/brochure-5-ans/index.html", "publications/rapport-2025/60-bibliographie/index.html"]:
        assert (base / path).is_file(), path


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_html_lang(site, lang):
    for path in pages(site, lang):
        assert parse(path).lang == lang, path


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_internal_links_and_anchors_resolve(site, lang):
    cache: dict[Path, Page] = {}

    def get(p: Path) -> Page:
        if p not in cache:
            cache[p] = parse(p)
        return cache[p]

    broken = []
    for path in pages(site, lang):
        page = get(path)
        rel_url = path.relative_to(site).as_posix()
        for href in page.links:
            if href.startswith(("http://", "https://", "mailto:", "tel:", "javascript:")):
                continue
            url, frag = urldefrag(urljoin("http://x/" + rel_url, href))
            target = site / urlparse(url).path.lstrip("/")
            if target.is_dir() or url.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{rel_url}: {href}")
                continue
            if frag and target.suffix == ".html" and frag not in get(target).ids:
                broken.append(f"{rel_url}: {href} (anchor)")
    assert not broken, "\n".join(broken[:30])


def test_footnote_backlinks(site):
    path = site / "fr/publications/rapport-2025/00-introduction/index.html"
    html = path.read_text(encoding="utf-8")
    assert 'class="footnote-backref"' in html
    assert re.search(r'id="fn:1"', html)


@pytest.mark.parametrize("lang,other", [("fr", "nl"), ("nl", "fr")])
def test_hreflang_pairs_symmetric(site, lang, other):
    for path in pages(site, lang):
        if path.name == "404.html":
            continue
        alt = parse(path).alternates
        assert set(alt) == {"fr", "nl"}, path
        rel = path.relative_to(site / lang).as_posix()
        twin = site / other / rel
        assert twin.exists(), f"{other}/{rel} missing"
        back = parse(twin).alternates
        assert back[lang] == alt[lang] and back[other] == alt[other]


@pytest.mark.parametrize("lang,word,foreign", [("fr", "quartier", "wijk"), ("nl", "wijk", "quartier")])
def test_search_index_per_language(site, lang, word, foreign):
    index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    locations = {d["location"] for d in index["docs"]}
    assert any(loc.startswith("quartiers/") for loc in locations)
    text = " ".join(d["text"] for d in index["docs"]).lower()
    assert word in text
    # the other language's key term only appears in quoted names, never as running text
    assert text.count(word) > 20 * max(1, text.count(foreign))


def test_no_third_party_requests(site):
    offenders = []
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            for src in parse(path).srcs:
                if re.match(r"^(https?:)?//", src):
                    offenders.append(f"{path}: {src}")
        else:
            for m in re.finditer(r"url\(\s*['\"]?(https?:)?//[^)]+\)|@import\s+['\"]?https?://|fonts\.googleapis|fonts\.gstatic", text):
                offenders.append(f"{path}: {m.group(0)[:80]}")
    assert not offenders, "\n".join(offenders[:20])


def test_fonts_are_self_hosted(site):
    css = (site / "fr/stylesheets/clss.css").read_text()
    assert "source-sans-regular.woff2" in css
    assert (site / "fr/assets/fonts/source-sans-regular.woff2").stat().st_size > 10_000


def test_language_choice_page(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="fr/"' in html and 'href="nl/"' in html and "navigator.languages" in html


def test_switcher_lands_on_same_page(site):
    html = (site / "nl/quartiers/marolles/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*/fr/quartiers/marolles/"[^>]*hreflang="fr"[^>]*class="md-select__link"', html)


def test_quartier_sheet_facts(site):
    fr = (site / "fr/quartiers/bas-de-forest/index.html").read_text(encoding="utf-8")
    nl = (site / "nl/quartiers/bas-de-forest/index.html").read_text(encoding="utf-8")
    assert "Forest" in fr and "CPAS de Forest" in fr and "En cours" in fr and "Jessi Anay" in fr
    assert "Vorst" in nl and "OCMW Vorst" in nl and "Lopend" in nl and "Laag-Vorst" in nl
    assert "../../projects/assap/" in fr  # project linked from its quartier
    proj = (site / "fr/projects/assap/index.html").read_text(encoding="utf-8")
    assert "../../quartiers/bas-de-forest/" in proj and "140" in proj


def test_overview_table_and_chart(site):
    html = (site / "fr/quartiers/index.html").read_text(encoding="utf-8")
    assert html.count("<tr><td>") == 18
    assert 'class="clss-sortable"' in html and "tables.js" in html
    assert re.search(r'<img alt="Quartiers par statut et par vague: [^"]*11|<img alt="[^"]*vague 1\.0', html)
    svg = (site / "fr/charts/status-by-wave.svg").read_text(encoding="utf-8")
    assert "<script" not in svg and "En cours" in svg


def test_french_typography(site):
    html = (site / "fr/publications/rapport-2025/02-partenariats/index.html").read_text(encoding="utf-8")
    assert "«\u00a0" in html and "\u00a0»" in html
    assert re.search("\u202f\\?", html)


def test_citations_linked_to_bibliography(site):
    html = (site / "fr/publications/rapport-2025/02-partenariats/index.html").read_text(encoding="utf-8")
    m = re.search(r'<a class="clss-cite" href="([^"#]*)#(ref-ozouf1973)">(.*?)</a>', html)
    assert m and "Ozouf" in m.group(3) and "1973" in m.group(3)
    bib = (site / "fr/publications/rapport-2025/60-bibliographie/index.html").read_text(encoding="utf-8")
    assert 'id="ref-ozouf1973"' in bib


def test_quotes_have_speaker_class(site):
    html = (site / "fr/publications/rapport-2025/11-partie-1-b/index.html").read_text(encoding="utf-8")
    assert '<p class="clss-speaker">— ' in html


def test_hostile_text_is_escaped(tmp_path):
    proj = copy_project(tmp_path)
    q = proj / "content/quartiers/marolles.yml"
    q.write_text(q.read_text(encoding="utf-8").replace('fr: "Marolles"', 'fr: "<script>alert(1)</script> Marolles"'), encoding="utf-8")
    env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([*CLSS, "build", "--no-print", "--lang", "fr"], cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    html = (proj / "build/site/fr/quartiers/marolles/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outdated_translation_is_listed_and_flagged_on_site(tmp_path):
    proj = copy_project(tmp_path)
    fr = proj / "content/fr/quartiers/peterbos.md"
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUn paragraphe ajouté en français.\n", encoding="utf-8")
    env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([*CLSS, "translations", "--format", "json"], cwd=proj, env=env, capture_output=True, text=True)
    states = {r["path"]: r["state"] for r in json.loads(proc.stdout)["pages"]}
    assert states["quartiers/peterbos.md"] == "outdated"
    assert states["quartiers/marolles.md"] == "up-to-date"
    strict = subprocess.run([*CLSS, "translations", "--strict"], cwd=proj, env=env, capture_output=True, text=True)
    assert strict.returncode == 1
    proc = subprocess.run([*CLSS, "build", "--no-print", "--lang", "nl"], cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    html = (proj / "build/site/nl/quartiers/peterbos/index.html").read_text(encoding="utf-8")
    assert "De Franse versie is gewijzigd" in html
    assert "De Franse versie is gewijzigd" not in (proj / "build/site/nl/quartiers/marolles/index.html").read_text(encoding="utf-8")


def test_missing_translation_falls_back_to_french_with_notice(tmp_path):
    proj = copy_project(tmp_path)
    (proj / "content/nl/quartiers/karreveld.md").unlink()
    env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([*CLSS, "build", "--no-print", "--lang", "nl"], cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    html = (proj / "build/site/nl/quartiers/karreveld/index.html").read_text(encoding="utf-8")
    assert "Deze pagina is nog niet vertaald" in html
    assert '<div lang="fr">' in html
