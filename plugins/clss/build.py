"""`clss build`: print then site, into a temporary folder swapped in only on success."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import time
from pathlib import Path

from . import cache, incremental, processes, siteurl
from .content import Content
from .languages import CODES as LANGS
from .messages import Message, msg
from .sections import SectionIndex
from .site import build as site_build

LEDGER = Path(".clss") / "keys.json"  # under build/: the keys of the outputs of the last build


class BuildError(Exception):
    pass


def site_url(root: Path) -> str:
    """The public URL of build/site/ (mkdocs.yml `site_url`) when it is a real one, else "":
    QR codes and printed addresses are drawn only for a real address."""
    url = siteurl.read(root)
    return url.url if url.real else ""


def content_epoch(content: Content) -> int | None:
    """The newest date of the content — publication dates and the dates quartier statuses were
    observed — as a Unix time (midnight UTC), or None when the content has no date."""
    days = [p.day for p in content.publications.values()]
    if (observed := content.observed()) is not None:
        days.append(observed)
    if not days:
        return None
    d = max(days)
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp())


@contextlib.contextmanager
def _source_date_epoch(content: Content):
    """Make the build's date that of the content unless the caller set SOURCE_DATE_EPOCH.

    MkDocs takes the build date for the sitemap's <lastmod> and the mtime inside sitemap.xml.gz
    from SOURCE_DATE_EPOCH, else from the clock: without this, the same content built on two
    days gives two different sites."""
    if "SOURCE_DATE_EPOCH" in os.environ or (epoch := content_epoch(content)) is None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(root: Path, out: Path) -> None:
    """Remove what a killed build left behind: `.build-tmp-PID` (its unfinished output) and
    `.build-old-PID` (the previous build/, if it was killed between the two renames of the swap,
    in which case it is put back as build/). Folders of builds still running are left alone."""
    for d in sorted(root.glob(".build-old-*")) + sorted(root.glob(".build-tmp-*")):
        pid = d.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid() or _pid_alive(int(pid)):
            continue
        if d.name.startswith(".build-old-") and not out.exists():
            d.rename(out)
        else:
            shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def _lock(root: Path, console):
    """One build at a time in a project folder: a second one waits, and says so."""
    import fcntl

    path = root / cache.DIR / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            if console is not None:
                console.print(msg("[yellow]waiting[/yellow]: another clss build (process %(pid)s) is running in this folder; "
                                  "this one starts when it ends (Ctrl-C to give up).", pid=holder))
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(root: Path, content: Content, langs=LANGS, site=True, do_print=True, jobs=None, console=None, draft=True,
          use_cache=True, print_editions=False, section_index: SectionIndex | None = None) -> Path:
    """Build into a temporary folder and swap it in as build/ on success (one build at a time).
    A `draft` marks its PDFs as such; see clss.release for what a release requires. Outputs
    whose inputs did not change are kept from the previous build (clss.incremental) unless
    `use_cache` is false. `print_editions` also makes every PDF's print edition (PDF/X-4,
    CMYK) into build/print/<lang>/print/. `section_index`: the chapters' headings of `content`
    when the caller's checks read them already."""
    with _lock(root, console):
        return _build(root, content, langs, site, do_print, jobs, console, draft, use_cache, print_editions, section_index)


def _print(root, content, langs, tmp, url, jobs, console, draft, ledger, keys, index, print_editions=False) -> None:
    """Make the PDFs whose inputs changed; keep the others from the previous build."""
    from .print import pdf as printer

    jobs_list = printer.all_jobs(content, langs) + (printer.all_jobs(content, langs, "print") if print_editions else [])
    wanted = {tmp / "print" / j.lang / j.relpath for j in jobs_list}
    for lang in langs:  # PDFs of quartiers or publications that no longer exist
        for old in (tmp / "print" / lang).rglob("*.pdf") if (tmp / "print" / lang).is_dir() else ():
            if old not in wanted:
                old.unlink()
    todo = 0
    maps: dict[Path, str] = {}  # page maps read from the cited PDFs of this build
    for stage in printer.stages(content, jobs_list):  # cited publications first: their page numbers are inputs
        redo = []
        for job in stage:
            target = tmp / "print" / job.lang / job.relpath
            key = keys.pdf(job, draft, url, prose=printer.prose_inputs(content, job), printed=_printed(content, job, tmp / "print" / job.lang, index, maps))
            if ledger.fresh(f"pdf:{job}", key, target):
                continue
            ledger.forget(f"pdf:{job}")
            target.unlink(missing_ok=True)  # may be a hard link into the previous build: never write through it
            redo.append((job, key, target))
        if not redo:
            continue
        todo += len(redo)
        try:
            with _pdf_progress(console, len(redo)) as (advance, refresh):
                printer.render_all(root, content, [j for j, _, _ in redo], tmp / "print", site_url=url, max_workers=jobs, progress=advance,
                                   tick=refresh, draft=draft, index=index,
                                   cache_dir=cache.folder(root, ledger.enabled))  # pandoc's answers (CLSS_NO_CACHE: use_cache)
        except printer.PrintError as exc:
            raise BuildError(f"print: {exc}") from None
        for job, key, target in redo:
            ledger.record(f"pdf:{job}", key, target)
    _progress(console, msg("PDFs: %(todo)d to make, %(kept)d unchanged", todo=todo, kept=len(jobs_list) - todo))


def _printed(content: Content, job, folder: Path, index, maps: dict[Path, str]) -> str:
    """What the PDF of `job` prints of other PDFs: the page numbers of the cited publications
    (read from their PDFs, made or kept by an earlier stage) and the headings of the cited
    chapters. A report edit that moves or renames no cited heading keeps the sheets."""
    from .print import pagemap
    from .print import pdf as printer

    parts = []
    for dep in printer.needs(content, job):
        path = folder / dep.relpath
        if path not in maps:
            try:
                maps[path] = json.dumps(pagemap.read(path), sort_keys=True)
            except Exception:  # noqa: BLE001 - missing or unreadable: the render will say so
                maps[path] = "unreadable"
        parts.append(maps[path])
    for pub, chapter in printer.cited_chapters(content, job):  # the headings it prints
        parts.append(json.dumps(index.headings(pub, chapter, job.lang)))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _build(root: Path, content: Content, langs, site, do_print, jobs, console, draft, use_cache, print_editions=False,
           index: SectionIndex | None = None) -> Path:
    out = root / "build"
    _clean_stale(root, out)
    tmp = root / f".build-tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        if out.exists():  # keep what this build does not redo (other language, PDFs with --no-print)
            # hard links: instant, and safe because every part this build redoes is deleted
            # from the copy first (files are replaced, never rewritten in place). The sites
            # this build may redo are carried over below, only when they are found unchanged.
            later = {out / "site" / lang for lang in langs} if site else set()
            shutil.copytree(out, tmp, symlinks=True, copy_function=_link_or_copy,
                            ignore=lambda folder, names: [n for n in names if Path(folder, n) in later])
        tmp.mkdir(exist_ok=True)
        started = time.perf_counter()
        url = site_url(root)
        ledger = incremental.Ledger(tmp / LEDGER, enabled=use_cache)
        keys = incremental.Keys(root)
        index = index or SectionIndex(content, root / "mkdocs.yml", cache.folder(root, use_cache))  # chapters' headings: read once, for the PDF keys and both sites
        if do_print:
            _print(root, content, langs, tmp, url, jobs, console, draft, ledger, keys, index, print_editions)
            _progress(console, msg("PDFs done in %(seconds).1f s", seconds=time.perf_counter() - started))
        if site:
            with _source_date_epoch(content):
                todo, keys_of = [], {}
                for lang in langs:
                    target = tmp / "site" / lang
                    key = keys.site(lang, tmp / "print" / lang, url, os.environ.get("SOURCE_DATE_EPOCH", ""))  # the sitemap's dates
                    if ledger.fresh(f"site:{lang}", key, out / "site" / lang):
                        shutil.copytree(out / "site" / lang, target, symlinks=True, copy_function=_link_or_copy)
                        _progress(console, msg("site %(lang)s unchanged (its pages, PDFs, configuration and theme are the same)", lang=lang))
                        continue
                    ledger.forget(f"site:{lang}")
                    shutil.rmtree(target, ignore_errors=True)
                    todo.append(lang)
                    keys_of[lang] = key

                def built(site: site_build.Built) -> None:
                    ledger.record(f"site:{site.lang}", keys_of[site.lang], tmp / "site" / site.lang)
                    _progress(console, msg("site %(lang)s built in %(seconds).1f s: %(rendered)d pages rendered, %(reused)d unchanged pages from the cache",
                                           lang=site.lang, seconds=site.seconds, rendered=site.rendered, reused=site.restored))

                try:
                    site_build.build_sites(root, todo, tmp / "site", tmp / "print", content, cache=use_cache, section_index=index,
                                           workers=processes.workers(jobs, len(todo)), done=built)
                except site_build.SiteError as exc:
                    raise BuildError(str(exc)) from None
            (tmp / "site" / "index.html").unlink(missing_ok=True)  # a hard link into the previous build
            site_build.write_language_choice(tmp / "site", content, url, cache.folder(root, use_cache))
        ledger.save(tmp / LEDGER)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap(tmp: Path, out: Path) -> None:
    old = out.with_name(f".build-old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _pdf_progress(console, total: int):
    """A rich progress bar: (advance(job), once per finished PDF; refresh(), for its clock), or
    no-ops without a console. It is redrawn by these calls only, not by a thread of its own:
    the PDF workers are forked from this process, which must then have a single thread."""
    if console is None:
        yield (lambda job=None: None), (lambda: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("PDFs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=False, auto_refresh=False) as bar:
        task = bar.add_task("", total=total)

        def advance(job=None):
            bar.update(task, advance=1, description=getattr(job, "relpath", "") and f"{job.lang}/{job.relpath}", refresh=True)

        yield advance, bar.refresh


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _progress(console, message: str | Message) -> None:
    """A progress line; a Message is printed in the editor's language by the CLI's console."""
    if console is not None:
        console.print("[dim]·[/dim]", html.unescape(message) if isinstance(message, str) else message)
