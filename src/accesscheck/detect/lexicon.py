"""The keyword tables of each language and the data files of the two pillars.

Adding a language means adding data/languages/<code>.toml with the tables of en.toml.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from accesscheck.data import language_files, load_toml


def channels_data() -> dict[str, Any]:
    return load_toml("channels.toml")


def inclusion_data() -> dict[str, Any]:
    return load_toml("inclusion.toml")


@cache
def languages() -> dict[str, dict[str, Any]]:
    """Every language file that has the pillar tables, by language code."""
    return {code: data for code, data in language_files() if "language" in data}


def primary(tag: str | None) -> str:
    """`en-GB` -> `en`; empty for no tag."""
    return (tag or "").strip().split("-")[0].split("_")[0].lower()


def lexicon_for(lang: str | None) -> list[dict[str, Any]]:
    """The tables to match a page with: its own language first, then English as a fallback
    (government pages in any language often carry English labels such as 'Accessibility')."""
    tables = languages()
    chosen = [tables[code] for code in dict.fromkeys([primary(lang), "en"]) if code in tables]
    return chosen


def words(lang: str | None, table: str, key: str) -> list[str]:
    return [w for lexicon in lexicon_for(lang) for w in lexicon.get(table, {}).get(key, [])]


def every_word(table: str, key: str) -> list[str]:
    """The words of every language: for signals a page may show in any language (statement links)."""
    return [w for lexicon in languages().values() for w in lexicon.get(table, {}).get(key, [])]


@cache
def word_pattern(items: tuple[str, ...]) -> re.Pattern[str]:
    """Case-insensitive whole-word match of any of `items` (longest first)."""
    alternatives = sorted(set(items), key=len, reverse=True)
    body = "|".join(re.escape(w) for w in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


@cache
def regex_pattern(items: tuple[str, ...]) -> re.Pattern[str]:
    """Case-insensitive match of any of the regular expressions `items` (from the data files)."""
    body = "|".join(f"(?:{p})" for p in items) or r"(?!x)x"
    return re.compile(body, re.IGNORECASE)


def matcher(lang: str | None, table: str, key: str) -> re.Pattern[str]:
    return word_pattern(tuple(words(lang, table, key)))
