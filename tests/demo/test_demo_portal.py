"""The demo portal against its ground truth, both ways: every listed defect is found, nothing
unlisted is reported, and every URL ends with the outcome the ground truth gives it."""

from __future__ import annotations

import gzip
import json

import pytest

from accesscheck.checks import all_checks
from accesscheck.demo import ground_truth
from accesscheck.model import PageSnapshot
from conftest import path_of

pytestmark = pytest.mark.browser
TRUTH = ground_truth()
# The finding families the ground truth lists completely ('fail' and, for content checks, 'review'):
# axe-core, the content checks and the interaction probes.
FAMILIES = ("axe/", "content/", "keyboard/", "context/", "spacing/", "resize/", "motion/", "orientation/")
REVIEWED = ("content/",)


def _pages(run):
    return {path_of(p.url): p for p in run.pages}


def test_every_ground_truth_page_has_its_outcome(demo_run):
    pages = _pages(demo_run)
    for path, truth in TRUTH["pages"].items():
        assert path in pages, f"{path} was never reached"
        page = pages[path]
        assert page.outcome == truth["outcome"], f"{path}: {page.outcome} ({page.reason})"
        if "reason_contains" in truth:
            assert truth["reason_contains"].lower() in (page.reason or "").lower(), (path, page.reason)


def test_found_every_listed_defect_and_invented_none(demo_run):
    pages = _pages(demo_run)
    for path, truth in TRUTH["pages"].items():
        if truth["outcome"] != "scanned":
            continue
        found = {f.check for f in pages[path].findings if f.outcome == "fail" and f.check.startswith(FAMILIES)}
        expected = {c for c in truth["fail"] if c.startswith(FAMILIES)}
        assert expected - found == set(), f"{path}: missed {sorted(expected - found)}"
        assert found - expected == set(), f"{path}: reported defects that are not there {sorted(found - expected)}"


def test_flagged_every_listed_review_and_invented_none(demo_run):
    pages = _pages(demo_run)
    for path, truth in TRUTH["pages"].items():
        if truth["outcome"] != "scanned":
            continue
        found = {f.check for f in pages[path].findings if f.outcome == "review" and f.check.startswith(REVIEWED)}
        expected = set(truth.get("review", []))
        assert found == expected, f"{path}: missed {sorted(expected - found)}, invented {sorted(found - expected)}"


def test_demo_shows_generic_links_failing_and_reviewed(demo_run):
    """The demo's generic links: 'Click here' twice with no context fails, 'Read more' after each
    story's heading is for review."""
    pages = _pages(demo_run)
    generic = [(f.outcome, f.check) for f in pages["/events.html"].findings if f.check == "content/link-text-generic"]
    assert generic == [("fail", "content/link-text-generic")] * 2
    assert [f.outcome for f in pages["/news/"].findings if f.check == "content/link-text-generic"] == ["review"] * 3


def test_clean_pages_exist_and_stay_clean(demo_run):
    clean = [p for p, t in TRUTH["pages"].items()
             if t["outcome"] == "scanned" and not [c for c in t["fail"] if c.startswith(FAMILIES)]]
    assert len(clean) >= 5
    pages = _pages(demo_run)
    for path in clean:
        assert [f.check for f in pages[path].findings if f.outcome == "fail" and f.check.startswith(FAMILIES)] == [], path


def test_no_page_outside_the_ground_truth(demo_run):
    known = set(TRUTH["pages"]) | set(TRUTH.get("redirects", {}))
    for page in demo_run.pages:
        assert path_of(page.url) in known, f"unexpected page {page.url} ({page.outcome}: {page.reason})"
    for path in TRUTH.get("not_pages", []):
        assert path not in _pages(demo_run)


def test_redirects_record_the_final_url_once(demo_run):
    pages = _pages(demo_run)
    for source, target in TRUTH.get("redirects", {}).items():
        scanned_as_target = [p for p in demo_run.pages if p.outcome == "scanned" and path_of(p.final_url or "") == target]
        assert len(scanned_as_target) == 1, f"{target} should be scanned exactly once"
        if source in pages and pages[source].outcome == "scanned":
            assert path_of(pages[source].final_url) == target


def test_documents_recorded_with_size_and_type(demo_run):
    docs = {path_of(d.url): d for d in demo_run.documents}
    assert set(docs) == set(TRUTH["documents"])
    for path, truth in TRUTH["documents"].items():
        assert docs[path].kind == truth["type"]
        assert docs[path].bytes and docs[path].bytes > 0
        assert docs[path].status == 200
        assert docs[path].content_type


def test_sitemap_orphan_found(demo_run):
    pages = _pages(demo_run)
    orphans = [p for p, t in TRUTH["pages"].items() if t.get("found_via") == "sitemap"]
    assert orphans
    for path in orphans:
        assert pages[path].found_via == "sitemap" and pages[path].outcome == "scanned"


def test_fail_and_review_are_distinct(demo_run):
    findings = [f for p in demo_run.pages for f in p.findings]
    assert {f.outcome for f in findings} <= {"fail", "review"}
    keys = {}
    for f in findings:
        keys.setdefault((f.check, f.fingerprint), set()).add(f.outcome)
    assert all(len(outcomes) == 1 for outcomes in keys.values())


def test_pages_carry_network_metrics(demo_run):
    for page in demo_run.pages:
        if page.outcome == "scanned":
            assert page.metrics["transfer_bytes"] > page.metrics["html_bytes"] * 0.1
            assert page.metrics["requests"] >= 2  # the page and its stylesheet


def test_saved_snapshots_replay_to_the_same_findings(demo_run):
    """Checks are pure: the saved snapshots give the same findings with no browser."""
    by_url = {p.final_url: p for p in demo_run.pages if p.outcome == "scanned"}
    files = sorted(demo_run.snapshot_dir.glob("*.json.gz"))
    assert len(files) == len(by_url)
    for file in files:
        with gzip.open(file, "rt", encoding="utf-8") as fh:
            snapshot = PageSnapshot.from_dict(json.load(fh))
        replayed = [f for check in all_checks() for f in check.evaluate(snapshot).findings]
        stored = by_url[snapshot.final_url].findings
        assert sorted(f.fingerprint for f in replayed) == sorted(f.fingerprint for f in stored)


def test_frames_are_checked(demo_run):
    """The iframe's own defect is reported on the page that embeds it."""
    framed = [f for p in demo_run.pages for f in p.findings if " >>> " in (f.selector or "")]
    assert framed, "no finding inside a frame"
