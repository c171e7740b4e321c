"""Many PDFs in parallel: a pool of worker processes (at most one per core), each making the
PDFs of one task (a publication in one language, or all the quartier sheets of one language:
one pandoc run for their texts, then one Typst compile per sheet).

Workers report each finished PDF on a queue, so that `progress(job)` is called per PDF as it is
written. The pool never outlives `render_all`: on an exception, Ctrl-C (SIGINT) or SIGTERM the
workers are terminated (and their pandoc children with them) before the error propagates;
`shutdown()` terminates every running pool from a caller's own signal handler. A worker also
dies with its parent (Linux PR_SET_PDEATHSIG), so SIGKILL of the build leaves nothing behind
(clss.processes).
"""
from __future__ import annotations

import signal
import sys
from pathlib import Path

from .. import processes
from ..load import Content
from . import slots
from .jobs import Job, PrintError, sheet_ids, tasks

_STATE: dict = {}
DONE = "done"  # a worker's last message: (DONE, its task's number)


# --- in the worker --------------------------------------------------------------------------


def _init_worker(content: Content, site_url: str, out_dir: str, draft: bool, queue=None, semaphore=None,
                 cache_dir: Path | None = None) -> None:
    processes.die_with_parent()
    # SIGTERM from Pool.terminate(): unwind, so that subprocess.run kills a running pandoc
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and terminates us
    _STATE.update(content=content, site_url=site_url, out_dir=Path(out_dir), draft=draft, queue=queue, cache_dir=cache_dir)
    if semaphore is not None:
        slots.install(semaphore)


def _task_process(task: list[Job], number: int, content: Content, site_url: str, out_dir: str, draft: bool, queue,
                  semaphore, cache_dir: Path | None) -> None:
    """A worker process: one task, each PDF reported on `queue` as it is written, then
    (DONE, number). With fork its arguments are the parent's own objects, not copies sent over."""
    _init_worker(content, site_url, out_dir, draft, queue, semaphore, cache_dir)
    _run_task(task)
    queue.put((DONE, number))


def _run_task(task: list[Job]) -> list[tuple[Job, str | None]]:
    from .edition import edition_options
    from .render import make_source
    from .sources import sheet_bodies
    from .typst_compile import compile_source

    content, site_url, out_dir, draft = _STATE["content"], _STATE["site_url"], _STATE["out_dir"], _STATE["draft"]
    cache_dir = _STATE.get("cache_dir")
    results: list[tuple[Job, str | None]] = []

    def done(job: Job, error: str | None) -> None:
        results.append((job, error))
        if _STATE.get("queue") is not None:
            _STATE["queue"].put((job, error))

    bodies = None
    for job in task:
        try:
            if job.kind != "publication" and bodies is None:
                bodies = sheet_bodies(content, job.lang, sheet_ids(content, task), site_url, cache_dir)
            src = make_source(content, job, site_url, draft=draft, bodies=bodies, pages_dir=out_dir / job.lang, cache_dir=cache_dir)
            compile_source(src, out_dir / job.lang / job.relpath, **edition_options(job.edition))
            done(job, None)
        except PrintError as exc:
            done(job, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: report it with the job, not a traceback
            done(job, f"{job}: internal error: {type(exc).__name__}: {exc}")
    return results


# --- in the parent --------------------------------------------------------------------------


def render_all(root: Path, content: Content, jobs: list[Job], out_dir: Path, site_url: str = "",
               max_workers: int | None = None, progress=None, *, draft: bool = True, cache_dir: Path | None = None,
               tick=None) -> None:
    """Make every PDF of `jobs` into out_dir/<lang>/<relpath>, in parallel (processes; default
    and maximum: the number of cores). Calls progress(job) after each PDF is written, tick()
    about ten times a second while the workers run (a progress display's clock); raises
    PrintError listing every failure (the other PDFs are still made). `cache_dir`
    (<project>/.cache/clss or None): where pandoc's answers are kept, handed to each worker."""
    out_dir = Path(out_dir)
    todo = tasks(content, list(jobs))
    failures: list[str] = []
    reported: set[Job] = set()

    def record(job: Job, error: str | None) -> None:
        if job in reported:
            return
        reported.add(job)
        if error:
            failures.append(error)
        elif progress:
            progress(job)

    workers = max(1, min(max_workers or slots.cores(), slots.cores(), len(todo)))
    if workers == 1:
        _STATE.clear()
        _STATE.update(content=content, site_url=site_url, out_dir=out_dir, draft=draft, queue=None, cache_dir=cache_dir)
        for task in todo:
            for job, error in _run_task(task):
                record(job, error)
    else:
        _run_pool(content, todo, out_dir, site_url, draft, workers, record, cache_dir, tick)
    if failures:
        raise PrintError("\n".join(failures))


def _heavy(content: Content, task: list[Job]) -> bool:
    """A report (the longest publications): at most one in the pool at a time."""
    job = task[0]
    pub = content.publications.get(job.ident) if job.kind == "publication" else None
    return pub is not None and pub.kind == "report"


def _run_pool(content, todo, out_dir, site_url, draft, workers, record, cache_dir: Path | None = None, tick=None) -> None:
    """One process per task, at most `workers` at once. Forked when this process has a single
    thread: the worker starts with the content and modules already loaded, and shares their
    memory with this process; its memory (a report's Typst layout, 200–300 MiB) is returned when
    it exits with its task. Otherwise forkserver (the task's arguments are sent to it)."""
    from multiprocessing import connection

    ctx = processes.mp_context()
    queue = ctx.SimpleQueue()
    semaphore = ctx.BoundedSemaphore(slots.cores())
    waiting = list(enumerate(todo))
    running: dict[int, tuple] = {}  # task number → (process, task)
    finished: set[int] = set()

    def drain() -> None:
        while not queue.empty():
            first, second = queue.get()
            if first == DONE:
                finished.add(second)
            else:
                record(first, second)

    def start() -> None:
        """Start tasks while a worker is free, never two reports at once: a report's Typst
        layout alone takes 200–300 MiB, two of them side by side double the build's peak memory
        (issue #12: ≤ 450 MiB) for little gain on a machine whose cores the other tasks keep
        busy anyway."""
        while waiting and len(running) < workers:
            busy = any(_heavy(content, task) for _, task in running.values())
            pick = next(((n, task) for n, task in waiting if not (busy and _heavy(content, task))), None)
            if pick is None:
                return
            waiting.remove(pick)
            number, task = pick
            proc = ctx.Process(target=_task_process, daemon=True,
                               args=(task, number, content, site_url, str(out_dir), draft, queue, semaphore, cache_dir))
            proc.start()
            running[number] = (proc, task)

    with processes.guarded(lambda: processes.stop([proc for proc, _ in running.values()])):
        start()
        while running:
            connection.wait([proc.sentinel for proc, _ in running.values()], timeout=0.1)
            drain()
            for number, (proc, task) in list(running.items()):
                if proc.exitcode is None:
                    continue
                proc.join()
                drain()
                del running[number]
                if number not in finished:  # killed, out of memory: its PDFs not reported yet failed
                    for job in task:
                        record(job, f"{job}: the PDF worker stopped (exit code {proc.exitcode})")
            if tick is not None:
                tick()
            start()
