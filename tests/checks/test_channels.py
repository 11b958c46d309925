"""The channels pillar on hand-built pages and snapshots: no browser."""

from __future__ import annotations

from datetime import date

import pytest

from accesscheck.bandwidth.cost import cost_tables
from accesscheck.checks import SiteView, run_site_checks
from accesscheck.checks.channels import (SITE_CHECKS, accessibility_statement, documents, find_statement, html_version,
                                         offline_channels, page_channels, site_score)
from accesscheck.gather.documents import inspect_document
from accesscheck.model import DocumentResult, PageResult, PageSnapshot
from document_fixtures import pdf

ORIGIN = "http://127.0.0.1:9"
FOOTER = '<footer><a href="/accessibility">Accessibility statement</a></footer>'


def snapshot(path: str, body: str, *, lang: str = "en-GB", title: str = "A page") -> PageSnapshot:
    html = f'<html lang="{lang}"><head><title>{title}</title></head><body><main>{body}</main>{FOOTER}</body></html>'
    return PageSnapshot(url=ORIGIN + path, final_url=ORIGIN + path, status=200, html=html, lang=lang, title=title)


def page_result(snap: PageSnapshot) -> PageResult:
    evaluation = page_channels(snap)
    return PageResult(url=snap.url, site=ORIGIN, outcome="scanned", final_url=snap.final_url, title=snap.title,
                      lang=snap.lang, findings=evaluation.findings, facts={"channels": evaluation.facts})


SCAN_DATE = date(2025, 6, 1)


def view(*snaps: PageSnapshot, docs: list[DocumentResult] | None = None, scan_date: date = SCAN_DATE) -> SiteView:
    return SiteView(origin=ORIGIN, name="t", country="GB", language="en", pages=[page_result(s) for s in snaps],
                    documents=docs or [], scan_date=scan_date, tables=cost_tables())


def scored(site: SiteView) -> float | None:
    """The pillar's site score as the scan computes it: after the site checks, from their results."""
    return site_score(site.with_results(run_site_checks(site, SITE_CHECKS)))


STATEMENT = """<h1>Accessibility statement</h1>
<h2>Compliance status</h2><p>This website is partially compliant with WCAG 2.2 AA.</p>
<h2>Non-accessible content</h2><p>Some maps have no text alternative.</p>
<h2>Feedback and contact information</h2><p>Email <a href="mailto:a@b.example">a@b.example</a>.</p>
<h2>Enforcement procedure</h2><p>The Equality and Human Rights Commission enforces the regulations.</p>
<h2>Preparation of this accessibility statement</h2><p>This statement was prepared on 2 March 2025.</p>"""


def test_premium_rate_number_is_a_page_failure_and_ordinary_numbers_are_not():
    evaluation = page_channels(snapshot("/contact", "<p>Call 020 7946 0123 or the payment line 0909 879 0123.</p>"))
    assert [(f.check, f.outcome, f.impact) for f in evaluation.findings] == [("channels/premium-rate-phone", "fail", "serious")]
    assert "+449098790123" in evaluation.findings[0].message
    phones = {p["e164"]: p for p in evaluation.facts["phone"]}
    assert set(phones) == {"+442079460123", "+449098790123"}
    assert phones["+449098790123"]["premium_rate"] and not phones["+442079460123"]["premium_rate"]


def test_numbers_that_are_not_phone_numbers_are_ignored():
    body = ("<p>Case number WCC-2025-0098765, paid £1,250.00 on 12/03/2025, postcode NV1 2AB.</p>"
            "<p>Sort code 20-45-77, account 43218765. Parcel number 0049 2231 7761.</p>")
    assert page_channels(snapshot("/x", body)).facts["phone"] == []


def test_north_american_numbers_with_the_country_given_or_implied():
    body = ("<p>Call 800-827-1000 or 1-866-312-1511, or 343-542-7841 from Ottawa.</p>"
            '<p><a href="tel:+1-888-555-0142">Payment center</a></p>')
    for url, country, lang in (("https://www.va.gov/contact", "", "en"), ("https://www.example.org/contact", "US", "en"),
                               ("https://www.canada.ca/fr/contact", "", "fr-CA")):
        snap = snapshot("/c", body, lang=lang)
        snap.url = snap.final_url = url
        snap.country = country
        facts = page_channels(snap).facts
        assert {p["e164"] for p in facts["phone"]} == {"+18008271000", "+18663121511", "+13435427841", "+18885550142"}
        assert facts["country"]["code"] in ("US", "CA")
    # on a British page without a country the same digits are not British numbers
    assert {p["e164"] for p in page_channels(snapshot("/c", body)).facts["phone"]} == {"+18885550142"}


@pytest.mark.parametrize("lang, country, text, found", [
    ("en-US", "US", "<p>Office of Public Inquiries, 6401 Security Blvd., Baltimore, MD 21235</p>", True),
    ("en-CA", "CA", "<p>25 St. Clair Avenue East<br>Toronto ON  M4T 1M2</p>", True),
    ("de", "DE", "<p>Sie finden uns in der Parkstraße 16, 71034 Böblingen.</p>", True),
    ("fr", "FR", "<p>Caisse d'allocations, 67 boulevard Vivier-Merle, 69003 Lyon</p>", True),
    ("nl", "NL", "<p>Postbus 4059, 3006 AB Rotterdam</p>", True),
    ("it", "IT", "<p>Piazza del Municipio 1, 00186 Roma</p>", True),
    ("es", "ES", "<p>Plaza Mayor 1, 28013 Madrid</p>", True),
    ("pt-PT", "PT", "<p>Rua Augusta 10, 1100-053 Lisboa</p>", True),
    ("cy", "GB", "<p>Cyngor Bro, Heol y Brenin, Caerfyrddin, SA31 1JP</p>", True),
    # a postcode without a street line is not an address
    ("en-US", "US", "<p>Fee: $39. Claims filed in 2025 in CA 95818 took 45 days.</p>", False),
    ("de", "DE", "<p>Es gibt 214 Wahllokale und 38112 Briefwahlanträge in 10117 Berlin.</p>", False),
    ("en-AU", "AU", "<p>Postcodes 2600 to 2620 and 3000 to 3207 were part of the pilot.</p>", False),
    ("nl", "NL", "<p>Uw aanslag 2025 is verstuurd naar 1011 AB Amsterdam.</p>", False),
])
def test_addresses_in_plain_text_by_country(lang, country, text, found):
    snap = snapshot("/c", text, lang=lang)
    snap.country = country
    assert bool(page_channels(snap).facts["postal_address"]) is found, (lang, text)


@pytest.mark.parametrize("lang, text, offered", [
    ("en", "<p>Visit us at the civic centre, 1 Station Road, EM4 7QT.</p>", True),
    ("en", "<h2>Reception</h2><p>Open Monday to Friday, 9am to 1pm.</p>", False),   # hours under a heading only
    ("en", "<p>Our reception is open Monday to Friday, 9am to 1pm.</p>", True),
    ("en", "<p>The Office of the Inspector General published its report.</p>", False),
    ("de", "<p>Die Bildrechte liegen beim Amt; die Fotos entstanden vor Ort.</p>", False),
    ("de", "<p>In Nutzertests haben wir persönlich mit Bürgern gesprochen.</p>", False),
    ("it", "<p>L'ufficio tecnico ha verificato i problemi di colore.</p>", False),
    ("fr", "<p>Le bureau d'études a rendu son rapport le 14 mars 2025.</p>", False),
    ("nl", "<p>Bezoekadres: Dijkweg 12, 3011 AB Rotterdam. Postadres: Postbus 4059, 3006 AB Rotterdam.</p>", True),
    ("nl", "<p>Postadres: Postbus 4059, 3006 AB Rotterdam (gemeentehuis).</p>", False),
])
def test_an_office_needs_evidence_next_to_the_word(lang, text, offered):
    assert bool(page_channels(snapshot("/c", text, lang=lang)).facts["office"]) is offered, text


@pytest.mark.parametrize("lang, text, offered", [
    ("en", "<p>Textphone: 0800 731 7339</p>", True),
    ("en", "<p>Text relay: dial 18001 followed by our number.</p>", True),
    ("en", "<p>The Federal Communications Commission regulates the Telecommunications Relay Service.</p>", False),
    ("en", "<p>Relay services for the deaf are described in the annual report (docket 03-123).</p>", False),
    ("de", "<p>Für hörgeschädigte Menschen: Tess-Relay-Dienst.</p>", True),
    ("fr", "<p>Le CRTC a élargi le service de relais vidéo l'an dernier.</p>", False),
    ("fr", '<p>Personnes sourdes : <a href="/acceo">service Acceo</a></p>', True),
])
def test_a_textphone_service_counts_only_when_the_page_offers_it(lang, text, offered):
    assert bool(page_channels(snapshot("/c", text, lang=lang)).facts["textphone"]) is offered, text


def test_a_statement_that_never_states_its_compliance_has_none():
    body = ("<h1>Erklärung zur Barrierefreiheit</h1><p>Wir sind bemüht, die Website barrierefrei zugänglich zu machen.</p>"
            "<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>"
            "<h2>Nicht barrierefreie Inhalte</h2><p>Die folgenden Inhalte sind nicht barrierefrei: PDF-Formulare.</p>")
    facts = page_channels(snapshot("/barrierefreiheit", body, lang="de", title="Erklärung zur Barrierefreiheit")).facts
    assert facts["statement"]["compliance_status"] is None
    assert facts["statement"]["non_accessible_content"] is not None


def test_offline_channels_found_with_evidence_and_missing_ones_reported():
    contact = snapshot("/contact", """<h2>Phone</h2><p>Telephone: 020 7946 0123</p>
        <p>Textphone: 18001 020 7946 0123</p><p>Monday to Friday, 9am to 5pm</p>
        <h2>Write to us</h2><address>County Hall, Market Street, NV1 2AB</address>""")
    evaluation = offline_channels(view(contact))
    channels = evaluation.data["channels"]
    assert [i["page"] for i in channels["phone"]] == [ORIGIN + "/contact"]
    for kind in ("textphone", "postal_address", "opening_hours"):
        assert channels[kind] and channels[kind][0]["selector"], kind
    for kind in ("email", "contact_form", "sms", "webchat", "paper_forms", "office"):
        assert channels[kind] == [], kind
    assert {f.check for f in evaluation.findings} == {"channels/no-email-or-form", "channels/no-office"}
    # 127.0.0.1 has no country; the page's html[lang] "en-GB" says GB
    assert evaluation.data["channels_country"] == {"code": "GB", "source": "language en-GB", "regions": ["GB"], "pages": 1}


def test_a_site_with_nothing_reports_every_missing_channel():
    evaluation = offline_channels(view(snapshot("/", "<p>Welcome to the portal.</p>")))
    assert {f.check for f in evaluation.findings} == {
        "channels/no-phone", "channels/no-textphone", "channels/no-postal-address", "channels/no-opening-hours",
        "channels/no-office", "channels/no-email-or-form"}


def test_statement_found_with_its_elements_and_share_of_pages_linking_it():
    statement = snapshot("/accessibility", STATEMENT, title="Accessibility statement")
    orphan = PageSnapshot(url=ORIGIN + "/orphan", final_url=ORIGIN + "/orphan", status=200,
                          html='<html lang="en"><body><p>No footer here.</p></body></html>', lang="en")
    data, findings = find_statement(view(statement, snapshot("/", "<p>Home</p>"), orphan, scan_date=date(2025, 6, 1)))
    assert data["url"] == ORIGIN + "/accessibility"
    assert data["linked_from_share"] == pytest.approx(2 / 3, abs=0.001)
    assert all(data["elements"].values())
    assert data["elements"]["preparation_date"]["date"] == "2025-03-02"
    assert [f.check for f in findings] == ["channels/statement-not-linked-everywhere"]
    assert findings[0].evidence == ({"page": ORIGIN + "/orphan"},)


def test_statement_missing_an_element_and_out_of_date():
    body = STATEMENT.replace("<h2>Enforcement procedure</h2><p>The Equality and Human Rights Commission enforces the regulations.</p>", "")
    data, findings = find_statement(view(snapshot("/accessibility", body, title="Accessibility statement"),
                                         scan_date=date(2026, 6, 1)))
    assert data["elements"]["enforcement_procedure"] is None
    assert {f.check for f in findings} == {"channels/statement-missing-enforcement-procedure", "channels/statement-out-of-date"}


@pytest.mark.parametrize("prepared, scan_date, out_of_date", [
    ("2 March 2025", date(2025, 6, 1), False),    # 3 months before the scan; over a year before today
    ("2 March 2025", date(2026, 6, 1), True),     # 15 months before the scan
    ("10 January 2031", date(2032, 6, 1), True),  # 17 months before the scan; in the future today
    ("10 January 2031", date(2031, 3, 1), False),
])
def test_a_statements_age_is_judged_against_the_scan_date_not_the_clock(prepared, scan_date, out_of_date):
    """The same statement and scan date give the same verdict on any day: each case's verdict
    against today's date (2026 or later) would differ from one of its pair."""
    body = STATEMENT.replace("2 March 2025", prepared)
    site = view(snapshot("/accessibility", body, title="Accessibility statement"), scan_date=scan_date)
    checks = {f.check for f in accessibility_statement(site).findings}
    assert ("channels/statement-out-of-date" in checks) is out_of_date


def test_no_statement_is_a_failure():
    page = PageSnapshot(url=ORIGIN + "/", final_url=ORIGIN + "/", status=200, html="<p>Hi</p>", lang="en")
    evaluation = accessibility_statement(view(page))
    assert evaluation.data == {"statement": None}
    assert [f.check for f in evaluation.findings] == ["channels/no-accessibility-statement"]


def test_document_findings_follow_the_properties():
    bad = DocumentResult(url=ORIGIN + "/a.pdf", site=ORIGIN, kind="pdf", found_on=ORIGIN + "/",
                         properties=inspect_document(pdf(tagged=False, title=None, lang=None, text=False), "pdf"))
    good = DocumentResult(url=ORIGIN + "/b.pdf", site=ORIGIN, kind="pdf", found_on=ORIGIN + "/",
                          properties=inspect_document(pdf(tagged=True, title="T", lang="en", text=True), "pdf"))
    found = [f for f in documents(view(docs=[bad, good])).findings if f.check != "channels/document-no-html-version"]
    assert {f.check for f in found} == {"channels/pdf-untagged", "channels/pdf-no-text", "channels/document-no-title",
                                        "channels/document-no-language"}
    assert all(f.evidence[0]["document"] == ORIGIN + "/a.pdf" for f in found)


def test_html_version_of_a_document_is_a_page_titled_with_its_words():
    doc = DocumentResult(url=ORIGIN + "/forms/council-tax-discount.pdf", site=ORIGIN, kind="pdf", found_on=ORIGIN + "/",
                         properties={"title": None, "tagged": True})
    with_page = view(snapshot("/discounts", "<p>x</p>", title="Council Tax discounts – Council"), docs=[doc])
    without = view(snapshot("/tax", "<p>x</p>", title="Council Tax – Council"), docs=[doc])
    assert html_version(doc, with_page.scanned) is None  # "discounts" is not "discount": words must match
    found = [f.check for f in documents(without).findings]
    assert found == ["channels/document-no-html-version"]
    exact = view(snapshot("/d", "<p>x</p>", title="Council Tax discount – Council"), docs=[doc])
    assert html_version(doc, exact.scanned) == ORIGIN + "/d" and documents(exact).findings == []


def test_site_score_rewards_channels_and_the_statement():
    bare = PageSnapshot(url=ORIGIN + "/", final_url=ORIGIN + "/", status=200, html="<p>Welcome.</p>", lang="en")
    assert scored(view(snapshot("/", "<p>Welcome.</p>"))) == 15.0  # only the statement link
    empty = scored(view(bare))
    full = scored(view(snapshot("/contact", "<p>Telephone: 020 7946 0123</p><p>Textphone: 18001</p>"),
                       snapshot("/accessibility", STATEMENT, title="Accessibility statement")))
    assert empty == 0.0 and 0 < full < 100
    assert scored(view()) is None
    assert site_score(view(bare)) is None  # without the site checks' results it cannot assess


def test_typographic_apostrophes_match_the_keywords():
    statement = snapshot("/accessibilite", "<h1>Déclaration d’accessibilité</h1>", lang="fr", title="Accessibilité")
    assert "statement" in page_channels(statement).facts


def test_sms_webchat_form_office_and_paper_forms_both_ways():
    page = snapshot("/help", """<p>Text us on <a href="sms:+447700900123">07700 900123</a>.</p>
        <p><a href="/webchat">Chat with an adviser</a></p>
        <form action="/send"><label>Message <textarea name="m"></textarea></label><button>Send</button></form>
        <p><a href="/offices">Find your local office</a></p>
        <p><a href="/forms/claim-form.pdf">Claim form (PDF)</a> Print it and post it to the address below.</p>""")
    facts = page_channels(page).facts
    for kind in ("sms", "webchat", "contact_form", "office", "paper_forms"):
        assert facts[kind], kind
    assert facts["paper_forms"][0]["url"] == ORIGIN + "/forms/claim-form.pdf"
    assert facts["paper_forms"][0]["return_offline"]
    plain = page_channels(snapshot("/news", """<p>We sent 1,200 text reminders in May.</p>
        <form role="search"><input type="search"></form><p><a href="/annual-report.pdf">Annual report</a></p>""")).facts
    for kind in ("sms", "webchat", "contact_form", "office", "paper_forms"):
        assert plain[kind] == [], kind


def test_forms_without_an_offline_way_back_are_a_review():
    page = snapshot("/forms", '<p><a href="/forms/claim-form.pdf">Claim form</a> Fill it in on screen.</p>')
    found = [f for f in offline_channels(view(page)).findings if f.check == "channels/forms-without-offline-return"]
    assert [(f.outcome, f.evidence[0]["text"]) for f in found] == [("review", "Claim form")]


def test_ussd_codes_count_only_next_to_a_dialling_word():
    assert page_channels(snapshot("/m", "<p>Dial *123*4# to check your balance.</p>")).facts["sms"]
    assert page_channels(snapshot("/m", "<p>Footnotes *12# and *34# refer to the tables.</p>")).facts["sms"] == []
