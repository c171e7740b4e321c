"""The `clss` command: check, build, serve, pdf, new, translations.

Exit codes: 0 ok, 1 invalid content (or failed build), 2 usage error.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from . import cache, checks, messages
from .cli_language import current_ui as _ui
from .cli_language import error_console as _console
from .cli_language import localize, ui_lang_arg
from .cli_language import say as _say
from .content import Content
from .languages import CODES
from .messages import UI, msg, msg_n
from .sections import SectionIndex

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def project_root() -> Path:
    """The project folder: the nearest parent holding content/ and mkdocs.yml (or $CLSS_ROOT)."""
    if os.environ.get("CLSS_ROOT"):
        return Path(os.environ["CLSS_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "content").is_dir() and (d / "mkdocs.yml").is_file():
            return d
    return here


def load_or_exit(root: Path, release: bool = False) -> Content:
    """The checked content; on problems, print them (`path:line: message`) and exit 1.
    With `release`, also what must not be published (see clss.release)."""
    return load_index_or_exit(root, release)[0]


def load_index_or_exit(root: Path, release: bool = False) -> tuple[Content, SectionIndex]:
    """load_or_exit, and the chapters' headings the checks read."""
    from . import release as gate

    content, index = checks.load_checked(root / "content", cache.folder(root, not os.environ.get("CLSS_NO_CACHE")))
    problems = list(content.errors)
    if release and not problems:
        problems = gate.blockers(root, content)
    if problems:
        ui = _ui()
        for e in problems:
            click.echo(ui.problem(e), err=True)
        n = len(problems)
        command = "clss check --release" if release else "clss check"
        if content.errors:
            err.print(ui(msg_n("[red]%(n)d problem[/red]; fix it and run [bold]%(command)s[/bold] again. Nothing was built.",
                               "[red]%(n)d problems[/red]; fix them and run [bold]%(command)s[/bold] again. Nothing was built.", n, command=command)))
        else:
            err.print(ui(msg_n("[red]%(n)d thing blocks a release[/red]; fix it and run [bold]%(command)s[/bold] again. Nothing was built.",
                               "[red]%(n)d things block a release[/red]; fix them and run [bold]%(command)s[/bold] again. Nothing was built.", n, command=command)))
        sys.exit(1)
    return content, index


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--ui-lang", type=click.Choice(messages.UI_LANGS), default=None, metavar="en|fr|nl",
              help="Language of clss's messages, help and progress (default: from the locale, e.g. LANG=nl_BE.UTF-8; else English).")
@click.pass_context
def cli(ctx, ui_lang):
    """Bilingual FR/NL publishing pipeline for the CLSS publications."""
    if ctx.obj is None or (ui_lang and ctx.obj.lang != ui_lang):
        ctx.obj = UI.of(messages.ui_language(ui_lang, os.environ))


@cli.command()
@click.option("--release", is_flag=True, help="Also refuse what must not be published: placeholder site_url, unfilled scaffolds, untranslated pages.")
def check(release):
    """Validate all content; print `path:line: message` per problem."""
    root = project_root()
    content = load_or_exit(root, release=release)
    ui = _ui()
    for w in getattr(content, "warnings", ()):  # e.g. an image below 300 ppi where it prints (blocks a release)
        click.echo(f"{w.path}:{w.line}: " + ui(msg("warning: %(message)s", message=ui.message(w))), err=True)
    out.print(ui(msg("[green]OK[/green]: %(quartiers)d quartiers, %(projects)d projects, %(publications)d publications, %(pages)d pages.",
                     quartiers=len(content.quartiers), projects=len(content.projects), publications=len(content.publications),
                     pages=sum(len(p) for p in content.pages.values()))))


@cli.command()
@click.option("--site/--no-site", default=True, help="Build the website.")
@click.option("--print/--no-print", "do_print", default=True, help="Build the PDFs.")
@click.option("--lang", type=click.Choice(CODES), multiple=True, help="Only this language (repeatable).")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel jobs: PDFs, and the two sites side by side (default: number of cores).")
@click.option("--release", is_flag=True, help="The files to publish: refuses while anything blocks a release (see clss check --release); without it, a draft with a draft mark in the PDFs.")
@click.option("--print-editions", is_flag=True, help="Also make every PDF's print edition (PDF/X-4, CMYK, 3 mm bleed, crop marks) in build/print/<lang>/print/.")
def build(site, do_print, lang, jobs, release, print_editions):
    """Build the site into build/site and the PDFs into build/print (atomically)."""
    from . import build as builder
    from . import release as gate

    root = project_root()
    content, index = load_index_or_exit(root, release=release)
    langs = list(lang) or list(CODES)
    try:
        builder.build(root, content, langs=langs, site=site, do_print=do_print, jobs=jobs or None, console=_console(), draft=not release,
                      use_cache=not os.environ.get("CLSS_NO_CACHE"), print_editions=print_editions, section_index=index)
    except builder.BuildError as exc:
        for line in str(exc).splitlines():
            click.echo(line, err=True)
        err.print(_ui()(msg("[red]Build failed[/red]; the previous build/ is untouched.")))
        sys.exit(1)
    if not release:
        ui = _ui()
        blocking = gate.blockers(root, content)
        if blocking:
            n = len(blocking)
            if do_print:
                err.print(ui(msg_n("[yellow]Draft[/yellow]: built, with a draft mark in the PDFs. %(n)d thing blocks a release:",
                                   "[yellow]Draft[/yellow]: built, with a draft mark in the PDFs. %(n)d things block a release:", n)))
            else:
                err.print(ui(msg_n("[yellow]Draft[/yellow]: built. %(n)d thing blocks a release:",
                                   "[yellow]Draft[/yellow]: built. %(n)d things block a release:", n)))
            for e in blocking[:10]:
                click.echo(f"  {ui.problem(e)}", err=True)
            if len(blocking) > 10:
                err.print(ui(msg("  … and %(n)d more: run [bold]clss check --release[/bold] for the full list.", n=len(blocking) - 10)))
        else:
            err.print(ui(msg("[green]Draft built[/green]; nothing blocks a release: [bold]clss build --release[/bold] makes the files to publish.")))


@cli.command()
@click.argument("publication")
@click.option("--lang", type=click.Choice(CODES), default="fr", show_default=True)
@click.option("--paper", type=click.Choice(["a4", "a5"]), default=None, help="Paper size (default: the manifest's).")
@click.option("--bleed", type=click.FloatRange(0, 10), default=0, show_default=True, help="Bleed in mm on every side.")
@click.option("--crop-marks", is_flag=True, help="Draw crop marks (needs a bleed; 3 mm is used if none is given).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Output file (default: build/print/<lang>/<id>.pdf).")
@click.option("--release", is_flag=True, help="The file to publish: refuses while anything blocks a release (see clss check --release); without it, a draft with a draft mark on every page.")
@click.option("--edition", type=click.Choice(["web", "print"]), default="web", show_default=True,
              help="web: PDF/A-2b + PDF/UA-1 (sRGB); print: PDF/X-4 in CMYK for the print shop (default file: build/print/<lang>/print/<id>.pdf).")
@click.option("--impose", type=click.Choice(["saddle"]), default=None,
              help="Also write the printer spreads of a saddle-stitched booklet (2-up, beside the PDF as <name>.saddle.pdf).")
@click.option("--creep", type=click.FloatRange(0, 5), default=0.3, show_default=True,
              help="With --impose: how far (mm) the innermost sheet's pages move towards the fold.")
@click.option("--cover", "cover_spread", is_flag=True,
              help="Also write the cover spread of a book (back cover, spine, front; beside the PDF as <name>-cover.pdf).")
def pdf(publication, lang, paper, bleed, crop_marks, output, release, edition, impose, creep, cover_spread):
    """Make one PDF: a publication id, `quartiers` (all sheets) or `quartier:ID`."""
    from . import build as builder
    from .print import pdf as printer

    root = project_root()
    content = load_or_exit(root, release=release)
    if crop_marks and not bleed:
        bleed = 3
    try:
        job = printer.job_for(content, publication, lang, edition)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    target = output or (root / "build" / "print" / lang / job.relpath)
    layout = dict(paper=paper, bleed=bleed, crop_marks=crop_marks, site_url=builder.site_url(root), draft=not release, edition=edition,
                  use_cache=not os.environ.get("CLSS_NO_CACHE"), cache_dir=cache.folder(root, not os.environ.get("CLSS_NO_CACHE")))

    def made_or_exit(make, *args) -> None:  # a print step: its PrintError is the editor's message, exit 1
        try:
            make(*args, **layout)
        except printer.PrintError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)

    made_or_exit(printer.render, root, content, job, target)
    out.print(_ui()(msg("[green]wrote[/green] %(path)s", path=target) if release else msg("[green]wrote[/green] %(path)s [yellow](draft)[/yellow]", path=target)))
    if cover_spread:
        from .print import cover

        spread = cover.cover_path(target)
        made_or_exit(cover.render_cover, content, job, target, spread)
        out.print(_ui()(msg("[green]wrote[/green] %(path)s", path=spread)))
    if impose:
        from .print import impose as imposition

        spreads = target.with_name(target.stem + ".saddle.pdf")
        try:
            note = imposition.saddle(target, spreads, creep_mm=creep)
        except imposition.ImposeError as exc:
            click.echo(f"{target}: {exc}", err=True)
            sys.exit(1)
        out.print(_ui()(msg("[green]wrote[/green] %(path)s", path=spreads)) + f" ({note})")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def preflight(files):
    """Check PDFs for the print shop (PDF/X) or the web (PDF/A): boxes, fonts, colours, ink, images."""
    from . import preflight as checker

    sys.exit(checker.run(files, echo=click.echo, ui=_ui()))


@cli.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--lang", type=click.Choice(CODES), default="fr", show_default=True)
def serve(port, lang):
    """Live preview of both languages (opens at --lang); reloads on Markdown and YAML edits and shows errors in the page."""
    from .site import serve as server

    try:
        sys.exit(server.serve(project_root(), lang=lang, port=port, console=_console(), cache=not os.environ.get("CLSS_NO_CACHE")))
    except server.ServeError as exc:
        err.print(_ui()(msg("[red]cannot start the preview[/red]: %(reason)s", reason=exc.args[0] if exc.args else "")))
        sys.exit(1)


@cli.group()
def new():
    """Scaffold a quartier, a project or a publication (facts to fill in + the French text)."""


@new.command("quartier")
@click.argument("ident")
def new_quartier(ident):
    from . import scaffold

    sys.exit(scaffold.new(project_root(), "quartier", ident, say=_say))


@new.command("project")
@click.argument("ident")
@click.option("--quartier", default=None, help="Id of the project's quartier.")
def new_project(ident, quartier):
    from . import scaffold

    sys.exit(scaffold.new(project_root(), "project", ident, quartier=quartier, say=_say))


@new.command("publication")
@click.argument("ident")
@click.option("--kind", type=click.Choice(["report", "brochure", "fascicule"]), default="report", show_default=True)
def new_publication(ident, kind):
    from . import scaffold

    sys.exit(scaffold.new(project_root(), "publication", ident, pub_kind=kind, say=_say))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 when any page is outdated or missing.")
@click.option("--mark", is_flag=True, help="Record that the translated files given as PATHS translate the current French pages.")
@click.option("--diff", "diff_path", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Show, per changed block of one page, the French then, the French now and the translation now.")
@click.option("--export", "export_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Write the new and changed French blocks and YAML strings as XLIFF 1.2, and the glossary as TBX and CSV.")
@click.option("--all", "everything", is_flag=True, help="With --export: every block, not only the new and changed ones.")
@click.option("--import", "import_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE.xlf",
              help="Write the translated units of an XLIFF file back into the pages and YAML files, and re-stamp them.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def translations(fmt, strict, mark, diff_path, export_dir, everything, import_file, paths):
    """Per page: up to date, outdated (how many French blocks changed) or missing; XLIFF exchange."""
    from . import translations as tr
    from .translations import exchange, importing

    root = project_root()
    ui = _ui()
    if mark or paths:
        if not (mark and paths):
            raise click.UsageError(ui(msg("use `clss translations --mark content/nl/PATH.md …`")))
        sys.exit(tr.mark(root, None, paths, echo=lambda m: click.echo(ui(m))))
    if diff_path is not None:
        sys.exit(tr.diff(root, diff_path, out, say=ui))
    if export_dir is not None:
        content = checks.load_and_check(root / "content")
        result = exchange.export(root / "content", export_dir, everything=everything, glossary=content.glossary)
        out.print(ui(msg("[green]exported[/green] %(units)d units (%(pages)d pages, %(data)d YAML strings): %(files)s",
                         units=result["units"], pages=result["pages"], data=result["data"], files=", ".join(result["files"]))))
        return
    if import_file is not None:
        result = importing.import_file(root, import_file, say=ui)
        if result.errors:
            for line in result.errors:
                click.echo(line, err=True)
            n = len(result.errors)
            err.print(ui(msg_n("[red]%(n)d problem[/red] in %(file)s; nothing was imported.",
                               "[red]%(n)d problems[/red] in %(file)s; nothing was imported.", n, file=import_file)))
            sys.exit(1)
        for w in result.written:
            out.print(ui(msg("[green]updated[/green] %(path)s", path=w)))
        out.print(ui(msg("imported %(blocks)d blocks and %(strings)d YAML strings; %(files)d files changed",
                         blocks=result.blocks, strings=result.strings, files=len(result.written))))
        return
    content = checks.load_and_check(root / "content")
    report = tr.report(content)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for row in report["pages"]:
            colour = {"up-to-date": "green", "outdated": "yellow", "missing": "red"}[row["state"]]
            label = ui(STATE_LABELS[row["state"]])
            width = max(len(ui(m)) for m in STATE_LABELS.values()) + 1
            detail = "  " + ui(msg_n("(%(n)d of %(total)d blocks changed)", "(%(n)d of %(total)d blocks changed)", row["changed"], total=row["total"])) if row["state"] == "outdated" and row["stamped"] else (
                "  " + ui(msg("(no stamp)")) if row["state"] == "outdated" else "")
            out.print(f"[{colour}]{label:<{width}}[/{colour}] {row['path']}{detail}")
        s = report["summary"]
        out.print(ui(msg("%(current)d up to date, %(outdated)d outdated, %(missing)d missing", current=s["up-to-date"], outdated=s["outdated"], missing=s["missing"])))
    if strict and (report["summary"]["outdated"] or report["summary"]["missing"]):
        sys.exit(1)


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a schema file is not up to date.")
@click.option("--modelines", is_flag=True, help="Also give every YAML file its first line `# yaml-language-server: $schema=…`.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder (default: content/.schemas).")
def schema(check_only, modelines, output):
    """Write the JSON Schemas of the YAML files (for completion and typo checks in editors)."""
    from . import schema as schemas

    root = project_root()
    if check_only:
        bad = schemas.stale(root / "content", output)
        for name in bad:
            click.echo(f"{(output or root / 'content' / schemas.SCHEMA_DIR) / name}:1: " + _ui()(msg("not up to date with the models; run `clss schema`")), err=True)
        sys.exit(1 if bad else 0)
    ui = _ui()
    changed = schemas.write(root / "content", output)
    for p in changed:
        out.print(ui(msg("[green]wrote[/green] %(path)s", path=p)))
    if modelines:
        for p in schemas.add_modelines(root / "content"):
            out.print(ui(msg("[green]schema line added[/green] %(path)s", path=p)))
    if not changed:
        out.print(ui(msg("schemas up to date")))


STATE_LABELS = {"up-to-date": msg("up to date"), "outdated": msg("outdated"), "missing": msg("missing")}


def _terminate(signum, frame):
    """SIGTERM: unwind like Ctrl-C, so that worker processes and temporary folders are cleaned up."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None):
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    args = sys.argv[1:] if argv is None else list(argv)
    ui = UI.of(messages.ui_language(ui_lang_arg(args), os.environ))
    localize(cli, ui)
    try:
        code = cli.main(args=args, prog_name="clss", obj=ui, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except (KeyboardInterrupt, click.exceptions.Abort):
        err.print(ui(msg("interrupted; build/ is unchanged")))
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OSError as exc:  # disk full, read-only folder, busy port…: the system's problem, not a bug
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        err.print(ui(msg("[red]error[/red]: %(reason)s%(where)s. Nothing was changed in build/.", reason=exc.strerror or str(exc), where=where)))
        sys.exit(1)
    except Exception as exc:  # a bug in clss itself: say so plainly, no traceback for editors
        if os.environ.get("CLSS_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"
        err.print(ui(msg("[red]internal error[/red]: %(error)s\n"
                         "This is a bug in clss, not in your content. Run again with CLSS_DEBUG=1 for details and report it.", error=error)))
        sys.exit(3)



if __name__ == "__main__":
    main()
