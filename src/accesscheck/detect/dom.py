"""HTML parsing for the detectors: readable selectors, text blocks and the main text.

A *block* is the smallest element that holds a run of text (a paragraph, list item, table cell,
definition, heading or address); evidence points at blocks so a person can find the text.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset({"p", "li", "dd", "dt", "td", "th", "address", "h1", "h2", "h3", "h4", "h5", "h6",
                        "caption", "figcaption", "blockquote", "label", "summary", "legend"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Not main text: page furniture (methodology 5.3 step 1: nav, header, footer, cookie banners).
_FURNITURE = "//nav | //header | //footer | //aside | //script | //style | //noscript | //template" \
             " | //*[@role='navigation' or @role='banner' or @role='contentinfo']" \
             " | //*[contains(translate(@class, 'COKIE', 'cokie'), 'cookie') or contains(translate(@id, 'COKIE', 'cokie'), 'cookie')]"
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@dataclass(frozen=True, slots=True)
class Block:
    element: Any
    text: str
    heading: str   # the nearest heading before the block (its section), "" if none

    @property
    def selector(self) -> str:
        return selector(self.element)


def parse(html: str) -> Any:
    """The document root; an empty document for empty or unparsable HTML.

    One parse per page: every detector asks for the tree of the same page's HTML, so the last
    tree is kept and given again for the same HTML. Detectors read it; none may change it
    (`main_root` works on a copy)."""
    if _last_parse and _last_parse[0] == html:
        return _last_parse[1]
    try:
        root = lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html></html>")
    for br in root.iter("br"):  # a line break separates words ("Phone: 0300 123 4567<br>Textphone")
        br.tail = " " + (br.tail or "")
    _last_parse[:] = [html, root]
    return root


_last_parse: list[Any] = []
_last_main: list[Any] = []


def text_of(element: Any) -> str:
    """Text with whitespace collapsed and typographic apostrophes made plain, so that
    "d’accessibilité" matches the keyword "d'accessibilité"."""
    return _SPACE.sub(" ", element.text_content()).translate(_APOSTROPHES).strip()


def selector(element: Any) -> str:
    """A CSS selector a person can paste into the browser: from the nearest ancestor with an id."""
    parts = []
    node = element
    while node is not None and isinstance(node.tag, str):
        ident = node.get("id")
        if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident):
            parts.append(f"#{ident}")
            break
        parent = node.getparent()
        if parent is None or node.tag in ("html", "body"):
            parts.append(node.tag)
            break
        same = [s for s in parent if s.tag == node.tag]
        parts.append(node.tag if len(same) == 1 else f"{node.tag}:nth-of-type({same.index(node) + 1})")
        node = parent
    return " > ".join(reversed(parts))


def blocks(root: Any) -> Iterator[Block]:
    """Text blocks in document order, each with the heading of its section."""
    heading = ""
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in BLOCK_TAGS:
            continue
        if tag in ("li", "td", "dd") and any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element.iter()
                                             if c is not element):
            continue  # an outer container; its inner blocks are yielded on their own
        text = text_of(element)
        if not text:
            continue
        if tag in HEADINGS:
            heading = text
        yield Block(element, text, heading)


def main_root(html: str) -> Any:
    """The page with its furniture removed, narrowed to `<main>` (or role=main) when there is one.
    A copy of the page's one tree, kept for the same HTML like the tree itself."""
    if _last_main and _last_main[0] == html:
        return _last_main[1]
    root = copy.deepcopy(parse(html))
    for element in root.xpath(_FURNITURE):
        if element.getparent() is not None:
            element.drop_tree()
    main = root.xpath("//main | //*[@role='main']")
    _last_main[:] = [html, main[0] if main else root]
    return _last_main[1]


def main_text_blocks(html: str) -> list[str]:
    """The main text as blocks (paragraphs, list items as their own sentences: methodology 5.3)."""
    return [b.text for b in blocks(main_root(html)) if b.element.tag not in HEADINGS]


def json_ld(root: Any) -> list[Any]:
    """The JSON-LD objects of the page (unparsable ones are ignored: a page's error, not ours)."""
    found = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            found.append(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict nested in a JSON-LD value."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def headings(root: Any, level: str = "h1") -> list[str]:
    return [text_of(h) for h in root.iter(level)]
