"""The PDF pool's rules, without processes: which task runs alone (and may then split its pandoc
run over the free core), and what a worker's slots allow."""
from __future__ import annotations

import pytest

from clss.print import pool, slots
from clss.print.jobs import job_for


@pytest.fixture(scope="module")
def content(mini_copy):
    from clss import load

    return load.load(mini_copy / "content")


def test_a_report_runs_alone_only_while_nothing_else_can_start(content):
    report = next(pid for pid, pub in content.publications.items() if pub.kind == "report")
    fr, nl = [job_for(content, report, "fr")], [job_for(content, report, "nl")]
    sheets = [job_for(content, "quartiers", "fr")]
    assert pool._alone(content, fr, [], [nl], workers=2)  # the other report must wait for it anyway
    assert not pool._alone(content, fr, [], [nl, sheets], workers=2)  # the sheets would start beside it
    assert not pool._alone(content, fr, [sheets], [], workers=2)
    assert not pool._alone(content, sheets, [], [], workers=2)  # not a report: other stages' tasks may come
    assert pool._alone(content, sheets, [], [fr], workers=1)  # one worker: always alone


@pytest.mark.parametrize("alone", [True, False])
def test_a_pooled_worker_takes_a_second_core_only_when_alone(alone, monkeypatch):
    monkeypatch.setattr(slots, "cores", lambda: 2)
    monkeypatch.setattr(slots, "_SLOTS", None)
    monkeypatch.setattr(slots, "_POOLED", False)
    slots.pooled(alone)
    with slots.slot(), slots.spare() as two:
        assert two is alone
