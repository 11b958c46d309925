"""The accessibility statement: links to it, and the elements its content must have.

Elements (EU Implementing Decision 2018/1523 model statement; UK PSBAR 2018 reg. 7):
compliance status, non-accessible content, preparation / last review date, feedback mechanism and
enforcement procedure. The headings and phrases per language are in data/languages/*.toml
([statement]), after each country's official model statement (the source is named in each file);
each element found comes with the block of text that shows it. The compliance status counts only
as a sentence that states it ("partially compliant with", "teilweise ... vereinbar"): a heading
alone, or a page that never says, leaves it missing. Dates are read by dateparser in the page's
language, only on the candidate strings a cheap pattern finds (it is slow on whole paragraphs).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from accesscheck.detect.dom import HEADINGS, Block, blocks, headings, text_of
from accesscheck.detect.lexicon import every_word, matcher, primary, regex_pattern, word_pattern, words

ELEMENTS = ("compliance_status", "non_accessible_content", "preparation_date", "feedback_mechanism",
            "enforcement_procedure")


def statement_links(root: Any, page_url: str) -> list[dict[str, str]]:
    """Links whose text or URL path names the accessibility statement, in any known language."""
    text_match = word_pattern(tuple(every_word("statement", "link_words")))
    path_match = word_pattern(tuple(every_word("statement", "url_words")))
    found = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        path = unquote(urlsplit(href).path).lower()
        if text_match.search(text_of(link)) or path_match.search(path.replace("_", "-")):
            found.append({"url": urljoin(page_url, href).split("#")[0], "text": text_of(link)[:200]})
    return found


def looks_like_statement(root: Any, title: str) -> bool:
    """The page is an accessibility statement when its main heading or title says so."""
    pattern = word_pattern(tuple(every_word("statement", "title_words")))
    return any(pattern.search(h) for h in [*headings(root, "h1"), title])


def statement_elements(root: Any, lang: str | None) -> dict[str, dict[str, Any] | None]:
    """Each required element: None when missing, else the evidence (`selector`, `text`; the
    preparation date also carries the parsed `date`, the latest date given there)."""
    all_blocks = [b for b in blocks(root) if not b.element.xpath("ancestor::nav | ancestor::footer | ancestor::header")]
    heading_or_text = {
        "compliance_status": regex_pattern(tuple(words(lang, "statement", "compliance"))),
        "non_accessible_content": matcher(lang, "statement", "non_accessible"),
        "enforcement_procedure": matcher(lang, "statement", "enforcement"),
    }
    found: dict[str, dict[str, Any] | None] = {}
    for element, pattern in heading_or_text.items():
        block = next((b for b in all_blocks if pattern.search(b.text)), None)
        found[element] = _evidence(block) if block else None
    found["preparation_date"] = _preparation(all_blocks, lang)
    found["feedback_mechanism"] = _feedback(all_blocks, lang)
    return {name: found[name] for name in ELEMENTS}


def _evidence(block: Block) -> dict[str, Any]:
    return {"selector": block.selector, "text": block.text[:300]}


def _preparation(all_blocks: list[Block], lang: str | None) -> dict[str, Any] | None:
    """The date of the preparation section ("Preparation of this accessibility statement"), else
    of a sentence that says when the statement was prepared; a date elsewhere ("we plan to fix
    the 'last updated' date by 31 January 2027") is not it."""
    pattern = matcher(lang, "statement", "preparation")
    body = [b for b in all_blocks if b.element.tag not in HEADINGS]
    for candidates in ([b for b in body if pattern.search(b.heading)], [b for b in body if pattern.search(b.text)]):
        for block in candidates:
            dates = parse_dates(block.text, lang)
            if dates:
                return {**_evidence(block), "date": max(dates).isoformat()}
    return None


def _feedback(all_blocks: list[Block], lang: str | None) -> dict[str, Any] | None:
    """A way to contact the body (email, phone, form or postal address) in a feedback section or
    next to a feedback phrase (Directive 2016/2102 Art. 7(1)(b))."""
    pattern = matcher(lang, "statement", "feedback")
    for block in all_blocks:
        if block.element.tag in HEADINGS:
            continue
        if not (pattern.search(block.heading) or pattern.search(block.text)):
            continue
        contact = block.element.xpath(".//a[starts-with(@href, 'mailto:') or starts-with(@href, 'tel:')]"
                                      " | .//form | self::*[.//a[contains(@href, 'contact')]]")
        if contact or re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+|\+?\d[\d ]{7,}\d", block.text):
            return _evidence(block)
    return None


# A day, a word and a year ("3 March 2025", "15. Januar 2025", "5 de maio de 2025"), a word, a
# day and a year ("January 15, 2025"), or numbers ("10.10.2025", "2025-03-01"): the candidates
# dateparser is asked to read. Which words are months is dateparser's knowledge, not ours.
_CANDIDATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th|er|\.|º|°)?\s+(?:de\s+|of\s+)?[^\W\d_]{3,}\.?\s+(?:de\s+)?\d{4}\b"
    r"|\b[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY"}


def parse_dates(text: str, lang: str | None) -> list[date]:
    """Every full date written in the text, in the page's language or English."""
    languages = list(dict.fromkeys(code for code in (primary(lang), "en") if code))
    found = []
    for candidate in _CANDIDATE.findall(text):
        parsed = _parse(candidate, tuple(languages))
        if parsed is not None:
            found.append(parsed)
    return found


@cache
def _parse(candidate: str, languages: tuple[str, ...]) -> date | None:
    import dateparser  # loaded with the first statement page, not with every scan
    settings = dict(_SETTINGS, DATE_ORDER="YMD") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate) else _SETTINGS
    parsed = dateparser.parse(candidate, languages=list(languages), settings=settings)
    return parsed.date() if parsed else None


def is_stale(prepared: str | None, today: date, max_days: int) -> bool:
    return prepared is not None and (today - date.fromisoformat(prepared)).days > max_days
