"""Content and markup detectors: pure functions of the parsed page that return `Problem`s.

Each module looks at one family (links, images, structure, forms, sensory wording, parsing);
checks/content.py turns their problems into findings with the catalogue's wording and criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from accesscheck.detect.dom import selector
from accesscheck.data import load_toml
from accesscheck.detect.lexicon import words

_SPACE = re.compile(r"\s+")
MAX_SNIPPET_CHARS = 300


@dataclass(frozen=True, slots=True)
class Problem:
    name: str                # the finding id's name: "link-text-generic" for content/link-text-generic
    outcome: str             # "fail" when certain, "review" when a person must judge
    message: str
    selector: str | None
    snippet: str | None


def problem(name: str, outcome: str, message: str, element: Any = None, *, where: str | None = None,
            snippet: str | None = None) -> Problem:
    """A problem on `element` (its selector and opening markup), or on the selector `where`."""
    if element is not None:
        where = selector(element)
        snippet = snippet if snippet is not None else opening_markup(element)
    return Problem(name, outcome, message, where, snippet)


def opening_markup(element: Any) -> str:
    html = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
    return html[:MAX_SNIPPET_CHARS]


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed, surrounding punctuation and arrows dropped:
    "Read more »" and "read more" are the same link text."""
    return _SPACE.sub(" ", text).strip(" \t\n.,:;!?…»«›‹>→←-–—()[]|\"'").lower()


@cache
def thresholds() -> dict[str, Any]:
    return load_toml("content.toml")


def phrases(lang: str | None, key: str) -> frozenset[str]:
    """A [content] word list of the page's language and English, normalised."""
    return frozenset(normalise(w) for w in words(lang, "content", key))
