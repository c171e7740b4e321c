"""Every validation rule of `clss check`, each with a passing and a failing case.

The rules run in-process (`checks.load_and_check`) on the mini project of conftest.py (reference
data of the real content, three quartiers, one project, one publication), so that line numbers
are known exactly and a check takes milliseconds. Each failing case asserts the exact
`path:line:` and a distinctive part of the message, and that no other problem is reported (one
line per problem, no cascade). A few CLI tests at the end run `clss check` in a subprocess (e2e).
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from clss import checks, scaffold
from clss.content import ContentError

from conftest import ERROR_LINE, MINI_FILES, MINI_PROJECT, MINI_PUBLICATION, MINI_QUARTIER, copy_project

pytestmark = pytest.mark.xdist_group("test_validation")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

QREL = "content/quartiers/maritime.yml"
PREL = "content/projects/assap.yml"
FRREL = "content/fr/quartiers/maritime.md"
NLREL = "content/nl/quartiers/maritime.md"
PUBREL = "content/publications/test-pub.yml"
MPUBREL = "content/publications/rapport-test.yml"
BREL = "content/quartiers/bas-de-forest.yml"
CHREL = "content/fr/publications/rapport-test/01-etat.md"

QUARTIER = MINI_QUARTIER
# line numbers in QUARTIER
Q_NAME, Q_ALIASES, Q_ALIASES_NL, Q_COMMUNE, Q_WAVE, Q_HISTORY = 2, 5, 7, 8, 9, 10
Q_H0, Q_H0_STATUS, Q_H0_SOURCE, Q_H1, Q_H1_STATUS = 11, 12, 13, 14, 15
Q_URL = 18

PROJECT = MINI_PROJECT
P_QUARTIER, P_CARRIER, P_CARRIER_NL, P_PARTNERS, P_PARTNER1, P_THEME2, P_END = 2, 6, 8, 9, 11, 14, 17
P_FIGURE, P_FIGURE_DATE, P_HISTORY, P_H0 = 19, 20, 22, 23

FR_PAGE = MINI_FILES[FRREL]
FR_NEXT = 8  # line of the first line appended to FR_PAGE
NL_PAGE = MINI_FILES[NLREL]
NL_NEXT = 4

PUBLICATION = """\
kind: report
title: {fr: Publication test, nl: Testpublicatie}
date: 2025
credits:
  author: [Observatoire]
citation: {fr: Publication test, nl: Testpublicatie}
contact:
  organisation: {fr: Observatoire, nl: Observatorium}
chapters:
  - 01-un
  - 02-deux
print:
  template: report
"""
PUB_DATE, PUB_CH2 = 3, 11
PUB_FILES = {"content/fr/publications/test-pub/01-un.md": "# Un\n", "content/fr/publications/test-pub/02-deux.md": "# Deux\n"}

SOURCES = "sources:\n  - {publication: rapport-test, chapter: 01-etat, anchor: contexte}\n"
Q_SOURCE = 21  # line of the source item appended to QUARTIER (after `sources:` on line 20)


def sub(text: str, old: str, new: str) -> str:
    assert old in text, f"template does not contain {old!r}"
    return text.replace(old, new, 1)


def errors_of(root: Path) -> list[ContentError]:
    content = checks.load_and_check(root / "content")
    for e in content.errors:
        assert isinstance(e, ContentError)
        assert ERROR_LINE.match(str(e)), f"not a single `path:line: message` line: {str(e)!r}"
    return list(content.errors)


def apply(root: Path, files: dict, undo: dict | None = None) -> None:
    """Write (str/bytes) or delete (None) files under root; remember in `undo` what was there."""
    for rel, data in files.items():
        path = root / rel
        if undo is not None and rel not in undo:
            undo[rel] = path.read_bytes() if path.is_file() else None
            created = [d for d in path.parents if d != root and root in d.parents and not d.exists()]
            undo.setdefault("", []).extend(created)
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def restore(root: Path, undo: dict) -> None:
    created = undo.pop("", [])
    for rel, data in undo.items():
        path = root / rel
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)
    for d in sorted(created, key=lambda d: len(d.parts), reverse=True):
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def scratch(mini_copy, tmp_path_factory) -> Path:
    """One copy of the mini project for the in-process rule tests. Each test's edits are undone
    after it (see `ws`), which is cheaper than a copy per test."""
    return copy_project(mini_copy, tmp_path_factory.mktemp("validation") / "project")


class Workspace:
    def __init__(self, root: Path):
        self.root = root
        self.undo: dict = {}

    def apply(self, files: dict) -> None:
        apply(self.root, files, self.undo)

    def append(self, rel: str, text: str) -> int:
        """Append text to a file; returns the line number of its first line."""
        old = (self.root / rel).read_text(encoding="utf-8")
        self.apply({rel: old + text})
        return len(old.splitlines()) + 1


@pytest.fixture
def ws(scratch):
    w = Workspace(scratch)
    yield w
    restore(scratch, w.undo)


def first_bib_key(root: Path) -> str:
    data = yaml.safe_load((root / "content" / "bibliography.yaml").read_text(encoding="utf-8"))
    return data["references"][0]["id"]


@dataclass
class Case:
    id: str
    bad: dict
    expected: list  # [(path, line, fragment)]
    good: dict = field(default_factory=dict)
    bug: str = ""  # a known bug of clss: the failing case is expected to fail (xfail, strict)


def fr(*lines: str) -> str:
    return FR_PAGE + "".join(line + "\n" for line in lines)


def nl(*lines: str) -> str:
    return NL_PAGE + "".join(line + "\n" for line in lines)


def chapter(*lines: str) -> str:
    return MINI_FILES[CHREL] + "".join(line + "\n" for line in lines)


CH_NEXT = 8  # line of the first line appended to the chapter


CASES = [
    # --- unknown keys --------------------------------------------------------------------
    Case("unknown-key-did-you-mean",
         bad={QREL: sub(QUARTIER, "history:", "histroy:")},
         expected=[(QREL, Q_HISTORY, "unknown key `histroy`; did you mean `history`?")]),
    Case("old-status-key",
         bad={QREL: sub(QUARTIER, "links:", "status: in-progress\nlinks:")},
         expected=[(QREL, Q_URL - 1, "unknown key `status`")]),
    Case("unknown-nested-key-did-you-mean",
         bad={QREL: sub(QUARTIER, "    source: rapport-test", "    sourc: rapport-test")},
         good={QREL: sub(QUARTIER, "    source: rapport-test\n", "")},  # a source is optional
         expected=[(QREL, Q_H0_SOURCE, "unknown key `sourc`; did you mean `source`?")]),
    Case("unknown-key-in-list-item",
         bad={QREL: sub(QUARTIER, "    label:", "    lable:")},
         good={QREL: sub(QUARTIER, "https://www.example.be/maritime", "https://www.example.be")},
         expected=[(QREL, Q_URL + 1, "unknown key `lable`; did you mean `label`?")]),
    Case("unknown-key-allowed-list",
         bad={QREL: sub(QUARTIER, "links:", "colour: red\nlinks:")},
         expected=[(QREL, Q_URL - 1, "unknown key `colour`; allowed keys: history, id, name, aliases, commune, wave")]),
    Case("unknown-language-in-aliases",
         bad={QREL: sub(QUARTIER, "  nl: [Zeewijk]", "  de: [Seeviertel]")},
         good={QREL: sub(QUARTIER, "  nl: [Zeewijk]\n", "")},  # a language may have no alias
         expected=[(QREL, Q_ALIASES_NL, "unknown key `de`")]),
    Case("old-figure-year",
         bad={PREL: sub(PROJECT, "    date: 2024", "    year: 2024")},
         good={PREL: sub(PROJECT, "    date: 2024", "    date: 2024-06-30")},
         expected=[(PREL, P_FIGURE, "missing required key `figures.0.date`"),  # no close match: two lines
                   (PREL, P_FIGURE_DATE, "unknown key `year`; allowed keys: value, label, date")]),
    # --- missing keys ----------------------------------------------------------------------
    Case("missing-key",
         bad={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean\n", "")},
         expected=[(QREL, 2, "missing required key `commune`")]),
    Case("missing-history",
         bad={QREL: re.sub(r"history:\n(    .*\n|  - .*\n)+", "", QUARTIER)},
         expected=[(QREL, 2, "missing required key `history`")]),
    Case("missing-nested-key",
         bad={QREL: sub(QUARTIER, "  - date: 2023-09\n    status: in-progress\n", "  - status: in-progress\n")},
         expected=[(QREL, Q_H0, "missing required key `history.0.date`")]),
    Case("missing-translation",
         bad={QREL: sub(QUARTIER, "  nl: Maritiem\n", "")},
         expected=[(QREL, Q_NAME, "missing required key `name.nl`")]),
    Case("referent-without-listed-date",
         bad={"content/referents.yml": sub(MINI_FILES["content/referents.yml"], ", listed: 2025-11-25}\n  - {name: Camille", "}\n  - {name: Camille")},
         expected=[("content/referents.yml", 2, "missing required key `referents.0.listed`")]),
    # --- wrong types -----------------------------------------------------------------------
    Case("wrong-type-mapping",
         bad={QREL: sub(QUARTIER, "name:\n  fr: Maritime\n  nl: Maritiem\n", "name: Maritime\n")},
         good={QREL: sub(QUARTIER, "name:\n  fr: Maritime\n  nl: Maritiem\n", "name: {fr: Maritime, nl: Maritiem}\n")},
         expected=[(QREL, Q_NAME, "`name`: Input should be a valid dictionary")]),
    Case("aliases-not-per-language",
         bad={QREL: sub(QUARTIER, "aliases:\n  fr: [Quartier Maritime]\n  nl: [Zeewijk]\n", "aliases: [Quartier Maritime]\n")},
         good={QREL: sub(QUARTIER, "aliases:\n  fr: [Quartier Maritime]\n  nl: [Zeewijk]\n", "aliases: {fr: [], nl: []}\n")},
         expected=[(QREL, Q_ALIASES, "`aliases`: Input should be a valid dictionary")]),
    Case("aliases-language-not-a-list",
         bad={QREL: sub(QUARTIER, "  nl: [Zeewijk]", "  nl: Zeewijk")},
         expected=[(QREL, Q_ALIASES_NL, "`aliases.nl`: Input should be a valid list")]),
    Case("carrier-in-one-language",
         bad={PREL: sub(PROJECT, "carrier:\n  fr: Consortium Social-Santé du Bas de Forest\n  nl: Consortium Welzijn-Gezondheid van Laag-Vorst\n",
                        "carrier: Consortium Social-Santé du Bas de Forest\n")},
         expected=[(PREL, P_CARRIER, "`carrier`: Input should be a valid dictionary")]),
    Case("carrier-without-dutch",
         bad={PREL: sub(PROJECT, "  nl: Consortium Welzijn-Gezondheid van Laag-Vorst\n", "")},
         expected=[(PREL, P_CARRIER, "missing required key `carrier.nl`")]),
    Case("partner-in-one-language",
         bad={PREL: sub(PROJECT, "  - {fr: CPAS de Forest, nl: OCMW Vorst}", "  - CPAS de Forest")},
         good={PREL: sub(PROJECT, "  - {fr: CPAS de Forest, nl: OCMW Vorst}\n", "")},
         expected=[(PREL, P_PARTNER1, "`partners.1`: Input should be a valid dictionary")]),
    Case("partner-without-dutch",
         bad={PREL: sub(PROJECT, "  - {fr: CPAS de Forest, nl: OCMW Vorst}", "  - {fr: CPAS de Forest}")},
         expected=[(PREL, P_PARTNER1, "missing required key `partners.1.nl`")]),
    Case("empty-text",
         bad={QREL: sub(QUARTIER, "  fr: Maritime", '  fr: "  "')},
         expected=[(QREL, Q_NAME + 1, "`name.fr`: must not be empty")]),
    Case("history-empty",
         bad={QREL: re.sub(r"history:\n(    .*\n|  - .*\n)+", "history: []\n", QUARTIER)},
         expected=[(QREL, Q_HISTORY, "`history`: List should have at least 1 item")]),
    # --- TODO values (what `clss new` writes): one line per unfilled fact ---------------------
    Case("todo-values",
         bad={QREL: sub(sub(sub(QUARTIER, "commune: molenbeek-saint-jean", "commune: TODO"), "  nl: Maritiem", "  nl: TODO"),
                        "    status: in-progress", "    status: TODO")},
         expected=[(QREL, Q_NAME + 2, "`name.nl` is not filled in yet: replace TODO with the text in Dutch"),
                   (QREL, Q_COMMUNE, "`commune` is not filled in yet: replace TODO with the id of a commune"),
                   (QREL, Q_H0_STATUS, "`history.0.status` is not filled in yet: replace TODO with in-progress")]),
    Case("todo-in-list",
         bad={PREL: sub(PROJECT, "  - logement", "  - TODO")},
         expected=[(PREL, P_THEME2, "`themes.1` is not filled in yet: replace TODO with ids from content/themes.yml")]),
    # --- closed sets -------------------------------------------------------------------------
    Case("unknown-wave",
         bad={QREL: sub(QUARTIER, 'wave: "2.0"', 'wave: "3.0"')},
         good={QREL: sub(QUARTIER, 'wave: "2.0"', "wave: 2.0")},
         expected=[(QREL, Q_WAVE, "unknown wave `3.0`; use one of 1.0, 2.0 (content/waves.yml)")]),
    Case("wave-wrong-form",
         bad={QREL: sub(QUARTIER, 'wave: "2.0"', "wave: deux")},
         expected=[(QREL, Q_WAVE, "`wave`: 'deux' has the wrong form")]),
    Case("history-status-closed-set",
         bad={QREL: sub(QUARTIER, "status: stopped", "status: finished")},
         good={QREL: sub(QUARTIER, "status: stopped", "status: in-progress")},
         expected=[(QREL, Q_H1_STATUS, "`history.1.status`: 'finished' is not allowed")]),
    Case("project-status-closed-set",
         bad={PREL: sub(PROJECT, "status: stopped", "status: done")},
         good={PREL: sub(PROJECT, "status: stopped", "status: completed")},
         expected=[(PREL, P_H0 + 1, "`history.1.status`: 'done' is not allowed")]),
    Case("project-status-not-launched-is-a-quartier-status",
         bad={PREL: sub(PROJECT, "status: stopped", "status: not-launched")},
         expected=[(PREL, P_H0 + 1, "`history.1.status`: 'not-launched' is not allowed")]),
    Case("theme-closed-set",
         bad={PREL: sub(PROJECT, "  - logement", "  - logemen")},
         good={PREL: sub(PROJECT, "  - logement", "  - isolement")},
         expected=[(PREL, P_THEME2, "unknown theme `logemen` (did you mean `logement`?)")]),
    # --- histories ---------------------------------------------------------------------------
    Case("history-out-of-date-order",
         bad={QREL: sub(sub(QUARTIER, "date: 2023-09", "date: XX"), "date: 2025-11-25", "date: 2023-09").replace("date: XX", "date: 2025-11-25")},
         good={QREL: sub(QUARTIER, "date: 2025-11-25", "date: 2023-09-30")},  # same month, later day
         expected=[(QREL, Q_H1, "history is not in date order; list the observations oldest first")]),
    Case("history-unknown-source",
         bad={QREL: sub(QUARTIER, "source: rapport-test", "source: rapport-tset")},
         expected=[(QREL, Q_H0, "unknown source `rapport-tset` (did you mean `rapport-test`?)")]),
    Case("project-history-unknown-source",
         bad={PREL: sub(PROJECT, "{date: 2022, status: in-progress, source: rapport-test}", "{date: 2022, status: in-progress, source: brochure}")},
         good={PREL: sub(PROJECT, "{date: 2022, status: in-progress, source: rapport-test}", "{date: 2022, status: in-progress}")},
         expected=[(PREL, P_H0, "unknown source `brochure`")]),
    Case("launch-before-wave-start",
         bad={QREL: sub(QUARTIER, "date: 2023-09", "date: 2022-09")},
         good={QREL: sub(QUARTIER, "date: 2023-09", "date: 2023-01-01")},
         expected=[(QREL, Q_H0, "launched in 2022, before wave 2.0 started (2023); check the date or the wave")]),
    Case("launch-before-wave-after-earlier-observation",
         bad={QREL: sub(sub(QUARTIER, "date: 2023-09", "date: 2020"), "    status: in-progress", "    status: not-launched").replace(
             "  - date: 2025-11-25\n    status: stopped", "  - date: 2021-06\n    status: in-progress\n    source: rapport-test\n  - date: 2025-11-25\n    status: stopped")},
         expected=[(QREL, Q_H1, "launched in 2021, before wave 2.0 started (2023)")]),
    Case("status-without-launch",
         bad={QREL: sub(QUARTIER, "    status: in-progress", "    status: stopped")},
         good={QREL: sub(sub(QUARTIER, "    status: in-progress", "    status: not-launched"), "status: stopped", "status: not-launched")},
         expected=[(QREL, Q_HISTORY, "status `stopped` but no `in-progress` observation (the launch)")]),
    # --- ids ----------------------------------------------------------------------------------
    Case("invalid-slug-id",
         bad={QREL: sub(QUARTIER, "name:", "id: Maritime_2\nname:")},
         good={QREL: sub(QUARTIER, "name:", "id: maritime\nname:")},
         expected=[(QREL, 2, "`id`: 'Maritime_2' has the wrong form")]),
    Case("id-not-file-name",
         bad={QREL: sub(QUARTIER, "name:", "id: maritime-2\nname:")},
         expected=[(QREL, 2, "`id: maritime-2` must match the file name `maritime`")]),
    Case("file-name-not-a-slug",
         bad={"content/quartiers/Maritime_2.yml": QUARTIER},
         good={"content/quartiers/maritime-2.yml": QUARTIER.replace("Maritime", "Maritime 2").replace("Maritiem", "Maritiem 2").replace("Zeewijk", "Zeewijk 2"),
               "content/fr/quartiers/maritime-2.md": "# Maritime 2\n"},
         expected=[("content/quartiers/Maritime_2.yml", 1, "file name `Maritime_2.yml` is not a valid id")]),
    # --- YAML structure ----------------------------------------------------------------------
    Case("duplicate-yaml-key",
         bad={QREL: sub(QUARTIER, 'wave: "2.0"\n', 'wave: "2.0"\nwave: "1.0"\n')},
         expected=[(QREL, Q_WAVE + 1, f"duplicate key `wave` (first at line {Q_WAVE})")]),
    Case("yaml-syntax-error",
         bad={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean", "commune: molenbeek: saint-jean")},
         expected=[(QREL, Q_COMMUNE, "YAML syntax error: mapping values are not allowed in this context")]),
    Case("yaml-unclosed-flow",
         bad={QREL: sub(QUARTIER, "  nl: [Zeewijk]", "  nl: [Zeewijk")},
         expected=[(QREL, Q_ALIASES_NL + 1, "YAML syntax error: did not find expected ',' or ']'")]),
    Case("yaml-tab-indent",
         bad={QREL: sub(QUARTIER, "  nl: Maritiem", "\tnl: Maritiem")},
         expected=[(QREL, Q_NAME + 2, "YAML syntax error: found a tab character that violates indentation")]),
    Case("non-utf8-yaml",
         bad={QREL: sub(QUARTIER, "fr: Maritime", "fr: Maritimé").encode("latin-1")},
         good={QREL: sub(QUARTIER, "fr: Maritime", "fr: Maritimé").encode("utf-8")},
         expected=[(QREL, Q_NAME + 1, "not valid UTF-8")]),
    Case("non-utf8-markdown",
         bad={FRREL: fr("Qualité de vie.").encode("cp1252")},
         good={FRREL: fr("Qualité de vie.").encode("utf-8")},
         expected=[(FRREL, FR_NEXT, "not valid UTF-8")]),
    Case("empty-file",
         bad={QREL: ""},
         expected=[(QREL, 1, "the file is empty")]),
    Case("comments-only-file",
         bad={QREL: "# nothing yet\n"},
         expected=[(QREL, 1, "the file is empty")]),
    Case("top-level-list",
         bad={QREL: "- name: Maritime\n- commune: molenbeek-saint-jean\n"},
         expected=[(QREL, 1, "expected a mapping of keys (`key: value`) at the top of the file, found list")]),
    Case("top-level-scalar",
         bad={QREL: "Maritime\n"},
         expected=[(QREL, 1, "expected a mapping of keys (`key: value`) at the top of the file, found str")]),
    Case("yaml-extension",
         bad={"content/quartiers/extra.yaml": QUARTIER},
         expected=[("content/quartiers/extra.yaml", 1, "use the extension `.yml`")]),
    # --- references between files ----------------------------------------------------------
    Case("project-unknown-quartier",
         bad={PREL: sub(PROJECT, "quartier: bas-de-forest", "quartier: bas-de-forrest")},
         good={PREL: sub(PROJECT, "quartier: bas-de-forest", "quartier: maritime")},
         expected=[(PREL, P_QUARTIER, "unknown quartier `bas-de-forrest` (did you mean `bas-de-forest`?)")]),
    Case("unknown-commune",
         bad={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean", "commune: molenbeek")},
         good={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean", "commune: koekelberg")},
         expected=[(QREL, Q_COMMUNE, "unknown commune `molenbeek`")]),
    Case("quartier-without-french-text",
         bad={FRREL: None, NLREL: None},
         expected=[(QREL, 1, "no French text for this quartier: create content/fr/quartiers/maritime.md")]),
    Case("alias-used-by-another-quartier",
         bad={QREL: sub(QUARTIER, "  nl: [Zeewijk]", "  nl: [Laag-Vorst]")},
         good={QREL: sub(QUARTIER, "  nl: [Zeewijk]", "  nl: [Maritiem]")},  # its own name again: no clash
         expected=[(QREL, Q_ALIASES, "name or alias `Laag-Vorst` is also used by quartier `bas-de-forest`")]),
    # --- sources -------------------------------------------------------------------------------
    Case("source-unknown-publication",
         bad={QREL: QUARTIER + SOURCES.replace("publication: rapport-test", "publication: rapport-tst")},
         good={QREL: QUARTIER + SOURCES},
         expected=[(QREL, Q_SOURCE, "source 1: unknown publication `rapport-tst` (did you mean `rapport-test`?)")]),
    Case("source-unknown-chapter",
         bad={QREL: QUARTIER + SOURCES.replace("chapter: 01-etat", "chapter: 02-etat")},
         expected=[(QREL, Q_SOURCE, "source 1: `02-etat` is not a chapter of `rapport-test` (did you mean `01-etat`?)")]),
    Case("source-unknown-anchor",
         bad={QREL: QUARTIER + SOURCES.replace("anchor: contexte", "anchor: context")},
         good={QREL: QUARTIER + SOURCES.replace("anchor: contexte", "anchor: etat-des-lieux")},
         expected=[(QREL, Q_SOURCE, "source 1: no heading with anchor `context` in rapport-test/01-etat (did you mean `contexte`?)")]),
    Case("source-without-dutch-counterpart",
         bad={QREL: QUARTIER + SOURCES, "content/nl/publications/rapport-test/01-etat.md": "# Stand van zaken\n\nTekst.\n"},
         good={QREL: QUARTIER + SOURCES, "content/nl/publications/rapport-test/01-etat.md": "# Stand van zaken\n\n## Context\n\nTekst.\n"},
         expected=[(BREL, 8, "the NL page of rapport-test/01-etat has 1 headings, the French one 2"),
                   (QREL, Q_SOURCE, "the NL page of rapport-test/01-etat has 1 headings, the French one 2")]),
    # --- values ---------------------------------------------------------------------------------
    Case("url-malformed",
         bad={QREL: sub(QUARTIER, "https://www.example.be/maritime", "htps://www.example.be/maritime")},
         good={QREL: sub(QUARTIER, "https://www.example.be/maritime", "http://example.org:8080/a?b=1#c")},
         expected=[(QREL, Q_URL, "`links.0.url`: `htps://www.example.be/maritime` is not a well-formed http(s) URL")]),
    Case("date-impossible",
         bad={QREL: sub(QUARTIER, "date: 2025-11-25", "date: 2025-02-30")},
         good={QREL: sub(QUARTIER, "date: 2025-11-25", "date: 2024-02-29")},
         expected=[(QREL, Q_H1, "day is out of range for month")]),
    Case("date-wrong-format",
         bad={QREL: sub(QUARTIER, "date: 2025-11-25", "date: 25/11/2025")},
         good={QREL: sub(QUARTIER, "date: 2025-11-25", "date: 2025")},
         expected=[(QREL, Q_H1, "`history.1.date`: ")]),
    Case("year-month-wrong-form",
         bad={PREL: sub(PROJECT, "end: 2025-04", "end: 2025-13")},
         good={PREL: sub(PROJECT, "end: 2025-04", "end: 2025")},
         expected=[(PREL, P_END, "`dates.end`: '2025-13' has the wrong form")]),
    Case("publication-as-of-not-a-date",
         bad={PUBREL: sub(PUBLICATION, "date: 2025", "date: 2025\nas_of: 2025-11"), **PUB_FILES},
         good={PUBREL: sub(PUBLICATION, "date: 2025", "date: 2025\nas_of: 2025-11-25"), **PUB_FILES},
         expected=[(PUBREL, PUB_DATE + 1, "`as_of`: Input should be a valid date")]),
    Case("publication-fallback-not-a-boolean",
         bad={PUBREL: PUBLICATION + "fallback: maybe\n", **PUB_FILES},
         good={PUBREL: PUBLICATION + "fallback: true\n", **PUB_FILES},
         expected=[(PUBREL, 14, "`fallback`: Input should be a valid boolean")]),
    # --- pages and front matter -----------------------------------------------------------------
    Case("nl-page-without-fr-page",
         bad={"content/nl/quartiers/nergens.md": "# Nergens\n\nTekst.\n"},
         good={"content/nl/projects/assap.md": "# ASSAP\n\nTekst.\n"},
         expected=[("content/nl/quartiers/nergens.md", 1, "Dutch page without a French page: content/fr/quartiers/nergens.md does not exist")]),
    Case("front-matter-unknown-key",
         bad={FRREL: sub(FR_PAGE, "title:", "titel:")},
         good={FRREL: sub(FR_PAGE, "title: Maritime", "title: Maritime\ndescription: Fiche du quartier")},
         expected=[(FRREL, 2, "unknown key `titel`; did you mean `title`?")]),
    Case("front-matter-after-byte-order-mark",
         bad={FRREL: "\ufeff" + sub(FR_PAGE, "title:", "titel:")},
         good={FRREL: "\ufeff" + FR_PAGE},
         expected=[(FRREL, 2, "unknown key `titel`; did you mean `title`?")]),
    Case("front-matter-only-no-final-newline",
         bad={FRREL: "---\ntitel: Maritime\n---"},
         good={FRREL: "---\ntitle: Maritime\n---"},
         expected=[(FRREL, 2, "unknown key `titel`; did you mean `title`?")]),
    Case("front-matter-unclosed",
         bad={FRREL: FR_PAGE.replace("---\n\n# Maritime", "\n# Maritime")},
         expected=[(FRREL, 1, "front matter opened with `---` is never closed")]),
    Case("front-matter-bad-stamp",
         bad={FRREL: sub(FR_PAGE, "title: Maritime", "title: Maritime\ntranslation_of: not-a-digest")},
         good={FRREL: sub(FR_PAGE, "title: Maritime", "title: Maritime\ntranslation_of: 0123456789ab")},
         expected=[(FRREL, 3, "`translation_of`: 'not-a-digest' has the wrong form")]),
    Case("front-matter-yaml-error",
         bad={FRREL: sub(FR_PAGE, "title: Maritime", "title: Maritime\ndescription: [x")},
         expected=[(FRREL, 4, "YAML syntax error")]),
    Case("front-matter-not-a-mapping",
         bad={FRREL: sub(FR_PAGE, "title: Maritime", "- Maritime")},
         expected=[(FRREL, 2, "front matter must be `key: value` lines")]),
    Case("front-matter-comment-only",
         bad={"content/nl/quartiers/nergens.md": "---\n# nothing yet\n---\n# Nergens\n"},
         good={FRREL: sub(FR_PAGE, "title: Maritime", "# title: Maritime")},
         expected=[("content/nl/quartiers/nergens.md", 1, "Dutch page without a French page")]),
    # --- Markdown ---------------------------------------------------------------------------------
    Case("broken-internal-link",
         bad={FRREL: fr("Voir [le quartier voisin](../quartiers/maritim.md).")},
         good={FRREL: fr("Voir [le projet](../projects/assap.md) et [Marolles](marolles.md#contexte).")},
         expected=[(FRREL, FR_NEXT, "broken link `../quartiers/maritim.md`: no page `quartiers/maritim.md`")]),
    Case("link-outside-language-folder",
         bad={FRREL: fr("La [version néerlandaise](../../nl/quartiers/maritime.md).")},
         expected=[(FRREL, FR_NEXT, "broken link `../../nl/quartiers/maritime.md`: no page `../nl/quartiers/maritime.md`")]),
    Case("broken-file-link",
         bad={FRREL: fr("Le [rapport](rapport.pdf).")},
         good={FRREL: fr("Le [rapport](rapport.pdf)."), "content/fr/quartiers/rapport.pdf": b"%PDF-1.7\n"},
         expected=[(FRREL, FR_NEXT, "broken link `rapport.pdf`: no such file")]),
    Case("missing-image",
         bad={FRREL: fr("![Plan du quartier](img/plan.png)")},
         good={FRREL: fr("![Plan du quartier](img/plan.png)"), "content/fr/quartiers/img/plan.png": b"\x89PNG\r\n\x1a\n"},
         expected=[(FRREL, FR_NEXT, "image not found: `img/plan.png`")]),
    Case("image-without-alt",
         bad={FRREL: fr("![](img/plan.png)"), "content/fr/quartiers/img/plan.png": b"\x89PNG\r\n\x1a\n"},
         expected=[(FRREL, FR_NEXT, "image `img/plan.png` has no alt text")]),
    Case("url-malformed-markdown",
         bad={FRREL: fr("Voir [le site](https://localhost/page).")},
         good={FRREL: fr("Voir [le site](https://www.example.be/page).")},
         expected=[(FRREL, FR_NEXT, "malformed URL `https://localhost/page`")]),
    Case("unknown-footnote",
         bad={FRREL: fr("Des habitants[^1].")},
         good={FRREL: fr("Des habitants[^1].", "", "[^1]: Voir le premier rapport.")},
         expected=[(FRREL, FR_NEXT, "footnote `[^1]` is called but never defined")]),
    Case("footnote-defined-unused",
         bad={FRREL: fr("Des habitants.", "", "[^2]: Voir le premier rapport.")},
         expected=[(FRREL, FR_NEXT + 2, "footnote `[^2]` is defined but never called in the text")]),
    Case("footnote-defined-twice",
         bad={FRREL: fr("Des habitants[^1].", "", "[^1]: Une note.", "[^1]: Une autre.")},
         expected=[(FRREL, FR_NEXT + 3, f"footnote `[^1]` is defined twice (also line {FR_NEXT + 2})")]),
    Case("unknown-data-insert",
         bad={FRREL: fr("[[insert: timelin]]")},
         good={FRREL: fr("[[insert: timeline]]", "", "[[insert: project assap]]")},
         expected=[(FRREL, FR_NEXT, "unknown data insert `timelin` (did you mean `timeline`?)")]),
    Case("unknown-project-insert",
         bad={FRREL: fr("[[insert: project asap]]")},
         expected=[(FRREL, FR_NEXT, "`[[insert: project asap]]`: unknown project (did you mean `assap`?)")]),
    Case("malformed-data-insert",
         bad={FRREL: fr("[[insert timeline]]")},
         expected=[(FRREL, FR_NEXT, "malformed data insert")]),
    Case("data-insert-in-code-is-text",
         bad={FRREL: fr("```", "[[insert timeline]]", "```", "[[insert timeline]]")},
         good={FRREL: fr("```", "[[insert timeline]]", "[[count quartiers]]", "```")},
         expected=[(FRREL, FR_NEXT + 3, "malformed data insert")]),
    # --- inline counts ------------------------------------------------------------------------------
    Case("count-malformed",
         bad={FRREL: fr("Les [[count quartiers]] quartiers.")},
         good={FRREL: fr("Les [[count: quartiers words]] quartiers, [[count: communes wave=1.0]] communes, "
                         "[[count: projects]] projets. [[count: quartiers wave=2.0 Words]] en vague 2.")},
         expected=[(FRREL, FR_NEXT, "malformed count; write `[[count: quartiers]]`")]),
    Case("count-malformed-beside-a-good-one",
         bad={FRREL: fr("Les [[count: quartiers]] quartiers et [[count communes]] communes.")},
         expected=[(FRREL, FR_NEXT, "malformed count")]),
    Case("count-unclosed",
         bad={FRREL: fr("Les [[count: quartiers quartiers.")},
         expected=[(FRREL, FR_NEXT, "malformed count")]),
    Case("count-unknown-thing",
         bad={FRREL: fr("Les [[count: quartier]] quartiers.")},
         expected=[(FRREL, FR_NEXT, "`[[count: quartier]]`: cannot count `quartier`; count one of communes, projects, quartiers")]),
    Case("count-unknown-option",
         bad={FRREL: fr("Les [[count: quartiers letters]] quartiers.")},
         expected=[(FRREL, FR_NEXT, "`[[count: quartiers letters]]`: unknown option `letters`")]),
    Case("count-unknown-wave",
         bad={FRREL: fr("Les [[count: quartiers wave=3.0]] quartiers.")},
         expected=[(FRREL, FR_NEXT, "`[[count: quartiers wave=3.0]]`: unknown wave `3.0`; use one of 1.0, 2.0")]),
    Case("unknown-citation",
         bad={FRREL: fr("Comme le montre [@zzzunknown1999, p. 3].")},
         good={FRREL: fr("Comme le montre [@BIBKEY, p. 3].")},
         expected=[(FRREL, FR_NEXT, "citation `@zzzunknown1999` is not in content/bibliography.yaml")]),
    Case("glossary-violation-nl",
         bad={NLREL: nl("Het CPAS van Sint-Jans-Molenbeek helpt.")},
         good={NLREL: nl("Het OCMW van Sint-Jans-Molenbeek helpt; de Franse brochure *Le rôle du CPAS* zegt het ook.")},
         expected=[(NLREL, NL_NEXT, "`CPAS` is to be avoided in a Dutch page; the glossary (content/glossary.yml) gives `OCMW`")]),
    Case("glossary-not-applied-to-fr",
         bad={NLREL: nl("", "De referent van het CLSS.")},
         good={FRREL: fr("Le CPAS de Molenbeek-Saint-Jean et le CLSS.")},
         expected=[(NLREL, NL_NEXT + 1, "`CLSS` is to be avoided in a Dutch page")]),
    # --- publications -------------------------------------------------------------------------------
    Case("publication-chapter-without-file",
         bad={PUBREL: PUBLICATION, "content/fr/publications/test-pub/01-un.md": "# Un\n"},
         good={PUBREL: PUBLICATION, "content/fr/publications/test-pub/01-un.md": "# Un\n",
               "content/fr/publications/test-pub/02-deux.md": "# Deux\n"},
         expected=[(PUBREL, PUB_CH2, "chapter `02-deux` has no file content/fr/publications/test-pub/02-deux.md")]),
    Case("publication-chapter-listed-twice",
         bad={PUBREL: sub(PUBLICATION, "  - 02-deux", "  - 01-un"), "content/fr/publications/test-pub/01-un.md": "# Un\n"},
         expected=[(PUBREL, PUB_CH2, "chapter `01-un` listed twice")]),
    Case("publication-count-in-chapter",
         bad={CHREL: chapter("", "[[count: quartiers wave=9.9]]")},
         good={CHREL: chapter("", "[[count: quartiers wave=1.0 words]]")},
         expected=[(CHREL, CH_NEXT + 1, "unknown wave `9.9`")]),
]


def _resolve(root: Path, files: dict) -> dict:
    out = {}
    for rel, data in files.items():
        if isinstance(data, str) and "BIBKEY" in data:
            data = data.replace("BIBKEY", first_bib_key(root))
        out[rel] = data
    return out


def test_templates_are_valid(ws):
    assert errors_of(ws.root) == []


def test_case_ids_are_unique():
    assert len({c.id for c in CASES}) == len(CASES)


def _params(cases):
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(reason=c.bug, strict=True)] if c.bug else []) for c in cases]


@pytest.mark.parametrize("case", _params(CASES))
def test_rule_fails(ws, case):
    ws.apply(_resolve(ws.root, case.bad))
    errors = errors_of(ws.root)
    shown = "\n".join(map(str, errors))
    assert len(errors) == len(case.expected), f"expected {len(case.expected)} problem(s), got:\n{shown}"
    for e, (path, line, fragment) in zip(errors, sorted(case.expected)):
        assert (e.path, e.line) == (path, line), f"wrong place for {fragment!r}:\n{shown}"
        assert fragment in e.message, shown


GOOD = [c for c in CASES if c.good]


@pytest.mark.parametrize("case", GOOD, ids=[c.id for c in GOOD])
def test_rule_passes(ws, case):
    ws.apply(_resolve(ws.root, case.good))
    errors = errors_of(ws.root)
    assert errors == [], "\n".join(map(str, errors))


# --- reference data files: lines computed from the files -----------------------------------------


def test_duplicate_commune_id(ws):
    rel = "content/communes.yml"
    n = ws.append(rel, "  - {id: forest, name: {fr: Forest, nl: Vorst}, cpas: {fr: CPAS de Forest, nl: OCMW Vorst}}\n")
    assert [str(e) for e in errors_of(ws.root)] == [f"{rel}:{n}: duplicate id `forest` in communes"]


def test_new_commune_passes(ws):
    ws.append("content/communes.yml", "  - {id: test-commune, name: {fr: Test, nl: Test}, cpas: {fr: CPAS de Test, nl: OCMW Test}}\n")
    assert errors_of(ws.root) == []


def test_duplicate_theme_id(ws):
    rel = "content/themes.yml"
    n = ws.append(rel, "  - id: logement\n    waves: [\"2.0\"]\n    short: {fr: Logement, nl: Wonen}\n    label: {fr: Logement, nl: Wonen}\n")
    assert [str(e) for e in errors_of(ws.root)] == [f"{rel}:{n}: duplicate id `logement` in themes"]


def test_duplicate_wave_id(ws):
    rel = "content/waves.yml"
    n = ws.append(rel, '  - {id: "2.0", start: 2023}\n')
    assert [str(e) for e in errors_of(ws.root)] == [f"{rel}:{n}: duplicate id `2.0` in waves"]


def test_new_wave_passes_and_is_usable(ws):
    ws.append("content/waves.yml", '  - {id: "3.0", start: 2026}\n')
    ws.apply({QREL: sub(sub(sub(QUARTIER, 'wave: "2.0"', 'wave: "3.0"'), "date: 2023-09", "date: 2026-02"), "date: 2025-11-25", "date: 2026-06-01")})
    assert errors_of(ws.root) == []


def test_wave_start_out_of_range(ws):
    rel = "content/waves.yml"
    n = ws.append(rel, '  - {id: "0.5", start: 1990}\n')
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(rel, n)], errors
    assert "greater than or equal to 2015" in errors[0].message


def test_duplicate_wave_does_not_cascade(ws):
    rel = "content/waves.yml"
    n = ws.append(rel, '  - {id: "2.0", start: 2024}\n')
    assert [str(e) for e in errors_of(ws.root)] == [f"{rel}:{n}: duplicate id `2.0` in waves"]


def test_referent_unknown_quartier(ws):
    rel = "content/referents.yml"
    n = ws.append(rel, '  - {name: Test Referent, wave: "2.0", quartier: maritme, listed: 2025-11-25}\n')
    errors = errors_of(ws.root)
    assert len(errors) == 1, errors
    assert (errors[0].path, errors[0].line) == (rel, n)
    assert "referent `Test Referent`: unknown quartier `maritme` (did you mean `maritime`?)" in errors[0].message


def test_referent_known_quartier_passes(ws):
    ws.append("content/referents.yml", '  - {name: Test Referent, wave: "2.0", quartier: maritime, listed: 2025-11-25}\n')
    assert errors_of(ws.root) == []


def test_referent_unknown_wave(ws):
    rel = "content/referents.yml"
    n = ws.append(rel, '  - {name: Test Referent, wave: "3.0", listed: 2025-11-25}\n')
    errors = errors_of(ws.root)
    assert len(errors) == 1 and (errors[0].path, errors[0].line) == (rel, n), errors
    assert "referent `Test Referent`: unknown wave `3.0`" in errors[0].message


def test_all_errors_reported_at_once(ws):
    """Errors are collected, not raised one by one."""
    ws.apply({
        QREL: sub(QUARTIER, "history:", "histroy:"),
        PREL: sub(PROJECT, "  - logement", "  - logemen"),
        FRREL: fr("Des habitants[^9]."),
    })
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(FRREL, FR_NEXT), (PREL, P_THEME2), (QREL, Q_HISTORY)]


def test_invalid_quartier_does_not_cascade(ws):
    """A quartier file with a typo is reported once, not again by the projects and referents naming it."""
    text = (ws.root / BREL).read_text(encoding="utf-8")
    ws.apply({BREL: re.sub(r"(?m)^history:", "histori:", text)})
    errors = errors_of(ws.root)
    assert len(errors) == 1, errors
    assert errors[0].path == BREL and "did you mean `history`?" in errors[0].message


def test_invalid_publication_does_not_cascade(ws):
    ws.apply({MPUBREL: sub(MINI_PUBLICATION, "as_of: 2025-11-25", "as_of: 2025-11"), PUBREL: PUBLICATION, **PUB_FILES})
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(MPUBREL, 4)], "\n".join(map(str, errors))


def test_scaffolded_quartier_one_line_per_todo(ws):
    """What `clss new quartier` writes: one `path:line:` per unfilled fact, nothing else."""
    rel = "content/quartiers/nouveau.yml"
    text = scaffold.QUARTIER.format(id="nouveau")
    ws.apply({rel: text, "content/fr/quartiers/nouveau.md": scaffold.TEXT.format(what="quartier")})
    todo_lines = [i for i, line in enumerate(text.splitlines(), 1) if re.search(r":\s*TODO\b", line)]
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(rel, n) for n in todo_lines], "\n".join(map(str, errors))
    assert all("is not filled in yet: replace TODO with" in e.message for e in errors)
    assert len(errors) == 7  # name.fr, name.nl, commune, wave, history date, status, source


def test_scaffolded_project_one_line_per_todo(ws):
    rel = "content/projects/nouveau.yml"
    text = scaffold.PROJECT.format(id="nouveau", quartier="maritime")
    ws.apply({rel: text, "content/fr/projects/nouveau.md": scaffold.TEXT.format(what="project")})
    todo_lines = [i for i, line in enumerate(text.splitlines(), 1) if "TODO" in line.split("#")[0]]
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(rel, n) for n in todo_lines], "\n".join(map(str, errors))
    assert all("is not filled in yet" in e.message for e in errors)


def test_scaffolded_publication_one_line_per_todo(ws):
    rel = "content/publications/nouvelle.yml"
    text = scaffold.PUBLICATION.format(id="nouvelle", kind="report", first="introduction", template="report", paper="a4")
    ws.apply({rel: text, "content/fr/publications/nouvelle/00-introduction.md": scaffold.TEXT.format(what="chapter")})
    todo_lines = [i for i, line in enumerate(text.splitlines(), 1) if "TODO" in line.split("#")[0]]
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(rel, n) for n in todo_lines], "\n".join(map(str, errors))
    assert all("is not filled in yet" in e.message for e in errors)


# --- the real content ------------------------------------------------------------------------------


def test_real_content_is_valid(content_copy):
    """The content of the repository passes every rule (the one check on the live content)."""
    content = checks.load_and_check(content_copy / "content")
    assert content.errors == [], "\n".join(map(str, content.errors))


# --- CLI (e2e) ---------------------------------------------------------------------------------------


@pytest.fixture
def base(mini_copy, tmp_path) -> Path:
    return copy_project(mini_copy, tmp_path / "project")


def test_cli_check_ok(base, run_clss):
    code, out, err = run_clss(["check"], base)
    assert code == 0, err
    assert "OK" in out and "Traceback" not in out + err


def test_cli_check_reports_path_line(base, run_clss):
    apply(base, {QREL: sub(QUARTIER, "history:", "histroy:"), FRREL: fr("Qualité.").encode("latin-1")})
    code, out, err = run_clss(["check"], base)
    assert code == 1
    assert "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert lines == [f"{FRREL}:{FR_NEXT}: not valid UTF-8 text (invalid continuation byte); save the file as UTF-8",
                     f"{QREL}:{Q_HISTORY}: unknown key `histroy`; did you mean `history`?"], err


def test_cli_check_missing_content_folder(tmp_path, run_clss):
    code, out, err = run_clss(["check"], tmp_path)
    assert code == 1 and "Traceback" not in out + err
    assert "content folder not found" in err


# --- THE acceptance case of the foundation issue (e2e, on the real content) -------------------------


def test_acceptance_four_problems_four_lines(project, run_clss):
    """Misspelled key, invalid status, unknown quartier, YAML syntax error: exit 1 and exactly
    four `path:line: message` lines on stderr, no traceback."""

    def edit(rel, pattern, repl):
        path = project / rel
        text = path.read_text(encoding="utf-8")
        new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
        assert n == 1, f"{rel}: {pattern!r} not found"
        path.write_text(new, encoding="utf-8")
        return text[: re.search(pattern, text, flags=re.M).start()].count("\n") + 1

    problems = {
        "content/quartiers/maritime.yml": (edit("content/quartiers/maritime.yml", r"^history:", "histroy:"), "unknown key `histroy`; did you mean `history`?"),
        "content/quartiers/karreveld.yml": (edit("content/quartiers/karreveld.yml", r"status: [a-z-]+", "status: finished"), "`history.0.status`: 'finished' is not allowed"),
        "content/projects/l-atelier.yml": (edit("content/projects/l-atelier.yml", r"^quartier:.*$", "quartier: molenbek-historique"), "unknown quartier `molenbek-historique` (did you mean `molenbeek-historique`?)"),
        "content/quartiers/peterbos.yml": (edit("content/quartiers/peterbos.yml", r"^commune:.*$", "commune: [anderlecht"), "YAML syntax error"),
    }
    code, out, err = run_clss(["check"], project)
    assert code == 1
    assert "Traceback" not in out + err
    assert "internal error" not in err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert len(lines) == 4, err
    other = [ln for ln in err.splitlines() if ln.strip() and ln not in lines]
    assert all("problem" in ln for ln in other), other  # only the closing summary
    by_path = {ERROR_LINE.match(ln)["path"]: ERROR_LINE.match(ln) for ln in lines}
    assert set(by_path) == set(problems)
    for path, (line, fragment) in problems.items():
        mt = by_path[path]
        assert fragment in mt["message"], mt.group(0)
        if path != "content/quartiers/peterbos.yml":  # a YAML error may be noticed on the next line
            assert int(mt["line"]) == line, mt.group(0)
        else:
            assert line <= int(mt["line"]) <= line + 1, mt.group(0)
