"""At most as many pandoc runs and Typst compiles at once as there are cores.

The worker pool runs at most one worker per core, and a worker (`pooled`) one pandoc run or
Typst compile at a time: no semaphore shared between processes, which a killed worker could
leave taken. A worker that runs alone (the report, while the other tasks wait for it) may use
the free core, as a process without a pool does. Without a pool (one PDF, `clss pdf`) pandoc runs (possibly two per publication,
side by side) and Typst compiles each hold one slot of a semaphore of the core count.
"""
from __future__ import annotations

import contextlib
import threading

from ..processes import cores

_SLOTS = None
_POOLED = False  # this process is a worker of the PDF pool


def pooled(alone: bool = False) -> None:
    """In a worker of the PDF pool: one slot (the pool starts at most one worker per core), or,
    for a worker `alone` (no other task can start while it runs), every core, as without a pool."""
    global _SLOTS, _POOLED
    _SLOTS = threading.BoundedSemaphore(cores() if alone else 1)
    _POOLED = not alone


@contextlib.contextmanager
def slot():
    global _SLOTS
    if _SLOTS is None:
        _SLOTS = threading.BoundedSemaphore(cores())
    with _SLOTS:
        yield


@contextlib.contextmanager
def spare():
    """A second slot if one is free right now (yields True), else none (yields False): work
    that could use two cores (a long publication through pandoc in two halves) takes one only
    when no other job needs it — never in a worker of the PDF pool, whose other workers' jobs
    take the cores (and a split report's two pandoc runs add ~80 MiB to the build's peak)."""
    global _SLOTS
    if _POOLED:
        yield False
        return
    if _SLOTS is None:
        _SLOTS = threading.BoundedSemaphore(cores())
    got = _SLOTS.acquire(False)
    try:
        yield got
    finally:
        if got:
            _SLOTS.release()
