"""At most as many pandoc runs and Typst compiles at once as there are cores.

The worker pool gives each worker process the same semaphore (`install`); pandoc runs
(possibly two per publication, side by side) and Typst compiles each hold one slot. Without a
pool (one PDF, `clss pdf`) a process-local semaphore of the same size is used.
"""
from __future__ import annotations

import contextlib
import threading

from ..processes import cores

_SLOTS = None
_POOLED = False  # this process is a worker of the PDF pool


def install(semaphore) -> None:
    """In a worker of the PDF pool: the pool's semaphore, shared with the other workers."""
    global _SLOTS, _POOLED
    _SLOTS = semaphore
    _POOLED = True


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
