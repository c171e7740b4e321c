"""Photos and drawings (content/figures.yml, clss.figures) through both outputs.

Images are generated with Pillow in the test's mini project. In-process: the checks (alt text,
unknown ids, bad files, print resolution), the release gate, the web variants and their HTML, one
PDF (pypdf: the image at its pixel size and placed width; pikepdf: the alt text in the structure
tree). In a subprocess: `clss check` on bad images (exit 1, one message each, no traceback) and
one site build of the mini project (the <picture> and the pending box in the built HTML).
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from clss import checks, release
from clss.figures import images, placing, web
from conftest import ROOT, run_clss_in

CHAPTER = "content/fr/publications/rapport-test/01-etat.md"
FIGURES = "content/figures.yml"
ALT = {"fr": "Une salle pleine de monde", "nl": "Een volle zaal"}


def photo(path: Path, size=(3000, 2000), mode="RGB", colour=(40, 120, 180), **save) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour if mode != "CMYK" else (200, 40, 0, 0)).save(path, **save)
    return path


def figure_yaml(*entries: str, galleries: str = "") -> str:
    return "figures:\n" + "".join(entries) + (f"galleries:\n{galleries}" if galleries else "")


def entry(fid: str, file: str, *, alt=True, extra: str = "") -> str:
    text = f"  - id: {fid}\n    file: {file}\n"
    if alt:
        text += f"    alt: {{fr: {ALT['fr']}, nl: {ALT['nl']}}}\n"
    return text + extra


def place(root: Path, *lines: str) -> dict[str, int]:
    """Append insert lines to the mini chapter; {line text: line number}."""
    path = root / CHAPTER
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    out = {}
    for line in lines:
        text += "\n" + line + "\n"
        out[line] = text.count("\n")
    path.write_text(text, encoding="utf-8")
    return out


def yaml_lines(root: Path, needle: str) -> list[int]:
    return [n for n, line in enumerate((root / FIGURES).read_text(encoding="utf-8").split("\n"), 1) if needle in line]


def yaml_line(root: Path, needle: str) -> int:
    return yaml_lines(root, needle)[0]


@pytest.fixture
def figured(mini) -> Path:
    """The mini project with a photo, a small drawing at 40 mm, a pending photo and a gallery."""
    media = mini / "content" / "media"
    photo(media / "salle.jpg", size=(1800, 1200), quality=90)
    photo(media / "dessin.png", size=(600, 400), mode="RGBA", colour=(200, 80, 40, 0))
    (mini / FIGURES).write_text(figure_yaml(
        entry("salle", "media/salle.jpg", extra="    caption: {fr: La plénière, nl: De plenaire sessie}\n    credit: © Victoire 2Rivoyre\n"),
        entry("dessin", "media/dessin.png", extra="    kind: drawing\n    width: 40mm\n"),
        entry("attente", "media/attente.jpg", alt=False,
              extra="    pending: true\n    caption: {fr: Les ateliers, nl: De workshops}\n    credit: © Victoire 2Rivoyre\n"),
        galleries="  - id: album\n    figures: [salle, attente]\n"), encoding="utf-8")
    place(mini, "[[insert: figure salle]]", "[[insert: figure dessin]]", "[[insert: gallery album]]")
    return mini


def problems(root: Path) -> tuple[list[str], list[str]]:
    content = checks.load_and_check(root / "content")
    return [str(e) for e in content.errors], [str(w) for w in content.warnings]


# --- declarations and placements ------------------------------------------------------------


def test_valid_figures_pass_the_check(figured):
    errors, warnings = problems(figured)
    assert errors == []
    assert warnings == []


def test_missing_alt_unknown_id_and_file_not_found(figured):
    (figured / FIGURES).write_text(figure_yaml(
        entry("salle", "media/salle.jpg", alt=False),
        entry("absente", "media/absente.jpg")), encoding="utf-8")
    lines = place(figured, "[[insert: figure sale]]")
    errors, _ = problems(figured)
    assert f"{FIGURES}:{yaml_line(figured, 'id: salle')}: figure `salle` has no alt text" in "\n".join(errors)
    assert any(e.startswith(f"{FIGURES}:{yaml_line(figured, 'absente.jpg')}:") and "file not found" in e and "pending: true" in e for e in errors)
    assert any(e.startswith(f"{CHAPTER}:{lines['[[insert: figure sale]]']}:") and "unknown figure `sale`" in e and "salle" in e for e in errors)


def test_decorative_is_the_explicit_alternative_to_alt(figured):
    (figured / FIGURES).write_text(figure_yaml(
        entry("salle", "media/salle.jpg", alt=False, extra="    decorative: true\n"),
        entry("dessin", "media/dessin.png", extra="    width: 40mm\n    decorative: true\n"),
        entry("attente", "media/x.jpg", alt=False, extra="    pending: true\n"),
        galleries="  - id: album\n    figures: [salle, attente]\n"), encoding="utf-8")
    errors, _ = problems(figured)
    assert errors == [f"{FIGURES}:{yaml_lines(figured, 'decorative: true')[1]}: figure `dessin`: `decorative: true` and an `alt:` text; "
                      "keep one (decorative means there is nothing to describe)"]


# --- bad images ---------------------------------------------------------------------------------


def bomb_png(path: Path, side: int = 20_000) -> None:
    """A small PNG whose header says side × side pixels (what Pillow's guard reads)."""
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = 8 + 8  # signature, then length + "IHDR"
    data[ihdr:ihdr + 8] = struct.pack(">II", side, side)
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", zlib.crc32(bytes(data[ihdr - 4:ihdr + 13])))
    path.write_bytes(bytes(data))


def make_bad(media: Path, kind: str) -> str:
    """Write one bad image; its `file:` value."""
    media.mkdir(parents=True, exist_ok=True)
    if kind == "corrupt":
        good = io.BytesIO()
        Image.effect_noise((800, 600), 60).convert("RGB").save(good, "JPEG", quality=90)
        (media / "corrupt.jpg").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
        return "media/corrupt.jpg"
    if kind == "not-an-image":
        (media / "notes.jpg").write_text("Ceci n'est pas une image.\n", encoding="utf-8")
        return "media/notes.jpg"
    if kind == "bomb":
        bomb_png(media / "bomb.png")
        return "media/bomb.png"
    if kind == "svg-script":
        (media / "script.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                                          '<script>alert(1)</script><rect width="10" height="10"/></svg>', encoding="utf-8")
        return "media/script.svg"
    if kind == "svg-handler":
        (media / "onload.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"></svg>', encoding="utf-8")
        return "media/onload.svg"
    if kind == "outside":
        return "../outside.jpg"
    if kind == "symlink-outside":
        outside = photo(media.parent.parent / "outside.jpg")
        (media / "link.jpg").symlink_to(outside)
        return "media/link.jpg"
    raise AssertionError(kind)


BAD = {
    "corrupt": "damaged",
    "not-an-image": "not an image",
    "bomb": "too large to process safely (400 megapixels",
    "svg-script": "<script>",
    "svg-handler": "event handler `onload=`",
    "outside": "outside content/",
    "symlink-outside": "leads outside content/",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_image_is_an_error_with_its_line(mini, kind):
    file = make_bad(mini / "content" / "media", kind)
    (mini / FIGURES).write_text(figure_yaml(entry("mauvaise", file)), encoding="utf-8")
    place(mini, "[[insert: figure mauvaise]]")
    errors, _ = problems(mini)
    line = yaml_line(mini, "file:")
    assert [e for e in errors if BAD[kind] in e and e.startswith(f"{FIGURES}:{line}:")], errors


def test_clss_check_refuses_bad_images_with_exit_1(mini):
    """All bad images at once through the CLI: exit 1, one `path:line: message` each, no traceback."""
    kinds = ["corrupt", "not-an-image", "bomb", "svg-script", "outside"]
    media = mini / "content" / "media"
    entries = [entry(f"mauvaise-{i}", make_bad(media, k)) for i, k in enumerate(kinds)]
    (mini / FIGURES).write_text(figure_yaml(*entries), encoding="utf-8")
    place(mini, *(f"[[insert: figure mauvaise-{i}]]" for i in range(len(kinds))))
    code, out, err = run_clss_in(["check"], mini)
    assert code == 1
    assert "Traceback" not in out + err
    for kind in kinds:
        assert re.search(rf"^{re.escape(FIGURES)}:\d+: .*{re.escape(BAD[kind])}", err, re.M), (kind, err)


def test_cmyk_jpeg_is_accepted_and_converted(tmp_path):
    path = photo(tmp_path / "cmyk.jpg", size=(900, 600), mode="CMYK")
    info = images.inspect(path)
    assert info.cmyk
    variants = web.Variants(None)
    webimg = variants.image(path)
    with Image.open(io.BytesIO(variants.files[webimg.jpeg[0].name])) as im:  # type: ignore[arg-type]
        assert im.mode == "RGB"
    assert webimg.full == webimg.jpeg[-1].name  # browsers show CMYK badly: the link goes to a converted JPEG
    with Image.open(io.BytesIO(images.print_bytes(path, info))) as im:
        assert im.mode == "RGB"  # PDF/A-2b of the web edition: sRGB


def test_png_with_alpha_is_flattened_for_the_jpeg_fallback(tmp_path):
    path = tmp_path / "alpha.png"
    im = Image.new("RGBA", (700, 500), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 350, 500))
    im.save(path)
    variants = web.Variants(None)
    webimg = variants.image(path)
    with Image.open(io.BytesIO(variants.files[webimg.jpeg[0].name])) as jpeg:  # type: ignore[arg-type]
        assert jpeg.mode == "RGB"
        assert min(jpeg.getpixel((jpeg.width - 5, 10))) > 240  # transparent → white
    with Image.open(io.BytesIO(variants.files[webimg.webp[0].name])) as webp:  # type: ignore[arg-type]
        assert webp.mode == "RGBA"  # WebP keeps the transparency


# --- print resolution -------------------------------------------------------------------------------


def test_low_resolution_is_an_error_below_150_ppi_and_blocks_a_release_below_300(mini):
    column = placing.column_width("report", "a4")  # the mini publication is a report
    media = mini / "content" / "media"
    photo(media / "floue.jpg", size=(round(column / 25.4 * 100), 400))  # 100 ppi at the column width
    photo(media / "moyenne.jpg", size=(round(column / 25.4 * 200), 800))  # 200 ppi
    (mini / FIGURES).write_text(figure_yaml(entry("floue", "media/floue.jpg"), entry("moyenne", "media/moyenne.jpg")), encoding="utf-8")
    lines = place(mini, "[[insert: figure floue]]", "[[insert: figure moyenne]]")
    errors, warnings = problems(mini)
    assert [e for e in errors if e.startswith(f"{CHAPTER}:{lines['[[insert: figure floue]]']}:") and "at 100 ppi" in e and "below 150" in e], errors
    low = [w for w in warnings if w.startswith(f"{CHAPTER}:{lines['[[insert: figure moyenne]]']}:") and "at 200 ppi" in w]
    assert low, warnings
    # fixed by a smaller printed width: no error any more, and the 200 ppi one blocks a release
    (mini / FIGURES).write_text(figure_yaml(entry("floue", "media/floue.jpg", extra="    width: 0.3\n"),
                                            entry("moyenne", "media/moyenne.jpg")), encoding="utf-8")
    content = checks.load_and_check(mini / "content")
    assert content.errors == []
    assert any("at 200 ppi" in str(b) for b in release.blockers(mini, content))


def test_release_lists_pending_figures_with_their_line(figured):
    content = checks.load_and_check(figured / "content")
    blocking = [str(b) for b in release.blockers(figured, content)]
    line = yaml_line(figured, "pending: true")
    assert [b for b in blocking if b.startswith(f"{FIGURES}:{line}: figure `attente` is pending") and f"{CHAPTER}:" in b], blocking


# --- web -------------------------------------------------------------------------------------------


def test_web_variants_srcset_dimensions_and_cache(figured, tmp_path):
    content = checks.load_and_check(figured / "content")
    markdown = "# T\n\n<!-- clss-figures: figure salle -->\n\n" + "Texte.\n\n" * 400 + "<!-- clss-figures: gallery salle attente -->\n"
    site = web.SiteFigures(content, "fr", tmp_path / "cache")
    files = site.prepare([markdown])
    assert site.variants.encoded == 8  # 480, 800, 1200, 1600 px; WebP and JPEG
    html = site.html(markdown, "publications/rapport-test/01-etat/")
    first = html.split("<figure", 2)[1]
    assert re.search(r'<source type="image/webp" srcset="[^"]*-480\.webp 480w, [^"]*-800\.webp 800w, [^"]*-1200\.webp 1200w, [^"]*-1600\.webp 1600w"', first)
    assert 'width="1600" height="1067"' in first and f'alt="{ALT["fr"]}"' in first
    assert 'loading="lazy"' not in first  # at the top of the page
    assert 'loading="lazy"' in html.split("clss-gallery", 1)[1]  # further down
    assert re.search(r'<a class="clss-figure__link" href="\.\./\.\./\.\./media/[0-9a-f]{12}/salle\.jpg"', first)  # the full-size image
    assert "<figcaption>La plénière <span class=\"clss-figure__credit\">© Victoire 2Rivoyre</span></figcaption>" in first
    for v in re.findall(r"\.\./\.\./\.\./(media/[^ \"]+)", html):
        assert v in files
    sizes = {name: Image.open(io.BytesIO(p)).size if isinstance(p, bytes) else Image.open(p).size for name, p in files.items()}
    assert sizes[next(n for n in files if n.endswith("-480.webp"))] == (480, 320)
    # pending: a labelled box with caption and credit, never a picture
    pending = html.split('id="figure-attente"', 1)[1].split("</figure>", 1)[0]
    assert "Photo à venir" in pending and "Les ateliers" in pending and "<img" not in pending
    # a second build with the same cache encodes nothing
    again = web.SiteFigures(content, "fr", tmp_path / "cache")
    kept = again.prepare([markdown])
    assert again.variants.encoded == 0
    assert kept.keys() == files.keys()
    assert all(kept[n] == files[n] for n in files if n.endswith(".webp"))  # the very bytes made the first time
    # a damaged variant in the cache is never published: the image is encoded again, the same
    victim = sorted(p for p in (tmp_path / "cache" / "figures-files").rglob("*") if p.is_file())[0]
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0x01
    victim.write_bytes(bytes(data))
    third = web.SiteFigures(content, "fr", tmp_path / "cache")
    assert third.prepare([markdown]) == kept
    assert third.variants.encoded == 8


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_places_the_original_with_alt_text_and_a_pending_box(figured, tmp_path):
    import pikepdf
    import pypdf

    from clss.print import pdf as printer

    content = checks.load_and_check(figured / "content")
    target = tmp_path / "rapport.pdf"
    printer.render(figured, content, printer.job_for(content, "rapport-test", "fr"), target, draft=True)
    reader = pypdf.PdfReader(target)
    placed = {}  # image pixel width -> placed width in points (from the `cm` before `Do`)
    for page in reader.pages:
        xobjects = {k: v.get_object() for k, v in (page["/Resources"].get("/XObject") or {}).items()}
        ctm = None
        for operands, op in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
            if op == b"cm":
                ctm = [float(x) for x in operands]
            elif op == b"Do" and operands[0] in xobjects and xobjects[operands[0]].get("/Subtype") == "/Image":
                placed.setdefault(int(xobjects[operands[0]]["/Width"]), float(ctm[0]) if ctm else 0.0)
    assert 1800 in placed and 600 in placed, placed  # the originals, not downsampled
    column_pt = placing.column_width("report", "a4") / 25.4 * 72
    assert placed[1800] == pytest.approx(column_pt, rel=0.01)  # the whole column: 305 ppi as checked
    assert placed[600] == pytest.approx(40 / 25.4 * 72, rel=0.01)  # `width: 40mm`
    with pikepdf.open(target) as pdf:
        alts = []

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if "/Alt" in node:
                    alts.append(str(node.Alt))
                if "/K" in node:
                    walk(node.K)
            elif isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert ALT["fr"] in alts
    assert any(a.startswith("Photo à venir") and "Les ateliers" in a for a in alts)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Photo à venir" in text and "La plénière" in text and "Victoire 2Rivoyre" in text


# --- site (one small build) ----------------------------------------------------------------------


def test_site_shows_pictures_and_pending_boxes(figured):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^(\s+)cache_dir: .*$", r"\g<0>\n\1search: false", config, count=1)  # no search index: not under test
    (figured / "mkdocs.yml").write_text(config, encoding="utf-8")
    (figured / "plugins").symlink_to(ROOT / "plugins", target_is_directory=True)
    code, out, err = run_clss_in(["build", "--no-print", "--lang", "nl"], figured, timeout=300)
    assert code == 0, err[-2000:]
    html = (figured / "build/site/nl/publications/rapport-test/01-etat/index.html").read_text(encoding="utf-8")
    assert re.search(r'<picture>\s*<source type="image/webp" srcset="[^"]+ 480w', html)
    assert "Foto volgt" in html and "De workshops" in html
    for src in re.findall(r'srcset="([^"]+)"', html):
        for candidate in src.split(", "):
            url = candidate.split()[0]
            assert (figured / "build/site/nl/publications/rapport-test/01-etat" / url).resolve().is_file(), url
