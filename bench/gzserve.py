"""Serve a built site gzip-compressed under a sub-path, as a static host would (bench/lighthouse.sh).

    python bench/gzserve.py SITE_DIR PORT [/sub/path/]

Text files (HTML, CSS, JS, JSON, SVG, XML) are sent with `Content-Encoding: gzip` when the
browser accepts it; everything else as `python -m http.server` sends it. Loopback only.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import sys

TEXT = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".bib", ".ris")


class Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return os.path.join(self.directory, "__missing__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not (path.endswith(TEXT) and os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with open(path, "rb") as f:
            data = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def main(argv: list[str]) -> None:
    site, port = argv[0], int(argv[1])
    Handler.prefix = argv[2] if len(argv) > 2 else "/"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=site))
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
