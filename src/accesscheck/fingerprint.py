"""Fingerprints: the same problem on the same element keeps the same id across scans.

A fingerprint hashes the check id, the page (path and query, not the host, so staging and
production match) and the element's identity. The identity leaves out what churns without changing
the element (class names, inline styles, positional `:nth-child` steps in selectors) and keeps what
names it (tag, id, name, href, src, alt, type, role, aria-label, label text).
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_STABLE_ATTRIBUTES = ("id", "name", "href", "src", "alt", "type", "role", "aria-label",
                      "aria-labelledby", "for", "action", "title", "lang")
_POSITIONAL = re.compile(r":nth-(child|of-type)\(\d+\)|\.[\w-]+")
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*')")


class _FirstElement(HTMLParser):
    """The first start tag of a snippet (its tag and attributes) and the text after it. Snippets
    are cut at a length limit, so the HTML may end anywhere: the parser takes what is there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: str | None = None
        self.attributes: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag, self.attributes = tag, {k: v or "" for k, v in attrs}

    def handle_data(self, data: str) -> None:
        if self.tag is not None:
            self.text.append(data)


def element_identity(selector: str | None, snippet: str | None) -> str:
    if snippet:
        parser = _FirstElement()
        parser.feed(snippet)
        parser.close()
        if parser.tag is not None:
            stable = [f"{k}={parser.attributes[k]}" for k in _STABLE_ATTRIBUTES if k in parser.attributes]
            text = " ".join(" ".join(parser.text).split())[:80]
            if stable or text:
                return "|".join([parser.tag, *stable, text])
    # Strip classes and positions outside quoted attribute values (a[href="/x.pdf"] keeps .pdf).
    parts = _QUOTED.split(selector or "")
    return "".join(part if i % 2 else _POSITIONAL.sub("", part) for i, part in enumerate(parts))


def fingerprint(check: str, page_url: str, selector: str | None = None, snippet: str | None = None,
                occurrence: int = 0) -> str:
    """`occurrence` tells apart identical elements on one page (the second identical icon link
    is occurrence 1); it counts only identical elements, so unrelated insertions don't shift it."""
    parts = urlsplit(page_url)
    page = (parts.path.rstrip("/") or "/") + (f"?{parts.query}" if parts.query else "")
    material = "\x1f".join([check, page, element_identity(selector, snippet), str(occurrence)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]
