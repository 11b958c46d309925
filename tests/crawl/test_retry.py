"""crawl/retry.py: when a page is tried again and how long we wait."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from accesscheck.crawl.retry import RetryPolicy, TransientFailure, parse_retry_after


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_429_honours_retry_after_capped_then_gives_up():
    policy = RetryPolicy()
    asked = TransientFailure(status=429, retry_after="2")
    assert [policy.wait_before(asked, n) for n in (1, 2, 3)] == [2.0, 2.0, 2.0]
    assert policy.wait_before(asked, policy.polite_attempts) is None
    assert policy.wait_before(TransientFailure(status=503, retry_after="86400"), 1) == policy.max_retry_after == 120.0


def test_back_off_without_retry_after_is_exponential_with_full_jitter():
    policy = RetryPolicy(rng=random.Random(7))
    waits = [[policy.wait_before(TransientFailure(status=503), n) for n in (1, 2, 3)] for _ in range(200)]
    for n, ceiling in enumerate((1.0, 2.0, 4.0)):
        column = [w[n] for w in waits]
        assert all(0 <= w <= ceiling for w in column)
        assert max(column) > ceiling * 0.8 and len(set(column)) > 100  # spread, not lock-step


def test_gateway_errors_and_dropped_connections_get_fewer_attempts():
    policy = RetryPolicy()
    for failure in (TransientFailure(status=502), TransientFailure(status=504),
                    TransientFailure(network_error="ERR_CONNECTION_RESET")):
        assert policy.wait_before(failure, policy.gateway_attempts - 1) is not None
        assert policy.wait_before(failure, policy.gateway_attempts) is None
    assert policy.gateway_attempts < policy.polite_attempts
    assert policy.wait_before(TransientFailure(network_error="ERR_NAME_NOT_RESOLVED"), 1) is None
    assert not policy.is_transient(500) and not policy.is_transient(404) and policy.is_transient(429)
