"""The accessibility statement: links to it, and the elements its content must have.

Elements (EU Implementing Decision 2018/1523 model statement; UK PSBAR 2018 reg. 7):
compliance status, non-accessible content, preparation / last review date, feedback mechanism and
enforcement procedure. The headings and phrases per language are in data/languages/*.toml
([statement]); each element found comes with the block of text that shows it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from accesscheck.detect.dom import HEADINGS, Block, blocks, headings, text_of
from accesscheck.detect.lexicon import every_word, lexicon_for, matcher, regex_pattern, word_pattern, words

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
    pattern = matcher(lang, "statement", "preparation")
    for block in all_blocks:
        if block.element.tag in HEADINGS or not (pattern.search(block.text) or pattern.search(block.heading)):
            continue
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


@cache
def _date_patterns(month_names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = "|".join(re.escape(m) for m in sorted(month_names, key=len, reverse=True))
    day_month_year = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.|º|°)?\s+(?:de\s+|of\s+)?({months})\s+(?:de\s+)?(\d{{4}})\b", re.I)
    month_day_year = re.compile(rf"\b({months})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
    return day_month_year, month_day_year


_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_dates(text: str, lang: str | None) -> list[date]:
    """Dates written out in the page's language or English, day-first numeric, or ISO 8601."""
    month_index: dict[str, int] = {}
    for lexicon in lexicon_for(lang):
        for number, name in enumerate(lexicon["language"]["months"], start=1):
            month_index.setdefault(name.lower(), number)
    day_month_year, month_day_year = _date_patterns(tuple(month_index))
    found = []
    for m in day_month_year.finditer(text):
        found.append(_date(int(m.group(3)), month_index[m.group(2).lower()], int(m.group(1))))
    for m in month_day_year.finditer(text):
        found.append(_date(int(m.group(3)), month_index[m.group(1).lower()], int(m.group(2))))
    for m in _NUMERIC.finditer(text):
        found.append(_date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    for m in _ISO.finditer(text):
        found.append(_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return [d for d in found if d is not None]


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_stale(prepared: str | None, today: date, max_days: int) -> bool:
    return prepared is not None and (today - date.fromisoformat(prepared)).days > max_days
