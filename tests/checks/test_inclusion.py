"""The inclusion pillar on hand-built snapshots: no browser."""

from __future__ import annotations

from datetime import date

from accesscheck.bandwidth.cost import cost_tables
from accesscheck.checks import SiteView
from accesscheck.checks.channels import page_channels
from accesscheck.checks.inclusion import languages, page_inclusion, page_score, page_titles
from accesscheck.detect.readability import measure
from accesscheck.model import PageResult, PageSnapshot

ORIGIN = "http://127.0.0.1:9"
FRENCH = ("Le conseil fournit des services à environ trois cent mille personnes qui vivent dans les villes et les "
          "villages de la vallée. Vous pouvez payer la taxe d’habitation et demander une aide au logement en ligne.")
ENGLISH = ("The council collects your bins every week. You can check your bin day online at any time. If we miss "
           "your bin, tell us within two working days and we will come back to collect it.")


def snap(path: str, body: str, *, lang: str | None = "en", title: str = "Bins and recycling – Council") -> PageSnapshot:
    lang_attr = f' lang="{lang}"' if lang else ""
    html = (f"<html{lang_attr}><head><title>{title}</title></head><body><nav>Menu Home News</nav>"
            f"<main>{body}</main><footer>Footer text</footer></body></html>")
    return PageSnapshot(url=ORIGIN + path, final_url=ORIGIN + path, status=200, html=html, lang=lang, title=title)


def result(s: PageSnapshot) -> PageResult:
    inc, ch = page_inclusion(s), page_channels(s)
    return PageResult(url=s.url, site=ORIGIN, outcome="scanned", final_url=s.final_url, title=s.title, lang=s.lang,
                      findings=inc.findings + ch.findings, facts={"inclusion": inc.facts, "channels": ch.facts})


def view(*snaps: PageSnapshot) -> SiteView:
    return SiteView(origin=ORIGIN, name="t", country="GB", language="en", pages=[result(s) for s in snaps], documents=[],
                    scan_date=date(2026, 11, 2), tables=cost_tables())


def checks(s: PageSnapshot) -> set[str]:
    return {f.check for f in page_inclusion(s).findings}


def test_lang_that_lies_is_a_failure_and_a_true_one_is_not():
    lying = page_inclusion(snap("/fr", f"<h1>Informations</h1><p>{FRENCH}</p>", title="Informations – Conseil"))
    assert [f.check for f in lying.findings] == ["inclusion/lang-mismatch"]
    assert lying.facts["language"]["detected"] == "fr" and lying.findings[0].wcag == ("3.1.1",)
    assert checks(snap("/fr", f"<h1>Informations</h1><p>{FRENCH}</p>", lang="fr-FR", title="Informations – Conseil")) == set()
    assert checks(snap("/en", f"<h1>Bins and recycling</h1><p>{ENGLISH}</p>")) == set()


def test_short_text_is_not_judged_for_language():
    assert page_inclusion(snap("/s", "<h1>Bins</h1><p>Bonjour à tous.</p>", title="Bins")).facts["language"]["detected"] is None


def test_invalid_hreflang_is_reported():
    found = checks(snap("/", f'<h1>Bins and recycling</h1><p>{ENGLISH}</p><a href="/pl/" hreflang="polish">Polski</a>'))
    assert found == {"inclusion/hreflang-invalid"}


def test_generic_and_unrelated_titles():
    assert checks(snap("/", f"<h1>Bins</h1><p>{ENGLISH}</p>", title="Home")) == {"inclusion/generic-title"}
    assert checks(snap("/", f"<h1>Bins</h1><p>{ENGLISH}</p>", title="Untitled document")) == {"inclusion/generic-title"}
    assert checks(snap("/", f"<h1>Parking permits</h1><p>{ENGLISH}</p>", title="Council services")) == {"inclusion/title-unrelated"}
    assert checks(snap("/", f"<h1>Bins</h1><p>{ENGLISH}</p>", title="")) == set()  # axe's document-title


def test_readability_needs_100_words_and_flags_hard_text():
    assert measure([ENGLISH], "en") is None  # under 100 words: not scored
    hard = ("Notwithstanding the aforementioned considerations, applicants demonstrating eligibility must "
            "substantiate circumstances necessitating discretionary reconsideration by administrative authorities. ") * 8
    reading = measure([hard], "en")
    assert reading["grade"] > 9 and reading["formula"] == "flesch_kincaid_grade"
    assert reading["mean_sentence_words"] < 20  # short sentences, long words
    assert checks(snap("/", f"<h1>Eligibility reconsideration</h1><p>{hard}</p>", title="Eligibility reconsideration")) == {
        "inclusion/hard-to-read"}
    rambling = ("You can apply online and then we will check what you have told us and write to you and then you can "
                "ask us to look again if you do not agree with what we decided about it. ") * 4
    assert "inclusion/long-sentences" in checks(snap("/", f"<h1>Apply</h1><p>{rambling}</p>", title="Apply"))
    easy = measure([ENGLISH * 3], "en")
    assert easy["grade"] <= 9


def test_duplicate_titles_across_the_site():
    body = f"<h1>Bins and recycling</h1><p>{ENGLISH}</p>"
    findings = page_titles(view(snap("/a", body), snap("/b", body), snap("/c", body, title="Other bins page"))).findings
    assert [f.check for f in findings] == ["inclusion/duplicate-title"]
    assert {e["page"] for e in findings[0].evidence} == {ORIGIN + "/a", ORIGIN + "/b"}


def test_languages_offered_with_contact_pages_and_easy_read():
    en = snap("/", f'<h1>Bins and recycling</h1><p>{ENGLISH}</p><p>Phone 020 7946 0123</p>'
                   '<a href="/cy/" hreflang="cy" lang="cy">Cymraeg</a><a href="/easy">Easy Read</a>')
    cy = snap("/cy/", "<h1>Biniau</h1><p>Mae'r cyngor yn casglu eich biniau bob wythnos.</p>", lang="cy", title="Biniau – Cyngor")
    evaluation = languages(view(en, cy))
    offered = {i["lang"]: i for i in evaluation.data["languages"]}
    assert set(offered) == {"en", "cy"}
    assert offered["en"]["contact_page"] and not offered["cy"]["contact_page"]
    assert offered["cy"]["switcher"] and offered["cy"]["linked_from"] == 1
    assert [f.check for f in evaluation.findings] == ["inclusion/no-contact-in-language"]


def test_no_easy_read_or_sign_language_is_a_review():
    evaluation = languages(view(snap("/", f"<h1>Bins and recycling</h1><p>{ENGLISH}</p>")))
    assert [(f.check, f.outcome) for f in evaluation.findings] == [("inclusion/no-easy-read-or-sign-language", "review")]


def test_page_score_counts_problems():
    clean = result(snap("/", f"<h1>Bins and recycling</h1><p>{ENGLISH}</p>"))
    no_lang = result(snap("/", f"<h1>Bins and recycling</h1><p>{ENGLISH}</p>", lang=None))
    assert page_score(clean) == 100.0
    assert page_score(no_lang) == 70.0
