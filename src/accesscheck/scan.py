"""The scan: config → frontier → browser gatherers → snapshots → checks → findings → store.

Data flows one way. Each page ends with an outcome (scanned, failed with a reason, skipped with a
reason) and is committed to the store before the next is taken, so nothing disappears silently.
"""

from __future__ import annotations

import asyncio
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from secrets import token_hex

import httpx

from accesscheck import __version__
from accesscheck.browser import BrowserPool
from accesscheck.checks import Check, SiteView, all_checks, all_site_checks, needed_gatherers
from accesscheck.config import ScanConfig
from accesscheck.costs import StageCosts
from accesscheck.crawl.frontier import CrawlItem, Frontier, SiteState
from accesscheck.crawl.http import make_client
from accesscheck.crawl.priority import rank
from accesscheck.crawl.robots import fetch_robots
from accesscheck.crawl.sitemaps import discover_sitemap_urls
from accesscheck.evaluate import CheckWorkers
from accesscheck.gather.axe import axe_version
from accesscheck.gather.documents import INSPECTED, fetch_document, inspect_document
from accesscheck.gather.visit import PageFailed, PageSkipped, VisitOptions, open_tab, visit_page
from accesscheck.model import DocumentResult, Finding, Link, PageResult, PageSnapshot
from accesscheck.settings import DOCUMENT_INSPECT_MAX_BYTES, SCHEMA_VERSION
from accesscheck.store import RunRecord, Store
from accesscheck.tab import WarmTab
from accesscheck.urls import document_type



@dataclass
class ScanEvents:
    """Callbacks for whoever shows progress (the CLI). The scan itself never prints."""

    page_done: Callable[[PageResult], None] = lambda result: None
    document_done: Callable[[DocumentResult], None] = lambda result: None
    queued: Callable[[int], None] = lambda total: None


@dataclass
class ScanOutcome:
    run_id: str
    status: str
    notes: list[str] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, summed over pages


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + token_hex(3)


async def scan(config: ScanConfig, store: Store, *, events: ScanEvents | None = None,
               snapshot_dir: Path | None = None, run_id: str | None = None) -> ScanOutcome:
    """Run one scan of every site in `config`, writing each page to `store` as it is checked.

    Raises BrowserError when no browser can be started; cancelling the task (Ctrl-C) leaves the
    run recorded as `interrupted` with every finished page kept."""
    events = events or ScanEvents()
    checks = all_checks()
    run_id = run_id or new_run_id()
    async with BrowserPool(loopback_only=config.loopback_only) as pool:
        user_agent = config.user_agent or _default_user_agent(await pool.default_user_agent())
        versions = {**run_versions(checks), "axe-core": axe_version(), "chromium": pool.version}
        recorded = {**config.to_dict(), "user_agent": user_agent}
        if snapshot_dir is not None:
            recorded["snapshot_dir"] = str(snapshot_dir.resolve())  # what `rescore RUN_ID` reads
        store.start_run(run_id, recorded, versions)
        outcome = ScanOutcome(run_id=run_id, status="running")
        try:
            worker = _Worker(config, store, pool, checks, run_id, user_agent, events, snapshot_dir)
            async with make_client(user_agent, timeout=min(config.page_timeout, 20.0)) as client:
                await worker.prepare(client, outcome.notes)
                await asyncio.gather(*(worker.run(client) for _ in range(config.concurrency)))
            worker.flush_skipped()
            outcome.stages = dict(worker.costs.seconds)
            run = store.load_run(run_id)
            for site in worker.frontier.sites:
                evaluate_site(store, run, site.origin)
            outcome.status = "completed"
        except asyncio.CancelledError:
            outcome.status = "interrupted"
            store.finish_run(run_id, "interrupted", "the scan was interrupted; finished pages are kept")
            raise
        except BaseException as exc:
            outcome.status = "error"
            store.finish_run(run_id, "error", str(exc) or type(exc).__name__)
            raise
        if pool.restarts:
            outcome.notes.append(f"Chromium crashed or hung and was restarted {pool.restarts} time(s); "
                                 "the pages it was checking are recorded as failed.")
        store.finish_run(run_id, "completed")
        return outcome


def run_versions(checks: list[Check]) -> dict[str, Any]:
    """The versions a run records, so a result can be traced to the code that produced it."""
    return {"accesscheck": __version__, "schema": SCHEMA_VERSION, "python": platform.python_version(),
            "checks": {**{c.id: c.version for c in checks}, **{c.id: c.version for c in all_site_checks()}}}


def evaluate_site(store: Store, run: RunRecord, origin: str) -> None:
    """Run the site checks on the site's stored pages and store what they find. Pure functions of
    stored results, so `rescore` and tests can run them again without a browser."""
    view = SiteView.of(run, origin)
    found: list[Finding] = []
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for check in all_site_checks():
        try:
            evaluation = check.evaluate(view)
        except Exception as exc:  # a broken check is a recorded error, not a broken scan
            errors[check.id] = f"{type(exc).__name__}: {exc}"
            continue
        found.extend(evaluation.findings)
        data.update(evaluation.data)
    store.add_site_result(run.id, origin, found, data, errors)


def _default_user_agent(browser_ua: str) -> str:
    """Chromium's own UA (so sites serve what people get) naming the tool and version. The
    "Headless" marker is dropped: some portals serve headless browsers a block page."""
    return f"{browser_ua.replace('HeadlessChrome', 'Chrome')} accesscheck/{__version__}"


class _Worker:
    """The shared state of the N page workers of one scan."""

    def __init__(self, config: ScanConfig, store: Store, pool: BrowserPool, checks: list[Check],
                 run_id: str, user_agent: str, events: ScanEvents, snapshot_dir: Path | None) -> None:
        self.config, self.store, self.pool, self.checks = config, store, pool, checks
        self.run_id, self.events, self.snapshot_dir = run_id, events, snapshot_dir
        self.frontier = Frontier(config)
        self.options = VisitOptions(
            timeout=config.page_timeout, settle_timeout=config.settle_timeout,
            viewport=(config.viewport_width, config.viewport_height), user_agent=user_agent,
            gatherers=needed_gatherers(checks), tab_pages=config.tab_pages)
        self.queued = 0
        self.costs = StageCosts()
        self.workers = CheckWorkers.shared()

    async def prepare(self, client: httpx.AsyncClient, notes: list[str]) -> None:
        """robots.txt and sitemaps for every site, then the seeds and sitemap URLs."""
        site_notes = []
        for site in self.frontier.sites:
            robots = await fetch_robots(client, site.origin)
            self.frontier.set_robots(site, robots)
            note: dict[str, object] = {"origin": site.origin, "name": site.config.name,
                                       "organisation": site.config.organisation,
                                       "country": site.config.country, "language": site.config.language,
                                       "robots": robots.disallow_all_reason or "read",
                                       "sitemap_urls": 0, "sitemap_problems": []}
            if robots.disallow_all_reason and self.config.respect_robots:
                notes.append(f"{site.origin}: {robots.disallow_all_reason}")
            self.frontier.add_seeds(site)
            if self.config.use_sitemaps and self.config.depth > 0:
                roots = list(dict.fromkeys([*robots.sitemaps, f"{site.origin}/sitemap.xml"]))
                urls, problems = await discover_sitemap_urls(
                    client, [r for r in roots if site.scope.owns_host(r)],
                    max_files=self.config.max_sitemap_files, max_bytes=self.config.max_sitemap_bytes)
                note["sitemap_urls"], note["sitemap_problems"] = len(urls), problems
                for url in urls:
                    self.frontier.offer(site, url, depth=1, found_via="sitemap",
                                        rank=rank(Link(url=url), None))
            site_notes.append(note)
        self.store.update_run(self.run_id, sites=site_notes)
        self.flush_skipped()

    def flush_skipped(self) -> None:
        for result in self.frontier.pop_skipped():
            self._record(result)
        total = sum(len(s.waiting) + s.pages_taken for s in self.frontier.sites)
        if total != self.queued:
            self.queued = total
            self.events.queued(total)

    def _record(self, result: PageResult | DocumentResult) -> None:
        if isinstance(result, PageResult):
            with self.costs.timed("store/page"):
                self.store.add_page(self.run_id, result)
            self.events.page_done(result)
        else:
            self.store.add_document(self.run_id, result)
            self.events.document_done(result)

    async def run(self, client: httpx.AsyncClient) -> None:
        """One page worker: takes items until the frontier is empty, keeping one warm tab."""
        tab = open_tab(self.pool, self.options)
        try:
            while (item := await self.frontier.take()) is not None:
                try:
                    if item.kind == "document":
                        self._record(await _fetch_document(client, item))
                    else:
                        self._record(await self._check_page(item, tab))
                finally:
                    await self.frontier.done(item)
                    self.flush_skipped()
        finally:
            await tab.close()

    async def _check_page(self, item: CrawlItem, tab: WarmTab) -> PageResult:
        result = PageResult(url=item.url, site=item.site.origin, outcome="scanned",
                            depth=item.depth, found_via=item.found_via)
        try:
            snapshot = await asyncio.wait_for(
                visit_page(self.pool, item.url, self.options,
                           lambda final: self.frontier.claim_final_url(item, final), tab=tab, costs=self.costs),
                timeout=self.config.page_timeout + self.config.settle_timeout + 5)
        except PageFailed as exc:
            result.outcome, result.reason = "failed", str(exc)
            return result
        except PageSkipped as exc:
            result.outcome, result.reason = "skipped", str(exc)
            return result
        except TimeoutError:
            result.outcome, result.reason = "failed", f"timeout: no result within {self.config.page_timeout:g} s"
            return result
        self._discover(item.site, item, snapshot)
        result.final_url, result.status = snapshot.final_url, snapshot.status
        result.title, result.lang = snapshot.title, snapshot.lang
        evaluation = await self.workers.evaluate(snapshot, self.checks, self.snapshot_dir)
        result.findings, result.metrics, result.facts = evaluation.findings, evaluation.metrics, evaluation.facts
        result.check_errors = {**snapshot.gatherer_errors, **evaluation.errors}
        self.costs.merge(evaluation.cpu)
        return result

    def _discover(self, site: SiteState, item: CrawlItem, snapshot: PageSnapshot) -> None:
        for link in snapshot.links:
            self.frontier.offer(site, link.url, depth=item.depth + 1, found_via="link",
                                rank=rank(link, snapshot.lang), found_on=snapshot.final_url)


async def _fetch_document(client: httpx.AsyncClient, item: CrawlItem) -> DocumentResult:
    """Size and type from a HEAD request (a GET whose body is not read when HEAD is refused)."""
    result = DocumentResult(url=item.url, site=item.site.origin, kind=document_type(item.url) or "other",
                            found_on=item.found_on)
    try:
        response = await client.head(item.url)
        if response.status_code in (405, 501):
            async with client.stream("GET", item.url) as response:
                pass
    except httpx.HTTPError as exc:
        result.reason = f"not fetched: {type(exc).__name__}"
        return result
    result.status = response.status_code
    result.content_type = response.headers.get("content-type")
    length = response.headers.get("content-length")
    result.bytes = int(length) if length and length.isdigit() else None
    if response.status_code >= 400:
        result.reason = f"HTTP {response.status_code}"
    elif result.kind in INSPECTED:
        try:
            content = await fetch_document(client, item.url, DOCUMENT_INSPECT_MAX_BYTES)
        except httpx.HTTPError as exc:
            content = f"not downloaded: {type(exc).__name__}"
        result.properties = inspect_document(content, result.kind) if isinstance(content, bytes) else {"error": content}
    return result
