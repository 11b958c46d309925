"""The bandwidth pillar: does the page work on a slow, costly connection and a cheap phone?

Page metrics (JSON names other tools read): `bytes_by_type`, `third_party_bytes`,
`third_party_hosts`, `estimates` (`slow-4g`, `3g`, `2g` with `fcp_ms`, `lcp_ms`, `load_ms`),
`vitals` (unthrottled `fcp_ms`, `lcp_ms`, `cls`, `tbt_ms`), `performance_score_ours`, `no_js`
(`text_ratio`, `nav_links`, `forms_usable`), `reflow` and `cost`. `transfer_bytes` and `requests`
come from accesscheck.metrics. Budgets: data/bandwidth/budgets.toml; machinery: accesscheck.bandwidth.
"""

from __future__ import annotations

import statistics
from typing import Any

from accesscheck.bandwidth import load_data
from accesscheck.bandwidth.cost import PRICE_SOURCE, cost_tables, default_countries, load_cost
from accesscheck.bandwidth.rating import page_parts, performance_score, weighted
from accesscheck.bandwidth.simulate import estimates, profiles
from accesscheck.bandwidth.weight import oversized_images, page_weight
from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation, SiteCheck, SiteEvaluation, SiteView
from accesscheck.fingerprint import fingerprint
from accesscheck.model import Finding, PageResult, PageSnapshot

_PILLAR = "bandwidth"


def _finding(check: str, snapshot: PageSnapshot, message: str, impact: str, *,
             wcag: tuple[str, ...] = (), selector: str | None = None, snippet: str | None = None,
             evidence: tuple[dict[str, Any], ...] = (), occurrence: int = 0) -> Finding:
    return Finding(check=check, pillar=_PILLAR, outcome="fail", message=message, impact=impact,
                   wcag=wcag, selector=selector, snippet=snippet, evidence=evidence,
                   fingerprint=fingerprint(check, snapshot.final_url, selector, snippet, occurrence))


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def check_page_weight(snapshot: PageSnapshot) -> Evaluation:
    weight = page_weight(snapshot)
    budget = load_data("budgets.toml")["page_weight"]
    metrics = {**weight.metrics(), "cost": load_cost(weight.transfer_bytes, default_countries(), cost_tables())}
    levels = ((budget["almanac_mobile_p90_bytes"], "critical", "heavier than 90% of mobile pages on the web (Web Almanac 2025 p90, 8,337 KB)"),
              (budget["almanac_mobile_median_bytes"], "serious", "heavier than the median mobile page on the web (Web Almanac 2025, 2,164 KB)"),
              (budget["good_bytes"], "moderate", "over the 1 MB budget for mobile pages (sitespeed.io Coach)"))
    findings = []
    for limit, impact, words in levels:
        if weight.transfer_bytes > limit:
            by_type = ", ".join(f"{k} {_kb(v)}" for k, v in weight.bytes_by_type.items() if v)
            findings.append(_finding(
                "bandwidth/page-weight", snapshot, impact=impact,
                message=f"This page transfers {_kb(weight.transfer_bytes)} in {weight.requests} requests, {words}. "
                        f"Largest parts: {by_type}.",
                evidence=({"transfer_bytes": weight.transfer_bytes, "limit_bytes": limit,
                           "bytes_by_type": weight.bytes_by_type},)))
            break
    return Evaluation(findings=findings, metrics=metrics,
                      facts={"transfer_bytes": weight.transfer_bytes})


def check_text_compression(snapshot: PageSnapshot) -> Evaluation:
    weight = page_weight(snapshot)
    total = sum(r["bytes"] for r in weight.uncompressed_text)
    if total < load_data("budgets.toml")["compression"]["min_page_bytes"]:
        return Evaluation()
    return Evaluation(findings=[_finding(
        "bandwidth/text-compression", snapshot, impact="moderate",
        message=f"{_kb(total)} of HTML, CSS and JavaScript is sent without compression; gzip or "
                f"Brotli usually cuts text by two thirds or more.",
        evidence=tuple(sorted(weight.uncompressed_text, key=lambda r: -r["bytes"])[:10]))])


def check_cache_headers(snapshot: PageSnapshot) -> Evaluation:
    uncached = page_weight(snapshot).uncached
    if not uncached:
        return Evaluation()
    return Evaluation(findings=[_finding(
        "bandwidth/cache-headers", snapshot, impact="minor",
        message=f"{len(uncached)} files ({_kb(sum(r['bytes'] for r in uncached))}) have no caching headers, "
                f"so people download them again on every visit.",
        evidence=tuple(uncached[:10]))])


def check_images(snapshot: PageSnapshot) -> Evaluation:
    findings = []
    for i, image in enumerate(oversized_images(snapshot)):
        findings.append(_finding(
            "bandwidth/oversized-images", snapshot, impact="moderate", selector=None, snippet=image["html"],
            message=f"This image is {image['natural_width']}×{image['natural_height']} px ({_kb(image['bytes'])}) "
                    f"but shown at {image['shown_width']}×{image['shown_height']} px; a right-sized file would "
                    f"save about {_kb(image['wasted_bytes'])}.",
            evidence=({k: image[k] for k in ("url", "bytes", "wasted_bytes", "natural_width",
                                              "natural_height", "shown_width", "shown_height")},),
            occurrence=i))
    return Evaluation(findings=findings)


def check_speed(snapshot: PageSnapshot) -> Evaluation:
    estimated = estimates(snapshot)
    vitals = snapshot.vitals or {}
    slow_4g_cpu = next(p.cpu for p in profiles() if p.name == "slow-4g")
    metrics: dict[str, Any] = {
        "estimates": estimated,
        "vitals": {k: vitals.get(k) for k in ("fcp_ms", "lcp_ms", "cls", "tbt_ms")} if vitals else None,
        "performance_score_ours": performance_score(estimated.get("slow-4g"), vitals, slow_4g_cpu),
    }
    findings = []
    limit = load_data("budgets.toml")["speed"]["slow_4g_lcp_ms"]
    slow = estimated.get("slow-4g")
    if slow and slow["lcp_ms"] > limit:
        three_g = estimated.get("3g", {})
        findings.append(_finding(
            "bandwidth/slow-load", snapshot, impact="serious",
            message=f"On a Slow 4G connection the main content would take about {slow['lcp_ms'] / 1000:.1f} s to appear "
                    f"(estimate; over {limit / 1000:g} s is poor), and about {three_g.get('load_ms', 0) / 1000:.0f} s "
                    f"to load fully on 3G.",
            evidence=({"estimates": estimated, "limit_ms": limit},)))
    return Evaluation(findings=findings, metrics=metrics)


def _no_js_ratios(snapshot: PageSnapshot) -> dict[str, Any] | None:
    if not snapshot.no_js:
        return None
    js, bare = snapshot.no_js["js"], snapshot.no_js["no_js"]
    return {"text_ratio": round(bare["text_chars"] / js["text_chars"], 3) if js["text_chars"] else 1.0,
            "nav_links": bare["nav_links"], "nav_links_with_js": js["nav_links"],
            "forms_usable": bare["forms_usable"], "forms_with_js": js["forms"],
            "forms_usable_with_js": js["forms_usable"]}


def check_no_js_content(snapshot: PageSnapshot) -> Evaluation:
    ratios = _no_js_ratios(snapshot)
    if ratios is None:
        return Evaluation()
    rules = load_data("budgets.toml")["no_js"]
    lost_text = ratios["text_ratio"] < rules["min_text_ratio"]
    nav_with_js = ratios["nav_links_with_js"]
    lost_nav = nav_with_js > 0 and ratios["nav_links"] / nav_with_js < rules["min_nav_ratio"]
    findings = []
    if lost_text or lost_nav:
        parts = []
        if lost_text:
            parts.append(f"only {ratios['text_ratio']:.0%} of the main text is there")
        if lost_nav:
            parts.append(f"{ratios['nav_links']} of {nav_with_js} navigation links are there")
        findings.append(_finding(
            "bandwidth/no-js-content", snapshot, impact="serious",
            message="Without JavaScript " + " and ".join(parts) + ". People whose browser blocks or fails "
                    "to load scripts (old phones, slow or filtered connections) cannot use this page.",
            evidence=(ratios,)))
    return Evaluation(findings=findings, metrics={"no_js": ratios},
                      facts={"forms": ratios["forms_with_js"], "forms_usable_no_js": ratios["forms_usable"]})


def check_no_js_forms(snapshot: PageSnapshot) -> Evaluation:
    ratios = _no_js_ratios(snapshot)
    if ratios is None or ratios["forms_usable"] >= ratios["forms_usable_with_js"]:
        return Evaluation()
    missing = ratios["forms_usable_with_js"] - ratios["forms_usable"]
    return Evaluation(findings=[_finding(
        "bandwidth/no-js-forms", snapshot, impact="serious",
        message=f"{missing} of {ratios['forms_usable_with_js']} forms cannot be sent without JavaScript "
                f"(no form, no submit button or no action). GOV.UK requires services to work with HTML alone.",
        evidence=(ratios,))])


def check_reflow(snapshot: PageSnapshot) -> Evaluation:
    if not snapshot.reflow:
        return Evaluation()
    probe = snapshot.reflow
    metrics = {"reflow": {"viewport_width": probe["viewport_width"], "scroll_width": probe["scroll_width"],
                          "offenders": len(probe["offenders"])}}
    findings = [_finding(
        "bandwidth/reflow", snapshot, impact="serious", wcag=("1.4.10",), selector=o["selector"], snippet=o["html"],
        message=f"At {probe['viewport_width']} CSS px wide (a small phone, or 400% zoom) this element is "
                f"{o['width']} px wide, so people must scroll sideways to read the page.",
        occurrence=i)
        for i, o in enumerate(probe["offenders"])]
    return Evaluation(findings=findings, metrics=metrics)


def page_score(page: PageResult) -> float | None:
    """The pillar score 0-100 of one scanned page (formula: accesscheck.bandwidth.rating)."""
    if page.outcome != "scanned":
        return None
    failed = {f.check for f in page.findings if f.outcome == "fail"}
    passed = {"no_js": None if page.metrics.get("no_js") is None else
              not failed & {"bandwidth/no-js-content", "bandwidth/no-js-forms"},
              "reflow": None if page.metrics.get("reflow") is None else "bandwidth/reflow" not in failed}
    return weighted(page_parts(page.metrics, passed))


def site_score(view: SiteView) -> float | None:
    """The mean page score, as the site summary reported it (`view.data`); None when no page was
    scored or the summary did not report."""
    return view.data.get("bandwidth", {}).get("score")


def _mean_page_score(pages: list[PageResult]) -> float | None:
    scores = [s for s in (page_score(p) for p in pages) if s is not None]
    return round(statistics.fmean(scores), 1) if scores else None


def _service_path(view: SiteView) -> list[PageResult]:
    """Home → a typical page → a page with a form: the home page (the shallowest page), the
    scanned page of median weight, and the shallowest page with a form (cold loads each)."""
    pages = sorted((p for p in view.scanned if p.metrics.get("transfer_bytes")), key=lambda p: (p.depth, p.url))
    if not pages:
        return []
    home = pages[0]
    forms = [p for p in pages if p.facts.get("bandwidth/no-js-content", {}).get("forms")]
    form = forms[0] if forms else None
    others = sorted((p for p in pages if p is not home and p is not form), key=lambda p: p.metrics["transfer_bytes"])
    typical = others[len(others) // 2] if others else None
    return [p for p in (home, typical, form) if p is not None]


def site_summary(view: SiteView) -> SiteEvaluation:
    pages = view.scanned
    weights = [p.metrics["transfer_bytes"] for p in pages if p.metrics.get("transfer_bytes")]
    chosen = [c.upper() for c in view.options.get("countries") or default_countries()]
    countries = list(dict.fromkeys(([view.country.upper()] if view.country else []) + chosen))
    path = _service_path(view)
    path_bytes = sum(p.metrics["transfer_bytes"] for p in path)
    axe_fails = {rule: sorted(p.url for p in pages if any(f.check == rule and f.outcome == "fail" for f in p.findings))
                 for rule in ("axe/target-size", "axe/meta-viewport")}
    count = {c: sum(1 for p in pages if any(f.check == c for f in p.findings))
             for c in (c.id for c in CHECKS)}
    data = {"bandwidth": {
        "score": _mean_page_score(pages),
        "pages_scored": len(pages),
        "median_transfer_bytes": int(statistics.median(weights)) if weights else None,
        "median_estimates": _median_estimates(pages),
        "pages_with_findings": count,
        "pages_failing_no_js": sum(1 for p in pages if any(f.check.startswith("bandwidth/no-js") for f in p.findings)),
        "service_path": {"pages": [p.url for p in path], "transfer_bytes": path_bytes,
                         "note": "home, a page of median weight and the first page with a form, each loaded cold",
                         "cost": load_cost(path_bytes, countries, view.tables) if path else None},
        "small_screens": {"pages_failing_target_size": axe_fails["axe/target-size"],
                          "pages_blocking_zoom": axe_fails["axe/meta-viewport"]},
        "sources": {"prices": PRICE_SOURCE, "attribution": "accesscheck/data/bandwidth/ATTRIBUTION.md",
                    "estimates": "simulated from one unthrottled load (accesscheck.bandwidth.simulate)",
                    "performance_score": "ours: Lighthouse v13 curves on simulated Slow 4G numbers, not a Lighthouse score"},
    }}
    return SiteEvaluation(data=data)


def _median_estimates(pages: list[PageResult]) -> dict[str, dict[str, float]]:
    result = {}
    for profile in profiles():
        values = [p.metrics["estimates"][profile.name] for p in pages
                  if profile.name in (p.metrics.get("estimates") or {})]
        if values:
            result[profile.name] = {k: statistics.median(v[k] for v in values) for k in ("fcp_ms", "lcp_ms", "load_ms")}
    return result


def _check(id: str, requires: tuple[str, ...], title: str, explanation: str, fix: str, impact: str,
           evaluate: Any, *, wcag: tuple[str, ...] = (), help_url: str | None = None) -> Check:
    """A bandwidth check emits one finding id, its own: check and catalogue entry share the words."""
    entry = Entry(id=id, pillar=_PILLAR, title=title, explanation=explanation, fix=fix, impact=impact,
                  outcomes=("fail",), wcag=wcag, help_url=help_url)
    return Check(id=id, pillar=_PILLAR, version=1, requires=requires, title=title, explanation=explanation,
                 evaluate=evaluate, entries=(entry,))


CHECKS = [
    _check("bandwidth/page-weight", ("network",), "Page weight against mobile budgets",
           ("How much data one visit to this page uses. On a prepaid phone plan every megabyte "
            "costs money, and on a slow signal every megabyte is seconds of waiting; a heavy page "
            "can cost some people a noticeable share of a day's income."),
           "Cut what the page loads: compress and right-size images, drop unused scripts, fonts and "
           "third-party widgets, and load what is below the fold only when needed.",
           "serious", check_page_weight, help_url="https://almanac.httparchive.org/en/2024/page-weight"),
    _check("bandwidth/text-compression", ("network",), "Text files sent without compression",
           ("HTML, CSS and JavaScript sent uncompressed take about three times the data they need. "
            "People on slow or metered connections wait and pay for bytes the server could have saved."),
           "Turn on gzip or Brotli compression on the server or CDN for HTML, CSS, JavaScript, JSON and SVG.",
           "moderate", check_text_compression,
           help_url="https://developer.chrome.com/docs/lighthouse/performance/uses-text-compression"),
    _check("bandwidth/cache-headers", ("network",), "Files without caching headers",
           ("Without caching headers a browser cannot reuse what it already downloaded, so people pay "
            "again in data and time for the same logo, stylesheet and scripts on every page of a service."),
           "Send Cache-Control (with a long max-age for versioned files) or at least an ETag or Last-Modified.",
           "minor", check_cache_headers,
           help_url="https://developer.chrome.com/docs/lighthouse/performance/uses-long-cache-ttl"),
    _check("bandwidth/oversized-images", ("network", "vitals"), "Images much larger than they are shown",
           ("An image sent at many times the size it is shown wastes data on every visit. On a cheap "
            "phone plan that is money spent on pixels nobody sees, and seconds of waiting on a slow signal."),
           "Serve images at the size they are shown (srcset and sizes for several screens), in a modern format.",
           "moderate", check_images,
           help_url="https://developer.chrome.com/docs/lighthouse/performance/uses-responsive-images"),
    _check("bandwidth/slow-load", ("network", "vitals"), "Estimated load time on slow mobile networks",
           ("How long people on Slow 4G, 3G and 2G would wait for this page, simulated from one fast "
            "load. Many people who most need public services are on weak signals and old phones; a page "
            "that takes half a minute to appear is a page many of them give up on."),
           "Send less, and send the main content first: fewer render-blocking scripts and styles, a smaller "
           "largest image, no chains of requests before the text appears.",
           "serious", check_speed, help_url="https://web.dev/articles/lcp"),
    _check("bandwidth/no-js-content", ("no_js",), "Content and navigation without JavaScript",
           ("Scripts fail to load on weak connections, are blocked by some networks and older phones, "
            "and time out. Government pages must show their content and navigation with HTML alone "
            "(GOV.UK progressive enhancement), or these people see an empty page."),
           "Render the page's text and navigation on the server as HTML, and add scripts on top of it.",
           "serious", check_no_js_content,
           help_url="https://www.gov.uk/service-manual/technology/using-progressive-enhancement"),
    _check("bandwidth/no-js-forms", ("no_js",), "Forms that cannot be sent without JavaScript",
           ("A form that only works with JavaScript shuts out people whose scripts did not load: they "
            "cannot apply, pay or report anything, and a service must work with HTML alone."),
           "Give every form a real <form> with an action and a submit button that works without scripts.",
           "serious", check_no_js_forms,
           help_url="https://www.gov.uk/service-manual/technology/using-progressive-enhancement"),
    _check("bandwidth/reflow", ("reflow",), "Reflow at 320 CSS px (WCAG 1.4.10)",
           ("On a small, cheap phone, or for someone who zooms text to 400%, content that does not fit "
            "320 px forces scrolling sideways on every line, which makes reading slow and error-prone."),
           "Let content wrap: relative widths, max-width: 100% on images and media, tables and code that "
           "scroll in their own box, no fixed widths over 320 px.",
           "serious", check_reflow, wcag=("1.4.10",),
           help_url="https://www.w3.org/WAI/WCAG22/Understanding/reflow.html"),
]

SITE_CHECKS = [
    SiteCheck(id="bandwidth/site-summary", pillar=_PILLAR, version=1,
              title="Bandwidth summary: score, typical weight and load times, cost of a service",
              explanation=("What the portal costs people on slow, metered connections and cheap phones: the typical "
                           "page weight and wait, the data cost of completing a service as money and as a share of a "
                           "day's income, and the small-screen problems found."),
              evaluate=site_summary),
]
