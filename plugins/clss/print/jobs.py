"""The PDFs to make: one `Job` per PDF, and the error every print step raises."""
from __future__ import annotations

from dataclasses import dataclass

from ..load import Content


class PrintError(Exception):
    """A PDF could not be made. The message has one problem per line (`path:line: message`
    or plain text); it is meant for editors, never a traceback."""


@dataclass(frozen=True)
class Job:
    kind: str  # "publication" | "quartier" | "quartiers"
    ident: str  # publication id, quartier id, or "all"
    lang: str
    relpath: str  # path of the PDF under build/print/<lang>/ (print edition: under print/)
    edition: str = "web"  # "web" (PDF/A + PDF/UA) or "print" (PDF/X-4, CMYK)

    def __str__(self) -> str:
        return f"{self.lang}/{self.relpath}"


def job_for(content: Content, name: str, lang: str, edition: str = "web") -> Job:
    """The job of `name`: a publication id, `quartiers` (all sheets combined) or `quartier:ID`."""
    if edition != "web":
        job = job_for(content, name, lang)
        return Job(job.kind, job.ident, lang, f"{edition}/{job.relpath}", edition)
    if name in content.publications:
        return Job("publication", name, lang, f"{name}.pdf")
    if name == "quartiers":
        return Job("quartiers", "all", lang, "quartiers/all.pdf")
    if name.startswith("quartier:"):
        qid = name.split(":", 1)[1]
        if qid in content.quartiers:
            return Job("quartier", qid, lang, f"quartiers/{qid}.pdf")
        known = ", ".join(sorted(content.quartiers)) or "none"
        raise KeyError(f"unknown quartier `{qid}`; known: {known}")
    known = ", ".join([*sorted(content.publications), "quartiers", "quartier:ID"])
    raise KeyError(f"unknown publication `{name}`; known: {known}")


def all_jobs(content: Content, langs, edition: str = "web") -> list[Job]:
    """Every PDF: each publication, each quartier sheet and the combined sheets, per language
    (print edition: under print/ in each language's folder)."""
    if edition != "web":
        return [Job(j.kind, j.ident, j.lang, f"{edition}/{j.relpath}", edition) for j in all_jobs(content, langs)]
    jobs = []
    for lang in langs:
        for pid in sorted(content.publications):
            jobs.append(Job("publication", pid, lang, f"{pid}.pdf"))
        for qid in sorted(content.quartiers):
            jobs.append(Job("quartier", qid, lang, f"quartiers/{qid}.pdf"))
        jobs.append(Job("quartiers", "all", lang, "quartiers/all.pdf"))
    return jobs


def sheet_ids(content: Content, jobs) -> list[str]:
    """The quartiers whose sheets `jobs` need (their texts go through pandoc in one run)."""
    ids: set[str] = set()
    for job in jobs:
        if job.kind == "quartiers":
            ids.update(content.quartiers)
        elif job.kind == "quartier":
            ids.add(job.ident)
    return sorted(ids)


def tasks(content: Content, jobs: list[Job]) -> list[list[Job]]:
    """Group the jobs into tasks for the worker pool, the longest first (reports, brochures,
    then the sheets of one language together: one pandoc run for all their texts)."""
    out: list[list[Job]] = []
    sheets: dict[str, list[Job]] = {}
    for job in jobs:
        if job.kind == "publication":
            out.append([job])
        else:
            sheets.setdefault(job.lang, []).append(job)
    for group in sheets.values():
        out.append(sorted(group, key=lambda j: (j.kind != "quartiers", j.ident)))

    def cost(task: list[Job]) -> float:
        job = task[0]
        if job.kind == "publication":
            return 10.0 if content.publications[job.ident].kind == "report" else 4.0
        return 0.2 * len(task)

    return sorted(out, key=cost, reverse=True)
