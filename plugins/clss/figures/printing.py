"""The Typst call of a figure or a gallery, as a raw Typst block of pandoc Markdown, and the
image files the PDF needs (assets: path in the Typst project → bytes).

Texts are passed as Typst string literals (shown as text, never read as markup). The functions
clss-figure and clss-gallery live in print/templates/base.typ.
"""
from __future__ import annotations

from .. import i18n, typography
from .. import model as m
from ..content import Content
from . import images, placing
from .model import Illustration

_TYPST_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": " ", "\r": " ", "\t": " "}


def typst_str(value: str) -> str:
    return '"' + "".join(_TYPST_ESCAPES.get(ch, ch) for ch in value if ch >= " " or ch in "\n\r\t") + '"'


def text(value: m.Localized | None, lang: str) -> str | None:
    if value is None:
        return None
    out = value.get(lang)
    return typography.french(out) if lang == "fr" else out


def pending_label(fig: Illustration, lang: str) -> str:
    _ = i18n.gettext_for(lang)
    return _("Drawing to come") if fig.kind == "drawing" else _("Photo to come")


def asset_name(rel: str) -> str:
    return f"media/{rel}"


def figure_call(content: Content, fig: Illustration, lang: str, assets: dict[str, bytes], in_gallery: bool) -> str:
    args: list[str] = []
    caption, alt = text(fig.caption, lang), text(fig.alt, lang)
    if fig.pending:
        args.append(f"pending: {typst_str(pending_label(fig, lang))}")
        if alt:
            args.append(f"description: {typst_str(alt)}")
    else:
        rel = fig.file_for(lang)
        path = content.root / rel
        info = images.inspect(path)
        assets[asset_name(rel)] = images.print_bytes(path, info)
        args.append(f"src: {typst_str('/' + asset_name(rel))}")
        if fig.decorative:
            args.append("decorative: true")
        elif alt:
            args.append(f"alt: {typst_str(alt)}")
    if caption:
        args.append(f"caption: {typst_str(caption)}")
    if fig.credit:
        args.append(f"credit: {typst_str(fig.credit)}")
    if fig.width is not None and not in_gallery:
        args.append(f"width: {fig.width}" if isinstance(fig.width, str) else f"width: {float(fig.width) * 100:g}%")
    if fig.placement != "here" and not in_gallery:
        args.append(f"placement: {fig.placement}")
    return f"clss-figure({', '.join(args)})"


def typst_block(content: Content, name: str, ids: list[str], lang: str) -> tuple[str, dict[str, bytes]]:
    """The raw Typst block of `[[insert: figure ID]]` or `[[insert: gallery …]]`."""
    assets: dict[str, bytes] = {}
    figs = [content.figures[i] for i in ids]
    if name == "gallery":
        calls = ", ".join(figure_call(content, f, lang, assets, True) for f in figs)
        code = f"#clss-gallery(columns: {placing.GALLERY_COLUMNS}, gutter: {placing.GALLERY_GUTTER:g}mm, {calls})"
    else:
        code = "#" + figure_call(content, figs[0], lang, assets, False)
    return f"\n```{{=typst}}\n{code}\n```\n", assets
