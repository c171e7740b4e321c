"""Worker processes that never outlive the build: what the PDF pool (clss.print.pool), the
parallel site builds (clss.site.build.build_sites) and the web fonts (clss.site.fonts) share.

- `cores()`: how many cores this process may use; `workers(asked, work)`: how many workers;
- `die_with_parent()` in a worker: Linux kills it when the process that forked it exits, even by
  SIGKILL (PR_SET_PDEATHSIG);
- `mp_context()`: fork while this process has a single thread (fastest, and the workers inherit
  what is loaded), otherwise forkserver;
- `in_child()`: a worker's first steps (signals, standard streams); `Forked(ctx, call)`: one call
  in a forked child, its answer or exception handed back;
- `guarded(stop_workers)`: workers registered for `shutdown()`, stopped when the block is left by
  an exception (Ctrl-C, SIGTERM, a failure);
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

_RUNNING: set[Callable[[], None]] = set()  # what stops the workers of each running pool
_LOCK = threading.RLock()  # shutdown() may run in a signal handler while the main thread holds it


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers(asked: int | None, work: int) -> int:
    """How many worker processes for `work` pieces of work: `asked` (0 or None: as many as there
    are cores), never more than the cores nor the work, at least one."""
    return max(1, min(asked or cores(), cores(), work))


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


def in_child() -> None:
    """What a worker process does first: die with its parent, leave Ctrl-C to the parent (which
    stops it), unwind on SIGTERM (so that subprocess.run kills a running pandoc), and write to
    the real standard streams, not to a progress display it inherited."""
    die_with_parent()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


class Forked:
    """`call()` run in a process forked now (the child sees this process's objects as they are);
    `result()` gives what it returned, or raises what it raised. `proc`: the child process."""

    def __init__(self, ctx, call: Callable[[], object]):
        reader, writer = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_forked, args=(call, writer), daemon=True)
        self.reader = reader
        self.proc.start()
        writer.close()  # the child's end: when the child is gone, the reader sees the end

    def result(self):
        """The call's answer; its exception raised again; ChildProcessError when the child ended
        without an answer (killed, out of memory)."""
        try:
            status, value = self.reader.recv()
        except (EOFError, OSError) as exc:
            raise ChildProcessError(f"exit code {self.proc.exitcode}") from exc
        finally:
            self.reader.close()
            self.proc.join()
        if status == "failed":
            raise value
        return value


def _forked(call: Callable[[], object], writer) -> None:
    in_child()
    try:
        answer = ("ok", call())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        answer = ("failed", exc)
    try:
        writer.send(answer)
    except Exception as exc:  # noqa: BLE001 - an answer that cannot be pickled
        writer.send(("failed", RuntimeError(f"{type(exc).__name__}: {exc}")))


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


def shutdown() -> None:
    """Stop the workers of every running pool (safe to call from a signal handler)."""
    with _LOCK:
        stoppers = list(_RUNNING)
    for stop_workers in stoppers:
        stop_workers()


@contextlib.contextmanager
def guarded(stop_workers: Callable[[], None]):
    """Run the block with `stop_workers` registered for `shutdown()`, and called when the block
    is left by an exception (Ctrl-C, SIGTERM, a failure): no worker outlives it."""
    with _LOCK:
        _RUNNING.add(stop_workers)
    finished = False
    try:
        with sigterm_unwinds():
            yield
            finished = True
    finally:
        if not finished:
            stop_workers()
        with _LOCK:
            _RUNNING.discard(stop_workers)


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
