"""The demo portal against its bandwidth ground truth, both ways: every listed bandwidth defect is
found, and no other bandwidth defect is reported on any scanned page."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from accesscheck.report.json_report import results_document
from conftest import path_of

pytestmark = pytest.mark.browser
TRUTH = json.loads(files("accesscheck.demo").joinpath("ground_truth_bandwidth.json").read_text(encoding="utf-8"))


def _pages(run):
    return {path_of(p.url): p for p in run.pages if p.outcome == "scanned"}


def test_bandwidth_findings_match_ground_truth_both_ways(demo_run):
    pages = _pages(demo_run)
    assert set(TRUTH["pages"]) == set(pages), "every scanned demo page has a bandwidth ground truth"
    for path, truth in TRUTH["pages"].items():
        found = {f.check for f in pages[path].findings if f.pillar == "bandwidth" and f.outcome == "fail"}
        assert set(truth["fail"]) - found == set(), f"{path}: missed {sorted(set(truth['fail']) - found)}"
        assert found - set(truth["fail"]) == set(), f"{path}: invented {sorted(found - set(truth['fail']))}"
    clean = [p for p, t in TRUTH["pages"].items() if not t["fail"]]
    assert len(clean) >= 5


def test_no_bandwidth_check_broke(demo_run):
    for page in _pages(demo_run).values():
        broken = {k: v for k, v in page.check_errors.items() if k.startswith("bandwidth") or k in ("vitals", "no_js", "reflow")}
        assert broken == {}, (page.url, broken)


def test_every_page_carries_the_bandwidth_metrics(demo_run):
    for path, page in _pages(demo_run).items():
        m = page.metrics
        assert sum(m["bytes_by_type"].values()) == m["transfer_bytes"] or m["transfer_bytes"] >= sum(m["bytes_by_type"].values())
        assert m["bytes_by_type"]["html"] > 0 and m["bytes_by_type"]["css"] > 0, path
        assert set(m["estimates"]) == {"slow-4g", "3g", "2g"}
        e = m["estimates"]
        assert 0 < e["slow-4g"]["load_ms"] < e["3g"]["load_ms"] < e["2g"]["load_ms"], path
        assert e["3g"]["fcp_ms"] <= e["3g"]["load_ms"]
        assert m["vitals"]["fcp_ms"] is not None, path
        assert 0 <= m["performance_score_ours"] <= 100
        assert set(m["no_js"]) >= {"text_ratio", "nav_links", "forms_usable"}
        assert m["reflow"]["viewport_width"] == 320
        assert m["cost"]["countries"]["GB"]["usd"] > 0


def test_heavy_page_figures(demo_run):
    heavy = _pages(demo_run)["/services/online/recycling-centres.html"]
    m = heavy.metrics
    assert m["bytes_by_type"]["js"] > 700_000 and m["bytes_by_type"]["image"] > 350_000
    # a 1 MB page on DevTools 3G (50 000 B/s) cannot load in under 20 s
    assert m["estimates"]["3g"]["load_ms"] > 20_000
    light = _pages(demo_run)["/services/online/"]
    assert m["cost"]["countries"]["GB"]["usd"] > 50 * light.metrics["cost"]["countries"]["GB"]["usd"]


def test_js_dependent_page_figures(demo_run):
    page = _pages(demo_run)["/services/online/report-a-pothole.html"]
    assert page.metrics["no_js"]["text_ratio"] < 0.5
    assert page.metrics["no_js"]["forms_usable"] == 0 and page.metrics["no_js"]["forms_with_js"] == 1
    reflow = [f for f in _pages(demo_run)["/services/online/bus-pass-fares.html"].findings if f.check == "bandwidth/reflow"]
    assert len(reflow) == 1 and "fare-cards" in reflow[0].snippet  # the table beside it is exempt


def test_site_summary_in_json(demo_run):
    document = results_document(demo_run)
    site = document["sites"][0]
    summary = site["bandwidth"]
    assert 0 < summary["score"] <= 100
    assert summary["pages_scored"] == len(TRUTH["pages"])
    assert len(summary["service_path"]["pages"]) == 3
    assert summary["service_path"]["cost"]["countries"]["GB"]["usd"] > 0
    assert path_of(summary["small_screens"]["pages_failing_target_size"][0]) == "/services/"
    assert "Cable.co.uk" in summary["sources"]["prices"]


def test_terminal_summary_shows_the_pillar(demo_run):
    import io

    from rich.console import Console

    from accesscheck.report.terminal import print_summary
    out = io.StringIO()
    print_summary(demo_run, Console(file=out, width=250, color_system=None))
    text = out.getvalue()
    assert "Bandwidth: slow connections" in text
    assert "Cable.co.uk" in text and "simulated" in text
    line = next(l for l in text.splitlines() if "127.0.0.1" in l and "KB" in l)
    assert "GB $" in line  # the cost of the service path, in money
