"""The preflight's verdict: a PDF's problems for its edition (PDF/X: print; PDF/A: web) and
the report in the editor's language."""
from __future__ import annotations

from pathlib import Path

from ..messages import UI, Message, msg, msg_n
from .scan import GOOD_PPI, MAX_INK, MIN_PPI, SUBSET_RE, Report, _components, rich_black, scan


def _pages(numbers) -> str | Message:
    nums = sorted(numbers)
    shown = ", ".join(str(n) for n in nums[:8])
    return msg("%(first)s … (%(n)d pages)", first=shown, n=len(nums)) if len(nums) > 8 else shown


def judge(r: Report) -> None:
    """Fill `r.problems` (unfit for its edition) and `r.warnings`."""
    missing = sorted(name for name, (embedded, _) in r.fonts.items() if not embedded)
    if missing:
        r.problems.append(msg_n("font not embedded: %(names)s", "fonts not embedded: %(names)s", len(missing), names=", ".join(missing)))
    if r.pages == 0:
        r.problems.append(msg("the PDF has no page"))
    low = [im for im in r.images if im.ppi < MIN_PPI]
    fair = [im for im in r.images if MIN_PPI <= im.ppi < GOOD_PPI]
    if r.edition == "print":
        if "GTS_PDFX" not in r.intent_kinds:
            r.problems.append(msg("no PDF/X output intent (GTS_PDFX): the print shop cannot know the printing condition"))
        elif not r.cmyk_profile:
            r.problems.append(msg("the PDF/X output intent has no embedded CMYK profile"))
        if not r.pdfx:
            r.problems.append(msg("the XMP metadata does not say which PDF/X version (pdfxid:GTS_PDFXVersion)"))
        if r.rgb_pages:
            r.problems.append(msg("RGB colour on page %(pages)s: a PDF/X for this press must be CMYK only", pages=_pages(r.rgb_pages)))
        if r.ink > MAX_INK + 0.5:
            r.problems.append(msg("total ink %(ink)d %% on page %(page)d: more than the %(max)d %% the press allows",
                                  ink=round(r.ink), page=r.ink_page, max=round(MAX_INK)))
        if r.printed_annotations:
            r.problems.append(msg("an annotation (link, comment…) would print on page %(pages)s: a PDF/X prints only the page content",
                                  pages=_pages(r.printed_annotations)))
        r.problems.extend(r.box_problems[:5])
        if len(r.box_problems) > 5:
            r.problems.append(msg("… and %(n)d more pages with wrong boxes", n=len(r.box_problems) - 5))
        for im in low[:5]:
            r.problems.append(msg("image on page %(page)d (%(width)d × %(height)d px) prints at %(ppi)d ppi: below %(min)d ppi it looks blurred",
                                  page=im.page, width=im.width, height=im.height, ppi=round(im.ppi), min=round(MIN_PPI)))
        rich = sorted({v for (space, v), _ in r.text_fills.items() if rich_black(space, v)})
        if rich:
            r.warnings.append(msg("text in a four-colour black (registration risk for small type): %(colours)s",
                                  colours=", ".join("C{:.0f} M{:.0f} Y{:.0f} K{:.0f}".format(*(100 * x for x in v)) for v in rich[:3])))
        for im in fair[:5]:
            r.warnings.append(msg("image on page %(page)d prints at %(ppi)d ppi (300 ppi or more is better)", page=im.page, ppi=round(im.ppi)))
    elif r.edition == "web":
        if "GTS_PDFA1" not in r.intent_kinds:
            r.problems.append(msg("no PDF/A output intent (GTS_PDFA1)"))
        if not r.pdfa:
            r.problems.append(msg("the XMP metadata does not identify the PDF/A part"))
        for im in low[:5]:
            r.warnings.append(msg("image on page %(page)d at %(ppi)d ppi: too coarse to print", page=im.page, ppi=round(im.ppi)))
    else:
        r.warnings.append(msg("neither PDF/X nor PDF/A: the edition cannot be checked (make it with clss pdf --edition web|print)"))


def _cmyk_used(r: Report) -> bool:
    return any(_components(space) == "cmyk" for space in r.spaces)


def lines(r: Report, ui: UI | None = None) -> list[str]:
    """The report of one PDF as text lines in the editor's language (English without `ui`);
    the first one says whether it is fit for its edition."""
    say = ui or (lambda m: m.render() if isinstance(m, Message) else m)
    what = {"print": msg("print edition"), "web": msg("web edition"), "unknown": msg("no known edition")}[r.edition]
    ids = ", ".join(x for x in (r.pdfx, r.pdfa, r.pdfua) if x) or say(msg("no PDF/X or PDF/A identification"))
    verdict = (msg_n("NOT fit: %(n)d problem", "NOT fit: %(n)d problems", len(r.problems)) if r.problems
               else msg("fit for print") if r.edition == "print" else msg("fit for the web") if r.edition == "web" else msg("checked"))
    out = [f"{r.path}: {ids} ({say(what)}) — {say(verdict)}"]
    if r.pages:
        out.append("  " + say(msg("pages: %(n)d", n=r.pages)))
        for (media, trim, bleed), n in r.boxes.most_common(4):
            parts = [say(msg("media %(width).1f × %(height).1f mm", width=media[0], height=media[1]))]
            if trim:
                parts.append(say(msg("trim %(width).1f × %(height).1f mm", width=trim[0], height=trim[1])))
            if bleed is not None:
                parts.append(say(msg("bleed %(mm).1f mm", mm=bleed)))
            out.append("    " + ", ".join(parts) + (" " + say(msg_n("(%(n)d page)", "(%(n)d pages)", n)) if len(r.boxes) > 1 else ""))
    out.append("  " + say(msg("output intents: %(intents)s", intents="; ".join(say(i) for i in r.intents) if r.intents else say(msg("none")))))
    embedded = sum(1 for e, _ in r.fonts.values() if e)
    subset = sum(1 for _, s in r.fonts.values() if s)
    names = ", ".join(sorted(SUBSET_RE.sub("", n) for n in r.fonts))
    out.append("  " + say(msg("fonts: %(n)d, %(embedded)d embedded, %(subset)d subset", n=len(r.fonts), embedded=embedded, subset=subset))
               + (f": {names}" if names else ""))
    out.append("  " + say(msg("colour spaces: %(spaces)s", spaces=", ".join(sorted(r.spaces)) or say(msg("none")))))
    if _cmyk_used(r) or r.edition == "print":
        ink = say(msg("max total ink: %(ink)d %% (page %(page)d)", ink=round(r.ink), page=r.ink_page))
        out.append("  " + ink + ("; " + say(msg("registration colour in printer's marks (not counted)")) if r.registration else ""))
    else:
        out.append("  " + say(msg("max total ink: no CMYK colour (the print shop's conversion decides)")))
    if r.text_fills and (_cmyk_used(r) or r.edition == "print"):
        total = sum(r.text_fills.values())
        k_only = sum(n for (space, v), n in r.text_fills.items()
                     if (_components(space) == "cmyk" and len(v) == 4 and v[:3] == (0.0, 0.0, 0.0)) or space == "DeviceGray")
        out.append("  " + say(msg("text: %(share)d %% of text runs in black ink only", share=round(100 * k_only / total))))
    if r.images:
        worst = min(r.images, key=lambda im: im.ppi)
        out.append("  " + say(msg("images: %(n)d placed; lowest effective resolution %(ppi)d ppi (page %(page)d, %(width)d × %(height)d px, %(space)s)",
                                  n=len(r.images), ppi=round(worst.ppi), page=worst.page, width=worst.width, height=worst.height, space=worst.space)))
    else:
        out.append("  " + say(msg("images: none")))
    out += ["  " + say(msg("problem: %(text)s", text=p)) for p in r.problems]
    out += ["  " + say(msg("warning: %(text)s", text=w)) for w in r.warnings]
    return out


def run(files, echo=print, ui: UI | None = None) -> int:
    """Preflight each file, report in the editor's language (`ui`; English without); 0 when
    every one is fit for its edition, else 1."""
    status = 0
    for path in files:
        path = Path(path)
        if not path.is_file():
            echo(f"{path}: " + (ui or UI.of("en"))(msg("no such file")))
            status = 1
            continue
        report = inspect(path)
        for line in lines(report, ui):
            echo(line)
        if report.problems:
            status = 1
    return status


def inspect(path: Path) -> Report:
    """Everything preflight reports about one PDF, and its problems for its edition."""
    report = scan(path)
    judge(report)
    return report
