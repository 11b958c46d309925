"""Which discovered pages to visit first.

Contact, help and accessibility-statement pages and language versions feed the site-level checks
(channels, statement, languages), so they are visited before ordinary pages and are found even
under a small page budget. The words that mark them live in data/languages/*.toml.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import unquote, urlsplit

from accesscheck.data import language_files
from accesscheck.model import Link

SEED, IMPORTANT, ORDINARY = 0, 1, 2


@cache
def priority_words() -> tuple[str, ...]:
    words = {w.lower() for _, data in language_files() for w in data.get("crawl", {}).get("priority_words", [])}
    return tuple(sorted(words))


def rank(link: Link, page_lang: str | None) -> int:
    """IMPORTANT for contact/help/statement pages and other-language versions, else ORDINARY."""
    if link.hreflang or (link.lang and page_lang and link.lang.split("-")[0] != page_lang.split("-")[0]):
        return IMPORTANT
    haystack = f"{link.text} {unquote(urlsplit(link.url).path)}".lower()
    return IMPORTANT if any(word in haystack for word in priority_words()) else ORDINARY
