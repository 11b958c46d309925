"""Under a small page budget the pages later checks need most — contact, help, the accessibility
statement and the other-language home page — are visited before ordinary pages."""

from __future__ import annotations

import pytest

from conftest import path_of, run_scan

pytestmark = pytest.mark.browser


def test_important_pages_first_under_a_small_budget(demo_server, tmp_path):
    run = run_scan([demo_server.origin + "/"], tmp_path / "r.db", max_pages=5, concurrency=1)
    scanned = {path_of(p.url) for p in run.pages if p.outcome == "scanned"}
    assert scanned == {"/", "/contact.html", "/help.html", "/accessibility.html", "/cy/"}
    limited = [p for p in run.pages if p.outcome == "skipped" and "page limit" in (p.reason or "")]
    assert {"/news/2026-10-library-hours.html", "/privacy.html"} <= {path_of(p.url) for p in limited}
