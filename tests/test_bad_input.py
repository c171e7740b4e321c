"""A corpus of bad (and hostile but valid) input.

Each case edits its own fresh copy of the mini project (conftest.py) and runs every rule
in-process (`checks.load_and_check`), which must never raise. Expected outcome:
- "error": at least one problem, each one `path:line: message` line, the case's file among them;
- "ok":    hostile text that is nevertheless valid content: no problem, and both languages assemble.

A handful of cases also run `clss build` in a subprocess (e2e): it refuses (exit 1) with the same
lines and the closing summary on stderr, no traceback, and leaves the previous build/ untouched.
"""
from __future__ import annotations

import multiprocessing
import re
from dataclasses import dataclass

import pytest

from clss import assemble, checks
from clss.content import ContentError

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


ALIASES_FR = r"^  fr: \[Quartier Maritime\]$"

CASES = [
    # --- YAML syntax --------------------------------------------------------------------------
    Case("yaml-unclosed-quote", {Q: replace(r"^  fr: .*$", '  fr: "Maritime')}),
    Case("yaml-bad-indentation", {Q: replace(r"^    status: in-progress", "   status: in-progress")}),
    Case("yaml-tab-indentation", {Q: replace(r"^  nl: ", "\tnl: ")}),
    Case("yaml-unclosed-flow", {P: replace(r"^  - \{fr: écoles du quartier, nl: wijkscholen\}$", "  - {fr: écoles du quartier, nl: wijkscholen")}),
    Case("yaml-two-documents", {Q: lambda t: t + "---\nname: Autre\n"}),
    Case("yaml-undefined-alias", {Q: replace(ALIASES_FR, "  fr: [*nope]")}),
    Case("yaml-python-tag", {Q: replace(r"^commune: .*$", "commune: !!python/object/apply:os.system [echo pwned]")}),
    Case("yaml-recursive-alias", {Q: replace(ALIASES_FR, "  fr: &a [*a]")}),
    Case("yaml-billion-laughs", {Q: replace(r"^links:$", "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)) + "links:")}),
    Case("yaml-billion-laughs-in-a-field", {Q: replace(ALIASES_FR, "  fr: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"  x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 8)).rstrip("\n"))}),
    Case("yaml-deep-nesting", {Q: replace(ALIASES_FR, "  fr: " + "[" * 2000 + "]" * 2000)}),
    Case("yaml-impossible-date", {Q: replace(r"^  - date: 2023-09$", "  - date: 2025-02-30")}),
    Case("yaml-huge-integer", {Q: replace(r"^wave: .*$", "wave: " + "9" * 5000)}),
    Case("yaml-integer-too-large-for-a-float", {Q: replace(r"^wave: .*$", "wave: " + "9" * 400)}),
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
    Case("schema-unknown-key", {Q: replace(r"^history:", "histoire:")}),
    Case("schema-wrong-type", {Q: replace(r"^wave: .*$", "wave: [2.0]")}),
    Case("schema-unknown-wave", {Q: replace(r"^wave: .*$", 'wave: "3.0"')}),
    Case("schema-closed-set-status", {Q: replace(r"^    status: in-progress", "    status: finished")}),
    Case("schema-closed-set-theme", {P: replace(r"^  - logement$", "  - acces-service")}),
    Case("schema-bad-slug-file-name", {"content/quartiers/Bad_ID.yml": "name: {fr: X, nl: X}\n"}),
    Case("schema-duplicate-commune-id", {"content/communes.yml": append(
        "  - {id: forest, name: {fr: Forest, nl: Vorst}, cpas: {fr: CPAS de Forest, nl: OCMW Vorst}}\n")}),
    Case("schema-dangling-project-quartier", {P: replace(r"^quartier: .*$", "quartier: nulle-part")}),
    Case("schema-dangling-referent-quartier", {"content/referents.yml": append('  - {name: X Y, wave: "2.0", quartier: nulle-part, listed: 2025-11-25}\n')}),
    Case("schema-unknown-commune", {Q: replace(r"^commune: .*$", "commune: paris")}),
    Case("schema-malformed-url", {Q: replace(r"^links:$", "links:\n  - url: javascript:alert(1)\n    label: {fr: x, nl: x}")}),
    Case("schema-carrier-french-only", {P: replace(r"^  nl: Consortium .*\n", "")}),
    Case("schema-history-out-of-order", {Q: replace(r"^  - date: 2025-11-25$", "  - date: 2020-01-01")}),
    Case("schema-todo-value", {Q: replace(r"^commune: .*$", "commune: TODO")}),
    # --- Markdown ----------------------------------------------------------------------------------
    Case("md-broken-internal-link", {FR: append("\nVoir [ailleurs](../quartiers/nulle-part.md).\n")}),
    Case("md-missing-image", {FR: append("\n![Plan du quartier](images/plan.png)\n")}),
    Case("md-unknown-footnote", {FR: append("\nDes habitants[^99].\n")}),
    Case("md-front-matter-unclosed", {"content/fr/quartiers/bas-de-forest.md": lambda t: "---\ntitle: Bas de Forest\n\n" + t}),
    Case("md-front-matter-unknown-key", {FR: front_matter("title: Maritime\nauthor: moi\n")}),
    Case("md-front-matter-comment-only", {"content/nl/quartiers/nergens.md": "---\n# later\n---\n# Nergens\n"}),
    Case("md-non-utf8", {FR: lambda t: (t + "\nQualité.\n").encode("cp1252")}),
    Case("md-long-link-target", {FR: append(f"\nVoir [le plan]({LONG}.pdf).\n")}),
    Case("md-long-image-target", {FR: append(f"\n![Plan]({LONG}.png)\n")}),
    Case("md-dangling-symlink", {"content/fr/quartiers/lien.md": DANGLING_SYMLINK}, where="content/fr/quartiers/lien.md"),
    Case("md-malformed-count", {FR: append("\nLes [[count: quartiers]] et [[count quartiers]].\n")}),
    # --- i18n ------------------------------------------------------------------------------------------
    Case("i18n-nl-without-fr", {"content/nl/quartiers/nergens.md": "# Nergens\n\nTekst.\n"}),
    Case("i18n-glossary-violation", {NL: append("\nHet CPAS helpt de bewoners.\n")}),
    # --- hostile text that is valid content ---------------------------------------------------------
    Case("hostile-html-in-yaml", {Q: replace(r"^  fr: .*$", '  fr: "<script>alert(\'x\')</script><b onmouseover=alert(1)>Maritime</b>"')}, "ok"),
    Case("hostile-markup-in-carrier", {P: replace(r"^  fr: Consortium .*$", '  fr: "Tour & Taxis <b>{{ x }}</b> \\"quoted\\" [[count: quartiers]]"')}, "ok"),
    Case("hostile-html-in-title", {FR: front_matter('title: "<img src=x onerror=alert(1)> Maritime"\n')}, "ok"),
    Case("hostile-html-in-markdown", {FR: append("\n<script>document.cookie</script>\n\n<iframe src=\"https://evil.example.com\"></iframe>\n")}, "ok"),
    Case("hostile-long-name", {Q: replace(r"^  fr: .*$", f"  fr: {LONG}")}, "ok"),
    Case("hostile-long-title", {FR: front_matter(f"title: {LONG}\n")}, "ok"),
    Case("hostile-long-line", {FR: append("\n" + "[" * 1000 + "](" * 1000 + "\n")}, "ok"),
    Case("hostile-very-long-line", {FR: append("\n" + "[" * 5000 + "](" * 5000 + "\n")}, "ok"),
    Case("hostile-rtl-and-zero-width", {Q: replace(r"^  nl: .*$", '  nl: "Mari\u200ftiem\u202e\u200d\u200b\u2066x\u2069"')}, "ok"),
    Case("hostile-emoji-combining", {Q: replace(r"^  fr: .*$", "  fr: Mari\u0301time\u0327 👨‍👩‍👧 🏳️‍🌈"),
                                     FR: front_matter("title: Z\u0351\u0362a\u0350l\u0354g\u0361o 🙂\n")}, "ok"),
    Case("hostile-nul-in-markdown", {FR: append("\nTexte avec un octet nul \x00 ici.\n")}, "ok"),
    Case("hostile-bom-and-crlf", {Q: lambda t: "\ufeff" + t.replace("\n", "\r\n"),
                                  FR: lambda t: "\ufeff" + t.replace("\n", "\r\n")}, "ok"),
]

# known bugs of clss: these cases are expected to fail (xfail, strict: fixing the bug makes them pass)
BUGS: dict[str, str] = {}
# cases that may never finish: checked in a forked process with a time limit
HANGS = {"yaml-billion-laughs", "yaml-billion-laughs-in-a-field"}
TIME_LIMIT = 10

# `clss build` in a subprocess refuses these (e2e): one per kind of failure
BUILD_REFUSALS = ["yaml-python-tag", "schema-unknown-key", "md-non-utf8", "md-dangling-symlink", "schema-todo-value"]


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


def test_case_ids_are_unique():
    assert len({c.id for c in CASES}) == len(CASES)
    assert set(BUILD_REFUSALS) <= {c.id for c in CASES}


def _check_in_child(root, queue):
    queue.put(checks.load_and_check(root / "content").errors)


def _check_with_time_limit(root) -> list[ContentError]:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_check_in_child, args=(root, queue))
    child.start()
    child.join(TIME_LIMIT)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"`clss check` did not finish in {TIME_LIMIT} s")
    assert child.exitcode == 0, f"the check raised (exit code {child.exitcode})"
    return queue.get(timeout=5)


def _params():
    def marks(c):
        out = [pytest.mark.xfail(reason=BUGS[c.id], strict=True)] if c.id in BUGS else []
        return out + ([pytest.mark.e2e] if c.id in HANGS else [])  # slow while they hang: not in the fast tier

    return [pytest.param(c, id=c.id, marks=marks(c)) for c in CASES]


@pytest.mark.parametrize("case", _params())
def test_bad_input(mini_copy, tmp_path, case):
    root = copy_project(mini_copy, tmp_path / "project")
    _apply(root, case.files)
    if case.id in HANGS:
        errors, content = _check_with_time_limit(root), None
    else:
        content = checks.load_and_check(root / "content")  # never raises
        errors = content.errors
    shown = "\n".join(map(str, errors))
    for e in errors:
        assert isinstance(e, ContentError) and e.line >= 1
        assert ERROR_LINE.match(str(e)), f"not one `path:line: message` line: {str(e)!r}"
    if case.expect == "ok":
        assert errors == [], shown
        assert content is not None
        for lang in ("fr", "nl"):  # hostile but valid text also goes through the assembly
            pages = assemble.assemble(content, lang).pages
            assert any(p.path == "quartiers/maritime.md" for p in pages)
        return
    assert errors, "no problem reported"
    where = case.where or next(iter(case.files))
    assert any(e.path == where for e in errors), f"{where} not named:\n{shown}"


# --- `clss build` refuses (e2e) ---------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("case_id", BUILD_REFUSALS)
def test_build_refuses_and_keeps_previous_build(mini_copy, tmp_path, run_clss, case_id):
    case = next(c for c in CASES if c.id == case_id)
    root = copy_project(mini_copy, tmp_path / "project")
    (root / "build" / "site").mkdir(parents=True)
    (root / "build" / "site" / "index.html").write_text("previous build", encoding="utf-8")
    _apply(root, case.files)
    code, out, err = run_clss(["build", "--no-print"], root)
    assert code == 1, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err and "internal error" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    problems = [ln for ln in lines if ERROR_LINE.match(ln)]
    assert problems and lines[: len(problems)] == problems, err
    assert lines[len(problems):] and all("problem" in ln for ln in lines[len(problems):]), err
    where = case.where or next(iter(case.files))
    assert any(ERROR_LINE.match(ln)["path"] == where for ln in problems), f"{where} not named:\n{err}"
    assert sorted(p.relative_to(root).as_posix() for p in (root / "build").rglob("*")) == ["build/site", "build/site/index.html"]
    assert (root / "build/site/index.html").read_text(encoding="utf-8") == "previous build"
