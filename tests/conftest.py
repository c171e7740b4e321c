"""Shared fixtures of the test suite, and its two tiers.

Tiers: every test that runs `clss` in a subprocess or needs a full build is marked `e2e`
(automatically, see `pytest_collection_modifyitems`); `make test-fast` runs the others
(`pytest -m "not e2e"`), `make test` runs everything. A test is e2e when
- it uses one of the E2E_FIXTURES (directly or through another fixture), or
- its module says `pytestmark = pytest.mark.e2e`, or
- its own source starts a process (`subprocess.`, `[*CLSS`).

Every test works on a COPY, never on /work/main/content itself:

- `content_copy`  session-wide pristine copy of the real project (content/ + mkdocs.yml); read only.
- `project`       a fresh, writable copy of `content_copy` for one test (a project root Path).
- `mini_copy`     session-wide pristine copy of a MINI project (reference data of the real content,
                  three quartiers, one project, one publication; see MINI_FILES): loads and checks in
                  milliseconds, with line numbers known exactly. Read only.
- `mini`          a fresh writable copy of `mini_copy` for one test.
- `run_clss`      run the `clss` CLI in a subprocess with CLSS_ROOT set to a copy;
                  returns (exit code, stdout, stderr).  (e2e)
"""
from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# `path:line: message`, as printed by `clss check` (one line per problem)
ERROR_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>[1-9][0-9]*): (?P<message>\S.*)$")

# fixtures that run `clss` in a subprocess or build the site/PDFs: a test using any is e2e
# (test_hardening/test_print: built, project_built; test_site: site; test_editions: pdfs)
E2E_FIXTURES = frozenset({"run_clss", "built", "print_built", "project_built", "site", "pdfs"})
_PROCESS_RE = re.compile(r"\bsubprocess\.|\[\*CLSS\b|\brun_clss_in\(")


def _starts_a_process(item) -> bool:
    fn = getattr(item, "function", None)
    if fn is None:
        return False
    try:
        return bool(_PROCESS_RE.search(inspect.getsource(fn)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("e2e"):
            continue
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())) or _starts_a_process(item):
            item.add_marker(pytest.mark.e2e)


def _clss_command() -> list[str]:
    script = Path(sys.executable).with_name("clss")
    if script.is_file():
        return [str(script)]
    found = shutil.which("clss")
    return [found] if found else [sys.executable, "-m", "clss.cli"]


CLSS = _clss_command()


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The suite reads clss's messages in English, whatever the locale of the machine that runs
    it (clss speaks the editor's language: clss.messages.ui_language); subprocesses inherit it."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture(scope="session")
def content_copy(tmp_path_factory) -> Path:
    """A pristine copy of the project (content/ and mkdocs.yml); shared, do not modify."""
    root = tmp_path_factory.mktemp("clss") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns(".*", "__pycache__"))
    if (ROOT / "mkdocs.yml").is_file():
        shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    else:  # the CLI finds the project through CLSS_ROOT anyway
        (root / "mkdocs.yml").write_text("site_name: CLSS\n", encoding="utf-8")
    return root


PRINT_SITE = "https://www.ccc-ggc.brussels/clss/"  # a real address: QR codes and URLs printed


@pytest.fixture(scope="session")
def print_content(content_copy):
    # other engineers may be writing texts right now: the model objects load anyway
    from clss import load

    return load.load(content_copy / "content")


@pytest.fixture(scope="session")
def print_built(print_content, content_copy, tmp_path_factory):
    """Every PDF of both languages (render_all into dir/a), a second build of a few of them
    (dir/b: byte comparison) and an A5 brochure with bleed and crop marks; made once per
    session, shared by test_print.py and test_sources_pdf.py (read only)."""
    from clss.print import pdf

    content = print_content
    out = tmp_path_factory.mktemp("print")
    jobs = pdf.all_jobs(content, ["fr", "nl"])
    done: list = []
    pdf.render_all(content_copy, content, jobs, out / "a", site_url=PRINT_SITE, progress=done.append, draft=False)
    again = [pdf.job_for(content, "rapport-2025", "fr"), pdf.job_for(content, "brochure-5-ans", "nl"),
             pdf.job_for(content, "quartier:marolles", "fr"), pdf.job_for(content, "quartiers", "nl")]
    pdf.render_all(content_copy, content, again, out / "b", site_url=PRINT_SITE, draft=False)
    pdf.render(content_copy, content, pdf.job_for(content, "brochure-5-ans", "fr"), out / "a5-bleed.pdf",
               paper="a5", bleed=3, crop_marks=True, site_url=PRINT_SITE, draft=False)
    return {"dir": out, "jobs": jobs, "done": done, "again": again, "site_url": PRINT_SITE}


def copy_project(src: Path, dest: Path, built: bool = False) -> Path:
    """Copy a project root (content/, mkdocs.yml …) without any build output; `built`: with its
    build/ (key file included) and .cache/, as new files."""
    shutil.copytree(src, dest, symlinks=True,
                    ignore=None if built else lambda d, names: [n for n in names if n in ("build", ".cache")] if Path(d) == src else [])
    return dest


@pytest.fixture
def project(content_copy, tmp_path) -> Path:
    """A fresh writable copy of the project for one test."""
    return copy_project(content_copy, tmp_path / "project")


# --- the mini project --------------------------------------------------------------------------

MINI_REFERENCE = ("communes.yml", "themes.yml", "waves.yml", "glossary.yml", "bibliography.yaml")

MINI_QUARTIER = """\
# Facts of the quartier Maritime (test template).
name:
  fr: Maritime
  nl: Maritiem
aliases:
  fr: [Quartier Maritime]
  nl: [Zeewijk]
commune: molenbeek-saint-jean
wave: "2.0"
history:
  - date: 2023-09
    status: in-progress
    source: rapport-test
  - date: 2025-11-25
    status: stopped
    source: rapport-test
links:
  - url: https://www.example.be/maritime
    label: {fr: Site, nl: Website}
"""

MINI_PROJECT = """\
# Facts of the project ASSAP (test template).
quartier: bas-de-forest
title:
  fr: Équipe mobile
  nl: Mobiel team
carrier:
  fr: Consortium Social-Santé du Bas de Forest
  nl: Consortium Welzijn-Gezondheid van Laag-Vorst
partners:
  - {fr: écoles du quartier, nl: wijkscholen}
  - {fr: CPAS de Forest, nl: OCMW Vorst}
themes:
  - acces-services
  - logement
dates:
  start: 2022
  end: 2025-04
figures:
  - value: 140
    date: 2024
    label: {fr: familles accompagnées, nl: begeleide gezinnen}
history:
  - {date: 2022, status: in-progress, source: rapport-test}
  - {date: 2025-04, status: stopped, source: rapport-test}
"""

MINI_PUBLICATION = """\
kind: report
title: {fr: Rapport test, nl: Testrapport}
date: 2025-11-25
as_of: 2025-11-25
credits:
  author: [Observatoire]
citation: {fr: Rapport test, nl: Testrapport}
contact:
  organisation: {fr: Observatoire, nl: Observatorium}
chapters:
  - 01-etat
print:
  template: report
"""

# only what the core reads: the placeholder site_url (release gate) and the Markdown extensions
# (heading anchors of `sources:`); the real mkdocs.yml is for the site build
MINI_MKDOCS = """\
site_name: CLSS test
site_url: https://clss.example.invalid/
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
      permalink_title: ""
"""
MINI_SITE_URL_LINE = 2

MINI_FILES = {
    "content/referents.yml": (
        "referents:\n"
        '  - {name: Jessi Anay, wave: "1.0", quartier: bas-de-forest, listed: 2025-11-25}\n'
        '  - {name: Camille Test, wave: "2.0", listed: 2025-11-25}\n'),
    "content/quartiers/maritime.yml": MINI_QUARTIER,
    "content/quartiers/bas-de-forest.yml": (
        "name: {fr: Bas de Forest, nl: Laag-Vorst}\n"
        "aliases: {fr: [Bas-Forest], nl: []}\n"
        "commune: forest\n"
        'wave: "1.0"\n'
        "history:\n"
        "  - {date: 2021, status: in-progress, source: rapport-test}\n"
        "sources:\n"
        "  - {publication: rapport-test, chapter: 01-etat, anchor: contexte}\n"),
    "content/quartiers/marolles.yml": (
        "name: {fr: Marolles, nl: Marollen}\n"
        "commune: bruxelles\n"
        'wave: "1.0"\n'
        "history:\n"
        "  - {date: 2021-03-01, status: in-progress, source: rapport-test}\n"
        "  - {date: 2025-11-25, status: in-progress, source: rapport-test}\n"),
    "content/projects/assap.yml": MINI_PROJECT,
    "content/publications/rapport-test.yml": MINI_PUBLICATION,
    "content/fr/index.md": "# Accueil\n\nLes [[count: quartiers words]] quartiers du CLSS.\n",
    "content/fr/quartiers/maritime.md": "---\ntitle: Maritime\n---\n\n# Maritime\n\nTexte du quartier.\n",
    "content/fr/quartiers/bas-de-forest.md": "# Bas de Forest\n\nTexte du quartier.\n",
    "content/fr/quartiers/marolles.md": "# Marolles\n\nTexte du quartier.\n",
    "content/fr/projects/assap.md": "# Équipe mobile\n\nTexte du projet.\n",
    "content/fr/publications/rapport-test/01-etat.md": (
        "# État des lieux\n\n## Contexte\n\nEn 2025, [[count: quartiers]] quartiers.\n\n[[insert: status]]\n"),
    "content/nl/quartiers/maritime.md": "# Maritiem\n\nMaritiem is een wijk van Sint-Jans-Molenbeek.\n",
    "content/nl/quartiers/bas-de-forest.md": "# Laag-Vorst\n\nTekst van de wijk.\n",
}


def write_files(root: Path, files: dict) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def mini_copy(tmp_path_factory) -> Path:
    """A pristine mini project (see MINI_FILES); shared, do not modify."""
    root = tmp_path_factory.mktemp("mini") / "project"
    (root / "content").mkdir(parents=True)
    for name in MINI_REFERENCE:
        shutil.copy2(ROOT / "content" / name, root / "content" / name)
    write_files(root, MINI_FILES)
    (root / "mkdocs.yml").write_text(MINI_MKDOCS, encoding="utf-8")
    return root


@pytest.fixture
def mini(mini_copy, tmp_path) -> Path:
    """A fresh writable copy of the mini project for one test."""
    return copy_project(mini_copy, tmp_path / "mini")


# --- the CLI in a subprocess (e2e) ---------------------------------------------------------------


def run_clss_in(args, cwd: Path, timeout: float = 120) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLSS_DEBUG",)}
    env.update(CLSS_ROOT=str(cwd), NO_MKDOCS_2_WARNING="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([*CLSS, *[str(a) for a in args]], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def run_clss():
    """run_clss(args, cwd) -> (exit code, stdout, stderr), with CLSS_ROOT=cwd.  (e2e)"""
    return run_clss_in
