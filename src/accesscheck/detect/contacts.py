"""Offline and alternative channels other than phone numbers, with the element that shows each.

Keyword tables come from data/languages/<lang>.toml ([channels]); widget hosts from
data/channels.toml; postal addresses from detect/addresses.py. Methodology section 4.2 gives every
signal used here. A word alone is never evidence of an office or a textphone service: an office
needs an address, opening hours or a "visit us" phrase next to the office word, and a textphone
or relay service needs a number, a link, or words addressed to deaf people next to its name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from accesscheck.detect.addresses import find_addresses
from accesscheck.detect.dom import HEADINGS, Block, blocks, json_ld, selector, text_of, walk
from accesscheck.detect.lexicon import channels_data, matcher, regex_pattern, word_pattern, words

Evidence = dict[str, Any]
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
_TIME = r"\d{1,2}(?:\s?[:.h]\s?\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|uhr|h|horas)?"
_USSD = re.compile(r"\*\d{2,4}(\*\d{1,4})*#")


def _item(block_or_element: Block | Any, text: str | None = None) -> Evidence:
    if isinstance(block_or_element, Block):
        return {"selector": block_or_element.selector, "text": (text or block_or_element.text)[:200]}
    return {"selector": selector(block_or_element), "text": (text or text_of(block_or_element))[:200]}


def _matching_blocks(all_blocks: list[Block], pattern: re.Pattern[str], *, with_heading: bool = False) -> list[Evidence]:
    return [_item(b) for b in all_blocks
            if pattern.search(b.text) or (with_heading and b.heading and pattern.search(b.heading)
                                          and b.element.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"))]


def find_channels(root: Any, *, lang: str | None, regions: Sequence[str], page_url: str,
                  phones: Sequence[Evidence] = ()) -> dict[str, list[Evidence]]:
    """Evidence per channel kind (except phones, see detect.phones) found on one page; `phones`
    are the page's numbers, which show that a textphone service named next to them is offered."""
    all_blocks = list(blocks(root))
    addresses = find_addresses(root, all_blocks, lang, tuple(regions))
    hours = find_hours(root, all_blocks, lang)
    return {
        "textphone": _textphones(all_blocks, lang, {p["selector"] for p in phones})[:3],
        "postal_address": addresses[:3],
        "opening_hours": hours[:3],
        "office": _offices(root, all_blocks, lang, {a["selector"] for a in addresses},
                           {h["selector"] for h in hours})[:3],
        "email": _emails(root, all_blocks, lang)[:3],
        "contact_form": _contact_forms(root, lang)[:3],
        "sms": _sms(root, all_blocks, lang)[:3],
        "webchat": _webchat(root, all_blocks, lang)[:3],
        "paper_forms": _paper_forms(root, all_blocks, lang, page_url)[:10],
    }


def _textphones(all_blocks: list[Block], lang: str | None, phone_blocks: set[str]) -> list[Evidence]:
    """A textphone, relay or sign-language video service the page offers: its name (in the block or
    its section heading) with a number or link in the block, or with words addressed to deaf
    people ("If you are deaf", "Personnes sourdes :"). A name in passing ("the FCC regulates
    relay services") is not an offer."""
    name = matcher(lang, "channels", "textphone")
    audience = matcher(lang, "channels", "deaf_words")
    found = []
    for block in all_blocks:
        if block.element.tag in HEADINGS or not (name.search(block.text) or name.search(block.heading)):
            continue
        reachable = (block.selector in phone_blocks or bool(block.element.xpath(".//a[@href]"))
                     or _number_after(name, block.text))
        if reachable or audience.search(block.text) or audience.search(block.heading):
            found.append(_item(block))
    return found


def _number_after(name: re.Pattern[str], text: str) -> bool:
    """A service name followed closely by digits ("TTY: 711", "Textphone 0800 731 7339"), or one
    that is a number to dial itself ("Dial 18001 followed by our number")."""
    return any(re.search(r"\d{3}", m.group(0)) or re.match(r"\D{0,20}\d{3}", text[m.end():])
               for m in name.finditer(text))


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
    found += [_item(b) for b in all_blocks
              if (days.search(b.text) or days.search(b.heading)) and _clock_range(span, b.text)]
    return found


def _clock_range(span: re.Pattern[str], text: str) -> bool:
    """A time range whose ends are hours of the day: "9am to 5pm", "8 h 30 à 16 h 30", not the
    "20-45" of a bank sort code."""
    return any(int(m.group("start")) <= 24 and int(m.group("end")) <= 24 for m in span.finditer(text))


@cache
def _time_range(range_words: tuple[str, ...]) -> re.Pattern[str]:
    joins = "|".join(re.escape(w) for w in sorted(range_words, key=len, reverse=True))
    start, end = _TIME.replace(r"\d{1,2}", r"(?P<start>\d{1,2})", 1), _TIME.replace(r"\d{1,2}", r"(?P<end>\d{1,2})", 1)
    return re.compile(rf"(?<![\d/]){start}\s*(?:{joins})\s*{end}(?![\d/])", re.IGNORECASE)


def _offices(root: Any, all_blocks: list[Block], lang: str | None, address_blocks: set[str],
             hours_blocks: set[str]) -> list[Evidence]:
    """An office people can visit: an office word (in a block, its section heading or a link) with
    evidence next to it (in the block or the next one of its section): a "visit us" phrase, an
    address that is not only for post ("Postbus 202" is no place to go) or, when the block itself
    names the office, opening hours (hours under a heading such as "Contact the Tax Office" may
    be the phone line's)."""
    office = matcher(lang, "channels", "office_words")
    visit = matcher(lang, "channels", "visit_words")
    postal = matcher(lang, "channels", "postal_words")

    def for_post(block: Block) -> bool:
        named = office.search(block.text)
        label = postal.search(block.text)
        return bool(postal.search(block.heading) or (label and (not named or label.start() < named.start())))

    found = [_item(a) for a in root.iter("a") if office.search(text_of(a)) and visit.search(text_of(a))]
    for index, block in enumerate(all_blocks):
        if block.element.tag in HEADINGS:
            continue
        in_text = bool(office.search(block.text))
        if not (in_text or office.search(block.heading)):
            continue
        near = [b for b in all_blocks[index:index + 2] if b.heading == block.heading and b.element.tag not in HEADINGS]
        if visit.search(block.heading) or any(
                visit.search(b.text) or (in_text and b.selector in hours_blocks)
                or (b.selector in address_blocks and not for_post(b)) for b in near):
            found.append(_item(block))
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
