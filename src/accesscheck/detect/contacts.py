"""Offline and alternative channels other than phone numbers, with the element that shows each.

Keyword tables come from data/languages/<lang>.toml ([channels]); postcode patterns and widget
hosts from data/channels.toml. Methodology section 4.2 gives every signal used here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from accesscheck.detect.dom import Block, blocks, json_ld, selector, text_of, walk
from accesscheck.detect.lexicon import channels_data, matcher, regex_pattern, word_pattern, words

Evidence = dict[str, Any]
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
_TIME = r"\d{1,2}(?:[:.h]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|uhr|h)?"
_USSD = re.compile(r"\*\d{2,4}(\*\d{1,4})*#")


def _item(block_or_element: Block | Any, text: str | None = None) -> Evidence:
    if isinstance(block_or_element, Block):
        return {"selector": block_or_element.selector, "text": (text or block_or_element.text)[:200]}
    return {"selector": selector(block_or_element), "text": (text or text_of(block_or_element))[:200]}


def _matching_blocks(all_blocks: list[Block], pattern: re.Pattern[str], *, with_heading: bool = False) -> list[Evidence]:
    return [_item(b) for b in all_blocks
            if pattern.search(b.text) or (with_heading and b.heading and pattern.search(b.heading)
                                          and b.element.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"))]


def find_channels(root: Any, *, lang: str | None, country: str, page_url: str) -> dict[str, list[Evidence]]:
    """Evidence per channel kind (except phones, see detect.phones) found on one page."""
    all_blocks = list(blocks(root))
    return {
        "textphone": _matching_blocks(all_blocks, matcher(lang, "channels", "textphone"))[:3],
        "postal_address": find_addresses(root, all_blocks, lang, country)[:3],
        "opening_hours": find_hours(root, all_blocks, lang)[:3],
        "office": _offices(root, all_blocks, lang)[:3],
        "email": _emails(root, all_blocks, lang)[:3],
        "contact_form": _contact_forms(root, lang)[:3],
        "sms": _sms(root, all_blocks, lang)[:3],
        "webchat": _webchat(root, all_blocks, lang)[:3],
        "paper_forms": _paper_forms(root, all_blocks, lang, page_url)[:10],
    }


def find_addresses(root: Any, all_blocks: list[Block], lang: str | None, country: str) -> list[Evidence]:
    """`<address>`, schema.org PostalAddress, or a postcode in a block next to an address word."""
    found = [_item(el) for el in root.iter("address") if text_of(el)]
    for data in json_ld(root):
        for node in walk(data):
            if node.get("@type") == "PostalAddress" and (node.get("streetAddress") or node.get("postalCode")):
                text = ", ".join(str(node[k]) for k in ("streetAddress", "addressLocality", "postalCode") if node.get(k))
                found.append({"selector": "script[type='application/ld+json']", "text": text[:200]})
    found += [_item(el) for el in root.xpath("//*[@itemtype and contains(@itemtype, 'PostalAddress')]")]
    postcode = _postcode(country)
    address_word = word_pattern(tuple(words(lang, "channels", "address_words") + words(lang, "channels", "office_words")))
    inside_address = {id(el) for a in root.iter("address") for el in a.iter()}
    for block in all_blocks:
        if id(block.element) in inside_address or not postcode.search(block.text):
            continue
        if address_word.search(block.text) or address_word.search(block.heading):
            found.append(_item(block))
    return found


@cache
def _postcode(country: str) -> re.Pattern[str]:
    patterns = channels_data()["postcodes"]
    chosen = [patterns[country.upper()]] if country.upper() in patterns else list(patterns.values())
    return re.compile("|".join(f"(?:{p})" for p in chosen))


def find_hours(root: Any, all_blocks: list[Block], lang: str | None) -> list[Evidence]:
    """schema.org opening hours, or a block with a day name and a time range."""
    found = [_item(el) for el in root.xpath("//*[@itemprop='openingHours' or @itemprop='openingHoursSpecification']")]
    for data in json_ld(root):
        for node in walk(data):
            for key in ("openingHours", "openingHoursSpecification", "hoursAvailable"):
                if node.get(key):
                    found.append({"selector": "script[type='application/ld+json']", "text": str(node[key])[:200]})
    days = word_pattern(tuple(words(lang, "language", "days")))
    span = _time_range(tuple(words(lang, "language", "range_words")))
    found += [_item(b) for b in all_blocks if span.search(b.text) and (days.search(b.text) or days.search(b.heading))]
    return found


@cache
def _time_range(range_words: tuple[str, ...]) -> re.Pattern[str]:
    joins = "|".join(re.escape(w) for w in sorted(range_words, key=len, reverse=True))
    return re.compile(rf"(?<![\d/]){_TIME}\s*(?:{joins})\s*{_TIME}(?![\d/])", re.IGNORECASE)


def _offices(root: Any, all_blocks: list[Block], lang: str | None) -> list[Evidence]:
    pattern = matcher(lang, "channels", "office_words")
    found = [_item(a) for a in root.iter("a") if pattern.search(text_of(a))]
    found += _matching_blocks(all_blocks, pattern, with_heading=True)
    maps = root.xpath("//iframe[contains(@src, 'map') or contains(@src, 'openstreetmap')]")
    found += [_item(frame, frame.get("title") or frame.get("src")) for frame in maps]
    return found


def _emails(root: Any, all_blocks: list[Block], lang: str | None) -> list[Evidence]:
    response = regex_pattern(tuple(words(lang, "channels", "response_time")))
    stated = next((m.group(0) for b in all_blocks if (m := response.search(b.text))), None)
    found = []
    seen = set()
    for link in root.xpath("//a[starts-with(translate(@href, 'MAILTO', 'mailto'), 'mailto:')]"):
        address = link.get("href")[7:].split("?")[0].strip().lower()
        if address and address not in seen:
            seen.add(address)
            found.append({**_item(link), "address": address, "response_time": stated})
    for block in all_blocks:
        for match in _EMAIL.finditer(block.text):
            if match.group(0).lower() not in seen:
                seen.add(match.group(0).lower())
                found.append({**_item(block), "address": match.group(0).lower(), "response_time": stated})
    return found


def _contact_forms(root: Any, lang: str | None) -> list[Evidence]:
    found = [_item(form, "a form with a message box") for form in root.iter("form")
             if form.xpath(".//textarea") and not form.xpath("ancestor::*[@role='search']")]
    pattern = matcher(lang, "channels", "contact_form_words")
    found += [_item(a) for a in root.iter("a") if pattern.search(text_of(a))]
    return found


def _sms(root: Any, all_blocks: list[Block], lang: str | None) -> list[Evidence]:
    found = [_item(a, a.get("href")) for a in root.iter("a")
             if (a.get("href") or "").lower().startswith("sms:") or "wa.me/" in (a.get("href") or "")]
    pattern = matcher(lang, "channels", "sms_words")
    found += [_item(b) for b in all_blocks if pattern.search(b.text) and re.search(r"\d{3,}", b.text)]
    ussd_word = matcher(lang, "channels", "ussd_words")
    found += [_item(b) for b in all_blocks if _USSD.search(b.text) and ussd_word.search(b.text)]
    return found


def _webchat(root: Any, all_blocks: list[Block], lang: str | None) -> list[Evidence]:
    hosts = channels_data()["webchat"]["script_hosts"]
    found = [{"selector": selector(s), "text": s.get("src")} for s in root.xpath("//script[@src]")
             if any(h in s.get("src") for h in hosts)]
    pattern = matcher(lang, "channels", "webchat_words")
    found += [_item(a) for a in root.iter("a", "button") if pattern.search(text_of(a))]
    found += _matching_blocks(all_blocks, pattern)
    return found


def _paper_forms(root: Any, all_blocks: list[Block], lang: str | None, page_url: str) -> list[Evidence]:
    """Links to form documents, and whether the page says how to return them on paper."""
    extensions = tuple(channels_data()["documents"]["form_extensions"])
    form_word = matcher(lang, "channels", "form_words")
    returns = matcher(lang, "channels", "return_words")
    way_back = next((b.text[:200] for b in all_blocks if returns.search(b.text)), None)
    found = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        path = urlsplit(href).path.lower()
        if not path.endswith(extensions):
            continue
        label = text_of(link) or link.get("aria-label") or link.get("title") or ""
        if form_word.search(label) or form_word.search(path.replace("-", " ")):
            found.append({**_item(link, label or href), "url": urljoin(page_url, href),
                          "return_offline": way_back})
    return found
