"""Build time with 20 large photos: what the web variants cost, and that an unchanged image is
never encoded again.

    .venv/bin/python bench/figures_bench.py [--photos 20] [--size 4000x3000] [--print] [--keep DIR]

On a copy of the project (content/ + mkdocs.yml, plugins/ linked), it adds N generated photos
(JPEG, 4000 × 3000 px by default) to content/media/bench/, declares them in content/figures.yml
and places them as a gallery in the brochure's "Retour en images" (FR and NL), then runs:

1. `clss build --no-print` (or the full build with --print) from a clean cache: every variant is made;
2. the same build again, nothing changed: the build's incremental keys keep the site as it is;
3. after an edit of one French page (the site is rebuilt): the variants come from the cache.

For each run: wall time, and the variant files written into .cache/clss/figures/ (the count of
encodings). The photos are generated (gradients and noise, so that JPEG/WebP have work to do);
they never enter the repository.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("content/fr/publications/brochure-5-ans/65-retour-en-images.md", "content/nl/publications/brochure-5-ans/65-retour-en-images.md")


def make_photo(path: Path, size: tuple[int, int], seed: int) -> None:
    w, h = size
    small = Image.linear_gradient("L").resize((w // 8, h // 8)).convert("RGB")
    draw = ImageDraw.Draw(small)
    for i in range(12):
        x, y = (seed * 97 + i * 131) % (w // 8), (seed * 53 + i * 71) % (h // 8)
        draw.ellipse((x, y, x + w // 30, y + h // 25), fill=((seed * 40 + i * 20) % 255, (i * 60) % 255, (seed * 90) % 255))
    big = small.resize(size, Image.Resampling.BICUBIC)
    noise = Image.frombytes("L", size, os.urandom(w * h)).convert("RGB")  # grain: JPEG and WebP have work to do
    Image.blend(big, noise, 0.12).save(path, "JPEG", quality=88)


def prepare(root: Path, n: int, size: tuple[int, int]) -> None:
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # a frozen copy of the code: the build keys hash it, so edits made meanwhile in the working
    # tree must not make the "no change" run rebuild
    shutil.copytree(ROOT / "plugins", root / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    media = root / "content" / "media" / "bench"
    media.mkdir(parents=True, exist_ok=True)
    entries, ids = [], []
    for i in range(n):
        make_photo(media / f"photo-{i:02d}.jpg", size, i)
        ids.append(f"bench-{i:02d}")
        entries.append(f"  - id: bench-{i:02d}\n    file: media/bench/photo-{i:02d}.jpg\n"
                       f"    alt: {{fr: Photo de banc d'essai {i}, nl: Testfoto {i}}}\n    credit: bench\n")
    figures = root / "content" / "figures.yml"
    text = figures.read_text(encoding="utf-8")
    head, sep, galleries = text.partition("\ngalleries:\n")
    text = head.rstrip("\n") + "\n" + "".join(entries) + sep + galleries + f"  - id: bench\n    figures: [{', '.join(ids)}]\n"
    figures.write_text(text, encoding="utf-8")
    for rel in PAGES:
        page = root / rel
        page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n\n[[insert: gallery bench]]\n", encoding="utf-8")


def variants(root: Path) -> set[Path]:
    folder = root / ".cache" / "clss" / "figures"
    return {p for p in folder.rglob("*") if p.is_file() and p.suffix in (".webp", ".jpg")} if folder.is_dir() else set()


def build(root: Path, do_print: bool, label: str) -> dict:
    before = variants(root)
    env = dict(os.environ, CLSS_ROOT=str(root), NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(root / "plugins"))
    args = [sys.executable, "-m", "clss.cli", "build"] + ([] if do_print else ["--no-print"])
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"{label}: clss build failed:\n{proc.stderr[-3000:]}")
    written = len(variants(root) - before)
    site = root / "build" / "site"
    published = sum(1 for _ in site.rglob("media/*/*")) if site.is_dir() else 0
    rebuilt = [line.strip("· ") for line in proc.stderr.splitlines() if line.startswith("· site ")]
    return {"run": label, "seconds": seconds, "cpu": cpu, "variants written": written, "media files in build/site": published,
            "site": "; ".join(rebuilt)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--photos", type=int, default=20)
    ap.add_argument("--size", default="4000x3000")
    ap.add_argument("--print", dest="do_print", action="store_true", help="full build (PDFs too), not only the site")
    ap.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    opts = ap.parse_args()
    size = tuple(int(x) for x in opts.size.lower().split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="figures-bench-")) if opts.keep is None else opts.keep
    root = tmp / "project"
    t = time.perf_counter()
    prepare(root, opts.photos, size)  # type: ignore[arg-type]
    print(f"{opts.photos} photos of {size[0]}×{size[1]} px generated in {time.perf_counter() - t:.1f} s "
          f"({sum(p.stat().st_size for p in (root / 'content/media/bench').iterdir()) / 1e6:.0f} MB)")
    rows = [build(root, opts.do_print, "1. first build (empty cache)")]
    rows.append(build(root, opts.do_print, "2. again, no change"))
    page = root / PAGES[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    rows.append(build(root, opts.do_print, "3. one French page edited"))
    for r in rows:
        print(f"{r['run']:<30} {r['seconds']:7.1f} s wall, {r['cpu']:6.1f} s CPU   variants written: {r['variants written']:4d}   "
              f"media files in build/site: {r['media files in build/site']}   ({r['site']})")
    if opts.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
