"""The PDFs to make: one `Job` per PDF, and the error every print step raises."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..languages import SOURCE
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


# --- the order of the PDFs: a PDF that prints page numbers of a publication comes after it ---------


def _cited_by(content: Content, job: Job) -> list:
    """The quartiers and projects whose Sources the PDF of `job` prints (sheets: their
    quartiers; a brochure: every quartier, on its annex page, and every project)."""
    if job.kind == "quartier":
        return [content.quartiers[job.ident]]
    if job.kind == "quartiers":
        return list(content.quartiers.values())
    pub = content.publications[job.ident]
    return [*content.quartiers.values(), *content.projects.values()] if pub.print.template == "brochure" else []


def cited_chapters(content: Content, job: Job) -> list[tuple[str, str]]:
    """(publication, chapter) of every section whose heading and page `job` prints in its Sources."""
    own = job.ident if job.kind == "publication" else None
    return sorted({(s.publication, s.chapter) for item in _cited_by(content, job) for s in item.sources
                   if s.publication in content.publications and s.publication != own})


def prose_inputs(content: Content, job: Job) -> list[str]:
    """The folders or files under content/<lang>/ whose texts the PDF of `job` prints: its own,
    and for a publication that inserts project stories or quartier annexes, theirs."""
    if job.kind == "quartier":
        return [f"quartiers/{job.ident}.md"]
    if job.kind == "quartiers":
        return ["quartiers"]
    out = [f"publications/{job.ident}"]
    prefix = f"publications/{job.ident}/"
    texts = [page.body for rel, page in content.pages.get(SOURCE, {}).items() if rel.startswith(prefix)]
    if any("[[insert: project" in t for t in texts):
        out.append("projects")
    if any("[[insert: quartier-annexes" in t for t in texts):
        out.append("quartiers")
    return out


def needs(content: Content, job: Job) -> list[Job]:
    """The publication PDFs (same language and edition) whose page numbers `job` prints in its
    Sources: they must be made before it (clss.print.pagemap reads them)."""
    own = job.ident if job.kind == "publication" else None
    pubs = sorted({s.publication for item in _cited_by(content, job) for s in item.sources
                   if s.publication in content.publications and s.publication != own})
    edition = getattr(job, "edition", "web")  # the print edition's PDFs are under print/
    prefix = "" if edition == "web" else f"{edition}/"
    return [replace(job, kind="publication", ident=pid, relpath=f"{prefix}{pid}.pdf") for pid in pubs]


def stages(content: Content, jobs: list[Job]) -> list[list[Job]]:
    """The jobs in stages: each stage only cites publications of earlier stages (reports, then
    the brochure, which cites the report, then the quartier sheets, which cite both)."""
    levels: dict[Job, int] = {}

    def level(job: Job, seen: frozenset = frozenset()) -> int:
        if job not in levels:
            deps = [d for d in needs(content, job) if d not in seen]
            levels[job] = 1 + max((level(d, seen | {job}) for d in deps), default=-1)
        return levels[job]

    out: dict[int, list[Job]] = {}
    for job in jobs:
        out.setdefault(level(job), []).append(job)
    return [out[k] for k in sorted(out)]


def cites(content: Content, job: Job) -> list[str]:
    """The publications whose page numbers `job` prints, directly or through a publication it
    cites (their texts are inputs of its incremental key)."""
    out: set[str] = set()
    todo = [job]
    while todo:
        for dep in needs(content, todo.pop()):
            if dep.ident not in out:
                out.add(dep.ident)
                todo.append(dep)
    return sorted(out)
