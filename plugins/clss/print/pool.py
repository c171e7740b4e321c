"""Many PDFs in parallel: worker processes (at most one per core), each making the PDFs of one
task (a publication in one language, or all the quartier sheets of one language: one pandoc run
for their texts, then one Typst compile per sheet), then exiting: a report's Typst layout
(200–300 MiB) leaves with its process.

Workers are forked from the build while it has a single thread (they start with its content and
modules, sharing their memory), else started by the forkserver. Each reports every finished PDF
on a pipe of its own, so that `progress(job)` is called per PDF as it is written; a worker that
dies (killed, out of memory) closes its pipe and fails the PDFs it had not reported. The pool
never outlives `render_all`: on an exception, Ctrl-C (SIGINT) or SIGTERM the workers are stopped
(and their pandoc children with them) before the error propagates; a worker also dies with its
parent (Linux PR_SET_PDEATHSIG), so SIGKILL of the build leaves nothing behind (clss.processes).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from .. import processes
from ..load import Content
from ..sections import SectionIndex
from . import slots
from .jobs import Job, PrintError, sheet_ids, tasks

DONE = "done"  # a worker's last message: (DONE, None)
Report = Callable[[Job, "str | None"], None]  # (job, error or None), once per PDF


# --- in a worker -----------------------------------------------------------------------------


def _task_process(task: list[Job], content: Content, site_url: str, out_dir: str, draft: bool, writer,
                  cache_dir: Path | None, alone: bool, index: SectionIndex | None) -> None:
    """A worker process: one task, each PDF reported on `writer` as it is written, then
    (DONE, None). With fork its arguments are the parent's own objects, not copies sent over.
    `alone`: no other task runs beside it (clss.print.slots.pooled)."""
    processes.in_child()
    slots.pooled(alone)
    _run_task(task, content, site_url, Path(out_dir), draft, cache_dir, lambda job, error: writer.send((job, error)), index)
    writer.send((DONE, None))
    writer.close()


def _run_task(task: list[Job], content: Content, site_url: str, out_dir: Path, draft: bool, cache_dir: Path | None,
              report: Report, index: SectionIndex | None = None) -> None:
    """Make the PDFs of one task, calling report(job, error or None) after each. `index`: the
    chapters' headings of `content`, read by the build already (else read here)."""
    from .edition import edition_options
    from .render import make_source
    from .sources import sheet_bodies
    from .typst_compile import Workspace, compile_source

    bodies = None
    workspace = None  # one Typst project for the task's PDFs, laid out one after the other
    with contextlib.ExitStack() as stack:
        for job in task:
            try:
                if job.kind != "publication" and bodies is None:
                    bodies = sheet_bodies(content, job.lang, sheet_ids(content, task), site_url, cache_dir, index)
                src = make_source(content, job, site_url, draft=draft, bodies=bodies, pages_dir=out_dir / job.lang, cache_dir=cache_dir,
                                  index=index)
                if workspace is None:
                    workspace = stack.enter_context(Workspace())
                compile_source(src, out_dir / job.lang / job.relpath, workspace=workspace, **edition_options(job.edition))
                report(job, None)
            except PrintError as exc:
                report(job, str(exc))
            except OSError as exc:  # a full disk, a folder not writable: not a bug of clss
                where = f" ({exc.filename})" if exc.filename else ""
                report(job, f"{job}: could not write the PDF: {exc.strerror or exc}{where}")
            except Exception as exc:  # noqa: BLE001 - a bug: report it with the job, not a traceback
                report(job, f"{job}: internal error: {type(exc).__name__}: {exc}")


# --- in the parent --------------------------------------------------------------------------


def render_all(root: Path, content: Content, jobs: list[Job], out_dir: Path, site_url: str = "",
               max_workers: int | None = None, progress=None, *, draft: bool = True, cache_dir: Path | None = None,
               tick=None, index: SectionIndex | None = None) -> None:
    """Make every PDF of `jobs` into out_dir/<lang>/<relpath>, in parallel (processes; default
    and maximum: the number of cores). Calls progress(job) after each PDF is written, tick()
    about ten times a second while workers run (a progress display's clock); raises PrintError
    listing every failure (the other PDFs are still made). `cache_dir` (<project>/.cache/clss or
    None): where pandoc's answers are kept. `index`: the chapters' headings of `content`, when
    the caller has some (the workers reuse those it has read). Here in this process only
    when one worker is enough and fork is not available (then Typst's threads stay in this process)."""
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

    workers = processes.workers(max_workers, len(todo))
    ctx = processes.fork_context() or (processes.mp_context() if workers > 1 else None)
    if ctx is None:
        for task in todo:
            _run_task(task, content, site_url, out_dir, draft, cache_dir, record, index)
    else:
        _run_pool(ctx, content, todo, out_dir, site_url, draft, workers, record, cache_dir, tick, index)
    if failures:
        raise PrintError("\n".join(failures))


def _heavy(content: Content, task: list[Job]) -> bool:
    """A report (the longest publications): at most one in the pool at a time."""
    job = task[0]
    pub = content.publications.get(job.ident) if job.kind == "publication" else None
    return pub is not None and pub.kind == "report"


def _alone(content: Content, task: list[Job], running: list[list[Job]], waiting: list[list[Job]], workers: int) -> bool:
    """Whether `task`, about to start, will run with nothing beside it until it ends: one
    worker, or a report started while nothing runs and only reports wait (never two at once).
    Its pandoc may then use the free core (clss.print.slots.pooled)."""
    if workers == 1:
        return True
    return not running and _heavy(content, task) and all(_heavy(content, t) for t in waiting)


def _run_pool(ctx, content, todo, out_dir, site_url, draft, workers, record: Report, cache_dir: Path | None = None,
              tick=None, index: SectionIndex | None = None) -> None:
    """One process per task, at most `workers` at once, never two reports at once: a report's
    Typst layout alone takes 200–300 MiB, two of them side by side double the build's peak
    memory (issue #12: ≤ 450 MiB) for little gain on a machine whose cores the other tasks keep
    busy anyway."""
    from multiprocessing import connection

    waiting = list(todo)
    running: dict = {}  # the reading end of a worker's pipe → (its process, its task, whether it said DONE)

    def start() -> None:
        while waiting and len(running) < workers:
            busy = any(_heavy(content, task) for _, task, _ in running.values())
            task = next((t for t in waiting if not (busy and _heavy(content, t))), None)
            if task is None:
                return
            waiting.remove(task)
            alone = _alone(content, task, [t for _, t, _ in running.values()], waiting, workers)
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_task_process, daemon=True,
                               args=(task, content, site_url, str(out_dir), draft, writer, cache_dir, alone, index))
            running[reader] = (proc, task, False)  # known to `stop` before it starts
            proc.start()
            writer.close()  # the worker's end: when the worker is gone, the reader sees the end

    def read(reader) -> bool:
        """Take what the worker wrote; False at the end of its pipe (it exited or died)."""
        proc, task, done = running[reader]
        try:
            while reader.poll():
                job, error = reader.recv()
                if job == DONE:
                    done = True
                else:
                    record(job, error)
        except (EOFError, OSError, ValueError, TypeError, AttributeError, ImportError, IndexError):
            # the end of the pipe, or half a message from a killed worker
            running[reader] = (proc, task, done)
            return False
        running[reader] = (proc, task, done)
        return True

    with processes.guarded(lambda: processes.stop([proc for proc, _, _ in running.values()])):
        start()
        while running:
            ready = connection.wait(list(running), timeout=0.1)
            for reader in [r for r in list(running) if r in ready]:
                if read(reader):
                    continue
                proc, task, done = running.pop(reader)
                reader.close()
                proc.join()
                if not done:  # killed, out of memory: its PDFs not reported yet failed
                    for job in task:
                        record(job, f"{job}: the PDF worker stopped (exit code {proc.exitcode})")
            if tick is not None:
                tick()
            start()
