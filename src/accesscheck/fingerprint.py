"""Fingerprints: the same problem on the same element keeps the same id across scans.

A fingerprint hashes the check id, the page (path and query, not the host, so staging and
production match) and the element's identity. The identity leaves out what churns without changing
the element (class names, inline styles, positional `:nth-child` steps in selectors) and keeps what
names it (tag, id, name, href, src, alt, type, role, aria-label, label text).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

_STABLE_ATTRIBUTES = ("id", "name", "href", "src", "alt", "type", "role", "aria-label",
                      "aria-labelledby", "for", "action", "title", "lang")
_OPEN_TAG = re.compile(r"<\s*([a-zA-Z][\w:-]*)([^>]*)>?")
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)')
_POSITIONAL = re.compile(r":nth-(child|of-type)\(\d+\)|\.[\w-]+")
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*')")


def element_identity(selector: str | None, snippet: str | None) -> str:
    if snippet:
        match = _OPEN_TAG.search(snippet)
        if match:
            attributes = {k.lower(): v.strip("\"'") for k, v in _ATTRIBUTE.findall(match.group(2))}
            stable = [f"{k}={attributes[k]}" for k in _STABLE_ATTRIBUTES if k in attributes]
            text = re.sub(r"<[^>]+>", " ", snippet[match.end():])
            text = " ".join(text.split())[:80]
            if stable or text:
                return "|".join([match.group(1).lower(), *stable, text])
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
