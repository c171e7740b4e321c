"""`clss build` builds the two languages' sites side by side in forked processes
(clss.site.build.build_sites): the pages, and the web fonts made by two processes, are byte for
byte those of a build one language after the other, and each language is really built in a
process of its own."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = """
import json, os, sys
from pathlib import Path
from clss import load
from clss.site.build import build_sites
from clss.site import fonts
root, workers, out = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
built = []
log = root / f"{out}-fonts.log"
subset = fonts._subset


def logged(names):  # which process subsets which faces (the forked one inherits this)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(" ".join([str(os.getpid()), *names]) + "\\n")
    return subset(names)


fonts._subset = logged
build_sites(root, ["fr", "nl"], root / out, root / "no-pdfs", load.load(root / "content"), cache=False, workers=workers,
            done=lambda site: built.append([site.lang, site.pid]))
made = {}
for line in log.read_text(encoding="utf-8").splitlines():
    pid, *names = line.split()
    made.setdefault(int(pid), []).extend(names)
print(json.dumps({"me": os.getpid(), "built": built, "fonts": {str(k): v for k, v in made.items()}, "faces": sorted(fonts.FACES)}))
"""


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_side_by_side_sites_equal_one_after_the_other(mini, tmp_path):
    from conftest import ROOT

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s+)cache_dir: .*$", r"\g<0>\n\1search: false", config, count=1)  # no Pagefind: quicker
    (mini / "mkdocs.yml").write_text(config, encoding="utf-8")
    (mini / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    runs = {}
    for workers in (1, 2):
        proc = subprocess.run([sys.executable, "-c", SCRIPT, str(mini), str(workers), f"site-{workers}"],
                              capture_output=True, text=True, timeout=300, cwd=mini)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs[workers] = json.loads(proc.stdout.strip().splitlines()[-1])
    one, two = tree(mini / "site-1"), tree(mini / "site-2")
    assert set(one) == set(two) and any(k.startswith("nl/") for k in one) and any(k.startswith("fr/") for k in one)
    assert [k for k in one if one[k] != two[k]] == []
    # the web fonts: made here with one worker; with two, half of the faces in a forked process
    faces = runs[1]["faces"]
    assert sorted(k.rsplit("/", 1)[-1] for k in one if k.startswith("fr/") and k.endswith(".woff2")) == faces
    assert {int(pid): sorted(names) for pid, names in runs[1]["fonts"].items()} == {runs[1]["me"]: faces}
    by = {int(pid): names for pid, names in runs[2]["fonts"].items()}
    assert len(by) == 2 and runs[2]["me"] in by and sorted(sum(by.values(), [])) == faces
    # one after the other: both in the calling process; side by side: each in a child of its own
    assert {pid for _, pid in runs[1]["built"]} == {runs[1]["me"]}
    pids = [pid for _, pid in runs[2]["built"]]
    assert sorted(lang for lang, _ in runs[2]["built"]) == ["fr", "nl"]
    assert runs[2]["me"] not in pids and len(set(pids)) == 2


def test_a_site_process_that_dies_is_a_site_error_not_a_bug(mini, tmp_path):
    """A language's process killed in the middle (here: exit code 9) makes build_sites raise a
    SiteError (the build says what stopped), not an internal error."""
    script = """
import os, sys
from pathlib import Path
from clss import load
from clss.site import build
root = Path(sys.argv[1])

def dies(*args, **kwargs):
    os._exit(9)

build.build_site = dies
try:
    build.build_sites(root, ["fr", "nl"], root / "site", root / "no-pdfs", load.load(root / "content"), cache=False, workers=2)
except build.SiteError as exc:
    print("SiteError:", exc)
"""
    proc = subprocess.run([sys.executable, "-c", script, str(mini)], capture_output=True, text=True, timeout=300, cwd=mini)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "SiteError: site: a site build process stopped before it finished" in proc.stdout, proc.stdout + proc.stderr[-2000:]
