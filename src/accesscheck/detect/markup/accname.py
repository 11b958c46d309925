"""Accessible names from the markup, after the steps of W3C accname 1.2 that markup decides.

Kept: aria-labelledby (step 2B), aria-label (2C), the alt of images and the text of descendants
(2D, 2F), the title attribute (2I), and elements removed by `hidden` or aria-hidden (2A). Left out:
CSS-generated content and CSS-hidden text, which need the browser. Leaving them out can only make
a name longer than the browser's, so checks that judge a name as too vague stay on the safe side.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_SPACE = re.compile(r"\s+")


def _hidden(element: Any) -> bool:
    return element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _by_id(root: Any, ident: str) -> Any:
    found = root.xpath("//*[@id=$i]", i=ident)
    return found[0] if found else None


def _content(element: Any, root: Any) -> str:
    parts: list[str] = [element.text or ""] if element.tag not in ("img", "area", "input") else []
    for child in element:
        if isinstance(child.tag, str) and not _hidden(child):
            parts.append(name_of(child, root, embedded=True))
        parts.append(child.tail or "")
    return " ".join(parts)


def name_of(element: Any, root: Any, *, embedded: bool = False) -> str:
    """The accessible name of `element` (a link, an image, a control) in the document `root`."""
    if not isinstance(element.tag, str) or element.tag in ("script", "style", "template"):
        return ""
    labelled = element.get("aria-labelledby")
    if labelled and not embedded:
        referenced = [_by_id(root, ident) for ident in labelled.split()]
        text = " ".join(_content(r, root) for r in referenced if r is not None)
        if text.strip():
            return _SPACE.sub(" ", text).strip()
    label = (element.get("aria-label") or "").strip()
    if label:
        return label
    if element.tag in ("img", "area") or (element.tag == "input" and element.get("type") == "image"):
        text = element.get("alt") or ""
    elif element.tag == "svg":
        title = element.find("title")
        text = title.text_content() if title is not None else ""
    else:
        text = _content(element, root)
    text = _SPACE.sub(" ", text).strip()
    if not text and not embedded:
        text = (element.get("title") or "").strip()
    return text


def text_near(element: Any) -> str:
    """The text of the element's parent without the element itself: what a reader meets next to it."""
    parent = element.getparent()
    if parent is None:
        return ""
    parts = [parent.text or ""]
    for child in parent:
        if child is not element and isinstance(child.tag, str):
            parts.append(etree.tostring(child, method="text", encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    return _SPACE.sub(" ", " ".join(parts)).strip()
