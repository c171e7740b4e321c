"""`clss serve`: live preview that reloads on YAML edits and shows content errors instead of dying."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from test_site import copy_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60.0, want: str | None = None) -> str:
    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                last = r.read().decode("utf-8")
                if want is None or want in last:
                    return last
        except OSError:
            pass
        time.sleep(0.5)
    return last


def test_serve_reloads_and_shows_errors(tmp_path):
    proj = copy_project(tmp_path)
    port = free_port()
    env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "clss.cli", "serve", "--port", str(port)], cwd=proj, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = fetch(f"http://127.0.0.1:{port}/quartiers/marolles/", want="Marolles")
        assert "Bruxelles-Ville" in page
        # a YAML edit is picked up
        q = proj / "content/quartiers/marolles.yml"
        good = q.read_text(encoding="utf-8")
        q.write_text(good.replace('fr: "Marolles"', 'fr: "Marolles (modifié)"'), encoding="utf-8")
        assert "Marolles (modifié)" in fetch(f"http://127.0.0.1:{port}/quartiers/marolles/", want="Marolles (modifié)")
        # invalid content: the preview lists the problem, the server keeps running
        q.write_text(good.replace("status:", "statut:"), encoding="utf-8")
        page = fetch(f"http://127.0.0.1:{port}/", want="statut")
        assert "content/quartiers/marolles.yml" in page and "did you mean" in page
        assert proc.poll() is None
        # fixed again: back to normal
        q.write_text(good, encoding="utf-8")
        assert "Bruxelles-Ville" in fetch(f"http://127.0.0.1:{port}/quartiers/marolles/", want="Bruxelles-Ville")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
