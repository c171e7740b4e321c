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
import yaml

pytestmark = pytest.mark.xdist_group("site-built")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

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
def test_language_switch_is_relative_and_symmetric(site, lang, other):
    """Every page links to its twin in the other language with a relative link (works under
    any host and sub-path), the menu entries carry their own lang."""
    for path in pages(site, lang):
        if path.name == "404.html":
            continue
        html = path.read_text(encoding="utf-8")
        links = dict(re.findall(r'<a href="([^"]+)" hreflang="([a-z]+)" lang="[a-z]+" class="md-select__link"', html))
        by_lang = {v: k for k, v in links.items()}
        assert set(by_lang) == {"fr", "nl"}, path
        for code, href in by_lang.items():
            assert not re.match(r"^(https?:)?//|^/", href), f"{path}: {href}"
            target = (path.parent / href).resolve() / "index.html"
            assert target == (site / code / path.relative_to(site / lang)).resolve(), f"{path}: {href}"
            assert target.is_file(), target


def test_no_absolute_urls_with_placeholder_site_url(site):
    """site_url is a placeholder (*.invalid): no canonical, no hreflang, no link to that host."""
    for path in list(pages(site, "fr")) + list(pages(site, "nl")) + [site / "index.html"]:
        html = path.read_text(encoding="utf-8")
        assert "example.invalid" not in html, path
        assert 'rel="canonical"' not in html and 'rel="alternate"' not in html, path
    for lang in ("fr", "nl"):
        assert "<loc>" not in (site / lang / "sitemap.xml").read_text(encoding="utf-8")
    assert "Sitemap:" not in (site / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_pagefind_index_per_language(site, lang):
    bundle = site / lang / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    metas = [p.name for p in bundle.glob("pagefind.*.pf_meta")]
    assert metas and all(f".{lang}_" in m for m in metas), metas
    assert not (site / lang / "search" / "search_index.json").exists()  # no lunr index any more
    home = (site / lang / "index.html").read_text(encoding="utf-8")
    assert "javascripts/search.js" in home and "data-clss-search" in home
    assert "pagefind/pagefind.js" not in home  # loaded by search.js only when the reader searches
    page = (site / lang / "quartiers/marolles/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in page


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
    assert "Observatoire de la Santé et du Social" in html and "Observatorium voor Gezondheid en Welzijn" in html
    assert '<section lang="nl">' in html and '<section lang="fr">' in html
    assert 'href="fr/publications/rapport-2025/"' in html and 'href="nl/publications/rapport-2025/"' in html
    assert (site / "robots.txt").is_file() and (site / "404.html").is_file()


def test_dutch_pages_are_dutch(site):
    html = (site / "nl/quartiers/marolles/index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>[^<]* - LSGC – Observatorium voor Gezondheid en Welzijn</title>", html)
    assert "Observatorium voor Gezondheid en Welzijn van Brussel" in html  # footer copyright
    assert "Observatoire" not in html.split('<div class="md-copyright">', 1)[1][:400]
    assert "Ga naar inhoud" in html  # skip link
    notfound = (site / "nl/404.html").read_text(encoding="utf-8")
    assert "Pagina niet gevonden" in notfound and "Startpagina" in notfound
    # no public address: links relative to the language root, which the page finds in the address asked for
    assert 'createElement("base")' in notfound and 'href="../fr/"' in notfound and 'href="/' not in notfound
    assert "md-select__link" in notfound and "data-clss-search" in notfound


def test_footnotes_keep_the_publication_numbers(site):
    for lang, title in (("fr", "Retour à la note {} dans le texte"), ("nl", "Terug naar voetnoot {} in de tekst")):
        checked = 0
        for path in (site / lang / "publications/rapport-2025").rglob("index.html"):
            html = path.read_text(encoding="utf-8")
            for label in re.findall(r'<li id="fn:(\d+)"', html):
                assert f'<li id="fn:{label}" value="{label}">' in html, path
                assert f'href="#fn:{label}">{label}</a>' in html, path
                assert f'title="{title.format(label)}"' in html, path
                checked += int(label) > 1
        assert checked, "no footnote beyond the first was checked"
        assert "Jump back to footnote" not in html


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
    # the chart is drawn in the page (inline SVG: the page's font), named by its text equivalent
    chart = re.search(r'<figure class="clss-chart clss-chart--status-by-wave"[^>]*>(.*?)</figure>', html, re.S)
    assert chart and re.search(r'<svg role="img" aria-label="Quartiers par statut et par vague[^"]*vague 1\.0', chart.group(1))
    assert "<script" not in chart.group(1) and "En cours" in chart.group(1)


@pytest.mark.parametrize("lang,link", [("fr", "Code QR vers https://youtube.com/shorts/pTFPuIFSKoU"),
                                       ("nl", "QR-code naar https://youtube.com/shorts/pTFPuIFSKoU")])
def test_video_page_shows_its_qr_code_and_link(site, lang, link):
    """The brochure says "scan the QR code": the site shows it, next to the address as a link."""
    page = site / lang / "publications/brochure-5-ans/70-video-clss/index.html"
    html = page.read_text(encoding="utf-8")
    assert '<a href="https://youtube.com/shorts/pTFPuIFSKoU">https://youtube.com/shorts/pTFPuIFSKoU</a>' in html
    img = re.search(rf'<img alt="{re.escape(link)}" src="([^"]+)"', html)
    assert img, "no QR code image with its alt text"
    svg = (page.parent / img.group(1)).resolve()
    assert svg.is_file() and svg.read_bytes().startswith(b"<svg")


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


def test_no_pdf_link_without_the_pdf(site):
    html = (site / "fr/publications/rapport-2025/23-partie-2-f/index.html").read_text(encoding="utf-8")
    assert "clss-pdf-link" not in html  # built with --no-print on a fresh copy: no PDF to link


@pytest.mark.parametrize("lang,chapter", [("fr", "Chapitre «\u00a0"), ("nl", "Hoofdstuk “")])
def test_chapter_offers_its_citation(site, lang, chapter):
    html = (site / lang / "publications/rapport-2025/23-partie-2-f/index.html").read_text(encoding="utf-8")
    cite = re.search(r'<p class="clss-how-to-cite__text">(.*?)</p>', html, re.S)
    assert cite and "(2025)" in cite.group(1) and chapter in cite.group(1)
    # no public address: the page's path from the site's root (cite.js shows the reader's address)
    assert f'class="clss-how-to-cite__url" data-relative>{lang}/publications/rapport-2025/23-partie-2-f/</span>' in cite.group(1)
    assert "javascripts/cite.js" in html
    # BibTeX and RIS records of the publication, in the page's language
    import rispy

    for ext in ("bib", "ris"):
        assert f'href="../rapport-2025.{ext}" download' in html
    pub = yaml.safe_load((ROOT / "content/publications/rapport-2025.yml").read_text(encoding="utf-8"))
    ris, = rispy.loads((site / lang / "publications/rapport-2025/rapport-2025.ris").read_text(encoding="utf-8"))
    assert ris["type_of_reference"] == "RPRT" and ris["title"] == pub["title"][lang] and ris["authors"] == pub["credits"]["author"]
    bib = (site / lang / "publications/rapport-2025/rapport-2025.bib").read_text(encoding="utf-8")
    assert bib.startswith("@techreport{rapport-2025,") and "year = {2025}" in bib and "clss.example.invalid" not in bib
    # the publication's own page: the same box once, without a chapter
    index = (site / lang / "publications/rapport-2025/index.html").read_text(encoding="utf-8")
    texts = re.findall(r'<p class="clss-how-to-cite__text">(.*?)</p>', index, re.S)
    assert len(texts) == 1 and "(2025)" in texts[0] and chapter not in texts[0] and index.count(pub["citation"][lang].split(")")[0]) == 3  # box, meta and og:description


def test_publication_follows_its_outline(site):
    """Nav and table of contents follow the report's parts → sections → chapters, numbered once."""
    index = site / "fr/publications/rapport-2025/index.html"
    html = index.read_text(encoding="utf-8")
    contents = html[html.index('class="clss-contents"'):html.index('id="colophon"')]
    items = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<a [^>]*>(.*?)</a>", contents, re.S)]
    assert not [t for t in items if re.match(r"\d+\.\s*\d+\.", t)]  # no "8. 1. Caractériser…"
    for section in ("A. Des partenariats répandus", "B. Des pratiques diverses", "C. La crainte", "D. Les formes"):
        assert any(t.startswith(section) for t in items), section
    # part 1 holds its sections, section B its subsections (nested lists)
    part1 = contents[contents.index("1. Caractériser"):contents.index("2. Du côté")]
    assert "11-partie-1-b/" in part1 and "12-partie-1-b2/" in part1 and part1.count("<ul>") >= 2
    for href in re.findall(r'href="([^"]+)"', contents):  # every entry reaches its page and anchor
        path, _, anchor = href.partition("#")
        target = (index.parent / path / "index.html").resolve()
        assert target.is_file() and (not anchor or anchor in parse(target).ids), href
    # the chapter's breadcrumbs name its part and section; publications come first in the nav
    chapter = (site / "fr/publications/rapport-2025/12-partie-1-b2/index.html").read_text(encoding="utf-8")
    path = re.sub(r"<[^>]+>", " ", re.search(r'<nav class="md-path".*?</nav>', chapter, re.S).group(0))
    assert "1. Caractériser les approches partenariales" in path and "B. Des pratiques" in path
    nav = re.sub(r"\s+", " ", chapter[chapter.index('class="md-nav md-nav--primary"'):])
    assert nav.index("> Publications <") < nav.index("> Quartiers <") < nav.index("> Projets <")


def test_quotes_have_speaker_class(site):
    html = (site / "fr/publications/rapport-2025/11-partie-1-b/index.html").read_text(encoding="utf-8")
    assert '<p class="clss-speaker">— ' in html


def test_one_testimony_per_box():
    """A block quote holding two testimonies becomes two boxes, each ending with its speaker."""
    import markdown

    from clss.site.markdown import ClssMarkdown

    md = markdown.Markdown(extensions=["footnotes", ClssMarkdown(backlink_title="Back to {}")])
    html = md.convert("> First words.\n>\n> — Anna, nurse\n>\n> Second words.\n>\n> — Bert, social worker\n")
    boxes = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
    assert len(boxes) == 2, html
    assert all(b.count('class="clss-speaker"') == 1 and b.rstrip().endswith("</p>") for b in boxes)
    assert "Anna" in boxes[0] and "Bert" in boxes[1]
    html = md.reset().convert("Text[^16].\n\n[^16]: The note.\n")
    assert '<li id="fn:16" value="16">' in html and 'title="Back to 16"' in html and '#fn:16">16</a>' in html


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


def test_site_works_under_a_sub_path(site):
    """build/site served under /any/sub/path/ by a plain static server: every link, script,
    style and image of a sample of pages (language switch included) answers 200."""
    import functools
    import http.server
    import threading
    import urllib.request

    prefix = "/any/sub/path/"

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            if not path.startswith(prefix):
                return str(site / "missing")
            return super().translate_path("/" + path[len(prefix):])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    checked: dict[str, int] = {}

    def status(url: str) -> int:
        if url not in checked:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    checked[url] = r.status
            except urllib.error.HTTPError as exc:
                checked[url] = exc.code
        return checked[url]

    try:
        start = ["", "fr/", "nl/", "fr/quartiers/marolles/", "nl/quartiers/marolles/",
                 "fr/publications/rapport-2025/00-introduction/", "nl/publications/rapport-2025/00-introduction/"]
        broken = []
        for rel in start:
            url = base + rel
            with urllib.request.urlopen(url, timeout=10) as r:
                html = r.read().decode("utf-8")
            refs = re.findall(r'(?:href|src)="([^"#]+)', html)
            assert refs
            for ref in refs:
                if ref.startswith(("mailto:", "tel:", "javascript:", "data:")):
                    continue
                target = urljoin(url, ref)
                assert target.startswith(base) or not target.startswith("http://127.0.0.1"), f"{rel}: {ref} leaves the sub-path"
                if target.startswith(base) and status(target) != 200:
                    broken.append(f"{rel}: {ref}")
        assert not broken, "\n".join(broken[:20])
        # the language switch of a Dutch page lands on the same French page
        with urllib.request.urlopen(base + "nl/quartiers/marolles/", timeout=10) as r:
            html = r.read().decode("utf-8")
        href = re.search(r'<a href="([^"]+)" hreflang="fr"', html).group(1)
        assert urljoin(base + "nl/quartiers/marolles/", href) == base + "fr/quartiers/marolles/"
    finally:
        server.shutdown()


def test_absolute_urls_with_a_real_site_url(tmp_path):
    """With a real public address: canonical, hreflang (with x-default), sitemaps, robots.txt."""
    proj = copy_project(tmp_path)
    cfg = proj / "mkdocs.yml"
    public = "https://www.observatbru.be/clss/"
    cfg.write_text(re.sub(r"(?m)^site_url:.*$", f"site_url: {public}", cfg.read_text(encoding="utf-8")), encoding="utf-8")
    # a PDF from an earlier build: chapter pages link it
    (proj / "build/print/fr").mkdir(parents=True)
    (proj / "build/print/fr/rapport-2025.pdf").write_bytes(b"%PDF-1.4\n%test\n")
    env = {**os.environ, "CLSS_ROOT": str(proj)}
    proc = subprocess.run([*CLSS, "build", "--no-print", "--lang", "fr"], cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    site = proj / "build/site"
    chapter = (site / "fr/publications/rapport-2025/23-partie-2-f/index.html").read_text(encoding="utf-8")
    assert '<p class="clss-pdf-link"><a href="../../../pdf/rapport-2025.pdf"' in chapter
    assert (site / "fr/pdf/rapport-2025.pdf").is_file()
    assert f'<span class="clss-how-to-cite__url">{public}fr/publications/rapport-2025/23-partie-2-f/</span>' in chapter
    html = (site / "fr/quartiers/marolles/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{public}fr/quartiers/marolles/">' in html
    assert f'<meta property="og:url" content="{public}fr/quartiers/marolles/">' in html
    assert f'<meta property="og:image" content="{public}fr/assets/cards/quartiers--marolles.png">' in html
    assert (site / "fr/assets/cards/quartiers--marolles.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # hreflang lives in the sitemaps: Material's script would fetch <alternate>/sitemap.xml for
    # every <link rel="alternate"> in the head
    assert 'rel="alternate"' not in html
    # the language switch stays relative
    assert 'href="../../../nl/quartiers/marolles/" hreflang="nl"' in html
    sitemap = (site / "fr/sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{public}fr/quartiers/marolles/</loc>" in sitemap
    assert f'hreflang="nl" href="{public}nl/quartiers/marolles/"' in sitemap
    assert f'hreflang="x-default" href="{public}fr/quartiers/marolles/"' in sitemap
    assert f"<loc>{public}nl/sitemap.xml</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"Sitemap: {public}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
    assert 'href="/clss/fr/' in (site / "fr/404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_sheet_and_project_lists_its_sources_with_working_deep_links(site, lang):
    """Issue 17: each quartier and project page ends with Sources/Bronnen, one link per source
    to a heading of a publication chapter page, and every such heading exists."""
    from clss import i18n

    title = i18n.gettext_for(lang)("Sources")
    checked = 0
    for kind in ("quartiers", "projects"):
        for page in sorted((site / lang / kind).glob("*/index.html")):
            html = page.read_text(encoding="utf-8")
            mt = re.search(r"<h2[^>]*>" + re.escape(title) + r"<a class=\"headerlink\"[^>]*>[^<]*</a></h2>\s*<ul>(.*?)</ul>", html, re.S)
            assert mt, f"{lang}/{kind}/{page.parent.name}: no « {title} » list"
            hrefs = re.findall(r'href="([^"]+)"', mt.group(1))
            assert hrefs, f"{lang}/{kind}/{page.parent.name}: the Sources list has no link"
            for href in hrefs:
                url, frag = urldefrag(urljoin("http://x/" + page.relative_to(site).as_posix(), href))
                target = site / urlparse(url).path.lstrip("/") / "index.html"
                assert "/publications/" in url and frag, f"{lang}/{kind}/{page.parent.name}: `{href}` is not a deep link into a publication"
                assert target.is_file() and frag in parse(target).ids, f"{lang}/{kind}/{page.parent.name}: `{href}` does not resolve"
                checked += 1
    assert checked


def test_every_quartier_page_lists_the_others_with_working_links(site):
    """The quartiers' section of the menu, on each quartier page: every quartier, the page's own
    entry marked active, every other one a link that reaches its page (these links are rendered
    once per build, clss.site.nav_links, and must read the same on every page)."""
    import html as html_mod

    from clss import load, typography

    content = load.load(ROOT / "content")
    names = {q.id: typography.apostrophe(q.name.get("fr")) for q in content.quartiers.values()}  # as the site shows them
    pages = sorted(p for p in (site / "fr/quartiers").glob("*/index.html"))
    assert len(pages) == len(names)
    seen: dict[str, set[str]] = {}
    for page in pages:
        here = page.parent.name
        html = page.read_text(encoding="utf-8")
        nav = html[html.index('class="md-nav md-nav--primary"'):html.index('class="md-sidebar md-sidebar--secondary"')]
        active = re.findall(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)
        assert [html_mod.unescape(t) for _, t in active] == [names[here]], here
        links = {qid: html_mod.unescape(t) for qid, t in re.findall(r'<li class="md-nav__item">\s*<a href="\.\./([a-z0-9-]+)/" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)}
        assert links == {qid: name for qid, name in names.items() if qid != here}, here
        for qid in links:
            assert (page.parent.parent / qid / "index.html").is_file()
            seen.setdefault(qid, set()).add(links[qid])
    assert all(len(titles) == 1 for titles in seen.values())
    # the section's own page lists them all too, one folder up: `marolles/`, not `../marolles/`
    index = site / "fr/quartiers/index.html"
    html = index.read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index('class="md-sidebar md-sidebar--secondary"')]
    links = {qid: html_mod.unescape(t) for qid, t in re.findall(
        r'<li class="md-nav__item">\s*<a href="([a-z0-9-]+)/" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', nav)}
    assert links == names and all((index.parent / qid / "index.html").is_file() for qid in links)


@pytest.mark.parametrize(("lang", "page", "shown"), [
    ("fr", "quartiers/gare-de-l-ouest/index.html", "Gare de l\u2019Ouest"),
    ("nl", "index.html", "LSGC\u2019s"),
])
def test_apostrophes_are_typographic_as_in_the_pdfs(site, lang, page, shown):
    """A ' between two letters is an apostrophe on the site too, as in the PDFs: in the text, the
    titles, the menu, figure captions, the citation box and the page descriptions. Web addresses
    keep theirs."""
    assert shown in (site / lang / page).read_text(encoding="utf-8")
    straight = re.compile(r"[^\W\d_](?:'|&#39;|&#x27;)[^\W\d_]")
    for path in pages(site, lang):
        text = re.sub(r"<(script|style)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r'\s(?:href|src|srcset)="[^"]*"', "", text)  # addresses
        text = re.sub(r"https?://[^\s<\"]+", "", text)
        found = straight.search(text)
        assert found is None, f"{path.relative_to(site)}: {text[max(found.start() - 40, 0):found.end() + 20]!r}"
