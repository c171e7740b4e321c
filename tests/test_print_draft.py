"""Draft PDFs (issue 11): a draft mark on every page; without a real site_url, QR codes and
printed addresses of the site are a labelled box. And the worker pool stops cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pypdf
import pytest

from clss import i18n, languages, load
from clss.print import pdf

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("test_print_draft")]


@pytest.fixture(scope="module")
def drafts(content_copy, tmp_path_factory):
    content = load.load(content_copy / "content")
    out = tmp_path_factory.mktemp("drafts")
    made = {}
    for name, lang in (("quartier:marolles", "nl"), ("brochure-5-ans", "fr")):
        target = out / f"{lang}-{name.replace(':', '-')}.pdf"
        pdf.render(content_copy, content, pdf.job_for(content, name, lang), target, site_url="https://clss.example.invalid/", draft=True)
        made[(name, lang)] = target
    release = out / "release-marolles.pdf"
    pdf.render(content_copy, content, pdf.job_for(content, "quartier:marolles", "fr"), release,
               site_url="https://www.ccc-ggc.brussels/clss/", draft=False)
    made["release"] = release
    return content, made


def squeezed(text: str) -> str:
    return "".join(text.split()).replace("\u00ad", "").replace("-", "").lower()


def test_draft_mark_on_every_page(drafts):
    _content, made = drafts
    for (name, lang), target in ((k, v) for k, v in made.items() if k != "release"):
        mark = languages.get(lang).draft_mark.lower()
        r = pypdf.PdfReader(target)
        missing = [i + 1 for i, page in enumerate(r.pages) if mark not in squeezed(page.extract_text())]
        assert not missing, f"{name} {lang}: no draft mark on pages {missing}"


def test_release_has_no_draft_mark(drafts):
    _content, made = drafts
    text = squeezed("".join(p.extract_text() for p in pypdf.PdfReader(made["release"]).pages))
    assert all(lang.draft_mark.lower() not in text for lang in languages.LANGUAGES)


def test_unknown_site_address_is_a_labelled_box(drafts):
    content, made = drafts
    for (name, lang), target in ((k, v) for k, v in made.items() if k != "release"):
        _ = i18n.gettext_for(lang)
        r = pypdf.PdfReader(target)
        text = " ".join(p.extract_text() for p in r.pages)
        assert "example.invalid" not in text and "site-url.invalid" not in text, name
        assert squeezed(_("Web address not yet known")) in squeezed(text), name
    # no QR code of the site's pages: no figure whose alt text names a quartier's web page
    import pikepdf

    alt = i18n.gettext_for("fr")("QR code to the web page of %(name)s") % {"name": ""}
    with pikepdf.open(made[("brochure-5-ans", "fr")]) as doc:
        alts = [str(o.Alt) for o in doc.objects if isinstance(o, pikepdf.Dictionary) and "/Alt" in o]
    assert alts, "the brochure has figures with alt text"
    assert not [a for a in alts if a.startswith(alt.strip())], "a QR code to the site was printed"


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_terminates_the_pdf_workers(content_copy, tmp_path):
    """SIGTERM while PDFs are being made: exit 143, and no worker (or pandoc) left after 5 s."""
    script = textwrap.dedent(f"""
        import threading
        from pathlib import Path
        from clss import load
        from clss.print import pdf
        threading.Thread(target=lambda: None).start()  # like the progress bar: forces forkserver
        root = Path({str(content_copy)!r})
        content = load.load(root / "content")
        pdf.render_all(root, content, pdf.all_jobs(content, ["fr", "nl"]), Path({str(tmp_path)!r}), max_workers=2)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    seen: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline and len(seen) < 2:
        seen |= _descendants(proc.pid)
        time.sleep(0.2)
    assert seen, "the pool never started"
    time.sleep(1.0)
    seen |= _descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    time.sleep(5)
    left = [pid for pid in seen if _alive(pid)]
    assert not left, f"processes left behind: {left}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_worker_that_dies_fails_its_pdfs_and_not_the_others(content_copy, tmp_path):
    """One process per task: a worker killed in the middle of its task (here: exit code 9 before
    its PDF) fails that task's PDFs with a message, while the other task's PDF is still reported.
    The caller has a single thread, so the workers are forked and run the caller's own objects
    (here a stand-in for making the PDFs), one worker or two."""
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from clss import load, processes
        from clss.print import pool
        from clss.print.jobs import PrintError, job_for
        print("fork" if processes.fork_context() else "forkserver")
        root = Path({str(content_copy)!r})
        content = load.load(root / "content")

        def task(jobs, content, site_url, out_dir, draft, cache_dir, report, index=None):  # stands in for making the PDFs
            if jobs[0].lang == "nl":
                os._exit(9)
            report(jobs[0], None)

        pool._run_task = task
        made = []
        jobs = [job_for(content, "rapport-2025", "fr"), job_for(content, "brochure-5-ans", "nl")]
        try:
            pool.render_all(root, content, jobs, Path({str(tmp_path)!r}), max_workers=2, progress=made.append)
        except PrintError as exc:
            print("ERROR", exc)
        print("MADE", [str(j) for j in made])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert out.startswith("fork\n"), out
    assert "ERROR nl/brochure-5-ans.pdf: the PDF worker stopped (exit code 9)" in out, out
    assert "MADE ['fr/rapport-2025.pdf']" in out, out
