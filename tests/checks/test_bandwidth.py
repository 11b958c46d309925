"""The bandwidth checks on hand-built snapshots: no browser, every figure worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from accesscheck.bandwidth.cost import CostTables, Income, cost_tables, gb_prices, itu_incomes
from accesscheck.checks import SiteResults, SiteView
from accesscheck.checks.bandwidth import (
    CHECKS, check_cache_headers, check_images, check_no_js_content, check_no_js_forms, check_page_weight,
    check_reflow, check_speed, check_text_compression, page_score, site_score, site_summary)
from accesscheck.model import PageResult
from network_fixtures import doc, req, snap


def checks_found(evaluation) -> set[str]:
    return {f.check for f in evaluation.findings}


# --- what a page weighs -------------------------------------------------------------------

@pytest.mark.parametrize(("size", "impact"), [(999_000, None), (1_100_000, "moderate"),
                                              (2_500_000, "serious"), (9_000_000, "critical")])
def test_page_weight_budgets(size, impact):
    evaluation = check_page_weight(snap([doc(size)]))
    impacts = [f.impact for f in evaluation.findings]
    assert impacts == ([impact] if impact else [])
    assert evaluation.metrics["bytes_by_type"]["html"] == size
    if impact:
        assert evaluation.findings[0].evidence[0]["transfer_bytes"] == size


def test_cost_is_bytes_times_price_and_names_its_sources():
    cost = check_page_weight(snap([doc(2_000_000)])).metrics["cost"]
    poland = cost["countries"]["PL"]
    assert poland["usd"] == pytest.approx(2_000_000 / 1e9 * gb_prices()["PL"][1], abs=1e-5)
    daily = itu_incomes()["PL"].gni_per_capita_usd / 365
    assert poland["share_daily_income_pct"] == pytest.approx(poland["usd"] / daily * 100, rel=1e-3)
    assert "ITU" in poland["income_source"]
    assert cost["countries"]["NG"]["share_daily_income_pct"] is None  # no ITU figure: never invented
    assert "unknown" in cost["countries"]["NG"]["income_source"]
    assert "Cable.co.uk" in cost["price_source"]


def test_text_compression_only_above_the_page_threshold():
    plain = {"content-encoding": ""}
    small = snap([doc(20_000, headers=plain), req("https://www.council.example/a.css", "Stylesheet", 20_000, headers=plain)])
    assert checks_found(check_text_compression(small)) == set()
    big = snap([doc(20_000, headers=plain), req("https://www.council.example/a.js", "Script", 60_000, headers=plain)])
    found = check_text_compression(big).findings
    assert [f.check for f in found] == ["bandwidth/text-compression"]
    assert found[0].evidence[0]["bytes"] == 60_000
    compressed = snap([doc(20_000), req("https://www.council.example/a.js", "Script", 600_000)])
    assert checks_found(check_text_compression(compressed)) == set()


def test_cache_headers():
    bare = {"cache-control": "", "content-encoding": "gzip"}
    s = snap([doc(5_000), req("https://www.council.example/a.js", "Script", 3_000, headers=bare)])
    found = check_cache_headers(s).findings
    assert len(found) == 1 and found[0].evidence[0]["url"].endswith("/a.js")
    assert check_cache_headers(snap([doc(5_000)])).findings == []


def test_oversized_images():
    image = "https://www.council.example/photo.jpg"
    vitals = {"images": [
        {"url": image, "natural_width": 2000, "natural_height": 1000, "shown_width": 200, "shown_height": 100, "html": "<img src=photo.jpg>"},
        {"url": "https://www.council.example/ok.jpg", "natural_width": 400, "natural_height": 200, "shown_width": 200, "shown_height": 100, "html": "<img src=ok.jpg>"}]}
    s = snap([doc(), req(image, "Image", 500_000), req("https://www.council.example/ok.jpg", "Image", 50_000)], vitals=vitals)
    found = check_images(s).findings
    assert len(found) == 1
    # shown 200x100 at 2x density = 80 000 px of 2 000 000: 96% of 500 000 bytes wasted
    assert found[0].evidence[0]["wasted_bytes"] == 480_000


# --- speed --------------------------------------------------------------------------------

def test_speed_check_metrics_and_slow_finding():
    fast = check_speed(snap([doc(5_000, end=5)], vitals={"fcp_ms": 10, "lcp_ms": 10, "cls": 0, "tbt_ms": 0, "long_tasks": []}))
    assert set(fast.metrics["estimates"]) == {"slow-4g", "3g", "2g"}
    for estimate in fast.metrics["estimates"].values():
        assert set(estimate) == {"fcp_ms", "lcp_ms", "load_ms"}
    e = fast.metrics["estimates"]
    assert e["slow-4g"]["load_ms"] < e["3g"]["load_ms"] < e["2g"]["load_ms"]
    assert fast.findings == [] and fast.metrics["performance_score_ours"] > 90
    blocking = req("https://www.council.example/app.js", "Script", 1_500_000, start=10, end=40, priority="High")
    slow = check_speed(snap([doc(5_000, end=5), blocking], vitals={"fcp_ms": 50, "lcp_ms": 50, "cls": 0, "long_tasks": []}))
    assert [f.check for f in slow.findings] == ["bandwidth/slow-load"]
    assert slow.metrics["estimates"]["slow-4g"]["lcp_ms"] > 4000


# --- no JavaScript, reflow ----------------------------------------------------------------

def no_js(js_text, bare_text, js_nav=10, bare_nav=10, js_forms=(1, 1), bare_forms=(1, 1)):
    return {"js": {"text_chars": js_text, "nav_links": js_nav, "forms": js_forms[0], "forms_usable": js_forms[1]},
            "no_js": {"text_chars": bare_text, "nav_links": bare_nav, "forms": bare_forms[0], "forms_usable": bare_forms[1]}}


def test_no_js_content_and_forms():
    same = snap([doc()], no_js=no_js(1000, 980))
    assert check_no_js_content(same).findings == [] and check_no_js_forms(same).findings == []
    assert check_no_js_content(same).metrics["no_js"]["text_ratio"] == 0.98
    empty = snap([doc()], no_js=no_js(1000, 100, bare_forms=(0, 0)))
    assert checks_found(check_no_js_content(empty)) == {"bandwidth/no-js-content"}
    assert checks_found(check_no_js_forms(empty)) == {"bandwidth/no-js-forms"}
    lost_nav = snap([doc()], no_js=no_js(1000, 1000, js_nav=12, bare_nav=2))
    assert "2 of 12 navigation links" in check_no_js_content(lost_nav).findings[0].message
    assert check_no_js_content(snap([doc()])).metrics == {}  # not gathered: nothing claimed


def test_reflow_findings_per_offender():
    probe = {"viewport_width": 320, "scroll_width": 900, "offenders": [
        {"selector": "#main > div", "html": "<div class=wide>", "width": 900}]}
    evaluation = check_reflow(snap([doc()], reflow=probe))
    assert [(f.check, f.wcag, f.selector) for f in evaluation.findings] == [("bandwidth/reflow", ("1.4.10",), "#main > div")]
    assert evaluation.metrics["reflow"]["offenders"] == 1
    clean = check_reflow(snap([doc()], reflow={"viewport_width": 320, "scroll_width": 320, "offenders": []}))
    assert clean.findings == []


# --- scores and the site summary --------------------------------------------------------------

def page_result(path: str, size: int, *, depth: int = 1, findings=(), forms: int = 0) -> PageResult:
    snapshot = snap([doc(size, end=5)], vitals={"fcp_ms": 10, "lcp_ms": 10, "cls": 0, "long_tasks": []},
                    no_js=no_js(1000, 1000, js_forms=(forms, forms), bare_forms=(forms, forms)),
                    reflow={"viewport_width": 320, "scroll_width": 320, "offenders": []})
    result = PageResult(url="https://www.council.example" + path, site="https://www.council.example",
                        outcome="scanned", depth=depth, metrics={"transfer_bytes": size, "requests": 1})
    for check in CHECKS:
        evaluation = check.evaluate(snapshot)
        result.metrics.update(evaluation.metrics)
        result.findings.extend(evaluation.findings)
        if evaluation.facts:
            result.facts[check.id] = evaluation.facts
    result.findings.extend(findings)
    return result


def test_page_score_drops_with_weight_and_failures():
    light, heavy = page_result("/a", 200_000), page_result("/b", 5_000_000)
    assert 90 < page_score(light) <= 100
    assert page_score(heavy) < page_score(light) - 20
    failing = page_result("/c", 200_000)
    failing.findings.extend(check_reflow(snap([doc()], reflow={"viewport_width": 320, "scroll_width": 900, "offenders": [
        {"selector": "div", "html": "<div>", "width": 900}]})).findings)
    assert page_score(failing) == pytest.approx(page_score(light) - 15, abs=0.2)  # reflow weighs 0.15
    assert page_score(PageResult(url="x", site="y", outcome="failed")) is None


def test_site_summary_path_cost_and_score():
    pages = [page_result("/", 300_000, depth=0), page_result("/a", 100_000), page_result("/b", 200_000),
             page_result("/c", 400_000), page_result("/form", 500_000, depth=2, forms=1)]
    view = SiteView(origin="https://www.council.example", name="Council", country="PL", language="pl",
                    pages=pages, documents=[], scan_date=date(2026, 11, 2), tables=cost_tables())
    data = site_summary(view).data["bandwidth"]
    path = data["service_path"]
    assert [p.rsplit("example", 1)[1] for p in path["pages"]] == ["/", "/b", "/form"]
    assert path["transfer_bytes"] == 1_000_000
    assert list(path["cost"]["countries"])[0] == "PL"  # the portal's own country first
    assert data["median_transfer_bytes"] == 300_000
    assert data["score"] == round(sum(page_score(p) for p in pages) / len(pages), 1)
    assert site_score(view.with_results(SiteResults(data=site_summary(view).data))) == data["score"]
    assert site_score(view) is None  # without the summary's results it cannot assess
    assert "Lighthouse" in data["sources"]["performance_score"] and "not a Lighthouse score" in data["sources"]["performance_score"]


def test_the_service_path_is_priced_with_the_tables_the_check_is_handed():
    pages = [page_result("/", 250_000, depth=0), page_result("/form", 250_000, depth=1, forms=1)]
    tables = CostTables(prices={"PL": ("Poland", 2.0)}, incomes={"PL": Income(3650.0, "a test's own figure")})
    view = SiteView(origin="https://www.council.example", name="Council", country="PL", language="pl",
                    pages=pages, documents=[], scan_date=date(2026, 11, 2), tables=tables, options={"countries": ["PL"]})
    poland = site_summary(view).data["bandwidth"]["service_path"]["cost"]["countries"]["PL"]
    assert poland["usd"] == pytest.approx(500_000 / 1e9 * 2.0)
    assert poland["share_daily_income_pct"] == pytest.approx(poland["usd"] / 10.0 * 100, rel=1e-3)
    assert poland["income_source"] == "a test's own figure"
