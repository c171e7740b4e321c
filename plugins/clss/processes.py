"""Worker processes that never outlive the build: what the PDF pool (clss.print.pool) and the
parallel site builds (clss.site.build.build_sites) share.

- `cores()`: how many cores this process may use (the default and maximum number of workers);
- `die_with_parent()` in a worker: Linux kills it when the process that forked it exits, even by
  SIGKILL (PR_SET_PDEATHSIG);
- `mp_context()`: fork while this process has a single thread (fastest, and the workers inherit
  what is loaded), otherwise forkserver;
- `running(executor)`: an executor registered for `shutdown()`, terminated when the block is left
  by an exception (Ctrl-C, SIGTERM, a failure), waited for when it ends normally;
- `shutdown()` terminates every running executor (safe from a signal handler);
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

_RUNNING: set = set()
_LOCK = threading.Lock()


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


def terminate(executor) -> None:
    """Stop an executor's workers now (Python ≥ 3.14 has it public; before, its process table)."""
    if hasattr(executor, "terminate_workers"):
        executor.terminate_workers()
        return
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.join(5)
            if proc.is_alive():
                proc.kill()
    executor.shutdown(wait=False, cancel_futures=True)


class _Running:
    """An executor registered for `shutdown()`."""

    def __init__(self, executor):
        self.executor = executor

    def terminate(self) -> None:
        terminate(self.executor)


def shutdown() -> None:
    """Terminate the workers of every running executor (safe to call from a signal handler)."""
    with _LOCK:
        running = list(_RUNNING)
    for handle in running:
        handle.terminate()


@contextlib.contextmanager
def running(executor):
    """Use `executor` in the block: on leaving it normally, wait for its workers; on any
    exception (Ctrl-C included), terminate them first."""
    handle = _Running(executor)
    with _LOCK:
        _RUNNING.add(handle)
    finished = False
    try:
        with sigterm_unwinds():
            yield executor
            executor.shutdown(wait=True)
            finished = True
    finally:
        if not finished:
            terminate(executor)
        with _LOCK:
            _RUNNING.discard(handle)


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
