"""The frontier: every site's queue of URLs, with scope, robots, traps, limits and politeness.

Workers `take()` the next URL of any site whose host has room (per-host concurrency and delay),
best-ranked first (seeds, then contact/help/statement/language pages, then the rest, shallow
before deep). Everything that will not be visited comes back as a skipped PageResult with its
reason, so no URL disappears silently.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from dataclasses import dataclass, field
from typing import Literal

from accesscheck import reasons
from accesscheck.config import ScanConfig, SiteConfig
from accesscheck.crawl.botwall import BotWallBreaker
from accesscheck.crawl.priority import SEED
from accesscheck.crawl.robots import ALLOW_ALL, RobotsPolicy
from accesscheck.crawl.scope import Scope
from accesscheck.crawl.throttle import HostThrottle
from accesscheck.crawl.traps import TrapGuard
from accesscheck.model import DocumentResult, PageResult
from accesscheck.urls import dedupe_key, document_type, is_http, normalize, origin


@dataclass(order=True)
class CrawlItem:
    sort_key: tuple[int, int, int]
    url: str = field(compare=False)
    site: SiteState = field(compare=False)
    depth: int = field(compare=False)
    found_via: str = field(compare=False)
    kind: Literal["page", "document"] = field(compare=False, default="page")
    found_on: str = field(compare=False, default="")
    stale: bool = field(compare=False, default=False)  # replaced by a better-ranked copy


@dataclass(eq=False)
class SiteState:
    config: SiteConfig
    origin: str
    scope: Scope
    traps: TrapGuard
    budget: int
    robots: RobotsPolicy = field(default_factory=lambda: ALLOW_ALL)
    delay: float = 0.0
    queue: list[CrawlItem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    waiting: dict[str, CrawlItem] = field(default_factory=dict)  # queued pages by dedupe key
    claimed: set[str] = field(default_factory=set)
    pages_taken: int = 0
    documents_taken: int = 0
    in_flight: int = 0
    next_start: float = 0.0
    throttle: HostThrottle = field(default_factory=HostThrottle)
    breaker: BotWallBreaker = field(default_factory=BotWallBreaker)


class Frontier:
    def __init__(self, config: ScanConfig) -> None:
        self.config = config
        self.sites = [
            SiteState(
                config=site, origin=origin(site.seeds[0]), budget=config.pages_budget(site),
                scope=Scope(site.host, allow_hosts=config.allow_hosts, include=config.include,
                            exclude=config.exclude),
                traps=TrapGuard(max_url_length=config.max_url_length,
                                max_query_variants=config.max_query_variants),
                delay=config.delay, throttle=HostThrottle(floor=config.delay),
            )
            for site in config.sites
        ]
        self.skipped: list[PageResult | DocumentResult] = []
        self._order = itertools.count()
        self._changed = asyncio.Condition()
        self._rotation = 0

    # -- adding URLs -------------------------------------------------------------------------
    def set_robots(self, site: SiteState, robots: RobotsPolicy) -> None:
        site.robots = robots
        if robots.crawl_delay:
            site.delay = max(site.delay, min(robots.crawl_delay, 30.0))
            site.throttle = HostThrottle(floor=site.delay)

    def add_seeds(self, site: SiteState) -> None:
        for url in site.config.seeds:
            self.offer(site, url, depth=0, found_via="seed", rank=SEED)

    def offer(self, site: SiteState, url: str, *, depth: int, found_via: str, rank: int,
              found_on: str = "") -> None:
        """Queue a URL if it belongs to the crawl; record it as skipped if it belongs but won't be visited."""
        if not is_http(url):
            return
        url = normalize(url)
        key = dedupe_key(url)
        if key in site.seen:
            self._promote(site, key, rank)
            return
        kind = "document" if document_type(url) else "page"
        if kind == "page" and depth > self.config.depth:
            return  # beyond the crawl: not a page of this scan
        out_of_scope = site.scope.reason_to_skip(url) if kind == "page" else None
        if out_of_scope and found_via != "seed":
            return  # someone else's page, not one of this site's
        site.seen.add(key)
        if out_of_scope:  # a seed the user gave but the patterns exclude: say so
            self._skip_page(site, url, out_of_scope, depth, found_via)
            return
        if kind == "document":
            self._offer_document(site, url, found_on)
            return
        reason = site.traps.reason_to_skip(url) or self._robots_reason(site, url)
        if reason:
            self._skip_page(site, url, reason, depth, found_via)
            return
        item = CrawlItem((rank, depth, next(self._order)), url, site, depth, found_via)
        site.waiting[key] = item
        heapq.heappush(site.queue, item)

    def _promote(self, site: SiteState, key: str, rank: int) -> None:
        """A page queued as ordinary (say from the sitemap) and then linked as a language version
        or a contact page moves up: that is what it is."""
        queued = site.waiting.get(key)
        if queued is None or rank >= queued.sort_key[0]:
            return
        queued.stale = True
        better = CrawlItem((rank, *queued.sort_key[1:]), queued.url, site, queued.depth, queued.found_via)
        site.waiting[key] = better
        heapq.heappush(site.queue, better)

    def _offer_document(self, site: SiteState, url: str, found_on: str) -> None:
        kind = document_type(url) or "other"
        reason = site.scope.reason_to_skip(url) or self._robots_reason(site, url)
        if reason is None and site.documents_taken >= self.config.max_documents:
            reason = f"document limit ({self.config.max_documents}) reached"
        if reason:
            self.skipped.append(DocumentResult(url=url, site=site.origin, kind=kind, found_on=found_on,
                                               reason=f"not fetched: {reason}"))
            return
        site.documents_taken += 1
        heapq.heappush(site.queue, CrawlItem((SEED, 0, next(self._order)), url, site, 0, "link",
                                             kind="document", found_on=found_on))

    def _robots_reason(self, site: SiteState, url: str) -> str | None:
        return site.robots.reason_to_skip(url) if self.config.respect_robots else None

    def _skip_page(self, site: SiteState, url: str, reason: str, depth: int, found_via: str) -> None:
        self.skipped.append(PageResult(url=url, site=site.origin, outcome="skipped", reason=reason,
                                       depth=depth, found_via=found_via))

    def claim_final_url(self, item: CrawlItem, final_url: str) -> str | None:
        """After redirects: None if the page is ours to check, else why it is skipped."""
        site = item.site
        key = dedupe_key(final_url)
        redirected = key != dedupe_key(item.url)
        if redirected and site.scope.reason_to_skip(final_url):
            return f"redirected out of scope to {final_url}"
        robots = self._robots_reason(site, final_url) if redirected else None
        if robots:
            return f"redirected to {final_url}: {robots}"
        if key in site.claimed:
            return (f"redirects to {final_url}, which is already scanned" if redirected
                    else "already scanned (reached earlier through a redirect)")
        site.claimed.add(key)
        site.seen.add(key)
        return None

    def pop_skipped(self) -> list[PageResult | DocumentResult]:
        skipped, self.skipped = self.skipped, []
        return skipped

    # -- taking URLs -------------------------------------------------------------------------
    async def take(self) -> CrawlItem | None:
        """The next URL to visit, waiting for politeness; None when the crawl is over."""
        async with self._changed:
            while True:
                wait = self._next_wait()
                item = self._pop_ready() if wait == 0 else None
                if item is not None:
                    return item
                if wait is None:
                    if not any(s.in_flight for s in self.sites):
                        self._changed.notify_all()
                        return None
                    await self._changed.wait()
                else:
                    try:
                        async with asyncio.timeout(wait):
                            await self._changed.wait()
                    except TimeoutError:
                        pass

    async def done(self, item: CrawlItem) -> None:
        async with self._changed:
            item.site.in_flight -= 1
            self._changed.notify_all()

    def _next_wait(self) -> float | None:
        """0 if some site can start now, seconds until one can, None if every queue is empty."""
        now, waits = time.monotonic(), []
        for site in self.sites:
            self._drop_over_budget(site)
            if site.queue and site.in_flight < self.config.per_host_concurrency:
                waits.append(max(0.0, site.next_start - now))
        return min(waits) if waits else None

    def _pop_ready(self) -> CrawlItem | None:
        now = time.monotonic()
        count = len(self.sites)
        for offset in range(count):
            site = self.sites[(self._rotation + offset) % count]
            if site.queue and site.in_flight < self.config.per_host_concurrency and site.next_start <= now:
                self._rotation = (self._rotation + offset + 1) % count
                item = heapq.heappop(site.queue)
                if item.stale:
                    return self._pop_ready()
                site.waiting.pop(dedupe_key(item.url), None)
                site.in_flight += 1
                if item.kind == "page":
                    site.pages_taken += 1
                    site.next_start = now + max(site.delay, site.throttle.delay)
                return item
        return None

    def hold(self, site: SiteState, seconds: float) -> None:
        """The host asked for a pause (Retry-After, back-off): no page of it starts before then."""
        site.next_start = max(site.next_start, time.monotonic() + seconds)

    def _drop_over_budget(self, site: SiteState) -> None:
        if site.breaker.is_open:
            self._drop_queue(site, reasons.reason("breaker", refused=site.breaker.refused,
                                                  answers=site.breaker.answers), documents=True)
            return
        if site.pages_taken < site.budget:
            return
        self._drop_queue(site, reasons.reason("page_limit", limit=site.budget))

    def _drop_queue(self, site: SiteState, reason: str, *, documents: bool = False) -> None:
        """Every queued page is skipped with `reason`; documents too when `documents`, else they
        stay queued (they cost a HEAD request, not a page visit)."""
        keep = []
        for item in site.queue:
            if item.stale:
                continue
            if item.kind == "page":
                self._skip_page(site, item.url, reason, item.depth, item.found_via)
            elif documents:
                self.skipped.append(DocumentResult(url=item.url, site=site.origin, kind=document_type(item.url) or "other",
                                                   found_on=item.found_on, reason=f"not fetched: {reason}"))
            else:
                keep.append(item)
        heapq.heapify(keep)
        site.queue = keep
        site.waiting.clear()
