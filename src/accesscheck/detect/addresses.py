"""Postal addresses: `<address>`, schema.org PostalAddress, and addresses written in plain text.

A written address counts when a postcode-and-locality line of the page's country stands next to a
street line or PO box (pyap2 parses the street lines of the US, Canada and the UK; the street
words of the other languages are in data/languages/*.toml), or stands under an address label
(large-user postcodes such as "DVLA, Swansea, SA6 7JL" have no street). A postcode alone, or a
street alone, is not an address: prices, case numbers and "postcodes 2600 to 2620" are not.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from accesscheck.detect.dom import HEADINGS, Block, json_ld, selector, text_of, walk
from accesscheck.detect.lexicon import channels_data, matcher, words

Evidence = dict[str, Any]
_NAME_WORD = r"[^\W\d_][\w'.\-]*"


def find_addresses(root: Any, all_blocks: list[Block], lang: str | None, regions: tuple[str, ...]) -> list[Evidence]:
    found = [{"selector": selector(el), "text": text_of(el)[:200], "source": "address-element"}
             for el in root.iter("address") if text_of(el)]
    for data in json_ld(root):
        for node in walk(data):
            if node.get("@type") == "PostalAddress" and (node.get("streetAddress") or node.get("postalCode")):
                text = ", ".join(str(node[k]) for k in ("streetAddress", "addressLocality", "postalCode") if node.get(k))
                found.append({"selector": "script[type='application/ld+json']", "text": text[:200], "source": "schema.org"})
    found += [{"selector": selector(el), "text": text_of(el)[:200], "source": "schema.org"}
              for el in root.xpath("//*[@itemtype and contains(@itemtype, 'PostalAddress')]")]
    inside_address = {id(el) for a in root.iter("address") for el in a.iter()}
    label = matcher(lang, "channels", "address_words")
    street = street_line(lang)
    previous: Block | None = None
    for block in all_blocks:
        if block.element.tag in HEADINGS or id(block.element) in inside_address:
            previous = block
            continue
        country = next((c for c in regions if (code := _postcode(c)) is not None and code.search(block.text)), None)
        if country:
            window = block.text
            if previous is not None and previous.element.getparent() is block.element.getparent() \
                    and previous.element.tag not in HEADINGS:
                window = f"{previous.text}, {block.text}"   # street and town on two lines
            if street.search(window) or label.search(block.text) or label.search(block.heading) \
                    or _library_finds(window, country):
                found.append({"selector": block.selector, "text": block.text[:200], "source": "text",
                              "country": country})
        previous = block
    return found


@cache
def _postcode(country: str) -> re.Pattern[str] | None:
    """The postcode-and-locality line of a country (case-sensitive: "SW1A 2AA", not "sw1a")."""
    pattern = channels_data()["addresses"]["postcode_locality"].get(country)
    return re.compile(pattern) if pattern else None


def street_line(lang: str | None) -> re.Pattern[str]:
    return _street_pattern(tuple(words(lang, "channels", "street_types")),
                           tuple(words(lang, "channels", "street_prefixes")),
                           tuple(words(lang, "channels", "po_boxes")))


@cache
def _street_pattern(types: tuple[str, ...], prefixes: tuple[str, ...], boxes: tuple[str, ...]) -> re.Pattern[str]:
    """A street line in any of the shapes the languages use: "1 Station Road", "Parkstraße 16",
    "Berliner Platz 2", "rue de la Paix 6" or "67 boulevard Vivier-Merle", "Heol y Brenin,",
    "Quay Street, " with no number, and PO boxes ("Postbus 202", "PO Box 7512")."""
    def alternatives(items: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True)) or r"(?!x)x"
    number = r"\d+[A-Za-z]?(?:[-–/]\d+)?"
    shapes = [
        rf"\b{number},?\s+(?:{_NAME_WORD}\s+){{0,4}}(?:{alternatives(types)})(?![\w])",
        rf"(?:\b{_NAME_WORD}\s+){{0,3}}[^\W\d_]*(?:{alternatives(types)})\s+{number}\b",
        rf"(?<![\w])(?:{alternatives(prefixes)})\s+(?:{_NAME_WORD}\s*){{1,5}}(?:,|{number}\b)",
        rf"(?<![\w])(?:{alternatives(boxes)})(?![\w])",
        rf"\b(?-i:[A-Z])[\w'.\-]*\s+(?:{alternatives(types)}),",   # "Anglesea Street, Cork" (no number)
    ]
    return re.compile("|".join(f"(?:{s})" for s in shapes), re.IGNORECASE)


def _library_finds(text: str, country: str) -> bool:
    """pyap2's parser, for the countries it knows (its street-type and unit rules are far more
    complete than ours); imported only when a candidate needs it."""
    if country not in channels_data()["addresses"]["library_countries"]:
        return False
    import pyap
    return bool(pyap.parse(text, country=country))  # type: ignore[arg-type]  # library_countries are pyap's
