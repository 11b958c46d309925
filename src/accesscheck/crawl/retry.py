"""When to try a page again, and how long to wait first.

429 and 503 are the server asking us to come back later: honour `Retry-After` (RFC 9110 §10.2.3:
delay-seconds or an HTTP-date), capped so a hostile header cannot park a worker for a day; without
the header back off exponentially with "full jitter" (AWS Architecture Blog, "Exponential Backoff
And Jitter", 2015), so parallel workers do not retry in lock-step. 502/504 and dropped connections
are transient too, but get fewer attempts. Everything else is final on the first answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from accesscheck.settings import RETRY

#: Chromium network errors that mean "the connection dropped": worth one more try.
DROPPED_CONNECTIONS = frozenset({"ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_EMPTY_RESPONSE",
                                 "ERR_CONNECTION_ABORTED"})


class TransientFailure(Exception):
    """A page answer that may succeed if asked again later: the visit raises it, the scan retries."""

    def __init__(self, *, status: int | None = None, network_error: str | None = None,
                 retry_after: str | None = None) -> None:
        super().__init__(f"HTTP {status}" if status else network_error)
        self.status, self.network_error, self.retry_after = status, network_error, retry_after


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The numbers are settings.RETRY; `rng` is injectable so tests can pin the jitter."""

    polite_statuses: frozenset[int] = frozenset(RETRY["polite_statuses"])      # 429, 503
    polite_attempts: int = int(RETRY["polite_attempts"])
    gateway_statuses: frozenset[int] = frozenset(RETRY["gateway_statuses"])    # 502, 504
    gateway_attempts: int = int(RETRY["gateway_attempts"])
    base_delay: float = float(RETRY["base_delay"])
    max_backoff: float = float(RETRY["max_backoff"])
    max_retry_after: float = float(RETRY["max_retry_after"])
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def is_transient(self, status: int) -> bool:
        return status in self.polite_statuses or status in self.gateway_statuses

    def wait_before(self, failure: TransientFailure, attempts: int) -> float | None:
        """Seconds to wait before attempt `attempts + 1`, or None when it is time to give up."""
        if failure.status in self.polite_statuses:
            allowed = self.polite_attempts
        elif failure.status in self.gateway_statuses or failure.network_error in DROPPED_CONNECTIONS:
            allowed = self.gateway_attempts
        else:
            return None
        if attempts >= allowed:
            return None
        asked = parse_retry_after(failure.retry_after) if failure.status in self.polite_statuses else None
        if asked is not None:
            return min(asked, self.max_retry_after)
        return self.rng.uniform(0, min(self.max_backoff, self.base_delay * 2 ** (attempts - 1)))


@dataclass
class Attempts:
    """What the retries of one page cost, recorded on the page (metrics `attempts`, `retry_waits_s`)."""

    count: int = 0
    waits: list[float] = field(default_factory=list)

    def as_metrics(self) -> dict[str, object]:
        return {"attempts": self.count, "retry_waits_s": [round(w, 2) for w in self.waits]}
