"""The public address of the site: `site_url` in mkdocs.yml, and whether it is a real one.

QR codes, printed addresses, canonical links and sitemaps need a real address; a missing or
placeholder `site_url` (a reserved test domain such as `clss.example.invalid`) makes a draft.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_LINE_RE = re.compile(r"^site_url:[ \t]*['\"]?([^'\"\s#]*)", re.M)
# RFC 2606 / 6761 reserved names: never a public host
_RESERVED = re.compile(r"(^|\.)(invalid|example|test|localhost|local)$|(^|\.)example\.(com|net|org)$")


@dataclass(frozen=True)
class SiteUrl:
    url: str  # with a trailing slash, or "" when not set
    line: int  # line of `site_url:` in mkdocs.yml (1 when absent)

    @property
    def real(self) -> bool:
        return is_real(self.url)


def read(root: Path) -> SiteUrl:
    """`site_url` of root/mkdocs.yml (read as text: the file holds MkDocs' own YAML tags)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return SiteUrl("", 1)
    mt = _LINE_RE.search(text)
    if not mt or not mt.group(1):
        return SiteUrl("", text.count("\n", 0, mt.start()) + 1 if mt else 1)
    return SiteUrl(mt.group(1).rstrip("/") + "/", text.count("\n", 0, mt.start()) + 1)


def is_real(url: str) -> bool:
    """True for an http(s) address on a public host name."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("http", "https") and "." in host and not _RESERVED.search(host)
