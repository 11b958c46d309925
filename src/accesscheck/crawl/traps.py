"""Crawler-trap bounds: endless calendars, session ids and faceted search make infinite URL spaces."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit


class TrapGuard:
    def __init__(self, *, max_url_length: int, max_query_variants: int) -> None:
        self.max_url_length = max_url_length
        self.max_query_variants = max_query_variants
        self._variants: dict[str, set[str]] = defaultdict(set)

    def reason_to_skip(self, url: str) -> str | None:
        if len(url) > self.max_url_length:
            return f"crawler trap: URL longer than {self.max_url_length} characters"
        parts = urlsplit(url)
        if parts.query:
            path = f"{parts.netloc}{parts.path}"
            seen = self._variants[path]
            if parts.query not in seen and len(seen) >= self.max_query_variants:
                return f"crawler trap: more than {self.max_query_variants} query variants of {parts.path}"
            seen.add(parts.query)
        return None
