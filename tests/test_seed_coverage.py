"""The content-fidelity tests: the hand-restructured French sources keep the seeds' text and
structure, and the Dutch report keeps the French one's footnotes. These are the only tests that
look at the live content's numbers (everything else runs on fixtures); the numbers are taken
from the seeds, not written here.

`tools/seed_coverage.py measure()` runs once, on a copy of the project, against the plain-text
seeds in ../shared/seeds beside the repository. Without that folder there is nothing to compare
with, and the tests are skipped.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import seed_coverage as sc  # noqa: E402  (a migration audit kept outside the package)

pytestmark = pytest.mark.xdist_group("test_seed_coverage")  # one worker for the module's builds (make test: pytest-xdist --dist loadgroup)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def result(content_copy) -> dict:
    if not ((SEEDS / sc.REPORT_SEED).is_file() and (SEEDS / sc.BROCHURE_SEED).is_file()):
        pytest.skip(f"seed folder not found: {SEEDS} holds no {sc.REPORT_SEED} / {sc.BROCHURE_SEED} "
                    "(../shared/seeds must sit beside the repository); nothing to compare the sources with")
    return sc.measure(content_copy, seeds=SEEDS)


def _runs(runs: list[dict]) -> str:
    return "\n".join(f"  {r['words']} words at {r['where']}: {r['text']}" for r in runs)


def test_report_keeps_the_seed_text(result):
    r = result["report"]
    assert r["coverage"] >= sc.COVERAGE_GOAL, (
        f"only {r['coverage']:.1%} of the seed's {r['seed_words']} body words are in the FR report "
        f"(goal {sc.COVERAGE_GOAL:.0%}); longest missing runs:\n{_runs(r['missing_runs'])}")
    assert not r["citation_keys_unknown"], f"citation keys not in bibliography.yaml: {r['citation_keys_unknown']}"


def test_every_seed_footnote_is_in_the_fr_report(result):
    fn = result["footnotes"]
    n = fn["seed_numbers"]
    assert n > 0, "no numbered footnote found in the seed: the seed format changed?"
    missing = [f"[^{p['n']}]" for p in fn["per_footnote"] if not (p["fr_definition"] and p["fr_call"])]
    assert fn["fr_found"] == n and not missing, f"FR footnotes {fn['fr_found']}/{n}; missing definition or call: {missing}"


def test_every_fr_footnote_is_in_the_nl_report(result):
    fn = result["footnotes"]
    missing = [f"[^{p['n']}]" for p in fn["per_footnote"] if not (p["nl_definition"] and p["nl_call"])]
    n = fn["seed_numbers"]
    assert fn["nl_found"] == n and not missing, f"NL footnotes {fn['nl_found']}/{n}; missing definition or call: {missing}"
    assert fn["nl_for_each_fr"], f"FR footnotes without an NL one: {fn['fr_without_nl']}"


def test_every_sommaire_entry_is_a_heading(result):
    so = result["sommaire"]
    missing = [f"seed line {x['line']}: {x['entry']}" for x in so["results"] if x["status"] == "missing"]
    assert not missing, "sommaire entries with no heading in the FR report:\n  " + "\n  ".join(missing)


def test_sommaire_entries_mostly_at_their_level(result):
    so = result["sommaire"]
    share = so["at_expected_level"] / so["entries"]
    wrong = [f"{x['where']}: level {x['level']}, expected {x['expected_level']}: {x['heading']}"
             for x in so["results"] if x["status"] == "level"]
    assert share >= sc.LEVEL_GOAL, f"only {share:.0%} of the headings at the expected level:\n  " + "\n  ".join(wrong)


def test_bibliography_matches_the_seed(result):
    bi = result["bibliography"]
    assert bi["seed_entries"] == bi["yaml_entries"], f"{bi['seed_entries']} seed entries, {bi['yaml_entries']} in YAML"
    assert not bi["unmatched_seed"], f"seed entries with no YAML entry: {bi['unmatched_seed']}"
    assert not bi["unmatched_yaml"], f"YAML entries with no seed entry: {bi['unmatched_yaml']}"


def test_nl_report_is_about_as_long_as_the_fr_one(result):
    nf = result["nl_fr"]
    assert nf["ratio"] >= sc.NL_RATIO_GOAL, (
        f"NL/FR word ratio {nf['ratio']:.1%} < {sc.NL_RATIO_GOAL:.0%}; short chapters: {nf['chapters_below_goal']}")


def test_every_quote_has_a_speaker(result):
    q = result["quotes"]
    assert q["quotes"] > 0
    assert not q["violations"], "block quotes with no final « — Speaker » paragraph:\n  " + "\n  ".join(
        f"{v['where']}: {v['start']}" for v in q["violations"])
