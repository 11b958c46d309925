"""The inclusion pillar: can people understand it?

Page check `inclusion` measures each page (facts kept for the site checks):
    inclusion/lang-mismatch      html[lang] says one language, the main text is in another (3.1.1)
    inclusion/hreflang-invalid   an alternate-language link with an invalid language tag
    inclusion/hard-to-read       main text above the reading grade of WCAG 3.1.5 (review, AAA)
    inclusion/long-sentences     mean sentence length above the plain-language limit (review)
    inclusion/generic-title      a title such as "Home" or "Untitled" (2.4.2)
    inclusion/title-unrelated    a title sharing no word with the main heading (review)
Site checks:
    inclusion/languages          data `languages`: each language offered, its pages, whether the
                                 contact page and the statement exist in it, whether a visible
                                 switcher links to it; Easy Read / sign language
    inclusion/page-titles        one title shared by several pages (review)

Detection lives in accesscheck.detect; thresholds and score penalties in data/inclusion.toml.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation, SiteCheck, SiteEvaluation, SiteView, site_finding
from accesscheck.checks.channels import PAGE_CHECK as CHANNELS_FACTS
from accesscheck.detect.dom import headings, main_root, main_text_blocks, parse
from accesscheck.detect.language import easy_read_and_sign_language, language_links, page_language_facts, tag_is_valid
from accesscheck.detect.lexicon import inclusion_data, primary
from accesscheck.detect.readability import measure
from accesscheck.detect.titles import is_generic, own_part, unrelated_to_heading
from accesscheck.fingerprint import fingerprint
from accesscheck.model import Finding, PageResult, PageSnapshot

PAGE_CHECK = "inclusion"


def page_inclusion(snapshot: PageSnapshot) -> Evaluation:
    root = parse(snapshot.html)
    url = snapshot.final_url
    blocks = main_text_blocks(snapshot.html)
    language = page_language_facts(snapshot.lang, " ".join(blocks))
    reading = measure(blocks, language["detected"] or snapshot.lang)
    main_heading = next(iter(headings(main_root(snapshot.html), "h1") or headings(root, "h1")), "")
    links = language_links(root)
    facts: dict[str, Any] = {"language": language, "readability": reading, "h1": main_heading[:200],
                             "language_links": links, **easy_read_and_sign_language(root)}
    findings: list[Finding] = []

    def add(name: str, outcome: str, impact: str, wcag: tuple[str, ...], message: str,
            selector: str | None = "html", snippet: str | None = None) -> None:
        check = f"inclusion/{name}"
        findings.append(Finding(check=check, pillar="inclusion", outcome=outcome, impact=impact, wcag=wcag,  # type: ignore[arg-type]
                                selector=selector, snippet=snippet, message=message,
                                fingerprint=fingerprint(check, url, selector, snippet)))

    if language["mismatch"]:
        add("lang-mismatch", "fail", "serious", ("3.1.1",),
            f"The page says it is in '{snapshot.lang}' but its main text is in '{language['detected']}'. Screen readers "
            "will read it with the wrong voice and pronunciation, and translation tools will misread it.",
            snippet=f'<html lang="{snapshot.lang}">')
    for link in links:
        if link["hreflang"] and not tag_is_valid(link["hreflang"]):
            add("hreflang-invalid", "fail", "moderate", (),
                f"The language link to {link['href']} has hreflang '{link['hreflang']}', which is not a valid language tag, "
                "so browsers and search engines cannot offer it to people who read that language.",
                selector=link["selector"], snippet=link["hreflang"])
    limits = inclusion_data()["readability"]
    if reading:
        if reading["grade"] > limits["wcag_grade"]:
            add("hard-to-read", "review", "minor", ("3.1.5",),
                f"The main text reads at about US school grade {reading['grade']:g} ({reading['formula']} {reading['score']:g}), "
                f"above lower secondary level (grade {limits['wcag_grade']:g}). Many people, including people with "
                "learning disabilities and people reading in a second language, will struggle; offer a simpler version.",
                selector="main")
        if reading["mean_sentence_words"] > limits["max_mean_sentence_words"]:
            add("long-sentences", "review", "minor", (),
                f"Sentences in the main text are {reading['mean_sentence_words']:g} words long on average "
                f"(plain language: {limits['max_mean_sentence_words']} or fewer); "
                f"{reading['long_sentence_share']:.0%} are over {limits['long_sentence_words']} words.", selector="main")
    if is_generic(snapshot.title):
        add("generic-title", "fail", "moderate", ("2.4.2",),
            f"The page title '{snapshot.title}' does not say what the page is about, so people using screen readers or "
            "many tabs cannot tell pages apart.", selector="title", snippet=snapshot.title)
    elif main_heading and unrelated_to_heading(own_part(snapshot.title), main_heading):
        add("title-unrelated", "review", "minor", ("2.4.2",),
            f"The page title '{snapshot.title}' shares no word with the main heading '{main_heading[:80]}'. "
            "Check that the title describes the page.", selector="title", snippet=snapshot.title)
    metrics = {"readability_grade": reading["grade"], "mean_sentence_words": reading["mean_sentence_words"]} if reading else {}
    return Evaluation(findings=findings, metrics=metrics, facts=facts)


def _pages(view: SiteView) -> list[tuple[PageResult, dict[str, Any]]]:
    return [(p, p.facts[PAGE_CHECK]) for p in view.scanned if PAGE_CHECK in p.facts]


def page_language(page: PageResult, facts: dict[str, Any]) -> str:
    """The language a page is in: what it declares when valid, else what its text is in."""
    declared = facts["language"]["declared"]
    return primary(declared) if tag_is_valid(declared) else (facts["language"]["detected"] or "")


def site_languages(view: SiteView) -> list[dict[str, Any]]:
    """Each language the site offers (its pages' languages and the languages it links to)."""
    offered: dict[str, dict[str, Any]] = {}

    def entry(code: str) -> dict[str, Any]:
        return offered.setdefault(code, {"lang": code, "pages": 0, "contact_page": False, "statement": False,
                                         "linked_from": 0, "switcher": False})

    for page, facts in _pages(view):
        code = page_language(page, facts)
        if code:
            item = entry(code)
            item["pages"] += 1
            channels = page.facts.get(CHANNELS_FACTS, {})
            item["contact_page"] |= bool(channels.get("phone") or channels.get("email") or channels.get("postal_address"))
            item["statement"] |= "statement" in channels
        for link in facts["language_links"]:
            if link["lang"] and tag_is_valid(link["lang"]) and primary(link["lang"]) != code:
                target = entry(primary(link["lang"]))
                target["linked_from"] += 1
                target["switcher"] |= link["switcher"]  # a visible link, not only <link rel=alternate>
    return sorted(offered.values(), key=lambda i: (-i["pages"], i["lang"]))


def languages(view: SiteView) -> SiteEvaluation:
    pages = _pages(view)
    offered = site_languages(view)
    findings = []
    if not pages:
        return SiteEvaluation(data={"languages": offered})
    for item in offered:
        if item["pages"] and len(offered) > 1 and not item["contact_page"]:
            findings.append(_site_finding(view, "no-contact-in-language", "moderate", "review",
                                          f"The site offers pages in '{item['lang']}' but no contact details "
                                          "in that language were found.",
                                          ({"lang": item["lang"]},)))
    easy = [{"page": p.final_url or p.url, **e} for p, f in pages for e in f["easy_read"]][:10]
    sign = [{"page": p.final_url or p.url, **e} for p, f in pages for e in f["sign_language"]][:10]
    if not easy and not sign and view.crawled:
        findings.append(_site_finding(view, "no-easy-read-or-sign-language", "minor", "review",
                                      "No Easy Read, Leichte Sprache, FALC or sign-language content was found. People with "
                                      "learning disabilities and Deaf sign-language users need it to understand key information.",
                                      ({"pages_checked": len(pages)},)))
    return SiteEvaluation(findings=findings, data={"languages": offered})


def page_titles(view: SiteView) -> SiteEvaluation:
    by_title: dict[str, list[str]] = defaultdict(list)
    for page, _ in _pages(view):
        if page.title and page.title.strip():
            by_title[page.title.strip()].append(page.final_url or page.url)
    findings = [
        _site_finding(view, "duplicate-title", "minor", "review",
                      f"{len(urls)} pages share the title '{title}'. People cannot tell them apart in tabs, history "
                      "or search results.", tuple({"page": u} for u in urls[:20]), key=title, wcag=("2.4.2",))
        for title, urls in sorted(by_title.items()) if len(urls) > 1]
    return SiteEvaluation(findings=findings)


def _site_finding(view: SiteView, name: str, impact: str, outcome: str, message: str,
                  evidence: tuple[dict[str, Any], ...], *, key: str = "", wcag: tuple[str, ...] = ()) -> Finding:
    return site_finding(view, f"inclusion/{name}", "inclusion", impact=impact, outcome=outcome, message=message,
                        evidence=evidence, wcag=wcag, identity=key or message)


_PENALTY_FOR = {"inclusion/lang-mismatch": "lang_mismatch", "inclusion/hard-to-read": "hard_to_read",
                "inclusion/long-sentences": "long_sentences", "inclusion/generic-title": "generic_title",
                "inclusion/title-unrelated": "unrelated_title"}


def page_score(page: PageResult) -> float | None:
    """100 minus the penalties of data/inclusion.toml [score] for the problems on the page (a
    missing or invalid html[lang] included); None when the page was not measured."""
    facts = page.facts.get(PAGE_CHECK)
    if page.outcome != "scanned" or not facts:
        return None
    penalties = inclusion_data()["score"]
    lost = sum(penalties[_PENALTY_FOR[c]] for c in {f.check for f in page.findings} if c in _PENALTY_FOR)
    if not facts["language"]["valid"]:
        lost += penalties["lang_missing_or_invalid"]
    return float(max(0, 100 - lost))


def site_score(view: SiteView) -> float | None:
    """The mean page score, minus the site penalties (no Easy Read or sign language; each
    duplicated title, as the site checks found them: `view.findings`), never below 0; None when
    no page was measured."""
    scores = [s for p in view.scanned if (s := page_score(p)) is not None]
    if not scores:
        return None
    penalties = inclusion_data()["score"]
    checks = [f.check for f in view.findings]
    lost = penalties["no_easy_read_or_sign_language"] * checks.count("inclusion/no-easy-read-or-sign-language")
    lost += penalties["duplicate_titles"] * checks.count("inclusion/duplicate-title")
    return round(max(0.0, sum(scores) / len(scores) - lost), 1)


def _entry(name: str, title: str, explanation: str, fix: str, impact: str, outcome: str, *,
           wcag: tuple[str, ...] = (), help_url: str | None = None) -> Entry:
    return Entry(id=f"inclusion/{name}", pillar="inclusion", title=title, explanation=explanation, fix=fix,
                 impact=impact, outcomes=(outcome,), wcag=wcag, help_url=help_url)


_UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/"
PAGE_ENTRIES = (
    _entry("lang-mismatch", "The page's language attribute names the wrong language",
           "Screen readers read the page with the voice and pronunciation of the language it claims, and translation "
           "tools misread it, so the text becomes hard or impossible to understand.",
           "Set <html lang> to the language the main text is written in.", "serious", "fail", wcag=("3.1.1",),
           help_url=_UNDERSTANDING + "language-of-page.html"),
    _entry("hreflang-invalid", "A language link with an invalid hreflang",
           "Browsers and search engines cannot offer the other language version to the people who read it.",
           "Use a valid BCP 47 language tag (e.g. cy, fr-CA) in hreflang.", "moderate", "fail"),
    _entry("hard-to-read", "Main text above lower secondary reading level",
           "Many people, including people with learning disabilities and people reading in a second language, "
           "struggle with text written above lower secondary level.",
           "Use shorter sentences and common words, or offer a simpler version.", "minor", "review",
           wcag=("3.1.5",), help_url=_UNDERSTANDING + "reading-level.html"),
    _entry("long-sentences", "Sentences longer than plain-language guidance",
           "Long sentences are hard to follow for people with cognitive disabilities, low literacy or who read in "
           "a second language.", "Split sentences; aim for 25 words or fewer.", "minor", "review"),
    _entry("generic-title", "A page title that says nothing about the page",
           "People using screen readers or many tabs tell pages apart by their title; 'Home' or 'Untitled' tells them nothing.",
           "Give each page a title that names its topic, then the site.", "moderate", "fail", wcag=("2.4.2",),
           help_url=_UNDERSTANDING + "page-titled.html"),
    _entry("title-unrelated", "A page title unrelated to the main heading",
           "A title that shares no word with the main heading may not describe the page.",
           "Check that the title describes the page's topic.", "minor", "review", wcag=("2.4.2",),
           help_url=_UNDERSTANDING + "page-titled.html"),
)
LANGUAGE_ENTRIES = (
    _entry("no-contact-in-language", "No contact details in a language the site offers",
           "People who read the site in that language cannot find how to reach the organisation in it.",
           "Publish the contact details on the pages in every language offered.", "moderate", "review"),
    _entry("no-easy-read-or-sign-language", "No Easy Read or sign-language content",
           "People with learning disabilities and Deaf sign-language users need it to understand key information.",
           "Publish Easy Read versions and sign-language videos of the main services.", "minor", "review"),
)
TITLE_ENTRIES = (
    _entry("duplicate-title", "Several pages share one title",
           "People cannot tell the pages apart in tabs, history or search results and may land on the wrong one.",
           "Give each page a unique title.", "minor", "review", wcag=("2.4.2",),
           help_url=_UNDERSTANDING + "page-titled.html"),
)


CHECKS = [
    Check(
        id=PAGE_CHECK, pillar="inclusion", version=1, requires=(),
        title="Language, plain language and page title of the page",
        explanation=("Checks that the page says truthfully what language it is in, that its main text is easy "
                     "enough to read, and that its title tells people what the page is. Screen readers choose their "
                     "voice by the page language; many people read with difficulty or in a second language."),
        evaluate=page_inclusion,
        entries=PAGE_ENTRIES,
    ),
]

SITE_CHECKS = [
    SiteCheck(
        id="inclusion/languages", pillar="inclusion", version=1,
        title="Languages offered, Easy Read and sign language",
        explanation=("People who read another language, people with learning disabilities and Deaf sign-language "
                     "users need content they can understand: language versions with their own contact details, "
                     "Easy Read pages and sign-language videos."),
        evaluate=languages,
        entries=LANGUAGE_ENTRIES,
    ),
    SiteCheck(
        id="inclusion/page-titles", pillar="inclusion", version=1,
        title="Page titles unique across the site",
        explanation=("When several pages share one title, people using screen readers, many browser tabs or their "
                     "history cannot tell the pages apart and may land on the wrong one."),
        evaluate=page_titles,
        entries=TITLE_ENTRIES,
    ),
]
