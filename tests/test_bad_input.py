"""A corpus of bad (and hostile but valid) input, each checked with `clss check` in a subprocess.

Each case edits its own fresh copy of the project; the checks run a few at a time (module
fixture `results`) to keep the corpus fast. Expected outcome:
- "error": exit 1, every problem printed as one `path:line: message` line (the case's file among
  them), nothing else on stderr but the closing summary, no traceback, no internal error;
- "ok":    hostile text that is nevertheless valid content: exit 0.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from conftest import ERROR_LINE, copy_project

Q = "content/quartiers/maritime.yml"
P = "content/projects/assap.yml"
FR = "content/fr/quartiers/maritime.md"
NL = "content/nl/quartiers/maritime.md"
LONG = "x" * 10_000
DANGLING_SYMLINK = object()  # a file value: a symbolic link to nowhere


def replace(pattern: str, repl: str):
    """An edit: regex substitution (multi-line mode) that must match."""
    def edit(text: str) -> str:
        new, n = re.subn(pattern, lambda mt: mt.expand(repl) if "\\" in repl else repl, text, count=1, flags=re.M)
        assert n == 1, f"{pattern!r} not found"
        return new
    return edit


def append(extra: str):
    return lambda text: text + extra


def front_matter(fm: str):
    """Replace (or add) the front matter of a page."""
    def edit(text: str) -> str:
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        return f"---\n{fm}---\n" + body
    return edit


@dataclass
class Case:
    id: str
    files: dict
    expect: str = "error"  # or "ok"
    where: str | None = None  # the file that must be named in an error line (default: first edited)


CASES = [
    # --- YAML syntax --------------------------------------------------------------------------
    Case("yaml-unclosed-quote", {Q: replace(r"^  fr: .*$", '  fr: "Maritime')}),
    Case("yaml-bad-indentation", {Q: replace(r"^  observed:", " observed:")}),
    Case("yaml-tab-indentation", {Q: replace(r"^  nl: ", "\tnl: ")}),
    Case("yaml-unclosed-flow", {P: replace(r"^partners: \[(.*)\]$", r"partners: [\1")}),
    Case("yaml-two-documents", {Q: lambda t: t + "---\nname: Autre\n"}),
    Case("yaml-undefined-alias", {Q: replace(r"^aliases: .*$", "aliases: [*nope]")}),
    Case("yaml-python-tag", {Q: replace(r"^commune: .*$", "commune: !!python/object/apply:os.system [echo pwned]")}),
    Case("yaml-recursive-alias", {Q: replace(r"^aliases: .*$", "aliases: &a [*a]")}),
    Case("yaml-billion-laughs", {Q: replace(r"^aliases: .*$", "aliases: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)))}),
    Case("yaml-deep-nesting", {Q: replace(r"^aliases: .*$", "aliases: " + "[" * 2000 + "]" * 2000)}),
    Case("yaml-impossible-date", {Q: replace(r"^  observed: .*$", "  observed: 2025-02-30")}),
    Case("yaml-huge-integer", {Q: replace(r"^launched: .*$", "launched: " + "9" * 5000)}),
    Case("yaml-non-string-keys", {Q: append("1: one\n~: nothing\n? [a, b]\n: list key\n")}),
    Case("yaml-nul-byte", {Q: replace(r"^  fr: .*$", "  fr: Mari\x00time")}),
    Case("yaml-newline-in-key", {Q: append('"sta\\ntus\\u2028x": 1\n')}),
    Case("yaml-non-utf8", {Q: lambda t: t.replace("name:", "nom\xe9:").encode("latin-1")}),
    Case("yaml-empty-file", {Q: ""}),
    Case("yaml-top-level-list", {Q: "- Maritime\n- molenbeek-saint-jean\n"}),
    Case("yaml-bibliography-odd-entries", {"content/bibliography.yaml": append(
        "- id: odd2020\n  type: [book]\n  title: T\n- id: {x: 1}\n- just text\n")}),
    # --- schema ------------------------------------------------------------------------------------
    Case("schema-missing-key", {Q: replace(r"^commune: .*\n", "")}),
    Case("schema-unknown-key", {Q: replace(r"^status:", "statut:")}),
    Case("schema-wrong-type", {Q: replace(r"^launched: .*$", "launched: soon")}),
    Case("schema-closed-set-wave", {Q: replace(r"^wave: .*$", 'wave: "3.0"')}),
    Case("schema-closed-set-status", {Q: replace(r"^  value: .*$", "  value: finished")}),
    Case("schema-closed-set-theme", {P: replace(r"^themes: .*$", "themes: [acces-service]")}),
    Case("schema-bad-slug-file-name", {"content/quartiers/Bad_ID.yml": "name: {fr: X, nl: X}\n"}),
    Case("schema-duplicate-commune-id", {"content/communes.yml": append(
        "  - {id: forest, name: {fr: Forest, nl: Vorst}, cpas: {fr: CPAS de Forest, nl: OCMW Vorst}}\n")}),
    Case("schema-dangling-project-quartier", {P: replace(r"^quartier: .*$", "quartier: nulle-part")}),
    Case("schema-dangling-referent-quartier", {"content/referents.yml": append('  - {name: X Y, wave: "2.0", quartier: nulle-part}\n')}),
    Case("schema-unknown-commune", {Q: replace(r"^commune: .*$", "commune: paris")}),
    Case("schema-malformed-url", {Q: replace(r"^links: .*$", "links:\n  - url: javascript:alert(1)\n    label: {fr: x, nl: x}")}),
    # --- Markdown ----------------------------------------------------------------------------------
    Case("md-broken-internal-link", {FR: append("\nVoir [ailleurs](../quartiers/nulle-part.md).\n")}),
    Case("md-missing-image", {FR: append("\n![Plan du quartier](images/plan.png)\n")}),
    Case("md-unknown-footnote", {FR: append("\nDes habitants[^99].\n")}),
    Case("md-front-matter-unclosed", {FR: lambda t: "---\ntitle: Maritime\n\n" + t}),
    Case("md-front-matter-unknown-key", {FR: front_matter("title: Maritime\nauthor: moi\n")}),
    Case("md-front-matter-comment-only", {"content/nl/quartiers/nergens.md": "---\n# later\n---\n# Nergens\n"}),
    Case("md-non-utf8", {FR: lambda t: (t + "\nQualité.\n").encode("cp1252")}),
    Case("md-long-link-target", {FR: append(f"\nVoir [le plan]({LONG}.pdf).\n")}),
    Case("md-long-image-target", {FR: append(f"\n![Plan]({LONG}.png)\n")}),
    Case("md-dangling-symlink", {"content/fr/quartiers/lien.md": DANGLING_SYMLINK}, where="content/fr/quartiers/lien.md"),
    # --- i18n ------------------------------------------------------------------------------------------
    Case("i18n-nl-without-fr", {"content/nl/quartiers/nergens.md": "# Nergens\n\nTekst.\n"}),
    Case("i18n-glossary-violation", {NL: append("\nHet CPAS helpt de bewoners.\n")}),
    # --- hostile text that is valid content ---------------------------------------------------------
    Case("hostile-html-in-yaml", {Q: replace(r"^  fr: .*$", '  fr: "<script>alert(\'x\')</script><b onmouseover=alert(1)>Maritime</b>"')}, "ok"),
    Case("hostile-html-in-title", {FR: front_matter('title: "<img src=x onerror=alert(1)> Maritime"\n')}, "ok"),
    Case("hostile-html-in-markdown", {FR: append("\n<script>document.cookie</script>\n\n<iframe src=\"https://evil.example.com\"></iframe>\n")}, "ok"),
    Case("hostile-long-name", {Q: replace(r"^  fr: .*$", f"  fr: {LONG}")}, "ok"),
    Case("hostile-long-title", {FR: front_matter(f"title: {LONG}\n")}, "ok"),
    Case("hostile-long-line", {FR: append("\n" + "[" * 5000 + "](" * 5000 + "\n")}, "ok"),
    Case("hostile-rtl-and-zero-width", {Q: replace(r"^  nl: .*$", '  nl: "Mari\u200ftiem\u202e\u200d\u200b\u2066x\u2069"')}, "ok"),
    Case("hostile-emoji-combining", {Q: replace(r"^  fr: .*$", "  fr: Mari\u0301time\u0327 👨‍👩‍👧 🏳️‍🌈"),
                                     FR: front_matter("title: Z\u0351\u0362a\u0350l\u0354g\u0361o 🙂\n")}, "ok"),
    Case("hostile-nul-in-markdown", {FR: append("\nTexte avec un octet nul \x00 ici.\n")}, "ok"),
    Case("hostile-bom-and-crlf", {Q: lambda t: "\ufeff" + t.replace("\n", "\r\n"),
                                  FR: lambda t: "\ufeff" + t.replace("\n", "\r\n")}, "ok"),
]


def _apply(root, files):
    for rel, edit in files.items():
        path = root / rel
        if edit is DANGLING_SYMLINK:
            path.symlink_to(root / "content" / "does-not-exist.md")
            continue
        if callable(edit):
            edit = edit(path.read_text(encoding="utf-8"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(edit, bytes):
            path.write_bytes(edit)
        else:
            path.write_text(edit, encoding="utf-8", newline="")


def test_corpus_is_large_enough():
    assert len({c.id for c in CASES}) == len(CASES) >= 30


@pytest.fixture(scope="module")
def results(request, content_copy, tmp_path_factory, run_clss) -> dict:
    """Run `clss check` for every selected case, a few at a time (each on its own copy)."""
    wanted = {item.callspec.params["case"].id for item in request.session.items
              if item.originalname == "test_bad_input" and hasattr(item, "callspec")}
    cases = [c for c in CASES if c.id in wanted]

    def run(case: Case):
        root = tmp_path_factory.mktemp(case.id[:40]) / "project"
        copy_project(content_copy, root)
        # a previous good build, to check that a failed build leaves it untouched
        (root / "build" / "site").mkdir(parents=True)
        (root / "build" / "site" / "index.html").write_text("previous build", encoding="utf-8")
        _apply(root, case.files)
        checked = run_clss(["check"], root)
        built = run_clss(["build", "--no-print"], root) if case.expect != "ok" else None
        intact = sorted(p.relative_to(root).as_posix() for p in (root / "build").rglob("*")) == ["build/site", "build/site/index.html"] \
            and (root / "build/site/index.html").read_text(encoding="utf-8") == "previous build"
        return case.id, (*checked, built, intact)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(run, cases))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(results, case):
    code, out, err, built, intact = results[case.id]
    assert "Traceback" not in out + err
    if built is not None:  # `clss build` on the same bad input: refused, previous build/ intact
        assert built[0] == 1 and "Traceback" not in built[1] + built[2], built
        assert intact, "the previous build/ was touched by a failed build"
    assert "internal error" not in err, err
    if case.expect == "ok":
        assert code == 0, err
        return
    assert code == 1, f"exit {code}\n{err}"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    problems = [ln for ln in lines if ERROR_LINE.match(ln)]
    assert problems, err
    # nothing but `path:line: message` lines and the closing summary
    assert lines[len(problems):] and all("problem" in ln for ln in lines[len(problems):]), err
    assert lines[: len(problems)] == problems, err
    where = case.where or next(iter(case.files))
    assert any(ERROR_LINE.match(ln)["path"] == where for ln in problems), f"{where} not named:\n{err}"
