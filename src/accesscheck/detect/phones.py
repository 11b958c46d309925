"""Phone numbers: `tel:` links, schema.org telephone properties, and numbers written in text.

Text is matched with libphonenumber's `PhoneNumberMatcher`, once for each region the page may be
in (detect/country.py): at VALID leniency for the page's own country, so case references, dates,
prices and postcodes are not taken for numbers, and at the stricter STRICT_GROUPING for the other
candidates (data/channels.toml [phones]). A `tel:` link always counts, normalised by the same
library for the page's country. Each number is classified with `number_type`: premium-rate and
shared-cost numbers are a cost barrier (methodology C1), toll-free numbers are noted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from accesscheck.detect.dom import blocks, json_ld, selector, text_of, walk
from accesscheck.detect.lexicon import channels_data, matcher

_TYPE_NAMES = {getattr(PhoneNumberType, name): name for name in dir(PhoneNumberType) if name.isupper()}
_SCHEMA_KEYS = ("telephone", "servicePhone")
_DIGIT = re.compile(r"\d")
_LABEL_REACH = 30  # characters before a number searched for a label such as "IBAN" or "case number"


def find_phones(root: Any, regions: Sequence[str], lang: str | None = None) -> list[dict[str, Any]]:
    """Every distinct phone number on the page, first where a link gives it, with its evidence."""
    found: dict[str, dict[str, Any]] = {}
    home = regions[0]

    def add(raw: str, element_selector: str, text: str, source: str) -> None:
        item = describe(raw, home)
        if item and item["e164"] not in found:
            found[item["e164"]] = {"selector": element_selector, "text": text[:200], "source": source, **item}

    for link in root.xpath("//a[starts-with(normalize-space(translate(@href, 'TEL', 'tel')), 'tel:')]"):
        add(unquote(link.get("href").strip()[4:]), selector(link), text_of(link) or link.get("href"), "tel-link")
    for data in json_ld(root):
        for node in walk(data):
            for key in _SCHEMA_KEYS:
                value = node.get(key)
                if isinstance(value, dict):
                    value = value.get("telephone")
                if isinstance(value, str):
                    add(value, "script[type='application/ld+json']", value, "schema.org")
    for element in root.xpath("//*[@itemprop='telephone']"):
        add(element.get("content") or text_of(element), selector(element), text_of(element), "schema.org")
    not_phone = matcher(lang, "channels", "not_phone_labels")
    leniency = {region: _leniency(index) for index, region in enumerate(regions)}
    for block in blocks(root):
        if len(_DIGIT.findall(block.text)) < 3:
            continue  # no number to find: spare the matcher
        taken: list[tuple[int, int]] = []
        for region in regions:
            home_code = phonenumbers.country_code_for_region(region)
            previous_end = 0
            for match in PhoneNumberMatcher(block.text, region, leniency=leniency[region]):
                label = block.text[max(previous_end, match.start - _LABEL_REACH):match.start]
                previous_end = match.end
                if any(start < match.end and match.start < end for start, end in taken):
                    continue  # already read for a likelier region
                taken.append((match.start, match.end))
                if not_phone.search(label):
                    continue  # a fax, tax id, case reference or account number that looks like a number
                if match.number.country_code != home_code and not match.raw_string.lstrip("(").startswith("+"):
                    continue  # "0049 2231 7761" in a UK parcel number: foreign numbers are written with "+"
                number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                if number not in found:
                    found[number] = {"selector": block.selector, "text": block.text[:200], "source": "text",
                                     "region": region, **_classify(match.number)}
    return list(found.values())


def _leniency(index: int) -> Any:
    data = channels_data()["phones"]
    return getattr(Leniency, data["text_leniency"] if index == 0 else data["other_region_leniency"])


def describe(raw: str, region: str) -> dict[str, Any] | None:
    """E.164 and cost class of a number as written, or None when it is not a phone number."""
    try:
        number = phonenumbers.parse(raw.split(";")[0], region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return _classify(number)


def _classify(number: phonenumbers.PhoneNumber) -> dict[str, Any]:
    kind = _TYPE_NAMES.get(phonenumbers.number_type(number), "UNKNOWN")
    data = channels_data()["phones"]
    return {"e164": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            "type": kind.lower(),
            "premium_rate": kind in data["cost_barrier_types"],
            "toll_free": kind in data["toll_free_types"]}
