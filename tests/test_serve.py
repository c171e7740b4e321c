"""`clss serve`: both languages in one live preview, the URL printed, a busy port skipped,
content problems shown on the page being edited, the page back after the next good save."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from test_site import copy_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 90.0, want: str | None = None) -> str:
    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                last = r.read().decode("utf-8")
        except urllib.error.HTTPError as exc:  # a 404 page has a body too
            last = exc.read().decode("utf-8", "replace")
        except OSError:
            last = ""
        if last and (want is None or want in last):
            return last
        time.sleep(0.3)
    return last


def test_serve_both_languages_busy_port_errors_and_recovery(tmp_path):
    proj = copy_project(tmp_path)
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    env = {**os.environ, "CLSS_ROOT": str(proj), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "clss.cli", "serve", "--port", str(port)], cwd=proj, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first_line = proc.stdout.readline()
        assert f"port {port} is busy" in first_line and "internal error" not in first_line
        served = None
        deadline = time.time() + 90
        while time.time() < deadline and served is None:
            line = proc.stdout.readline()
            if "Serving the preview on" in line:
                served = line.split("http://", 1)[1].split("/", 1)[0]
        assert served and served != f"127.0.0.1:{port}", "the served URL is printed, on another port"
        base = f"http://{served}"
        fr = fetch(f"{base}/fr/quartiers/marolles/", want="Marolles")
        assert "Bruxelles-Ville" in fr
        nl = fetch(f"{base}/nl/quartiers/marolles/", want="Marollen")
        assert '<html lang="nl"' in nl
        # the language switch works in the preview: a relative link to the other language's page
        assert 'href="../../../fr/quartiers/marolles/"' in nl
        assert "Nederlands" in fetch(f"{base}/", want="Nederlands")  # language choice
        # a YAML edit is picked up
        q = proj / "content/quartiers/marolles.yml"
        good = q.read_text(encoding="utf-8")
        q.write_text(good.replace('fr: "Marolles"', 'fr: "Marolles (modifié)"', 1), encoding="utf-8")
        assert "Marolles (modifié)" in fetch(f"{base}/fr/quartiers/marolles/", want="Marolles (modifié)")
        # invalid content: the page being looked at lists the problem (not a 404), server alive
        q.write_text(good.replace("\ncommune:", "\ncommun:", 1), encoding="utf-8")
        page = fetch(f"{base}/fr/quartiers/marolles/", want="content/quartiers/marolles.yml")
        assert "content/quartiers/marolles.yml" in page
        assert proc.poll() is None
        # fixed again: the page comes back
        q.write_text(good, encoding="utf-8")
        assert "Bruxelles-Ville" in fetch(f"{base}/fr/quartiers/marolles/", want="Bruxelles-Ville")
    finally:
        busy.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
