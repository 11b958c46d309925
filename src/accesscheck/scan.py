"""The scan: config → frontier → browser gatherers → snapshots → checks → findings → store.

Data flows one way. Each page ends with an outcome (scanned, failed with a reason, skipped with a
reason) and is committed to the store as soon as its checks are done (while its worker loads the
next page), and before the site checks run, so nothing disappears silently.
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

from accesscheck import __version__, reasons
from accesscheck.engine import Engine, Tab, make_engine
from accesscheck.browser_memory import RendererWatchdog
from accesscheck.checks import (Check, Modules, SiteResults, SiteView, all_checks, all_site_checks, needed_gatherers,
                                run_site_checks)
from accesscheck.config import ScanConfig
from accesscheck.costs import StageCosts
from accesscheck.conformance import in_target, of_run, standard
from accesscheck.crawl.frontier import CrawlItem, Frontier, SiteState
from accesscheck.crawl.http import make_client
from accesscheck.crawl.priority import rank
from accesscheck.crawl.resume import mark_stored, offer_stored_links
from accesscheck.crawl.retry import Attempts, RetryPolicy, TransientFailure, parse_retry_after
from accesscheck.crawl.robots import fetch_robots
from accesscheck.crawl.sitemaps import discover_sitemap_urls
from accesscheck.evaluate import CheckWorkers
from accesscheck.gather.axe import axe_version
from accesscheck.gather.documents import fetch_document_result
from accesscheck.gather.probes import probes_left_out
from accesscheck.gather.visit import PageFailed, PageSkipped, VisitOptions, VisitProgress, open_tab, visit_page
from accesscheck.lease import heartbeat, this_owner
from accesscheck.model import DocumentResult, Link, PageResult, PageSnapshot
from accesscheck.settings import SCHEMA_VERSION
from accesscheck.score import scoring_model, store_scorecards
from accesscheck.store import RunRecord, Store



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
               snapshot_dir: Path | None = None, run_id: str | None = None,
               resume: bool = False) -> ScanOutcome:
    """Run one scan of every site in `config`, writing each page to `store` as it is checked.
    With `resume`, continue the stored run `run_id` instead: its stored pages are not visited again.

    Raises BrowserError when no browser can be started; cancelling the task (Ctrl-C) leaves the
    run recorded as `interrupted` with every finished page kept."""
    events = events or ScanEvents()
    checks = all_checks()
    run_id = run_id or new_run_id()
    async with make_engine(config.engine, loopback_only=config.loopback_only) as pool, \
            RendererWatchdog(config.memory_limit_mb) as watchdog:
        user_agent = config.user_agent or _default_user_agent(await pool.default_user_agent(), config.contact)
        if resume:
            store.reopen_run(run_id)
        else:
            recorded = {**config.to_dict(), "user_agent": user_agent}
            if snapshot_dir is not None:
                recorded["snapshot_dir"] = str(snapshot_dir.resolve())  # what `rescore RUN_ID` reads
            versions = {**run_versions(checks), "axe-core": axe_version(), "chromium": pool.version,
                        "engine": pool.name}
            store.start_run(run_id, recorded, versions)
        outcome = ScanOutcome(run_id=run_id, status="running")
        try:
            owner = this_owner()
            async with heartbeat(lambda: store.beat(run_id, owner)):
                outcome.stages = await scan_sites(config, store, pool, run_id, user_agent, events, snapshot_dir,
                                                  outcome.notes, checks=checks, resume=resume, watchdog=watchdog)
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
            "score_model": scoring_model().version,
            "checks": {**{c.id: c.version for c in checks}, **{c.id: c.version for c in all_site_checks()}}}


async def scan_sites(config: ScanConfig, store: Store, pool: Engine, run_id: str, user_agent: str,
                     events: ScanEvents, snapshot_dir: Path | None, notes: list[str], *,
                     checks: list[Check], resume: bool, watchdog: RendererWatchdog | None = None) -> dict[str, float]:
    """Crawl and check the sites of `config` into the existing run `run_id`, then run the site
    checks. The run's status is the caller's: a local scan finishes it, a worker finishes a portal.
    Returns the seconds each stage took, summed over the pages (costs.py)."""
    worker = _Worker(config, store, pool, checks, run_id, user_agent, events, snapshot_dir)
    worker.watchdog = watchdog
    origins = [site.origin for site in worker.frontier.sites]
    stored = store.stored_pages(run_id, origins) if resume else ([], [])
    mark_stored(worker.frontier, *stored)
    async with make_client(user_agent, timeout=min(config.page_timeout, 20.0)) as client:
        await worker.prepare(client, notes)
        offer_stored_links(worker.frontier, stored[0])
        worker.flush_skipped()
        await asyncio.gather(*(worker.run(client) for _ in range(config.concurrency)))
    worker.flush_skipped()
    worker.record_bot_walls()
    run = store.load_run(run_id, origins)
    for origin in origins:
        evaluate_site(store, run, origin)
    return dict(worker.costs.seconds)


def evaluate_site(store: Store, run: RunRecord, origin: str, *, modules: Modules | None = None) -> None:
    """Run the site checks on the site's stored pages, then score the site and its pages once,
    and store all of it (reports read the stored scorecards). Pure functions of stored results,
    so `rescore` and tests can run them again without a browser. `run` is updated in place with
    what is stored."""
    view = SiteView.of(run, origin).with_results(SiteResults())  # not an earlier evaluation's
    results = run_site_checks(view, all_site_checks(modules))
    found, data, errors = in_target(results.findings, of_run(run.config)), results.data, results.errors
    store.add_site_result(run.id, origin, found, data, errors)
    run.site_findings[origin], run.site_data[origin], run.site_errors[origin] = found, data, errors
    store_scorecards(store, run, origin, modules=modules)


def _default_user_agent(browser_ua: str, contact: str | None = None) -> str:
    """Chromium's own UA (so sites serve what people get) naming the tool and version, and how
    to reach whoever runs the scan (`--contact`), as polite crawlers do. The "Headless" marker
    is dropped: some portals serve headless browsers a block page."""
    product = f"accesscheck/{__version__}" + (f" (+{contact})" if contact else "")
    return f"{browser_ua.replace('HeadlessChrome', 'Chrome')} {product}"


class _Worker:
    """The shared state of the N page workers of one scan."""

    def __init__(self, config: ScanConfig, store: Store, pool: Engine, checks: list[Check],
                 run_id: str, user_agent: str, events: ScanEvents, snapshot_dir: Path | None) -> None:
        self.config, self.store, self.pool, self.checks = config, store, pool, checks
        self.run_id, self.events, self.snapshot_dir = run_id, events, snapshot_dir
        self.frontier = Frontier(config)
        self.options = VisitOptions(
            timeout=config.page_timeout, settle_timeout=config.settle_timeout,
            viewport=(config.viewport_width, config.viewport_height), user_agent=user_agent,
            gatherers=needed_gatherers(checks) - probes_left_out(config.probes), standard=config.standard,
            tab_pages=config.tab_pages)
        self.target = standard(config.standard)
        self.queued = 0
        self.discovered: dict[str, list[tuple[str, int]]] = {}  # url -> links it offered, stored with it
        self.retry = RetryPolicy()
        self.watchdog: RendererWatchdog | None = None
        self.site_notes: list[dict[str, object]] = []
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
        self.site_notes = site_notes
        self.store.merge_site_notes(self.run_id, site_notes)
        self.flush_skipped()

    def record_bot_walls(self) -> None:
        """Mark each site behind a bot wall `blocked`, with the refusals that show it."""
        for site, note in zip(self.frontier.sites, self.site_notes, strict=True):
            note["blocked"] = site.breaker.to_note() if site.breaker.blocked else None
        self.store.merge_site_notes(self.run_id, self.site_notes)

    def flush_skipped(self) -> None:
        for result in self.frontier.pop_skipped():
            self._record(result)
        total = sum(len(s.waiting) + s.pages_taken for s in self.frontier.sites)
        if total != self.queued:
            self.queued = total
            self.events.queued(total)

    def _record(self, result: PageResult | DocumentResult, links: list[tuple[str, int]] | None = None) -> None:
        if isinstance(result, PageResult):
            with self.costs.timed("store/page"):
                self.store.add_page(self.run_id, result, links)
            self.events.page_done(result)
        else:
            self.store.add_document(self.run_id, result)
            self.events.document_done(result)

    async def run(self, client: httpx.AsyncClient) -> None:
        """One page worker: takes items until the frontier is empty, keeping one warm tab.

        A page's checks run in the check workers while this worker loads the next page (the
        browser would otherwise wait for them); one page at a time is being checked per worker, and
        each is recorded once its checks are done, before this worker ends, whatever happens."""
        tab = open_tab(self.pool, self.options)
        checking: asyncio.Future[None] | None = None
        try:
            while (item := await self.frontier.take()) is not None:
                try:
                    if item.kind == "document":
                        self._record(await fetch_document_result(client, item.url, site=item.site.origin,
                                                                found_on=item.found_on))
                        continue
                    result, snapshot = await self._check_page(item, tab)
                    if checking is not None:
                        await checking  # its page is stored before another is given to the checks
                        checking = None
                    if snapshot is None:
                        self._record(result, self.discovered.pop(item.url, []))
                    else:
                        checking = asyncio.ensure_future(self._evaluate(result, snapshot))
                finally:
                    # The visit is over: the host has one page fewer in flight, and the page's
                    # links are in the frontier already (a page's checks add none).
                    await self.frontier.done(item)
                    self.flush_skipped()
        finally:
            try:
                if checking is not None:
                    await checking
            finally:
                await tab.close()

    async def _evaluate(self, result: PageResult, snapshot: PageSnapshot) -> None:
        """The checks on a visited page, then the page is recorded."""
        evaluation = await self.workers.evaluate(snapshot, self.checks, self.snapshot_dir)
        result.findings = in_target(evaluation.findings, self.target)
        result.metrics = {**evaluation.metrics, **result.metrics}
        result.facts = evaluation.facts
        result.check_errors = {**snapshot.gatherer_errors, **evaluation.errors}
        self.costs.merge(evaluation.cpu)
        self._record(result, self.discovered.pop(result.url, []))
        self.flush_skipped()

    async def _check_page(self, item: CrawlItem, tab: Tab) -> tuple[PageResult, PageSnapshot | None]:
        """Visit the page (with retries): its result so far and its snapshot, or the result of a
        page that was not scanned and no snapshot."""
        result = PageResult(url=item.url, site=item.site.origin, outcome="scanned",
                            depth=item.depth, found_via=item.found_via)
        attempts = Attempts()
        while True:
            attempts.count += 1
            progress = VisitProgress()
            try:
                # asyncio.timeout, not wait_for: Python 3.11's wait_for returns the result instead of
                # raising when the scan is cancelled (Ctrl-C) as the page finishes: the scan would go on.
                async with asyncio.timeout(self.config.page_timeout):
                    snapshot = await self._visit(item, progress, tab)
                break
            except TransientFailure as failure:
                wait = self._retry_wait(item.site, failure, attempts.count)
                if wait is None:
                    reason = (reasons.http_status(failure.status, attempts=attempts.count, waited=sum(attempts.waits))
                              if failure.status else
                              reasons.network_error(failure.network_error or "", attempts=attempts.count))
                    return self._ended(item, result, attempts, "failed", reason, status=failure.status), None
                attempts.waits.append(wait)
                await asyncio.sleep(wait)
            except PageFailed as exc:
                reason = str(exc)
                if self.watchdog and self.watchdog.killed_since(progress.started):
                    reason = reasons.reason("memory", limit=self.config.memory_limit_mb)
                return self._ended(item, result, attempts, "failed", reason, status=exc.status,
                                   challenge=exc.challenge), None
            except PageSkipped as exc:
                return self._ended(item, result, attempts, "skipped", str(exc)), None
            except TimeoutError:
                reason = reasons.timeout(self.config.page_timeout, progress.stage, progress.load_seconds)
                return self._ended(item, result, attempts, "failed", reason), None
        item.site.breaker.record(item.url, snapshot.status)
        item.site.throttle.answered()
        result.metrics.update(attempts.as_metrics())
        snapshot.country = item.site.config.country
        self._discover(item.site, item, snapshot)
        result.final_url, result.status = snapshot.final_url, snapshot.status
        result.title, result.lang = snapshot.title, snapshot.lang
        return result, snapshot

    async def _visit(self, item: CrawlItem, progress: VisitProgress, tab: Tab) -> PageSnapshot:
        return await visit_page(self.pool, item.url, self.options,
                                lambda final: self.frontier.claim_final_url(item, final),
                                progress=progress, in_scope=lambda url: item.site.scope.owns_host(url),
                                is_transient=self.retry.is_transient, tab=tab, costs=self.costs)

    def _retry_wait(self, site: SiteState, failure: TransientFailure, attempts: int) -> float | None:
        """Seconds before the next attempt (None: give up). A 429, or a 503 that says when to
        come back, slows the whole host down, not just this page."""
        wait = self.retry.wait_before(failure, attempts)
        if failure.status == 429 or (failure.status == 503 and failure.retry_after):
            site.throttle.slow_down(parse_retry_after(failure.retry_after))
            self.frontier.hold(site, wait if wait is not None else site.throttle.delay)
        return wait

    def _ended(self, item: CrawlItem, result: PageResult, attempts: Attempts, outcome: str, reason: str, *,
               status: int | None = None, challenge: str | None = None) -> PageResult:
        """A page that was not scanned: its reason, its attempts, and (when the server answered)
        the answer, for the host's bot-wall breaker."""
        result.outcome, result.reason, result.status = outcome, reason, status  # type: ignore[assignment]
        result.metrics.update(attempts.as_metrics())
        if status is not None or challenge:
            item.site.breaker.record(item.url, status, challenge)
        return result

    def _discover(self, site: SiteState, item: CrawlItem, snapshot: PageSnapshot) -> None:
        offered = self.discovered.setdefault(item.url, [])
        for link in snapshot.links:
            offered.append((link.url, rank(link, snapshot.lang)))
            self.frontier.offer(site, link.url, depth=item.depth + 1, found_via="link",
                                rank=offered[-1][1], found_on=snapshot.final_url)
