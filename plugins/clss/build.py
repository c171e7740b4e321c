"""`clss build`: print then site, into a temporary folder swapped in only on success."""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import logging
import os
import re
import shutil
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import i18n
from .load import Content

LANGS = ("fr", "nl")


class BuildError(Exception):
    pass


def site_url(root: Path) -> str:
    """The public URL of build/site/ (mkdocs.yml `site_url`), used for QR codes and hreflang."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.M)
    return (m.group(1).rstrip("/") + "/") if m else ""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        msg = record.getMessage()
        if "MkDocs 2.0" in msg or "Material for MkDocs" in msg and "maintenance" in msg:
            return
        self.messages.append(msg)


def build_site(root: Path, lang: str, site_dir: Path, print_dir: Path | None, content: Content | None = None) -> None:
    """One MkDocs build of one language (our plugin assembles that language's pages)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["CLSS_LANG"] = lang
    os.environ["CLSS_SITE_DIR_FIXED"] = "1"
    if print_dir is not None:
        os.environ["CLSS_PRINT_DIR"] = str(print_dir)
    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        from .site import plugin

        plugin.PRELOADED = content  # validated moments ago by `clss build`: no need to load it again
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        mkdocs_build(cfg)
    except (MkDocsException, SystemExit) as exc:
        details = "\n".join(handler.messages) or str(exc)
        raise BuildError(f"site ({lang}): {details}") from None
    finally:
        log.removeHandler(handler)
        from .site import plugin

        plugin.PRELOADED = None
        for k in ("CLSS_LANG", "CLSS_SITE_DIR_FIXED", "CLSS_PRINT_DIR"):
            os.environ.pop(k, None)


def write_language_choice(site: Path, content: Content, root_url: str) -> None:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "site" / "templates"), autoescape=True)
    page = env.get_template("language-choice.html").render(
        langs=[{"code": lang, "title": i18n.gettext_for(lang)("Local social-health contracts"),
                "choose": i18n.gettext_for(lang)("Continue in %(language)s") % {"language": i18n.language_name(lang)}}
               for lang in LANGS],
        root_url=root_url,
    )
    target = site / "index.html"
    target.unlink(missing_ok=True)  # it may be a hard link into the previous build: never write through it
    target.write_text(page, encoding="utf-8")


def content_epoch(content: Content) -> int | None:
    """The newest date of the content — publication dates and the dates quartier statuses were
    observed — as a Unix time (midnight UTC), or None when the content has no date."""
    days = [p.day for p in content.publications.values()]
    days += [q.status.observed for q in content.quartiers.values()]
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


def build(root: Path, content: Content, langs=LANGS, site=True, do_print=True, jobs=None, console=None) -> Path:
    out = root / "build"
    _clean_stale(root, out)
    tmp = root / f".build-tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        if out.exists():  # keep what this build does not redo (other language, PDFs with --no-print)
            # hard links: instant, and safe because every part this build redoes is deleted
            # from the copy first (files are replaced, never rewritten in place)
            shutil.copytree(out, tmp, symlinks=True, copy_function=_link_or_copy)
        tmp.mkdir(exist_ok=True)
        started = time.perf_counter()
        url = site_url(root)
        if url and re.search(r"\.(invalid|example|test|localhost)/", url) and console is not None:
            console.print(f"[yellow]warning[/yellow]: site_url in mkdocs.yml is {url}, a placeholder; "
                          "the QR codes and addresses printed in the PDFs point to it. Set the public URL before publishing.")
        if do_print:
            from .print import pdf as printer

            for lang in langs:
                shutil.rmtree(tmp / "print" / lang, ignore_errors=True)
            jobs_list = printer.all_jobs(content, langs)
            try:
                with _pdf_progress(console, len(jobs_list)) as advance:
                    printer.render_all(root, content, jobs_list, tmp / "print", site_url=url, max_workers=jobs, progress=advance)
            except printer.PrintError as exc:
                raise BuildError(f"print: {exc}") from None
            _progress(console, f"PDFs done in {time.perf_counter() - started:.1f} s")
        if site:
            with _source_date_epoch(content):
                for lang in langs:
                    shutil.rmtree(tmp / "site" / lang, ignore_errors=True)
                    t = time.perf_counter()
                    build_site(root, lang, tmp / "site" / lang, tmp / "print", content)
                    _progress(console, f"site {lang} built in {time.perf_counter() - t:.1f} s")
            write_language_choice(tmp / "site", content, url)
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
    """A rich progress bar advanced once per finished PDF (a no-op without a console)."""
    if console is None:
        yield lambda job=None: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("PDFs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=False) as bar:
        task = bar.add_task("", total=total)

        def advance(job=None):
            bar.update(task, advance=1, description=getattr(job, "relpath", "") and f"{job.lang}/{job.relpath}")

        yield advance


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _progress(console, msg: str) -> None:
    if console is not None:
        console.print(f"[dim]·[/dim] {html.unescape(msg)}")
