"""Every validation rule of `clss check`, each with a passing and a failing case.

The loader runs in-process (`load.load`) on a copy of the project in which a few files are
replaced by the small templates below, so that line numbers are known exactly. Each failing
case asserts the exact `path:line:` and a distinctive part of the message, and that no other
problem is reported (one line per problem, no cascade).
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from clss import load

from conftest import ERROR_LINE, copy_project

QREL = "content/quartiers/maritime.yml"
PREL = "content/projects/assap.yml"
FRREL = "content/fr/quartiers/maritime.md"
NLREL = "content/nl/quartiers/maritime.md"
PUBREL = "content/publications/test-pub.yml"

QUARTIER = """\
# Facts of the quartier Maritime (test template).
name:
  fr: Maritime
  nl: Maritiem
aliases: []
commune: molenbeek-saint-jean
wave: "2.0"
launched: null
status:
  value: not-launched
  observed: 2025-11-25
links:
  - url: https://www.example.be/maritime
    label: {fr: Site, nl: Website}
"""
# line numbers in QUARTIER
Q_NAME, Q_ALIASES, Q_COMMUNE, Q_WAVE, Q_LAUNCHED, Q_STATUS, Q_VALUE, Q_OBSERVED, Q_URL = 2, 5, 6, 7, 8, 9, 10, 11, 13

PROJECT = """\
# Facts of the project ASSAP (test template).
quartier: bas-de-forest
title:
  fr: Équipe mobile
  nl: Mobiel team
carrier: Consortium Social-Santé
partners: [écoles, associations]
themes:
  - acces-services
  - logement
dates:
  start: 2022
  end: 2025-04
status: stopped
"""
P_QUARTIER, P_THEME2, P_END, P_STATUS = 2, 10, 13, 14

FR_PAGE = """\
---
title: Maritime
---

# Maritime

Texte du quartier.
"""
FR_NEXT = 8  # line of the first line appended to FR_PAGE

NL_PAGE = """\
# Maritiem

Maritiem is een wijk van Sint-Jans-Molenbeek.
"""
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
PUB_CH2 = 11


def sub(text: str, old: str, new: str) -> str:
    assert old in text, f"template does not contain {old!r}"
    return text.replace(old, new, 1)


def errors_of(root: Path) -> list[load.ContentError]:
    content = load.load(root / "content")
    for e in content.errors:
        assert isinstance(e, load.ContentError)
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
def scratch(content_copy, tmp_path_factory) -> Path:
    """One copy for the in-process rule tests, with the templates in place (valid).
    Each test's edits are undone after it (see `base`), which is cheaper than a copy per test."""
    root = copy_project(content_copy, tmp_path_factory.mktemp("validation") / "project")
    apply(root, {QREL: QUARTIER, PREL: PROJECT, FRREL: FR_PAGE, NLREL: NL_PAGE})
    return root


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


@pytest.fixture
def base(content_copy, tmp_path) -> Path:
    """A fresh project copy with the templates in place (for the CLI tests)."""
    root = copy_project(content_copy, tmp_path / "project")
    apply(root, {QREL: QUARTIER, PREL: PROJECT, FRREL: FR_PAGE, NLREL: NL_PAGE})
    return root


def first_bib_key(root: Path) -> str:
    data = yaml.safe_load((root / "content" / "bibliography.yaml").read_text(encoding="utf-8"))
    return data["references"][0]["id"]


@dataclass
class Case:
    id: str
    bad: dict
    expected: list  # [(path, line, fragment)]
    good: dict = field(default_factory=dict)


def fr(*lines: str) -> str:
    return FR_PAGE + "".join(line + "\n" for line in lines)


def nl(*lines: str) -> str:
    return NL_PAGE + "".join(line + "\n" for line in lines)


CASES = [
    # --- unknown keys --------------------------------------------------------------------
    Case("unknown-key-did-you-mean",
         bad={QREL: sub(QUARTIER, "status:", "statut:")},
         expected=[(QREL, Q_STATUS, "unknown key `statut`; did you mean `status`?")]),
    Case("unknown-nested-key-did-you-mean",
         bad={QREL: sub(QUARTIER, "  observed:", "  observd:")},
         expected=[(QREL, Q_OBSERVED, "unknown key `observd`; did you mean `observed`?")]),
    Case("unknown-key-in-list-item",
         bad={QREL: sub(QUARTIER, "    label:", "    lable:")},
         good={QREL: sub(QUARTIER, "https://www.example.be/maritime", "https://www.example.be")},
         expected=[(QREL, Q_URL + 1, "unknown key `lable`; did you mean `label`?")]),
    Case("unknown-key-allowed-list",
         bad={QREL: sub(QUARTIER, "aliases: []", "colour: red")},
         good={QREL: sub(QUARTIER, "aliases: []", "aliases: [Quartier Maritime]")},
         expected=[(QREL, Q_ALIASES, "unknown key `colour`; allowed keys: id, name, aliases")]),
    # --- missing keys ----------------------------------------------------------------------
    Case("missing-key",
         bad={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean\n", "")},
         expected=[(QREL, 2, "missing required key `commune`")]),
    Case("missing-nested-key",
         bad={QREL: sub(QUARTIER, "  observed: 2025-11-25\n", "")},
         good={QREL: sub(QUARTIER, "  observed: 2025-11-25\n", "  observed: 2025-11-25\n  source: brochure\n")},
         expected=[(QREL, Q_STATUS, "missing required key `status.observed`")]),
    Case("missing-translation",
         bad={QREL: sub(QUARTIER, "  nl: Maritiem\n", "")},
         expected=[(QREL, Q_NAME, "missing required key `name.nl`")]),
    # --- wrong types -----------------------------------------------------------------------
    Case("wrong-type-int",
         bad={QREL: sub(QUARTIER, "launched: null", "launched: soon")},
         good={QREL: sub(sub(QUARTIER, "launched: null", "launched: 2024"), "value: not-launched", "value: in-progress")},
         expected=[(QREL, Q_LAUNCHED, "`launched`: Input should be a valid integer")]),
    Case("wrong-type-mapping",
         bad={QREL: sub(QUARTIER, "name:\n  fr: Maritime\n  nl: Maritiem\n", "name: Maritime\n")},
         good={QREL: sub(QUARTIER, "name:\n  fr: Maritime\n  nl: Maritiem\n", "name: {fr: Maritime, nl: Maritiem}\n")},
         expected=[(QREL, Q_NAME, "`name`: Input should be a valid dictionary")]),
    Case("wrong-type-list",
         bad={QREL: sub(QUARTIER, "aliases: []", "aliases: Maritiem")},
         expected=[(QREL, Q_ALIASES, "`aliases`: Input should be a valid list")]),
    Case("empty-text",
         bad={QREL: sub(QUARTIER, "  fr: Maritime", '  fr: "  "')},
         expected=[(QREL, Q_NAME + 1, "`name.fr`: must not be empty")]),
    # --- closed sets -------------------------------------------------------------------------
    Case("wave-closed-set",
         bad={QREL: sub(QUARTIER, 'wave: "2.0"', 'wave: "3.0"')},
         good={QREL: sub(QUARTIER, 'wave: "2.0"', "wave: 2.0")},
         expected=[(QREL, Q_WAVE, "`wave`: '3.0' is not allowed; expected one of '1.0' or '2.0'")]),
    Case("status-value-closed-set",
         bad={QREL: sub(QUARTIER, "value: not-launched", "value: finished")},
         good={QREL: sub(sub(QUARTIER, "value: not-launched", "value: stopped"), "launched: null", "launched: 2023")},
         expected=[(QREL, Q_VALUE, "`status.value`: 'finished' is not allowed")]),
    Case("project-status-closed-set",
         bad={PREL: sub(PROJECT, "status: stopped", "status: done")},
         good={PREL: sub(PROJECT, "status: stopped", "status: completed")},
         expected=[(PREL, P_STATUS, "`status`: 'done' is not allowed")]),
    Case("theme-closed-set",
         bad={PREL: sub(PROJECT, "  - logement", "  - logemen")},
         good={PREL: sub(PROJECT, "  - logement", "  - isolement")},
         expected=[(PREL, P_THEME2, "unknown theme `logemen` (did you mean `logement`?)")]),
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
         good={"content/quartiers/maritime-2.yml": QUARTIER.replace("Maritime", "Maritime 2").replace("Maritiem", "Maritiem 2"),
               "content/fr/quartiers/maritime-2.md": "# Maritime 2\n"},
         expected=[("content/quartiers/Maritime_2.yml", 2, "`id`: 'Maritime_2' has the wrong form")]),
    # --- YAML structure ----------------------------------------------------------------------
    Case("duplicate-yaml-key",
         bad={QREL: sub(QUARTIER, 'wave: "2.0"\n', 'wave: "2.0"\nwave: "1.0"\n')},
         expected=[(QREL, Q_WAVE + 1, f"duplicate key `wave` (first at line {Q_WAVE})")]),
    Case("yaml-syntax-error",
         bad={QREL: sub(QUARTIER, "commune: molenbeek-saint-jean", "commune: molenbeek: saint-jean")},
         expected=[(QREL, Q_COMMUNE, "YAML syntax error: mapping values are not allowed here")]),
    Case("yaml-unclosed-flow",
         bad={QREL: sub(QUARTIER, "aliases: []", "aliases: [Maritiem")},
         expected=[(QREL, Q_ALIASES + 1, "YAML syntax error: expected ',' or ']'")]),
    Case("yaml-tab-indent",
         bad={QREL: sub(QUARTIER, "  nl: Maritiem", "\tnl: Maritiem")},
         expected=[(QREL, Q_NAME + 2, "YAML syntax error: found character '\\t' that cannot start any token")]),
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
    # --- values ---------------------------------------------------------------------------------
    Case("url-malformed",
         bad={QREL: sub(QUARTIER, "https://www.example.be/maritime", "htps://www.example.be/maritime")},
         good={QREL: sub(QUARTIER, "https://www.example.be/maritime", "http://example.org:8080/a?b=1#c")},
         expected=[(QREL, Q_URL, "`links.0.url`: `htps://www.example.be/maritime` is not a well-formed http(s) URL")]),
    Case("date-impossible",
         bad={QREL: sub(QUARTIER, "observed: 2025-11-25", "observed: 2025-02-30")},
         good={QREL: sub(QUARTIER, "observed: 2025-11-25", "observed: 2024-02-29")},
         expected=[(QREL, Q_OBSERVED, "day is out of range for month")]),
    Case("date-wrong-format",
         bad={QREL: sub(QUARTIER, "observed: 2025-11-25", "observed: 25/11/2025")},
         expected=[(QREL, Q_OBSERVED, "`status.observed`: Input should be a valid date")]),
    Case("year-month-wrong-form",
         bad={PREL: sub(PROJECT, "end: 2025-04", "end: 2025-13")},
         good={PREL: sub(PROJECT, "end: 2025-04", "end: 2025")},
         expected=[(PREL, P_END, "`dates.end`: '2025-13' has the wrong form")]),
    Case("launched-out-of-range",
         bad={QREL: sub(sub(QUARTIER, "launched: null", "launched: 2010"), "value: not-launched", "value: in-progress")},
         expected=[(QREL, Q_LAUNCHED, "`launched`: Input should be greater than or equal to 2015")]),
    # --- launched vs wave / status ----------------------------------------------------------------
    Case("launched-missing-for-status",
         bad={QREL: sub(QUARTIER, "value: not-launched", "value: in-progress")},
         good={QREL: sub(sub(QUARTIER, "value: not-launched", "value: in-progress"), "launched: null", "launched: 2024")},
         expected=[(QREL, Q_LAUNCHED, "`launched` is empty but the status is `in-progress`; give the launch year")]),
    Case("launched-but-not-launched",
         bad={QREL: sub(QUARTIER, "launched: null", "launched: 2024")},
         expected=[(QREL, Q_LAUNCHED, "a quartier with status `not-launched` cannot have a launch year")]),
    Case("launched-wave-mismatch",
         bad={QREL: sub(sub(sub(QUARTIER, 'wave: "2.0"', 'wave: "1.0"'), "launched: null", "launched: 2024"), "value: not-launched", "value: in-progress")},
         good={QREL: sub(sub(sub(QUARTIER, 'wave: "2.0"', 'wave: "1.0"'), "launched: null", "launched: 2021"), "value: not-launched", "value: in-progress")},
         expected=[(QREL, Q_LAUNCHED, "launch year 2024 does not fit wave 1.0")]),
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
         expected=[(FRREL, FR_NEXT + 3, "footnote `[^1]` is defined twice (also line 10)")]),
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
    Case("unknown-citation",
         bad={FRREL: fr("Comme le montre [@zzzunknown1999, p. 3].")},
         good={FRREL: fr("Comme le montre [@BIBKEY, p. 3].")},
         expected=[(FRREL, FR_NEXT, "citation `@zzzunknown1999` is not in content/bibliography.yaml")]),
    Case("glossary-violation-nl",
         bad={NLREL: nl("Het CPAS van Sint-Jans-Molenbeek helpt.")},
         good={NLREL: nl("Het OCMW van Sint-Jans-Molenbeek helpt; de Franse brochure *Le rôle du CPAS* zegt het ook.")},
         expected=[(NLREL, NL_NEXT, "French term `CPAS` in a Dutch page; the glossary (content/glossary.yml) gives `OCMW`")]),
    Case("glossary-not-applied-to-fr",
         bad={NLREL: nl("", "De referent van het CLSS.")},
         good={FRREL: fr("Le CPAS de Molenbeek-Saint-Jean et le CLSS.")},
         expected=[(NLREL, NL_NEXT + 1, "French term `CLSS` in a Dutch page")]),
    # --- publications -------------------------------------------------------------------------------
    Case("publication-chapter-without-file",
         bad={PUBREL: PUBLICATION, "content/fr/publications/test-pub/01-un.md": "# Un\n"},
         good={PUBREL: PUBLICATION, "content/fr/publications/test-pub/01-un.md": "# Un\n",
               "content/fr/publications/test-pub/02-deux.md": "# Deux\n"},
         expected=[(PUBREL, PUB_CH2, "chapter `02-deux` has no file content/fr/publications/test-pub/02-deux.md")]),
    Case("publication-chapter-listed-twice",
         bad={PUBREL: sub(PUBLICATION, "  - 02-deux", "  - 01-un"), "content/fr/publications/test-pub/01-un.md": "# Un\n"},
         expected=[(PUBREL, PUB_CH2, "chapter `01-un` listed twice")]),
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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
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


# --- reference data files: lines computed from the real files -----------------------------------


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


def test_referent_unknown_quartier(ws):
    rel = "content/referents.yml"
    n = ws.append(rel, '  - {name: Test Referent, wave: "2.0", quartier: maritme}\n')
    errors = errors_of(ws.root)
    assert len(errors) == 1, errors
    assert (errors[0].path, errors[0].line) == (rel, n)
    assert "referent `Test Referent`: unknown quartier `maritme` (did you mean `maritime`?)" in errors[0].message


def test_referent_known_quartier_passes(ws):
    ws.append("content/referents.yml", '  - {name: Test Referent, wave: "2.0", quartier: maritime}\n')
    assert errors_of(ws.root) == []


def test_referent_wave_closed_set(ws):
    rel = "content/referents.yml"
    n = ws.append(rel, '  - {name: Test Referent, wave: "3.0"}\n')
    errors = errors_of(ws.root)
    assert len(errors) == 1 and (errors[0].path, errors[0].line) == (rel, n), errors
    assert "'3.0' is not allowed" in errors[0].message


def test_all_errors_reported_at_once(ws):
    """Errors are collected, not raised one by one."""
    ws.apply({
        QREL: sub(QUARTIER, "status:", "statut:"),
        PREL: sub(PROJECT, "  - logement", "  - logemen"),
        FRREL: fr("Des habitants[^9]."),
    })
    errors = errors_of(ws.root)
    assert [(e.path, e.line) for e in errors] == [(FRREL, FR_NEXT), (PREL, P_THEME2), (QREL, Q_STATUS)]


def test_invalid_quartier_does_not_cascade(ws):
    """A quartier file with a typo is reported once, not again by the projects naming it."""
    rel = "content/quartiers/bas-de-forest.yml"
    text = (ws.root / rel).read_text(encoding="utf-8")
    ws.apply({rel: re.sub(r"(?m)^status:", "statut:", text)})
    errors = errors_of(ws.root)
    assert len(errors) == 1, errors
    assert errors[0].path == rel and "did you mean `status`?" in errors[0].message


# --- CLI -------------------------------------------------------------------------------------------


def test_cli_check_ok(content_copy, run_clss):
    code, out, err = run_clss(["check"], content_copy)
    assert code == 0, err
    assert "OK" in out and "Traceback" not in out + err


def test_cli_check_reports_path_line(base, run_clss):
    apply(base, {QREL: sub(QUARTIER, "status:", "statut:")})
    code, out, err = run_clss(["check"], base)
    assert code == 1
    assert "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ERROR_LINE.match(ln)]
    assert lines == [f"{QREL}:{Q_STATUS}: unknown key `statut`; did you mean `status`?"]


def test_cli_check_non_utf8(base, run_clss):
    apply(base, {FRREL: fr("Qualité.").encode("latin-1")})
    code, out, err = run_clss(["check"], base)
    assert code == 1 and "Traceback" not in out + err
    assert any(ln.startswith(f"{FRREL}:{FR_NEXT}: not valid UTF-8") for ln in err.splitlines()), err


def test_cli_check_missing_content_folder(tmp_path, run_clss):
    code, out, err = run_clss(["check"], tmp_path)
    assert code == 1 and "Traceback" not in out + err
    assert "content folder not found" in err


# --- THE acceptance case of the foundation issue --------------------------------------------------


def test_acceptance_four_problems_four_lines(project, run_clss):
    """Misspelled key, invalid status, unknown quartier, YAML syntax error: exit 1 and exactly
    four `path:line: message` lines on stderr, no traceback; the unmodified copy exits 0."""
    code, out, err = run_clss(["check"], project)
    assert code == 0, err

    def edit(rel, pattern, repl):
        path = project / rel
        text = path.read_text(encoding="utf-8")
        new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
        assert n == 1, f"{rel}: {pattern!r} not found"
        path.write_text(new, encoding="utf-8")
        return text[: re.search(pattern, text, flags=re.M).start()].count("\n") + 1

    problems = {
        "content/quartiers/maritime.yml": (edit("content/quartiers/maritime.yml", r"^status:", "statut:"), "unknown key `statut`; did you mean `status`?"),
        "content/quartiers/karreveld.yml": (edit("content/quartiers/karreveld.yml", r"^(\s+value:)\s*\S+", r"\1 finished"), "`status.value`: 'finished' is not allowed"),
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
