"""Worker processes that never outlive the build: what the PDF pool (clss.print.pool) and the
parallel site builds (clss.site.build.build_sites) share.

- `cores()`: how many cores this process may use (the default and maximum number of workers);
- `die_with_parent()` in a worker: Linux kills it when the process that forked it exits, even by
  SIGKILL (PR_SET_PDEATHSIG);
- `mp_context()`: fork while this process has a single thread (fastest, and the workers inherit
  what is loaded), otherwise forkserver;
- `guarded(stop_workers)`: workers (processes of our own, or an executor's: `running(executor)`)
  registered for `shutdown()`, stopped when the block is left by an exception (Ctrl-C, SIGTERM, a
  failure);
- `shutdown()` stops every running pool (safe from a signal handler);
- `sigterm_unwinds()`: while a pool runs in the main thread, SIGTERM raises SystemExit instead of
  killing the build at once, so that its workers and temporary folders are cleaned up.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable

_RUNNING: set = set()
_LOCK = threading.RLock()  # shutdown() may run in a signal handler while the main thread holds it


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def die_with_parent() -> None:
    """Linux: SIGKILL this process when the process that forked it exits (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def single_threaded() -> bool:
    """True while this process has one thread: only then is fork safe (no Typst/rayon threads,
    no progress-bar thread holding a lock the child would inherit)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def fork_context():
    """The fork context when fork is available and safe now, else None."""
    if single_threaded() and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def mp_context():
    """fork when safe (see single_threaded), otherwise forkserver (spawn where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    return fork_context() or multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def stop(procs) -> None:
    """Terminate worker processes (SIGTERM: a worker unwinds and its pandoc child is killed),
    then kill those still alive 5 s later."""
    import time

    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    deadline = time.monotonic() + 5
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1)


def terminate(executor) -> None:
    """Stop an executor's workers now (Python ≥ 3.14 has it public; before, its process table)."""
    if hasattr(executor, "terminate_workers"):
        executor.terminate_workers()
        return
    stop(list((getattr(executor, "_processes", None) or {}).values()))
    executor.shutdown(wait=False, cancel_futures=True)


class _Guard:
    """What stops running workers, registered for `shutdown()`."""

    def __init__(self, stop_workers: Callable[[], None]):
        self.stop_workers = stop_workers


def shutdown() -> None:
    """Stop the workers of every running pool (safe to call from a signal handler)."""
    with _LOCK:
        guards = list(_RUNNING)
    for guard in guards:
        guard.stop_workers()


@contextlib.contextmanager
def guarded(stop_workers: Callable[[], None]):
    """Run the block with `stop_workers` registered for `shutdown()`, and called when the block
    is left by an exception (Ctrl-C, SIGTERM, a failure): no worker outlives it."""
    guard = _Guard(stop_workers)
    with _LOCK:
        _RUNNING.add(guard)
    finished = False
    try:
        with sigterm_unwinds():
            yield
            finished = True
    finally:
        if not finished:
            stop_workers()
        with _LOCK:
            _RUNNING.discard(guard)


@contextlib.contextmanager
def running(executor):
    """Use `executor` in the block: on leaving it normally, wait for its workers; on any
    exception (Ctrl-C included), terminate them first."""
    with guarded(lambda: terminate(executor)):
        yield executor
        executor.shutdown(wait=True)


@contextlib.contextmanager
def sigterm_unwinds():
    """While the block runs in the main thread with the default SIGTERM action, SIGTERM raises
    SystemExit(143) instead of killing this process at once, so that running workers are
    terminated and the caller's cleanup (temporary build folder) runs."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def handler(signum, frame):
        shutdown()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
