"""The channels pillar: can people get the service without the web?

Page check `channels` reads each page once and keeps what it finds as facts (phones, the other
channels, statement links and, on a statement page, the statement's elements); its only page
finding is a premium-rate or shared-cost number. Site checks then gather the facts of every page:

    channels/offline-channels        data `channels`: evidence per kind; findings for kinds missing
    channels/accessibility-statement data `statement`: url, linked_from_share, elements
    channels/documents               PDFs and office documents: tagging, title, language, text

Detection lives in accesscheck.detect; keywords in data/languages/*.toml; thresholds and score
weights in data/channels.toml. Score formula: see `site_score`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation, SiteCheck, SiteEvaluation, SiteView, site_finding
from accesscheck.detect.contacts import find_channels
from accesscheck.detect.country import infer_country
from accesscheck.detect.dom import parse
from accesscheck.detect.lexicon import channels_data, every_word
from accesscheck.detect.phones import find_phones
from accesscheck.detect.statement import ELEMENTS, is_stale, looks_like_statement, statement_elements, statement_links
from accesscheck.fingerprint import fingerprint
from accesscheck.model import DocumentResult, Finding, PageResult, PageSnapshot

KINDS = ("phone", "textphone", "postal_address", "opening_hours", "office", "email", "contact_form", "sms",
         "webchat", "paper_forms")
PAGE_CHECK = "channels"
MAX_EVIDENCE = 20   # per kind in the site JSON: enough to verify, small enough to read


def page_channels(snapshot: PageSnapshot) -> Evaluation:
    root = parse(snapshot.html)
    url = snapshot.final_url
    country = infer_country(url, snapshot.country, snapshot.lang)
    phones = find_phones(root, country.regions, snapshot.lang)
    facts: dict[str, Any] = {"country": country.to_dict(), "phone": phones,
                             **find_channels(root, lang=snapshot.lang, regions=country.regions, page_url=url,
                                             phones=phones)}
    facts["statement_links"] = statement_links(root, url)
    if looks_like_statement(root, snapshot.title):
        facts["statement"] = statement_elements(root, snapshot.lang)
    findings = []
    for number in phones:
        if number["premium_rate"]:
            check = "channels/premium-rate-phone"
            findings.append(Finding(
                check=check, pillar="channels", outcome="fail", impact="serious",
                selector=number["selector"], snippet=number["text"],
                message=(f"The number {number['e164']} is a {number['type'].replace('_', ' ')} number: calling it costs "
                         "more than a normal call, a barrier for people on low incomes. Give a geographic or free number."),
                fingerprint=fingerprint(check, url, number["selector"], number["e164"])))
    return Evaluation(findings=findings, facts=facts)


def _facts(view: SiteView) -> list[tuple[PageResult, dict[str, Any]]]:
    return [(p, p.facts[PAGE_CHECK]) for p in view.scanned if PAGE_CHECK in p.facts]


def site_channels(view: SiteView) -> dict[str, list[dict[str, Any]]]:
    """Evidence per channel kind over the whole site, each item with the page that shows it."""
    channels: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    seen: set[tuple[str, str]] = set()
    for page, facts in _facts(view):
        for kind in KINDS:
            for item in facts.get(kind, []):
                key = (kind, item.get("e164") or item.get("url") or f"{page.final_url}|{item['selector']}")
                if key in seen or len(channels[kind]) >= MAX_EVIDENCE:
                    continue
                seen.add(key)
                channels[kind].append({"page": page.final_url or page.url, **item})
    return channels


_MISSING = {
    # kind: (check name, impact, message)
    "phone": ("no-phone", "serious", "No phone number was found on any page checked. People without internet access, "
              "or who cannot use the website, have no way to call."),
    "textphone": ("no-textphone", "serious", "No textphone, text relay or sign-language relay service was found. Deaf "
                  "people and people with hearing or speech impairments cannot use a voice phone line."),
    "postal_address": ("no-postal-address", "moderate", "No postal address was found. People who cannot go online "
                       "need an address to write to and to return paper forms."),
    "opening_hours": ("no-opening-hours", "moderate", "No opening hours were found for the phone line or office. "
                      "People cannot tell when they can get help."),
    "office": ("no-office", "moderate", "No office people can visit, or office finder, was found. Some people can only "
               "get help face to face."),
}


def channels_country(view: SiteView) -> dict[str, Any] | None:
    """The country phone numbers and addresses were read for on most pages, where that came from
    (the portal's `country`, the host's suffix, the language) and on how many pages."""
    countries = [facts["country"] for _, facts in _facts(view) if "country" in facts]
    if not countries:
        return None
    code, pages = Counter(c["code"] for c in countries).most_common(1)[0]
    first = next(c for c in countries if c["code"] == code)
    return {"code": code, "source": first["source"], "regions": first["regions"], "pages": pages}


def offline_channels(view: SiteView) -> SiteEvaluation:
    channels = site_channels(view)
    findings = []
    data = {"channels": channels, "channels_country": channels_country(view)}
    if not _facts(view) or not view.crawled:
        return SiteEvaluation(data=data)
    for kind, (name, impact, message) in _MISSING.items():
        if not channels[kind]:
            findings.append(_site_finding(view, name, impact, message))
    if not channels["email"] and not channels["contact_form"]:
        findings.append(_site_finding(view, "no-email-or-form", "serious",
                                      "No email address or contact form was found. People who cannot phone "
                                      "have no written way to reach the organisation."))
    phones = channels["phone"]
    if phones and all(p["premium_rate"] for p in phones):
        findings.append(_site_finding(view, "only-costly-phone", "critical",
                                      "Every phone number found is premium rate or shared cost.",
                                      evidence=tuple({"page": p["page"], "text": p["e164"]} for p in phones)))
    forms = channels["paper_forms"]
    if forms and not any(f["return_offline"] for f in forms):
        findings.append(_site_finding(
            view, "forms-without-offline-return", "moderate",
            "Forms can be downloaded, but no page says how to return them by post or in person.",
            outcome="review", evidence=tuple({"page": f["page"], "text": f["text"]} for f in forms[:5])))
    return SiteEvaluation(findings=findings, data=data)


def _site_finding(view: SiteView, name: str, impact: str, message: str, *, outcome: str = "fail",
                  evidence: tuple[dict[str, Any], ...] = (), wcag: tuple[str, ...] = ()) -> Finding:
    return site_finding(view, f"channels/{name}", "channels", impact=impact, outcome=outcome, message=message,
                        evidence=evidence or ({"pages_checked": len(view.scanned)},), wcag=wcag)


def find_statement(view: SiteView) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The statement (the link target most pages share) and what is wrong with it; its age is
    judged against the day of the scan (`view.scan_date`), so a stored scan keeps its verdict."""
    pages = _facts(view)
    if not pages:
        return None, []
    targets = Counter(url for _, facts in pages for url in {link["url"] for link in facts["statement_links"]})
    statement_pages = {(p.final_url or p.url): facts for p, facts in pages if "statement" in facts}
    url = next((u for u, _ in targets.most_common() if u in statement_pages), None)
    if url is None:
        url = next(iter(statement_pages), None) or next((u for u, _ in targets.most_common()), None)
    if url is None:
        return None, [_site_finding(view, "no-accessibility-statement", "serious",
                                    "No accessibility statement was found. The law requires one, and it is where "
                                    "people learn what does not work and how to ask for another format.")]
    linked = [p for p, facts in pages
              if (p.final_url or p.url) == url or any(link["url"] == url for link in facts["statement_links"])]
    share = round(len(linked) / len(pages), 3)
    found = statement_pages.get(url, {}).get("statement", dict.fromkeys(ELEMENTS))
    elements = {name: ({"page": url, **item} if item else None) for name, item in found.items()}
    findings = []
    if url not in statement_pages:
        findings.append(_site_finding(view, "statement-not-checked", "moderate",
                                      "Pages link to an accessibility statement, but it could not be checked "
                                      "(not visited within the page budget, or it failed to load).",
                                      outcome="review", evidence=({"page": url},)))
    if share < 1:
        missing = [p.final_url or p.url for p, _ in pages if p not in linked]
        findings.append(_site_finding(view, "statement-not-linked-everywhere", "moderate",
                                      f"The accessibility statement is linked from {share:.0%} of the pages checked; "
                                      "it should be reachable from every page.",
                                      evidence=tuple({"page": u} for u in missing[:20])))
    for name, item in elements.items():
        if item is None and url in statement_pages:
            findings.append(_site_finding(view, f"statement-missing-{name.replace('_', '-')}", "moderate",
                                          f"The accessibility statement has no {name.replace('_', ' ')} section, "
                                          "which the law requires.", evidence=({"page": url},)))
    prepared = elements.get("preparation_date")
    if prepared and is_stale(prepared["date"], view.scan_date, channels_data()["statement"]["stale_after_days"]):
        findings.append(_site_finding(view, "statement-out-of-date", "moderate",
                                      f"The accessibility statement was last prepared or reviewed on {prepared['date']}, "
                                      "more than a year ago; it must be reviewed every year.",
                                      evidence=({"page": url, "text": prepared["text"]},)))
    return {"url": url, "linked_from_share": share, "elements": elements}, findings


def accessibility_statement(view: SiteView) -> SiteEvaluation:
    statement, findings = find_statement(view)
    if not view.crawled:  # only the given URLs: a statement elsewhere on the site is not "missing"
        findings = [f for f in findings if f.check != "channels/no-accessibility-statement"]
    return SiteEvaluation(findings=findings, data={"statement": statement})


_DOCUMENT_PROBLEMS: tuple[tuple[str, Callable[[Any], bool], str, str, tuple[str, ...], str], ...] = (
    # property, is it a problem?, check name, impact, WCAG criteria, message (methodology 3.2, A10)
    ("tagged", lambda v: v is False, "pdf-untagged", "serious", ("1.3.1",),
     "The PDF is not tagged, so screen readers cannot follow its structure."),
    ("text_layer", lambda v: v is False, "pdf-no-text", "critical", ("1.1.1",),
     "The PDF has no text layer (a scanned image): screen readers read nothing."),
    ("title_shown", lambda v: v is False, "document-no-title", "moderate", ("2.4.2",),
     "The document has no title shown in place of its file name."),
    ("language", lambda v: not v, "document-no-language", "moderate", ("3.1.1",),
     "The document does not say what language it is in, so screen readers may mispronounce it."),
    ("unnamed_fields", lambda v: v > 0, "pdf-unnamed-fields", "serious", ("4.1.2",),
     "Form fields in the PDF have no names screen readers can announce."),
)


def html_version(doc: DocumentResult, pages: list[PageResult]) -> str | None:
    """A scanned page whose title holds every content word of the document's title (or, untitled,
    of its file name), form words such as "form" or "claim" left out (GDS: publish in HTML first)."""
    name = doc.properties.get("title") or unquote(urlsplit(doc.url).path.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    form_words = {w.lower() for w in every_word("channels", "form_words")}
    wanted = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", name)} - form_words
    if not wanted:
        return None
    for page in pages:
        if wanted <= {w.lower() for w in re.findall(r"[^\W\d_]{3,}", page.title or "")}:
            return page.final_url or page.url
    return None


def documents(view: SiteView) -> SiteEvaluation:
    """Findings for each inspected document (gather/documents.py fills `properties`)."""
    findings = []
    for doc in view.documents:
        props = doc.properties
        if props.get("limit_exceeded"):
            findings.append(_too_large(doc))
        if not props or "error" in props:
            continue
        if html_version(doc, view.scanned) is None:
            check = "channels/document-no-html-version"
            findings.append(Finding(check=check, pillar="channels", outcome="review", impact="minor",
                                    message="No web page with the same content was found. Documents are harder to "
                                            "use than web pages on phones and with assistive technology; publish "
                                            "in HTML first.",
                                    evidence=({"document": doc.url, "page": doc.found_on},),
                                    fingerprint=fingerprint(check, doc.url)))
        for key, is_problem, name, impact, wcag, message in _DOCUMENT_PROBLEMS:
            if key in props and is_problem(props[key]):
                check = f"channels/{name}"
                findings.append(Finding(check=check, pillar="channels", outcome="fail", impact=impact, wcag=wcag,
                                        message=message, evidence=({"document": doc.url, "page": doc.found_on},),
                                        fingerprint=fingerprint(check, doc.url)))
    return SiteEvaluation(findings=findings)


def _too_large(doc: DocumentResult) -> Finding:
    """A document past the unpacking limits (gather/documents.py): not inspected, and a burden
    for anyone who downloads it on a phone or a metered connection."""
    check = "channels/document-too-large"
    return Finding(check=check, pillar="channels", outcome="review", impact="minor",
                   message=f"The document was not inspected: {doc.properties['error'].removeprefix('not inspected: ')}. "
                           "A document this large is hard to open on a phone or a metered connection; check it by hand.",
                   evidence=({"document": doc.url, "page": doc.found_on},), fingerprint=fingerprint(check, doc.url))


def page_score(page: PageResult) -> float | None:
    """None: channels are a property of the site, not of one page."""
    return None


def site_score(view: SiteView) -> float | None:
    """0-100: the weights of data/channels.toml [score] for each kind found (a phone line that is
    only premium rate earns half), plus the statement (found) and each of its five elements,
    divided by the total weight, from what the site checks reported (`view.data`). None when no
    page was checked or the channels check did not report."""
    channels = view.data.get("channels")
    if not _facts(view) or not view.crawled or channels is None:
        return None
    weights = channels_data()["score"]
    earned = 0.0
    for kind in KINDS:
        if channels[kind]:
            costly = kind == "phone" and all(p["premium_rate"] for p in channels[kind])
            earned += weights.get(kind, 0) * (0.5 if costly else 1)
    statement = view.data.get("statement")
    if statement:
        earned += weights["statement_found"]
        earned += weights["statement_element"] * sum(1 for v in statement["elements"].values() if v)
    total = sum(weights.get(k, 0) for k in KINDS) + weights["statement_found"] + weights["statement_element"] * len(ELEMENTS)
    return round(100 * earned / total, 1)


def _entry(name: str, title: str, explanation: str, fix: str, impact: str, *,
           outcomes: tuple[str, ...] = ("fail",), wcag: tuple[str, ...] = ()) -> Entry:
    return Entry(id=f"channels/{name}", pillar="channels", title=title, explanation=explanation, fix=fix,
                 impact=impact, outcomes=outcomes, wcag=wcag)


_STATEMENT_HELP = "https://www.w3.org/WAI/planning/statements/"
_MISSING_TITLES = {"phone": "No phone number", "textphone": "No textphone or relay service",
                   "postal_address": "No postal address", "opening_hours": "No opening hours",
                   "office": "No office to visit"}
_MISSING_FIX = "Publish it on the contact page and link that page from every page."

OFFLINE_ENTRIES = (
    *(_entry(name, _MISSING_TITLES[kind], message, _MISSING_FIX, impact) for kind, (name, impact, message) in _MISSING.items()),
    _entry("no-email-or-form", "No email address or contact form",
           "People who cannot phone (Deaf people, people who need time to write) have no written way to reach the organisation.",
           "Publish an email address or an accessible contact form.", "serious"),
    _entry("only-costly-phone", "Only premium-rate or shared-cost phone numbers",
           "Every phone number found costs more than a normal call: people on low incomes may not be able to afford to call.",
           "Offer a geographic, free or standard-rate number.", "critical"),
    _entry("forms-without-offline-return", "Paper forms with no way to return them offline",
           "Forms can be downloaded, but no page says how to send them back by post or in person, so people without "
           "internet access cannot finish the service.",
           "Say on the form's page where to post or hand in the completed form.", "moderate", outcomes=("review",)),
)
PREMIUM_ENTRY = _entry(
    "premium-rate-phone", "A premium-rate or shared-cost phone number",
    "Calling this number costs more than a normal call, a barrier for people on low incomes.",
    "Give a geographic, free or standard-rate number instead, or next to it.", "serious")
STATEMENT_ENTRIES = (
    _entry("no-accessibility-statement", "No accessibility statement",
           "The law requires public bodies to publish one; it is where disabled people learn what does not work, how "
           "to ask for another format and how to complain.",
           "Publish an accessibility statement and link it from every page.", "serious"),
    _entry("statement-not-checked", "Accessibility statement linked but not checked",
           "Pages link to an accessibility statement, but it was not visited within the page budget or failed to load, "
           "so its contents are unknown.",
           "Make sure the statement loads; raise the scan's page budget so it is reached.", "moderate", outcomes=("review",)),
    _entry("statement-not-linked-everywhere", "Accessibility statement not linked from every page",
           "People who meet a barrier on a page need to find the statement from that page.",
           "Link the statement from the footer of every page.", "moderate"),
    *(_entry(f"statement-missing-{name.replace('_', '-')}", f"Accessibility statement has no {name.replace('_', ' ')}",
             f"The accessibility statement has no {name.replace('_', ' ')} section, which the law requires.",
             f"Add a {name.replace('_', ' ')} section to the statement (see the model statement).", "moderate")
      for name in ELEMENTS),
    _entry("statement-out-of-date", "Accessibility statement not reviewed for over a year",
           "The statement must be reviewed every year; an old one may describe a site that no longer exists.",
           "Review the statement and update its preparation or review date.", "moderate"),
)
DOCUMENT_ENTRIES = (
    _entry("document-no-html-version", "Document with no web page version",
           "Documents are harder to use than web pages on phones and with assistive technology.",
           "Publish the content as an HTML page first, with the document as an alternative.", "minor", outcomes=("review",)),
    *(_entry(name, message.split(":")[0].split(",")[0].rstrip("."), message,
             "Export the document as tagged, titled PDF with its language set, real text and named fields "
             "(or publish it as a web page).", impact, wcag=wcag)
      for _, _, name, impact, wcag, message in _DOCUMENT_PROBLEMS),
    _entry("document-too-large", "Document too large to inspect",
           "The document unpacks past the inspection limits, so it was not checked; a file this large is hard to "
           "open on a phone or a metered connection.",
           "Make the document smaller (compress images, split it) or publish the content as a web page.", "minor",
           outcomes=("review",)),
)


CHECKS = [
    Check(
        id=PAGE_CHECK, pillar="channels", version=1, requires=(),
        title="Contact channels and accessibility statement on the page",
        explanation=("Finds the ways to reach the organisation that a page offers: phone numbers, textphone and "
                     "relay services, postal addresses, opening hours, offices, email, forms and SMS. A premium-rate "
                     "number is flagged: people on low incomes may not be able to afford the call."),
        evaluate=page_channels,
        entries=(PREMIUM_ENTRY,),
    ),
]

SITE_CHECKS = [
    SiteCheck(
        id="channels/offline-channels", pillar="channels", version=1,
        title="Ways to get the service without the web",
        explanation=("People with no device, no data, no digital skills or a disability the site did not plan for "
                     "need another way in: a phone line, a textphone or relay service, an office, a postal address, "
                     "an email address. This check says which of them the site offers, with the page that shows it."),
        evaluate=offline_channels,
        entries=OFFLINE_ENTRIES,
    ),
    SiteCheck(
        id="channels/accessibility-statement", pillar="channels", version=1,
        title="Accessibility statement: linked from every page and complete",
        explanation=("Public bodies must publish an accessibility statement that says what does not work, how to ask "
                     "for another format, when it was reviewed and how to complain to the enforcement body. Without "
                     "it, a disabled person has no way to get help or to hold the body to account."),
        evaluate=accessibility_statement,
        entries=STATEMENT_ENTRIES,
    ),
    SiteCheck(
        id="channels/documents", pillar="channels", version=1,
        title="Downloadable documents: tagged, titled, with language and text",
        explanation=("Forms and documents in PDF or Word are often the only paper route into a service. An untagged "
                     "or scanned PDF cannot be read by a screen reader, and a document without a title or language "
                     "is hard to find and mispronounced."),
        evaluate=documents,
        entries=DOCUMENT_ENTRIES,
    ),
]
