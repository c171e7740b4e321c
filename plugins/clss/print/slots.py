"""At most as many pandoc runs and Typst compiles at once as there are cores.

The worker pool gives each worker process the same semaphore (`install`); pandoc runs
(possibly two per publication, side by side) and Typst compiles each hold one slot. Without a
pool (one PDF, `clss pdf`) a process-local semaphore of the same size is used.
"""
from __future__ import annotations

import contextlib
import os
import threading

_SLOTS = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def install(semaphore) -> None:
    global _SLOTS
    _SLOTS = semaphore


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
    when no other job needs it."""
    global _SLOTS
    if _SLOTS is None:
        _SLOTS = threading.BoundedSemaphore(cores())
    got = _SLOTS.acquire(False)
    try:
        yield got
    finally:
        if got:
            _SLOTS.release()
