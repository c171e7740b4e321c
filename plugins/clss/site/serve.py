"""`clss serve`: MkDocs' dev server on one language, watching content/ (Markdown and YAML).

Invalid content does not stop the server: the plugin then serves a page listing the problems
(see ClssPlugin.on_config), and the next save rebuilds.
"""
from __future__ import annotations

import os
from pathlib import Path


def serve(root: Path, lang: str = "fr", port: int = 8000) -> None:
    import functools

    from mkdocs.commands import serve as serve_module
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.livereload import LiveReloadServer

    # MkDocs polls the watched files every 0.5 s; our content tree is small, so poll every
    # 0.2 s to cut the delay between saving a file and the rebuilt preview
    serve_module.LiveReloadServer = functools.partial(LiveReloadServer, polling_interval=0.2)

    os.environ.update({"CLSS_LANG": lang, "CLSS_SERVE": "1", "CLSS_SITE_DIR_FIXED": "1", "NO_MKDOCS_2_WARNING": "1"})
    mkdocs_serve(
        config_file=str(root / "mkdocs.yml"),
        livereload=True,
        watch=[str(root / "content")],
        dev_addr=f"127.0.0.1:{port}",
        strict=False,
    )
