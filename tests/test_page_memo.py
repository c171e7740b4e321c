"""clss.page_memo: the preview checks every page on each save and takes the findings of an
unchanged page from its memo. The memo must give what checking again gives: after the page's
text changed, and after a file the page links to appeared or disappeared."""
from __future__ import annotations

from clss import checks, load
from clss.page_memo import PageMemo


def findings(root, memo=None) -> list[str]:
    content = load.load(root / "content")
    checks.run(content, memo=memo)
    return [str(e) for e in content.errors]


def test_memo_gives_what_a_fresh_check_gives(mini):
    page = mini / "content/fr/quartiers/maritime.md"
    text = page.read_text(encoding="utf-8")
    memo = PageMemo()
    assert findings(mini, memo) == findings(mini)

    page.write_text(text + "\n![Plan du quartier](plan.png)\n", encoding="utf-8")
    first = findings(mini, memo)
    assert any("image not found" in e and "plan.png" in e for e in first), first
    assert findings(mini, memo) == first == findings(mini)
    assert len(memo.entries) > 1

    (page.parent / "plan.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # the file the page looked for appears
    assert not any("plan.png" in e for e in findings(mini, memo))
    assert findings(mini, memo) == findings(mini)

    page.write_text(text + "\nUn lien [cassé](nulle-part.md).\n", encoding="utf-8")
    broken = findings(mini, memo)
    assert any("nulle-part.md" in e for e in broken), broken
    assert broken == findings(mini)


def test_memo_sees_a_new_page_set(mini):
    """A link to a page that does not exist yet is reported until that page is created."""
    page = mini / "content/fr/quartiers/maritime.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [la suite](suite.md).\n", encoding="utf-8")
    memo = PageMemo()
    assert any("suite.md" in e for e in findings(mini, memo))
    (page.parent / "suite.md").write_text("# Suite\n\nTexte.\n", encoding="utf-8")
    assert findings(mini, memo) == findings(mini)
    assert not any("broken link" in e and "suite.md" in e for e in findings(mini, memo))
