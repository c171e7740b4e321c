"""Editions (issue 11): facts with time, publications frozen at their `as_of` date, the release
gate, scaffolds that invent nothing, localized YAML text, the French fallback.

THE data change used throughout, on a copy of the real project: a new quartier first observed on
2026-03-01 (with its French text and a referent listed that day) and a status change of an
existing quartier dated 2026-06-01, both after the 2025 publications' `as_of` (2025-11-25):
- in-process: `Content.as_of`, the print chapters (`assemble.chapter_markdown`) of both
  publications in both languages are identical before and after, while the site's current pages
  (`assemble.assemble`) show the new state;
- e2e: `clss pdf` gives byte-identical brochure and report PDFs before and after; `clss new` +
  `clss check` and `clss check --release` exit 1 with one `path:line:` line per problem.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from clss import assemble, checks, load, release, typography
from clss import build as builder
from clss.print import pdf

from conftest import ERROR_LINE, MINI_SITE_URL_LINE, copy_project

pytestmark = pytest.mark.xdist_group("test_editions")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

NEW_ID = "nouveau-quartier"
NEW_QUARTIER = """\
name: {fr: Nouveau Quartier, nl: Nieuwe Wijk}
aliases: {fr: [Quartier Neuf], nl: [Nieuwbuurt]}
commune: anderlecht
wave: "2.0"
history:
  - {date: 2026-03-01, status: in-progress}
"""
NEW_TEXT = "# Nouveau Quartier\n\nUn quartier lancé en 2026.\n"
CHANGED = "maritime"  # not launched on 2025-11-25; launched on 2026-06-01
CHANGE_DAY = dt.date(2026, 6, 1)
PUBLICATIONS = ("brochure-5-ans", "rapport-2025")


def apply_data_change(root: Path) -> None:
    content = root / "content"
    (content / "quartiers" / f"{NEW_ID}.yml").write_text(NEW_QUARTIER, encoding="utf-8")
    (content / "fr" / "quartiers" / f"{NEW_ID}.md").write_text(NEW_TEXT, encoding="utf-8")
    path = content / "quartiers" / f"{CHANGED}.yml"
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r"(?m)^(history:.*\n(?:  - .*\n)+)", r"\1  - {date: 2026-06-01, status: in-progress}\n", text, count=1)
    assert n == 1
    path.write_text(new, encoding="utf-8")
    refs = content / "referents.yml"
    refs.write_text(refs.read_text(encoding="utf-8") + f'  - {{name: Nouvelle Référente, wave: "2.0", quartier: {NEW_ID}, listed: 2026-03-01}}\n',
                    encoding="utf-8")


@pytest.fixture(scope="module")
def before(content_copy):
    content = checks.load_and_check(content_copy / "content")
    assert content.ok, content.errors
    return content


@pytest.fixture(scope="module")
def after_root(content_copy, tmp_path_factory) -> Path:
    root = copy_project(content_copy, tmp_path_factory.mktemp("editions") / "project")
    apply_data_change(root)
    return root


@pytest.fixture(scope="module")
def after(after_root):
    content = checks.load_and_check(after_root / "content")
    assert content.ok, "\n".join(map(str, content.errors))
    return content


# --- (a) as of a date ------------------------------------------------------------------------------


def test_the_change_is_current_data(after):
    assert NEW_ID in after.quartiers
    assert after.quartiers[CHANGED].current.status == "in-progress"
    assert after.quartiers[CHANGED].current.day == CHANGE_DAY
    assert after.observed() == CHANGE_DAY


def test_as_of_drops_later_quartiers_and_truncates_histories(after, before):
    day = dt.date(2025, 11, 25)
    then = after.as_of(day)
    assert NEW_ID not in then.quartiers
    assert set(then.quartiers) == set(before.as_of(day).quartiers)
    q = then.quartiers[CHANGED]
    assert all(o.day <= day for o in q.history) and q.current.status == before.quartiers[CHANGED].current.status
    assert q.history == before.quartiers[CHANGED].history
    assert all(r.quartier != NEW_ID for r in then.referents)
    assert then.observed() <= day
    # one day before the change: still the old status; on the day: the new one
    assert after.as_of(CHANGE_DAY - dt.timedelta(days=1)).quartiers[CHANGED].current.status != "in-progress"
    assert after.as_of(CHANGE_DAY).quartiers[CHANGED].current.status == "in-progress"
    # the original is not modified by the view
    assert after.quartiers[CHANGED].current.day == CHANGE_DAY and NEW_ID in after.quartiers


def test_as_of_before_everything_is_empty(after):
    assert after.as_of(dt.date(2015, 1, 1)).quartiers == {}
    assert after.as_of(dt.date(2015, 1, 1)).projects == {}


@pytest.mark.parametrize("pub_id", PUBLICATIONS)
@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_publication_chapters_do_not_change(before, after, pub_id, lang):
    """Everything a publication renders from data is as of its own date: the print Markdown of
    every chapter (and its charts and QR codes) is identical before and after the change."""
    pub = before.publications[pub_id]
    assert pub.facts_date < dt.date(2026, 1, 1)
    old, old_assets = assemble.chapter_markdown(before, pub, lang, "https://www.example.be/clss/")
    new, new_assets = assemble.chapter_markdown(after, after.publications[pub_id], lang, "https://www.example.be/clss/")
    assert [p for p, _, _ in new] == [p for p, _, _ in old]
    for (path, clang, md), (_, clang2, md2) in zip(old, new):
        assert (clang2, md2) == (clang, md), f"{pub_id} ({lang}): {path} changed with data dated after the publication"
    assert new_assets == old_assets


@pytest.fixture(scope="module")
def sites(before, after):
    return {(when, lang): assemble.assemble(c, lang) for when, c in (("before", before), ("after", after)) for lang in ("fr", "nl")}


def _page(a, path):
    return next(p for p in a.pages if p.path == path)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_site_current_pages_show_the_new_state(sites, after, lang):
    old, new = sites[("before", lang)], sites[("after", lang)]
    name = after.quartiers[NEW_ID].name.get(lang)
    assert name not in _page(old, "quartiers/index.md").markdown
    assert name in _page(new, "quartiers/index.md").markdown
    assert any(p.path == f"quartiers/{NEW_ID}.md" for p in new.pages)
    # the changed quartier's sheet: the new status, with its own observation date, in its history
    sheet_old, sheet_new = _page(old, f"quartiers/{CHANGED}.md").markdown, _page(new, f"quartiers/{CHANGED}.md").markdown
    status_old = re.search(r"clss-status--([a-z-]+)", sheet_old).group(1)
    status_new = re.search(r"clss-status--([a-z-]+)", sheet_new).group(1)
    assert status_old != "in-progress" and status_new == "in-progress"
    assert "2026" in sheet_new and "2026" not in sheet_old
    row = next(line for line in _page(new, "quartiers/index.md").markdown.splitlines() if f'href="{CHANGED}/"' in line)
    assert "clss-status--in-progress" in row and "2026" in row
    # other quartiers keep their own observation date (not the latest of all)
    other = next(line for line in _page(new, "quartiers/index.md").markdown.splitlines() if 'href="marolles/"' in line)
    assert "2026" not in other


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_site_pages_of_the_publications_do_not_change(sites, lang):
    old, new = sites[("before", lang)], sites[("after", lang)]
    for pub in PUBLICATIONS:
        paths = [p.path for p in old.pages if p.path.startswith(f"publications/{pub}/")]
        assert paths
        for path in paths:
            assert _page(new, path).markdown == _page(old, path).markdown, f"{path} ({lang}) changed"


# --- (d) localized YAML text ---------------------------------------------------------------------------


def test_nl_project_pages_have_no_french_carrier_or_partner(before, sites):
    nl = sites[("before", "nl")]
    assert before.projects
    for p in before.projects.values():
        page = _page(nl, f"projects/{p.id}.md")
        french = [x.fr for x in (p.carrier, *p.partners) if x.fr != x.nl]
        assert french, f"{p.id}: no French-only carrier or partner to look for"
        found = [x for x in french if x in page.markdown]
        assert not found, f"NL page of {p.id} shows French text: {found}"
        assert str(escape(typography.apostrophe(p.carrier.nl))) in page.markdown  # YAML text: apostrophes, HTML-escaped


def test_nl_quartier_pages_show_only_dutch_aliases(before, sites):
    nl = sites[("before", "nl")]
    checked = 0
    for q in before.quartiers.values():
        page = _page(nl, f"quartiers/{q.id}.md").markdown
        facts = page.split("</div>", 1)[0]  # the facts table (aliases: "Ook genoemd")
        for alias in q.aliases.fr:
            if alias not in q.aliases.nl and alias != q.name.nl:
                assert alias not in facts, f"{q.id}: French alias {alias!r} on the Dutch page"
                checked += 1
    assert checked, "no French alias to look for"


# --- (e) a missing NL page falls back to French, site and print ---------------------------------------


def test_missing_nl_chapter_falls_back_to_french_in_print_and_site(project):
    pub_id, chapter = "brochure-5-ans", "20-le-clss-c-est-quoi"
    rel = f"publications/{pub_id}/{chapter}.md"
    (project / "content" / "nl" / rel).unlink()
    content = load.load(project / "content")
    assert content.ok, content.errors
    assert content.translation_state(rel) == "missing"
    fr_title = content.pages["fr"][rel].title
    chapters, _ = assemble.chapter_markdown(content, content.publications[pub_id], "nl")
    here, clang, md = next(c for c in chapters if c[0] == rel)
    assert clang == "fr"
    assert "nog niet vertaald" in md.lower(), md[:400]
    assert '<div lang="fr"' in md and fr_title.split("’")[0].split("'")[0] in md  # the French text, marked as French
    others = [c for c in chapters if c[0] != rel]
    assert all(c[1] == "nl" for c in others)
    # the release gate names it (the manifest does not allow the fallback)
    blocking = [str(e) for e in release.blockers(project, content)]
    assert any(e.startswith(f"content/nl/{rel}:1: not translated yet") for e in blocking), blocking


def test_missing_nl_chapter_passes_check(project):
    """`sources:` anchors into a chapter shown in French on the Dutch site still resolve."""
    (project / "content/nl/publications/brochure-5-ans/20-le-clss-c-est-quoi.md").unlink()
    content = checks.load_and_check(project / "content")
    assert content.ok, "\n".join(map(str, content.errors[:5]))


# --- (c) release gate and scaffolds, in-process on the mini project -----------------------------------


def test_release_blockers_name_site_url_line_and_todo_markers(mini):
    from clss import scaffold

    assert scaffold.new(mini, "quartier", "x") == 0
    content = checks.load_and_check(mini / "content")
    blocking = [str(e) for e in release.blockers(mini, content)]
    assert any(e.startswith(f"mkdocs.yml:{MINI_SITE_URL_LINE}: `site_url: https://clss.example.invalid/` is a placeholder") for e in blocking), blocking
    todo_line = (mini / "content/fr/quartiers/x.md").read_text(encoding="utf-8").splitlines().index(
        next(ln for ln in (mini / "content/fr/quartiers/x.md").read_text(encoding="utf-8").splitlines() if "<!-- TODO" in ln)) + 1
    assert f"content/fr/quartiers/x.md:{todo_line}: text still to write" in "\n".join(blocking)


def test_real_site_url_is_not_a_blocker(mini):
    (mini / "mkdocs.yml").write_text((mini / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "https://clss.example.invalid/", "https://www.ccc-ggc.brussels/clss/"), encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert not [e for e in release.blockers(mini, content) if e.path == "mkdocs.yml"]


def test_fallback_allowed_by_the_manifest_is_not_a_blocker(mini):
    content = checks.load_and_check(mini / "content")
    chapter = "content/nl/publications/rapport-test/01-etat.md"
    assert any(e.path == chapter for e in release.blockers(mini, content))
    manifest = mini / "content/publications/rapport-test.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "fallback: true\n", encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert content.ok, content.errors
    assert not any(e.path == chapter for e in release.blockers(mini, content))


# --- (c) the commands (e2e) ------------------------------------------------------------------------------


def test_cli_new_quartier_then_check_one_line_per_todo(project, run_clss):
    code, out, err = run_clss(["new", "quartier", "x"], project)
    assert code == 0, out + err
    text = (project / "content/quartiers/x.yml").read_text(encoding="utf-8")
    todo = [i for i, line in enumerate(text.splitlines(), 1) if re.search(r":\s*TODO\b", line)]
    assert len(todo) >= 5
    code, out, err = run_clss(["check"], project)
    assert code == 1 and "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert [ln.split(": ", 1)[0] for ln in lines] == [f"content/quartiers/x.yml:{n}" for n in todo], err
    assert all("is not filled in yet" in ln for ln in lines)


def test_cli_check_release_names_mkdocs_site_url_line(content_copy, run_clss):
    text = (content_copy / "mkdocs.yml").read_text(encoding="utf-8")
    mt = re.search(r"(?m)^site_url:\s*(\S+)", text)
    assert mt, "mkdocs.yml has no site_url"
    if "example.invalid" not in mt.group(1):
        pytest.skip(f"site_url is a real address now ({mt.group(1)}): nothing to refuse")
    line = text.count("\n", 0, mt.start()) + 1
    code, out, err = run_clss(["check"], content_copy)
    assert code == 0, err  # a draft is fine
    code, out, err = run_clss(["check", "--release"], content_copy)
    assert code == 1 and "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert any(ln.startswith(f"mkdocs.yml:{line}: ") for ln in lines), err


# --- (b) byte-identical PDFs (e2e) -------------------------------------------------------------------------

PDFS = [("brochure-5-ans", "fr"), ("brochure-5-ans", "nl"), ("rapport-2025", "fr")]
CONTROL = ("quartier:" + CHANGED, "fr")  # the sheet of the changed quartier shows current data: it must change


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def pdfs(content_copy, tmp_path_factory):
    """{(pub, lang): [sha256 before, sha256 after]}: the PDFs made on one copy, before and after the
    change, as `clss pdf` makes them (draft, the copy's site_url), all four in one staged run per
    state (a brochure is made after the report whose page numbers it prints)."""
    root = copy_project(content_copy, tmp_path_factory.mktemp("pdfs") / "project")
    out = {}
    for when in ("before", "after"):
        if when == "after":
            apply_data_change(root)
        shutil.rmtree(root / ".cache", ignore_errors=True)  # nothing kept: each PDF is made from its data
        content = load.load(root / "content")
        jobs = [pdf.job_for(content, pub, lang) for pub, lang in [*PDFS, CONTROL]]
        folder = root / "out" / when
        pdf.render_all(root, content, jobs, folder, site_url=builder.site_url(root), draft=True)
        for (pub, lang), job in zip([*PDFS, CONTROL], jobs, strict=True):
            target = folder / job.lang / job.relpath
            assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 20_000, target
            out.setdefault((pub, lang), []).append(_digest(target))
    return out


@pytest.mark.parametrize("pub,lang", PDFS, ids=[f"{p}-{lang}" for p, lang in PDFS])
def test_pdfs_are_byte_identical_after_a_later_data_change(pdfs, pub, lang):
    first, second = pdfs[(pub, lang)]
    assert first == second, f"{pub} ({lang}): the PDF changed with data dated after the publication"


def test_control_quartier_sheet_pdf_changes(pdfs):
    """The comparison can fail: the sheet of the changed quartier (current data) is not the same PDF."""
    first, second = pdfs[CONTROL]
    assert first != second
