"""`clss` speaks the editor's language: French, Dutch or English (clss.messages, clss.cli_language).

In-process: the CLI through click's CliRunner and `clss.cli.main` on the mini project; the
catalogs (locales/{fr,nl}/LC_MESSAGES/cli.po) against what pybabel extracts from the code.
"""
from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner

from clss import cli as cli_module
from clss import messages
from clss.cli_language import localize
from clss.messages import UI, msg, msg_n

from conftest import ERROR_LINE, ROOT

LOCALES = ROOT / "plugins" / "clss" / "locales"
NO_LOCALE = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)(?:\.\d+)?[sdf]")


@pytest.mark.parametrize(("option", "env", "expected"), [
    (None, {"LANG": "fr_BE.UTF-8"}, "fr"),
    (None, {"LANG": "nl_BE.UTF-8"}, "nl"),
    (None, {"LANG": "C"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LANG": "de_DE.UTF-8"}, "en"),
    (None, {}, "en"),
    (None, {"LANGUAGE": "nl:fr", "LANG": "fr_BE.UTF-8"}, "nl"),
    (None, {"LC_ALL": "nl_BE.UTF-8", "LANG": "fr_BE.UTF-8"}, "nl"),
    (None, {"LC_MESSAGES": "fr_FR@euro", "LANG": "nl_BE.UTF-8"}, "fr"),
    ("nl", {"LANG": "fr_BE.UTF-8"}, "nl"),
    ("en", {"LANG": "fr_BE.UTF-8"}, "en"),
])
def test_ui_language_from_option_or_locale(option, env, expected):
    assert messages.ui_language(option, env) == expected


def _break(mini: Path) -> None:
    """A misspelt key in a quartier and a broken link plus an undefined footnote in its page."""
    q = mini / "content" / "quartiers" / "maritime.yml"
    q.write_text(q.read_text(encoding="utf-8") + "statut: in-progress\n", encoding="utf-8")
    page = mini / "content" / "fr" / "quartiers" / "maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [la fiche](nulle-part.md)[^zz].\n", encoding="utf-8")


def _check(mini: Path, lang_env: dict, args=("check",)):
    env = {**NO_LOCALE, "CLSS_ROOT": str(mini), **lang_env}
    return CliRunner().invoke(cli_module.cli, list(args), env=env)


def _problems(stderr: str) -> list[tuple[str, str, str]]:
    return [m.group("path", "line", "message") for m in map(ERROR_LINE.match, stderr.splitlines()) if m]


def test_check_reports_the_same_problems_in_english_french_and_dutch(mini):
    _break(mini)
    runs = {lang: _check(mini, env) for lang, env in
            (("en", {"LANG": "C"}), ("fr", {"LANG": "fr_BE.UTF-8"}), ("nl", {"LANG": "nl_BE.UTF-8"}))}
    for result in runs.values():
        assert result.exit_code == 1, result.output
    found = {lang: _problems(r.stderr) for lang, r in runs.items()}
    where = {lang: [(p, n) for p, n, _ in rows] for lang, rows in found.items()}
    assert where["en"] and where["en"] == where["fr"] == where["nl"]  # same files, same lines
    text = {lang: "\n".join(m for _, _, m in rows) for lang, rows in found.items()}
    assert "unknown key `statut`; allowed keys: history, id" in text["en"]
    assert "clé `statut` inconnue\u00a0; clés permises\u00a0: history, id" in text["fr"]  # French no-break spaces
    assert "onbekende sleutel `statut`; toegestane sleutels: history, id" in text["nl"]
    assert "broken link `nulle-part.md`" in text["en"]
    assert "lien cassé `nulle-part.md`" in text["fr"]
    assert "verbroken link `nulle-part.md`" in text["nl"]
    assert "la note `[^zz]` est appelée mais jamais définie" in text["fr"]
    assert "naar voetnoot `[^zz]` wordt verwezen" in text["nl"]
    n = len(found["en"])
    assert f"{n} problems; fix them and run clss check again" in runs["en"].stderr
    assert f"{n} problèmes\u00a0; corrigez-les et relancez clss check" in runs["fr"].stderr
    assert f"{n} problemen; los ze op en voer clss check opnieuw uit" in runs["nl"].stderr


def test_ui_lang_option_overrides_the_locale(mini):
    _break(mini)
    result = _check(mini, {"LANG": "fr_BE.UTF-8"}, ("--ui-lang", "nl", "check"))
    assert result.exit_code == 1
    assert "onbekende sleutel `statut`" in result.stderr and "inconnue" not in result.stderr


def test_valid_content_summary_in_dutch(mini):
    result = _check(mini, {"LANG": "nl_BE.UTF-8"})
    assert result.exit_code == 0, result.output
    assert re.search(r"OK: \d+ wijken, \d+ projecten?, \d+ publicaties?, \d+ pagina’s\.", result.stdout)


@pytest.fixture
def run_main(monkeypatch, capsys):
    """`clss.cli.main(argv)` with a locale; returns (exit code, stdout). The command objects and
    the SIGTERM handler are put back as they were."""
    previous = signal.getsignal(signal.SIGTERM)

    def run(argv, env):
        for name, value in {**NO_LOCALE, **env}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        with pytest.raises(SystemExit) as exit_:
            cli_module.main(argv)
        return exit_.value.code, capsys.readouterr().out

    yield run
    localize(cli_module.cli, UI.of(messages.ENGLISH))
    signal.signal(signal.SIGTERM, previous)


def test_help_in_french_and_dutch(run_main):
    code, fr = run_main(["--help"], {"LANG": "fr_BE.UTF-8"})
    assert code == 0
    assert "Chaîne de publication bilingue FR/NL" in fr
    assert "Usage\u00a0:" in fr and "Commandes\u00a0:" in fr and "Options\u00a0:" in fr and "Affiche ce message et quitte." in fr
    assert "Vérifie tout le contenu" in fr  # a command's short help
    code, nl = run_main(["check", "--help"], {"LANG": "nl_BE.UTF-8"})
    assert code == 0
    assert "Gebruik: clss check" in nl and "Controleert alle inhoud" in nl and "Weigert ook wat niet gepubliceerd" in nl
    code, en = run_main(["--help"], {"LANG": "C"})
    assert code == 0
    assert "Bilingual FR/NL publishing pipeline" in en and "Show this message and exit." in en
    code, nl = run_main(["--ui-lang", "nl", "pdf", "--help"], {"LANG": "fr_BE.UTF-8"})
    assert "Papierformaat" in nl and "[standaard: fr]" in nl


def test_messages_render_with_parameters_and_plurals():
    fr, nl = UI.of("fr"), UI.of("nl")
    one = msg_n("[red]%(n)d problem[/red] in %(file)s; nothing was imported.",
                "[red]%(n)d problems[/red] in %(file)s; nothing was imported.", 1, file="x.xlf")
    two = msg_n("[red]%(n)d problem[/red] in %(file)s; nothing was imported.",
                "[red]%(n)d problems[/red] in %(file)s; nothing was imported.", 2, file="x.xlf")
    assert str(two) == "[red]2 problems[/red] in x.xlf; nothing was imported."
    assert fr(one) == "[red]1 problème[/red] dans x.xlf\u00a0; rien n’a été importé."
    assert nl(two) == "[red]2 problemen[/red] in x.xlf; er is niets geïmporteerd."
    # decimals as each language writes them
    done = msg("PDFs done in %(seconds).1f s", seconds=12.34)
    assert (str(done), fr(done), nl(done)) == ("PDFs done in 12.3 s", "PDF terminés en 12,3 s", "pdf’s klaar in 12,3 s")
    # a nested message (the "did you mean" part) is translated too
    unknown = msg("unknown theme `%(id)s`%(close)s; the closed set is in content/themes.yml",
                  id="santee", close=msg(" (did you mean `%(id)s`?)", id="sante"))
    assert fr(unknown) == "thème `santee` inconnu (vouliez-vous dire `sante`\u00a0?)\u00a0; la liste des thèmes est dans content/themes.yml"
    # Python escapes quoted from the content are named in the editor's language
    bad = msg("`%(key)s`: %(value)s is not allowed; expected one of %(expected)s", key="status", value=repr("stopped\xa0"), expected="…")
    error = type("Problem", (), {"path": "content/x.yml", "line": 3, "message": str(bad), "msg": bad})()
    assert nl.problem(error) == "content/x.yml:3: `status`: 'stopped[harde spatie]' is niet toegestaan; verwacht: …"


def _catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / f"{messages.DOMAIN}.po").open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_catalog_complete_and_placeholders_kept(lang):
    catalog = _catalog(lang)
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), f"{lang}: no translation for {m.id!r}"
        assert not m.fuzzy, f"{lang}: fuzzy translation for {m.id!r}"
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set(PLACEHOLDER_RE.findall(ids[-1])) - ({"n"} if len(ids) > 1 else set())
        for s in strings:
            assert wanted <= set(PLACEHOLDER_RE.findall(s)) <= set(PLACEHOLDER_RE.findall(" ".join(ids))), (lang, m.id, s)


def test_catalogs_hold_exactly_what_the_code_says():
    """What pybabel extracts with babel.cfg (msg, msg_n, M_, the click help texts) is what both
    catalogs translate: no message without a translation, none left over."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    extracted = {m[2] for m in extract_from_dir(str(ROOT / "plugins" / "clss"), method_map, options_map,
                                                keywords={"msg": None, "msg_n": (1, 2), "M_": None})}
    for lang in ("fr", "nl"):
        in_catalog = {m.id for m in _catalog(lang) if m.id}
        assert not extracted - in_catalog, f"{lang}: not in cli.po: {sorted(map(str, extracted - in_catalog))[:5]}"
        assert not in_catalog - extracted, f"{lang}: obsolete in cli.po: {sorted(map(str, in_catalog - extracted))[:5]}"
