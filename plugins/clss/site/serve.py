"""`clss serve`: live preview of both languages in one server, rebuilt when content/ changes.

Built on MkDocs' LiveReloadServer (its public constructor and `watch`), not on `mkdocs serve`:
the site is built as `clss build` builds it, one MkDocs build per language into
<tmp>/<lang>/ plus the language-choice page, so the language switch works in the preview.

A save re-renders only the pages whose inputs changed (clss.site.reuse keeps the others, or
restores them from the cache) unless the navigation, the page set, the theme or the
configuration changed (then every page of the language, in a cleaned folder). Invalid content does not stop the server: every page of the last good build then lists the
problems (the page the editor is looking at reloads and shows them), and the next good save
brings the pages back. A busy port is reported and the next free one used.
"""
from __future__ import annotations

import errno
import functools
import logging
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from .. import cache as cache_mod
from .. import checks, languages, load, processes
from ..messages import Problem, msg, msg_n
from ..sections import SectionIndex
from . import build as site_build
from . import search
from .plugin import PREVIEW_SEARCH

PORT_TRIES = 20
INDEX_DELAY = 2.0  # s without a rebuild before the preview's search index is refreshed


class ServeError(Exception):
    """The preview cannot start (no free port, unreadable project): a plain message."""


def free_port(host: str, port: int, tries: int = PORT_TRIES) -> int:
    """`port` or the next free one after it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port, port + tries):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the HTTP server does
            try:
                s.bind((host, candidate))
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                raise ServeError(msg("cannot listen on %(host)s:%(port)d: %(reason)s", host=host, port=candidate, reason=exc.strerror)) from None
            return candidate
    raise ServeError(msg("ports %(first)d–%(last)d on %(host)s are all busy; stop the other server or pick a port with --port",
                         first=port, last=port + tries - 1, host=host))


class Preview:
    """The builder the live-reload server calls: load content once, build every language."""

    def __init__(self, root: Path, site: Path, langs: tuple[str, ...], say, cache: bool = True, parallel: bool = True):
        self.root = root
        self.parallel = parallel  # the second language built in a forked process at the same time
        self.site = site
        self.langs = langs
        self.say = say
        self.cache = cache
        self.cache_dir = cache_mod.folder(root, cache)  # None: CLSS_NO_CACHE
        self.paths: dict[str, tuple[str, ...]] = {lang: () for lang in langs}
        self.problems = 0
        self.files: dict[str, int] | None = None  # mtimes at the last build
        self.index_lock = threading.Lock()
        self.index_timer: threading.Timer | None = None
        self.pending_index: set[str] = set()  # languages whose search index is behind their pages
        self.pending_lock = threading.Lock()
        self.built: dict[str, dict] = {lang: {} for lang in langs}  # per language: clss-reuse's state after its last build
        self.full = True  # the next build renders every page (theme, configuration edited)
        self.rendered: dict[str, int] = {}  # pages rendered by the last build, per language
        self.page_checks = checks.PageMemo()  # the rules' findings per page, between saves

    def snapshot(self) -> dict[str, int]:
        files: dict[str, int] = {}
        for base in (self.root / "content", self.root / "mkdocs.yml", Path(__file__).parent):
            for p in [base] if base.is_file() else base.rglob("*"):
                if p.is_file() and "__pycache__" not in p.parts:
                    files[p.as_posix()] = p.stat().st_mtime_ns
        return files

    def affected(self) -> tuple[str, ...]:
        """The languages to rebuild: only the one whose Markdown alone changed (a Dutch text edit
        rebuilds the Dutch site); every language for YAML, French text (Dutch pages may fall back
        to it), configuration and theme edits, and while content is or was invalid."""
        now = self.snapshot()
        before, self.files = self.files, now
        if before is None or self.problems:
            return self.langs
        changed = {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
        prefix = (self.root / "content").as_posix() + "/"
        self.full = self.full or any(not p.startswith(prefix) for p in changed)
        only = {p[len(prefix):].split("/", 1)[0] for p in changed if p.startswith(prefix)}
        if changed and all(p.startswith(prefix) for p in changed) and len(only) == 1:
            lang = only.pop()
            if lang in self.langs and lang != languages.SOURCE:
                return (lang,)
        return self.langs

    def index_later(self, langs: tuple[str, ...]) -> None:
        """Refresh the search index of the rebuilt languages in the background, once the editor
        has paused (INDEX_DELAY s without a rebuild): the reload does not wait for it, and
        Pagefind does not take the cores from the next save's rebuild. Search shows the new
        text a few seconds later."""
        with self.pending_lock:
            self.pending_index.update(langs)
        if self.index_timer is not None:
            self.index_timer.cancel()

        def run():
            with self.index_lock:
                with self.pending_lock:
                    todo, self.pending_index = tuple(sorted(self.pending_index)), set()
                for lang in todo:
                    try:
                        search.index(self.site / lang, lang, output=self.site / PREVIEW_SEARCH / lang,
                                     cache=cache_mod.Cache(self.cache_dir), background=True)
                    except search.SearchError:
                        pass  # a rebuild emptied the folder meanwhile: the next run catches up

        self.index_timer = threading.Timer(INDEX_DELAY, run)
        self.index_timer.daemon = True
        self.index_timer.start()

    def _build(self, lang: str, content, index: SectionIndex, state: dict | None) -> tuple[dict, int, tuple[str, ...] | None]:
        """One language's MkDocs build from `state` (what the last build of its folder left; None:
        every page): (clss-reuse's state for the next one, pages rendered, the page set of valid
        content)."""
        from mkdocs.commands.build import build as mkdocs_build

        cfg = site_build.load_site_config(self.root, lang, self.site / lang, content=content, preview=True,
                                          strict=False, error_paths=self.paths[lang], cache=self.cache, section_index=index,
                                          state=state)
        mkdocs_build(cfg, dirty=True)  # dirty: MkDocs skips the pages clss-reuse kept or restored
        reuse = cfg.plugins["clss-reuse"]
        paths = None if content.errors else tuple(p.path for p in cfg.plugins["clss"].assembly.pages)
        return reuse.next, reuse.rendered, paths

    def _keep(self, lang: str, result: tuple[dict, int, tuple[str, ...] | None]) -> None:
        self.built[lang], self.rendered[lang], paths = result
        if paths is not None:
            self.paths[lang] = paths

    def _start_child(self, lang: str, content, index: SectionIndex, state: dict | None) -> processes.Forked | None:
        """Build `lang` in a forked process while this one builds the other language (two cores:
        a save updates both languages in the time of one). None where fork is not available."""
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods() or processes.cores() < 2:
            return None
        # fork although the server's threads run: the child only builds, then exits
        return processes.Forked(multiprocessing.get_context("fork"), functools.partial(self._build, lang, content, index, state))

    @staticmethod
    def _child_result(child: processes.Forked) -> tuple[dict, int, tuple[str, ...] | None] | None:
        """The forked build's result, or None when it failed (then the caller builds it itself
        and reports its problems)."""
        try:
            result = child.result()
        except Exception:  # noqa: BLE001 - built again by the caller, which reports the problem
            return None
        return result if isinstance(result, tuple) else None

    def __call__(self) -> None:
        started = time.perf_counter()
        langs = self.affected()  # before loading: an edit made during the build is seen next time
        content = load.load(self.root / "content", cache_mod.Cache(self.cache_dir))
        index = SectionIndex(content, self.root / "mkdocs.yml", self.cache_dir)  # shared by the checks and both languages
        checks.run(content, index, memo=self.page_checks)
        if content.errors:
            langs = self.langs
        full, self.full = self.full, False
        states = {lang: None if full else self.built[lang] for lang in langs}
        second = langs[1] if self.parallel and len(langs) == 2 else None
        child = self._start_child(second, content, index, states[second]) if second else None
        try:
            for lang in langs:
                if child is not None and lang == second:
                    result, child = self._child_result(child), None
                    if result is not None:
                        self._keep(lang, result)
                        continue
                self.built[lang] = {}  # a failed build leaves a folder that the next one must redo
                self._keep(lang, self._build(lang, content, index, states[lang]))
        finally:
            if child is not None and second is not None:  # this process's build failed: the child is waited for all the same
                self.built[second] = {}
                self._child_result(child)
        if not content.errors:
            site_build.write_language_choice(self.site, content, "", self.cache_dir)
            self.index_later(langs)
        took = time.perf_counter() - started
        if content.errors:
            self.say(msg_n("[red]%(n)d problem[/red] in the content (shown in the preview) [dim]%(seconds).1f s[/dim]",
                           "[red]%(n)d problems[/red] in the content (shown in the preview) [dim]%(seconds).1f s[/dim]",
                           len(content.errors), seconds=took))
            for e in content.errors:
                self.say(Problem(e), indent=True)
        elif self.problems:
            self.say(msg("[green]content valid again[/green], preview rebuilt [dim]%(seconds).1f s[/dim]", seconds=took))
        else:
            self.say(msg("[dim]· preview rebuilt in %(seconds).1f s[/dim]", seconds=took))
        self.problems = len(content.errors)


def serve(root: Path, port: int = 8000, lang: str = languages.SOURCE, host: str = "127.0.0.1", console=None,
          cache: bool = True) -> int:
    """Serve the preview until Ctrl-C. Returns the exit code."""
    from mkdocs.livereload import LiveReloadServer

    def say(message, indent: bool = False) -> None:
        """Print a message (clss.messages; in the editor's language when the CLI's console knows it)."""
        if console is not None:
            console.print(*((" ", message) if indent else (message,)), highlight=False)

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the preview reports content problems itself
    chosen = free_port(host, port)
    if chosen != port:
        say(msg("[yellow]port %(port)d is busy[/yellow]; using %(chosen)d instead", port=port, chosen=chosen))
    site = Path(tempfile.mkdtemp(prefix="clss-serve-"))
    preview = Preview(root, site, languages.CODES, say, cache=cache)
    requested = threading.local()  # the path being served, for the error page's language

    class Server(LiveReloadServer):
        def serve_request(self, environ, start_response):
            requested.path = environ.get("PATH_INFO", "/")
            return super().serve_request(environ, start_response)

    # the watcher looks for saves every 0.1 s (a walk of content/: a few ms), and a save starts the
    # rebuild after 0.05 s without another change (MkDocs: 0.5 s and 0.1 s)
    server = Server(builder=preview, host=host, port=chosen, root=str(site), polling_interval=0.1)
    server.build_delay = 0.05

    def error_page(code: int) -> bytes | None:
        first = getattr(requested, "path", "/").strip("/").split("/", 1)[0]
        page = site / (first if first in languages.CODES else languages.CODES[0]) / f"{code}.html"
        return page.read_bytes() if page.is_file() else None

    server.error_handler = error_page
    try:
        preview()
        here = Path(__file__).parent
        for watched in (root / "content", root / "mkdocs.yml", here / "theme", here / "assets", here / "templates"):
            server.watch(str(watched))
        url = f"http://{host}:{chosen}/"
        opening, each = url + lang + "/", " · ".join(f"{languages.get(c).name}: {url}{c}/" for c in languages.CODES)
        say(msg("Serving the preview on [bold]%(url)s[/bold] %(all)s", url=opening, all=each))
        say(msg("[dim]Edits under content/ reload the page; Ctrl-C stops.[/dim]"))
        try:
            server.serve()
        except KeyboardInterrupt:
            say(msg("stopped"))
        except OSError as exc:
            raise ServeError(msg("cannot listen on %(host)s:%(port)d: %(reason)s", host=host, port=chosen, reason=exc.strerror)) from None
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site, ignore_errors=True)
    return 0
