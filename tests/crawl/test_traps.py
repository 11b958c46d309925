"""accesscheck.crawl.traps.TrapGuard: bounds on infinite URL spaces."""

from __future__ import annotations

from accesscheck.crawl.traps import TrapGuard

BASE = "https://example.gov"


def test_url_length_limit():
    guard = TrapGuard(max_url_length=40, max_query_variants=10)
    at_limit = BASE + "/" + "a" * (40 - len(BASE) - 1)
    assert len(at_limit) == 40
    assert guard.reason_to_skip(at_limit) is None
    reason = guard.reason_to_skip(at_limit + "a")
    assert reason == "crawler trap: URL longer than 40 characters"


def test_n_plus_first_distinct_query_of_a_path_is_refused():
    guard = TrapGuard(max_url_length=2000, max_query_variants=3)
    for day in (1, 2, 3):
        assert guard.reason_to_skip(f"{BASE}/calendar?day={day}") is None
    reason = guard.reason_to_skip(f"{BASE}/calendar?day=4")
    assert reason is not None
    assert reason.startswith("crawler trap:")
    assert "3 query variants" in reason and "/calendar" in reason
    # and it stays refused
    assert guard.reason_to_skip(f"{BASE}/calendar?day=4") is not None
    assert guard.reason_to_skip(f"{BASE}/calendar?day=5") is not None


def test_repeats_of_a_seen_query_still_allowed():
    guard = TrapGuard(max_url_length=2000, max_query_variants=2)
    assert guard.reason_to_skip(f"{BASE}/s?q=a") is None
    assert guard.reason_to_skip(f"{BASE}/s?q=b") is None
    assert guard.reason_to_skip(f"{BASE}/s?q=c") is not None
    assert guard.reason_to_skip(f"{BASE}/s?q=a") is None
    assert guard.reason_to_skip(f"{BASE}/s?q=b") is None


def test_different_paths_counted_separately():
    guard = TrapGuard(max_url_length=2000, max_query_variants=2)
    for path in ("/a", "/b"):
        assert guard.reason_to_skip(f"{BASE}{path}?p=1") is None
        assert guard.reason_to_skip(f"{BASE}{path}?p=2") is None
    assert guard.reason_to_skip(f"{BASE}/a?p=3") is not None
    assert guard.reason_to_skip(f"{BASE}/c?p=3") is None


def test_same_path_on_another_host_counted_separately():
    guard = TrapGuard(max_url_length=2000, max_query_variants=1)
    assert guard.reason_to_skip("https://a.example.gov/s?q=1") is None
    assert guard.reason_to_skip("https://b.example.gov/s?q=2") is None
    assert guard.reason_to_skip("https://a.example.gov/s?q=2") is not None


def test_urls_without_query_are_never_variants():
    guard = TrapGuard(max_url_length=2000, max_query_variants=1)
    assert guard.reason_to_skip(f"{BASE}/s?q=1") is None
    for _ in range(5):
        assert guard.reason_to_skip(f"{BASE}/s") is None
