"""Page titles: generic, or unrelated to the page's main heading (ACT rule c4a8a4 heuristics)."""

from __future__ import annotations

import re

from accesscheck.detect.lexicon import every_word

_WORD = re.compile(r"\w+")
_SEPARATORS = re.compile(r"\s+[|–—:-]\s+")


def own_part(title: str) -> str:
    """The page's part of a title, without the site name after ' – ' or ' | '."""
    return _SEPARATORS.split(title.strip())[0].strip()


def is_generic(title: str) -> bool:
    """Only a generic word such as 'Home' or 'Untitled', in any known language. (An empty or
    missing title is axe-core's `document-title`; it is not reported twice.)"""
    generic = {w.lower() for w in every_word("language", "generic_titles")}
    return bool(title.strip()) and own_part(title).lower() in generic


def unrelated_to_heading(title: str, heading: str) -> bool:
    """The title shares no word of three letters or more with the main heading."""
    title_words = {w.lower() for w in _WORD.findall(title) if len(w) >= 3}
    heading_words = {w.lower() for w in _WORD.findall(heading) if len(w) >= 3}
    return bool(title_words and heading_words) and not title_words & heading_words
