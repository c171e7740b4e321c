"""Benchmark (not a test): the live preview's rebuild after a YAML edit.

Starts `clss serve` on a copy of the project, then N times: edits one quartier YAML (its French
name) and measures the time until the served page shows the new name — the delay an editor
sees between saving and the reloaded preview. Prints the median.

    .venv/bin/python bench/serve_bench.py [-n 5]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def serve_rebuild(n: int = 5) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="clss-serve-bench-") as tmp:
        proj = Path(tmp)
        shutil.copytree(ROOT / "content", proj / "content")
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        (proj / "plugins").symlink_to(ROOT / "plugins")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "CLSS_ROOT": str(proj), "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "clss.cli", "serve", "--port", str(port)], cwd=proj, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/quartiers/marolles/"
        try:
            deadline = time.time() + 90
            while "Marolles" not in _get(url) and time.time() < deadline:
                time.sleep(0.3)
            q = proj / "content/quartiers/marolles.yml"
            base = q.read_text(encoding="utf-8")
            times = []
            for i in range(n):
                time.sleep(1.5)  # let the watcher settle
                mark = f"Marolles {i} bench"
                q.write_text(base.replace('fr: "Marolles"', f'fr: "{mark}"'), encoding="utf-8")
                t = time.perf_counter()
                while mark not in _get(url) and time.perf_counter() - t < 60:
                    time.sleep(0.05)
                times.append(time.perf_counter() - t)
            return times
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    times = serve_rebuild(ap.parse_args().n)
    print(f"clss serve: edit → page updated, median of {len(times)}: {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
