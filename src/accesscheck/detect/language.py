"""Is `html[lang]` valid and true? Language tags, detected languages, switchers, Easy Read.

The language of the main text is detected with lingua-language-detector, restricted to the
languages that have a data file (data/languages/*.toml), so adding a language file also teaches
the detector.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import langcodes
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from accesscheck.detect.dom import selector, text_of
from accesscheck.detect.lexicon import inclusion_data, languages, primary, word_pattern, every_word


def tag_is_valid(tag: str | None) -> bool:
    """A well-formed BCP 47 tag with a registered language (`en-GB` yes, `polish` no)."""
    return tag is not None and bool(tag) and langcodes.tag_is_valid(tag.strip())


_LOADING = threading.Lock()


def _detector() -> tuple[LanguageDetector, dict[Language, str]]:
    with _LOADING:  # a second caller waits for the first load, then reads the cache
        return _build_detector()


@cache
def _build_detector() -> tuple[LanguageDetector, dict[Language, str]]:
    codes = {getattr(Language, data["language"]["lingua"]): code for code, data in languages().items()}
    builder = LanguageDetectorBuilder.from_languages(*codes)
    if inclusion_data()["language_detection"]["low_accuracy_mode"]:
        builder = builder.with_low_accuracy_mode()
    return builder.build(), codes


def detect_language(text: str) -> tuple[str, float] | None:
    """The language code of `text` and lingua's confidence, or None when the text is too short or
    no language wins clearly (thresholds in data/inclusion.toml [language_detection])."""
    limits = inclusion_data()["language_detection"]
    if len(text.split()) < limits["min_words"]:
        return None
    detector, codes = _detector()
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < limits["min_confidence"]:
        return None
    return codes[values[0].language], round(values[0].value, 3)


def language_links(root: Any) -> list[dict[str, str]]:
    """Links to other language versions: hreflang on `<a>`/`<link rel=alternate>`, or a link
    whose text is a language's own name (WCAG technique H58)."""
    endonyms = {data["language"]["endonym"].lower(): code for code, data in languages().items()}
    found = []
    for element in root.xpath("//a[@href] | //link[@rel='alternate'][@hreflang]"):
        text = text_of(element) if element.tag == "a" else ""
        hreflang = element.get("hreflang") or ""
        code = hreflang or element.get("lang") or endonyms.get(text.lower(), "")
        if code or text.lower() in endonyms:
            found.append({"hreflang": hreflang, "lang": code, "href": element.get("href"), "text": text[:100],
                          "selector": selector(element), "switcher": element.tag == "a" and bool(text)})
    return found


def easy_read_and_sign_language(root: Any) -> dict[str, list[dict[str, str]]]:
    """Links and headings that offer Easy Read / Leichte Sprache / FALC, or sign-language content."""
    found: dict[str, list[dict[str, str]]] = {}
    for key in ("easy_read", "sign_language"):
        pattern = word_pattern(tuple(every_word("language", key)))
        found[key] = [{"selector": selector(el), "text": text_of(el)[:200]}
                      for el in root.xpath("//a | //h1 | //h2 | //h3 | //video")
                      if pattern.search(text_of(el) or el.get("title") or "")][:5]
    return found


def page_language_facts(lang: str | None, main_text: str) -> dict[str, Any]:
    """What the page declares, whether that is valid, what its main text is written in."""
    detected = detect_language(main_text)
    declared = primary(lang)
    return {
        "declared": lang,
        "valid": tag_is_valid(lang),
        "detected": detected[0] if detected else None,
        "confidence": detected[1] if detected else None,
        "mismatch": bool(detected and declared and detected[0] != declared),
    }
