"""clss.cache (the one content-addressed cache), its Jinja bytecode store, and the theme listing
of clss.site.theme_files: entries come back only intact; a damaged entry is refused, deleted and
made again; a disabled cache writes nothing."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from clss import cache


def entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def flip(path: Path, at: int = -3) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_round_trip_and_key_sensitivity(tmp_path):
    c = cache.Cache(tmp_path)
    k = cache.key("a", "b")
    assert c.get("kind", k) is None
    c.put("kind", k, b"value")
    assert c.get("kind", k) == b"value"
    assert cache.key("a", "b") == k and cache.key("ab", "") != k and cache.key("a", "c") != k
    assert c.get("other-kind", k) is None


def test_flipped_byte_is_refused_and_deleted(tmp_path):
    c = cache.Cache(tmp_path)
    k = cache.key("x")
    c.put("kind", k, b"some bytes of an output")
    (path,) = entries(tmp_path)
    flip(path)
    assert c.get("kind", k) is None
    assert not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a cache entry at all")
    assert c.get("kind", k) is None


def test_disabled_cache_reads_and_writes_nothing(tmp_path):
    c = cache.Cache(None)
    c.put("kind", "k", b"v")
    c.put_tree("tree", "k", {"a": b"1"})
    assert c.get("kind", "k") is None and c.get_tree("tree", "k") is None
    assert not c.enabled
    assert cache.folder(tmp_path, enabled=False) is None
    assert cache.folder(tmp_path) == tmp_path / ".cache" / "clss"


def test_tree_round_trip_and_a_damaged_file(tmp_path):
    c = cache.Cache(tmp_path)
    files = {"index.js": b"js", "sub/fragment.pf": b"\x00\x01binary", "same.txt": b"js"}
    c.put_tree("tree", "k", files)
    assert c.get_tree("tree", "k") == files
    victim = next(p for p in entries(tmp_path / "tree-files"))
    flip(victim, 20)
    assert c.get_tree("tree", "k") is None


def _env(c: cache.Cache, source: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({"t.html": source}), bytecode_cache=cache.JinjaBytecode(c))


def test_jinja_templates_compile_once_and_damaged_bytecode_is_compiled_again(tmp_path, monkeypatch):
    c = cache.Cache(tmp_path)
    assert _env(c, "Hello {{ name }}!").get_template("t.html").render(name="Anneessens") == "Hello Anneessens!"
    assert entries(tmp_path / "jinja")
    compiled = []
    real = jinja2.Environment.compile

    def counting(self, *args, **kwargs):
        compiled.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert _env(c, "Hello {{ name }}!").get_template("t.html").render(name="Marolles") == "Hello Marolles!"
    assert compiled == []  # from the cache
    for p in entries(tmp_path / "jinja"):
        flip(p, len(p.read_bytes()) // 2)
    assert _env(c, "Hello {{ name }}!").get_template("t.html").render(name="Cureghem") == "Hello Cureghem!"
    assert compiled == [1]  # refused, compiled again
    assert _env(c, "Bye {{ name }}").get_template("t.html").render(name="x") == "Bye x"  # an edited template


def test_theme_listing_gives_mkdocs_the_same_static_files():
    """The short listing (no walk through Material's `.icons/`) adds exactly the files MkDocs'
    own listing adds, from the same folders."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from clss.site import theme_files
    from conftest import ROOT

    cfg = load_config(str(ROOT / "mkdocs.yml"))
    before = Files([])
    before.add_files_from_theme(cfg.theme.get_env(), cfg)
    theme_files.install(cfg.theme)
    after = Files([])
    after.add_files_from_theme(cfg.theme.get_env(), cfg)
    assert len(before) > 10
    assert [(f.src_uri, f.abs_src_path) for f in before] == [(f.src_uri, f.abs_src_path) for f in after]
    env = cfg.theme.get_env()
    assert env.get_template("main.html") is not None  # templates are still found by name
    assert env.loader.get_source(env, ".icons/material/home.svg")[0].startswith("<svg")


@pytest.mark.parametrize("text", ["« Bonjour » : oui ; non !", "`code ; ici` et texte : là"])
def test_memoised_typography_gives_the_same_text(text):
    from clss import typography

    first = typography.french(text)
    assert typography.french(text) == first
    assert typography.french.__wrapped__(text) == first


def test_checks_of_unchanged_content_come_from_the_cache(mini, tmp_path, monkeypatch):
    """The same files: the same findings, without checking again; a changed file: checked again."""
    from clss import checks

    page = mini / "content/fr/quartiers/maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [ailleurs](nulle-part.md).\n", encoding="utf-8")
    folder = tmp_path / "cache"
    first, _ = checks.load_checked(mini / "content", folder)
    assert any("nulle-part.md" in str(e) for e in first.errors)

    def no_rules(content, index, memo=None):
        raise AssertionError("checked again")

    monkeypatch.setattr(checks, "_rules", no_rules)
    again, _ = checks.load_checked(mini / "content", folder)
    assert [str(e) for e in again.errors] == [str(e) for e in first.errors]
    assert [e.msg for e in again.errors] == [e.msg for e in first.errors]  # still renderable in FR/NL

    page.write_text(page.read_text(encoding="utf-8").replace("nulle-part.md", "marolles.md"), encoding="utf-8")
    with pytest.raises(AssertionError, match="checked again"):
        checks.load_checked(mini / "content", folder)
    monkeypatch.undo()
    fixed, _ = checks.load_checked(mini / "content", folder)
    assert not any("nulle-part.md" in str(e) for e in fixed.errors)
    assert checks.load_checked(mini / "content", None)[0].errors == fixed.errors  # no cache: the same findings
