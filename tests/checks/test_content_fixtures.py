"""The content and markup checks on their fixture pages, through the real scan in Chromium, both
ways: every barrier listed in tests/sites/content/expected.json is found with its outcome, nothing
else is reported, and every conformant twin gives no content finding at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, path_of, run_scan

pytestmark = pytest.mark.browser
SITE = SITES / "content"
TRUTH = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))["pages"]


def _key(finding) -> tuple[str, str, str]:
    where = finding.selector or (finding.snippet or "").split(":")[0]
    return (finding.check, finding.outcome, where)


def _expected_key(item: dict) -> tuple[str, str, str]:
    return (item["check"], item["outcome"], item.get("selector") or item["error"])


@pytest.fixture(scope="module")
def content_run(tmp_path_factory):
    pages = [*TRUTH, *(t["twin"] for t in TRUTH.values())]
    with serve(SITE) as server:
        run = run_scan([f"{server.origin}/{page}" for page in pages], tmp_path_factory.mktemp("content") / "c.db",
                       depth=0, standard="wcag21aa")  # 4.1.1 is checked for 2.0/2.1 targets only
    return {path_of(p.url).lstrip("/"): p for p in run.pages}


def test_every_fixture_page_was_scanned(content_run):
    for page, truth in TRUTH.items():
        for name in (page, truth["twin"]):
            assert content_run[name].outcome == "scanned", (name, content_run[name].reason)
            assert not content_run[name].check_errors, (name, content_run[name].check_errors)


@pytest.mark.parametrize("page", sorted(TRUTH))
def test_found_what_is_there_and_invented_nothing(content_run, page):
    found = sorted(_key(f) for f in content_run[page].findings if f.check.startswith("content/"))
    expected = sorted(_expected_key(item) for item in TRUTH[page]["expected"])
    assert sorted(set(expected) - set(found)) == [], f"{page}: missed"
    assert sorted(set(found) - set(expected)) == [], f"{page}: reported what is not there"
    assert len(found) == len(expected), f"{page}: reported twice {found}"
    assert not [k for k in found if k[2].startswith("#pass")], page


@pytest.mark.parametrize("page", sorted(TRUTH))
def test_conformant_twin_gives_no_content_finding(content_run, page):
    twin = TRUTH[page]["twin"]
    assert [_key(f) for f in content_run[twin].findings if f.check.startswith("content/")] == [], twin


def test_findings_carry_their_catalogue_criteria(content_run):
    from accesscheck.checks.content import CONTENT_ENTRIES, PARSING_ENTRIES
    entries = {e.id: e for e in (*CONTENT_ENTRIES, *PARSING_ENTRIES)}
    findings = [f for p in content_run.values() for f in p.findings if f.check.startswith("content/")]
    assert {f.check for f in findings} == set(entries)  # every id is exercised by a fixture
    for finding in findings:
        entry = entries[finding.check]
        assert finding.outcome in entry.outcomes and finding.wcag == entry.wcag and finding.impact == entry.impact
