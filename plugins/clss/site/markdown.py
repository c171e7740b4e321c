"""A Python-Markdown extension registered by the clss plugin: conventions of our Markdown that
become HTML structure on the site.

- Footnotes keep the publication's own numbers (labels `[^14]`), as in the PDF: the reference
  shows 14, the list item has value 14, the back-link title says 14, in the page's language.
- Interview quotes: a paragraph starting with "— " inside a block quote names the speaker
  (class `clss-speaker`); when a quote holds several testimonies, each speaker line closes one
  and the rest goes into a new block quote, so every testimony has its own box.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

SPEAKER_MARK = "— "


class FootnoteNumbers(Treeprocessor):
    def __init__(self, md: Markdown, backlink_title: str):
        super().__init__(md)
        self.backlink_title = backlink_title  # e.g. "Terug naar voetnoot {} in de tekst"

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            cls = a.get("class", "")
            m = re.match(r"#fn:(\d+)$", a.get("href", ""))
            if cls == "footnote-ref" and m:
                a.text = m.group(1)
            m = re.match(r"#fnref\d*:(\d+)$", a.get("href", ""))
            if cls == "footnote-backref" and m:
                a.set("title", self.backlink_title.format(m.group(1)))
        for li in root.iter("li"):
            m = re.match(r"fn:(\d+)$", li.get("id", ""))
            if m:
                li.set("value", m.group(1))


class Speakers(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            if not any(ch.tag == "blockquote" for ch in children):
                continue
            new_children: list[etree.Element] = []
            for ch in children:
                new_children.extend(self.split(ch) if ch.tag == "blockquote" else [ch])
            if len(new_children) != len(children):
                tail = parent.text
                for ch in children:
                    parent.remove(ch)
                parent.extend(new_children)
                parent.text = tail

    @staticmethod
    def split(quote: etree.Element) -> list[etree.Element]:
        """One block quote per testimony: each speaker paragraph ends a box."""
        boxes = [quote]
        current: list[etree.Element] = []
        groups: list[list[etree.Element]] = [current]
        for ch in list(quote):
            current.append(ch)
            if ch.tag == "p" and (ch.text or "").startswith(SPEAKER_MARK):
                ch.set("class", "clss-speaker")
                current = []
                groups.append(current)
        groups = [g for g in groups if g]
        if len(groups) <= 1:
            return boxes
        for ch in list(quote):
            quote.remove(ch)
        quote.extend(groups[0])
        for g in groups[1:]:
            box = etree.Element("blockquote")
            box.text = "\n"
            box.extend(g)
            box.tail = "\n"
            boxes.append(box)
        return boxes


class ClssMarkdown(Extension):
    def __init__(self, backlink_title: str = "Jump back to footnote {} in the text", **kwargs):
        self.backlink_title = backlink_title
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # after the footnotes extension (50, 19, 15) and the inline patterns (20)
        md.treeprocessors.register(FootnoteNumbers(md, self.backlink_title), "clss-footnotes", 10)
        md.treeprocessors.register(Speakers(md), "clss-speakers", 10)
