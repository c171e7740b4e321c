"""Many PDFs in the order of the print plan: the jobs in stages (clss.print.jobs.stages), each
stage in the worker pool (clss.print.pool), so that a PDF printing page numbers of a publication
(the quartier sheets, the brochure's Sources) is made after that publication's PDF, from which
clss.print.pagemap reads them.

A cited publication that the caller did not ask for is made too (into the same folder) unless its
PDF is already there: the caller guarantees that a PDF it leaves in `out_dir` is current
(`clss build` deletes every PDF it redoes before making them).
"""
from __future__ import annotations

from pathlib import Path

from ..load import Content
from ..sections import SectionIndex
from . import pagemap, pool
from .jobs import Job, PrintError, needs, stages


def render_all(root: Path, content: Content, jobs: list[Job], out_dir: Path, site_url: str = "",
               max_workers: int | None = None, progress=None, *, draft: bool = True, cache_dir: Path | None = None,
               tick=None, index: SectionIndex | None = None) -> None:
    """Make every PDF of `jobs` into out_dir/<lang>/<relpath> (see pool.render_all: progress,
    tick and index), stage by stage; raises PrintError listing every failure. `cache_dir`: where
    pandoc's answers are kept."""
    out_dir = Path(out_dir)
    asked = list(jobs)
    extra: list[Job] = []
    todo = list(asked)
    while todo:
        for dep in needs(content, todo.pop()):
            if dep not in asked and dep not in extra and not (out_dir / dep.lang / dep.relpath).is_file():
                extra.append(dep)
                todo.append(dep)
    wanted = set(asked)

    def report(job: Job) -> None:
        if progress is not None and job in wanted:
            progress(job)

    failures = []
    for stage in stages(content, asked + extra):
        try:
            pool.render_all(root, content, stage, out_dir, site_url, max_workers, report, draft=draft, cache_dir=cache_dir, tick=tick,
                            index=index)
        except PrintError as exc:
            failures.append(str(exc))
        for job in stage:  # the page maps of cited publications, for a later `clss pdf` of one sheet
            target = out_dir / job.lang / job.relpath
            if job.kind == "publication" and target.is_file() and any(job in needs(content, j) for j in asked + extra):
                pagemap.keep(root, content, job, draft, site_url, target)
    if failures:
        raise PrintError("\n".join(failures))
