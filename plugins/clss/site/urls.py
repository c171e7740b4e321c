"""Addresses of the site: relative links between our own pages, absolute URLs only for a real
public address.

Links between pages (language switch included) are relative, so the site works under any host
and sub-path and from `python -m http.server`. Canonical, hreflang, sitemap and Open Graph URLs
need the public address: they appear only when `site_url` (or the plugin's `root_url`) is a real
one, not a placeholder such as https://clss.example.invalid/.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from .. import languages

PLACEHOLDER_HOST = re.compile(r"(^|\.)(invalid|example|test|localhost|example\.(com|org|net))$")


def public_url(url: str) -> str:
    """`url` with a trailing slash when it is a real public address, else ""."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or PLACEHOLDER_HOST.search(host):
        return ""
    return url.rstrip("/") + "/"


def root_path(public: str) -> str:
    """The path of build/site/ on its host: that of the public address, else "/"."""
    path = urlsplit(public).path if public else "/"
    return path if path.endswith("/") else path + "/"


def alternates(lang: str, page_url: str | None, public: str = "") -> list[dict]:
    """The page in every language: name, code, a relative link (`page_url` is the page's URL
    relative to its language root, e.g. "quartiers/marolles/"; None for the 404 page, linked
    from the root path, or relative to its language root without a public address) and, with a public address, the absolute URL for hreflang."""
    out = []
    for code in languages.CODES:
        if page_url is None:  # the 404 page: from the root path, or from the language root it finds
            href = f"{root_path(public)}{code}/" if public else f"../{code}/"
        else:
            href = "../" * (page_url.count("/") + 1) + f"{code}/{page_url}"
        out.append({
            "lang": code,
            "name": languages.get(code).name,
            "href": href,
            "current": code == lang,
            "absolute": f"{public}{code}/{page_url or ''}" if public else "",
        })
    return out


def description(page_html: str, limit: int = 160) -> str:
    """A meta description from the page's first paragraph of running text."""
    for m in re.finditer(r"<p>(.*?)</p>", page_html, re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split())
        if len(text) >= 60:
            if len(text) > limit:
                text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
            return text
    return ""
