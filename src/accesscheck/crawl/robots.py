"""robots.txt, read with protego and honoured by default (RFC 9309)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from protego import Protego

from accesscheck import reasons
from accesscheck.crawl.http import get_limited

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: crawlers must parse at least 500 kibibytes
UA_TOKEN = "accesscheck"


@dataclass
class RobotsPolicy:
    """What a site's robots.txt allows us, and the sitemaps it names."""

    parser: Protego | None
    disallow_all_reason: str | None = None

    def reason_to_skip(self, url: str) -> str | None:
        if self.disallow_all_reason:
            return self.disallow_all_reason
        if self.parser is not None and not self.parser.can_fetch(url, UA_TOKEN):
            return "disallowed by robots.txt"
        return None

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []

    @property
    def crawl_delay(self) -> float | None:
        return self.parser.crawl_delay(UA_TOKEN) if self.parser is not None else None


ALLOW_ALL = RobotsPolicy(parser=None)


async def fetch_robots(client: httpx.AsyncClient, origin: str) -> RobotsPolicy:
    """RFC 9309 §2.3.1: 4xx means no restrictions; 5xx or an unreachable file means assume the
    whole site is disallowed (a site in trouble should not be crawled)."""
    try:
        status, body = await get_limited(client, f"{origin}/robots.txt", ROBOTS_MAX_BYTES)
    except httpx.HTTPError as exc:
        return RobotsPolicy(None, reasons.reason("unreachable", why=reasons.http_client_error(exc)))
    if 400 <= status < 500:
        return ALLOW_ALL
    if status >= 500:
        return RobotsPolicy(None, f"robots.txt answered HTTP {status}; RFC 9309 says to assume the site is disallowed")
    return parse_robots(body.decode("utf-8", errors="replace"))


def parse_robots(text: str) -> RobotsPolicy:
    return RobotsPolicy(Protego.parse(text))
