"""One page visit in a warm tab: the navigation, the gatherers, a PageSnapshot."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from playwright.async_api import BrowserContext, Page, Response
from playwright.async_api import Error as PlaywrightError

from accesscheck.browser import BrowserPool
from accesscheck.costs import StageCosts
from accesscheck.gather import GatherEnv, Gatherer
from accesscheck.gather.axe import AxeGatherer
from accesscheck.gather.dom import gather_dom
from accesscheck.gather.network import NetworkRecorder
from accesscheck.gather.no_js import NoJsGatherer
from accesscheck.gather.reflow import ReflowGatherer
from accesscheck.gather.vitals import VitalsGatherer
from accesscheck.model import PageSnapshot
from accesscheck.tab import TabOptions, WarmTab

_HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Optional gatherers, by the PageSnapshot field they fill; run in this order after load.
OPTIONAL_GATHERERS: dict[str, Gatherer] = {
    "vitals": VitalsGatherer(),   # before axe: axe's own long tasks must not count as the page's
    "axe": AxeGatherer(),
    "no_js": NoJsGatherer(),
    "reflow": ReflowGatherer(),   # last: it resizes the page
}


class PageFailed(Exception):
    """The page could not be checked; the message is the reason recorded for it."""


class PageSkipped(Exception):
    """The page is not ours to check after all (a redirect elsewhere, a download)."""


@dataclass(frozen=True, slots=True)
class VisitOptions:
    timeout: float
    settle_timeout: float
    viewport: tuple[int, int]
    user_agent: str | None
    gatherers: frozenset[str]
    tab_pages: int = 100  # pages one warm tab checks before it takes a fresh context


def open_tab(pool: BrowserPool, options: VisitOptions) -> WarmTab:
    """A warm tab for one page worker, its context prepared for the wanted gatherers."""
    wanted = _wanted(options)

    async def prepare(context: BrowserContext) -> None:
        for gatherer in wanted.values():
            await gatherer.prepare(context)

    return WarmTab(pool, TabOptions(options.viewport, options.user_agent, options.tab_pages), prepare)


async def visit_page(pool: BrowserPool, url: str, options: VisitOptions,
                     claim: Callable[[str], str | None], *, tab: WarmTab | None = None,
                     costs: StageCosts | None = None) -> PageSnapshot:
    """Load `url` in the worker's warm `tab` (a tab of its own when none is given) and gather
    what the checks need. `claim(final_url)` returns a reason to skip when, after redirects, the
    page is out of scope or already checked. The tab is kept for the next page only when this one
    ended cleanly (checked, skipped or an HTTP error status); after anything else it is replaced."""
    costs = costs or StageCosts()
    own_tab = tab is None
    tab = tab or open_tab(pool, options)
    clean = False
    browser = None
    try:
        with costs.timed("gather/load"):
            page = await tab.begin()
            browser = page.context.browser
            response = await _navigate(page, url, options.timeout)
            await _settle(tab.recorder, options.settle_timeout)
        content_type = (await response.header_value("content-type") or "").split(";")[0].strip().lower()
        skip = claim(page.url)
        clean = True  # from here on the page itself is the problem, not the tab
        if skip:
            raise PageSkipped(skip)
        if response.status >= 400:
            raise PageFailed(f"HTTP {response.status}")
        if content_type and content_type not in _HTML_TYPES:
            raise PageSkipped(f"not an HTML page ({content_type})")
        clean = False
        snapshot = PageSnapshot(url=url, final_url=page.url, status=response.status,
                                headers=await response.all_headers())
        with costs.timed("gather/dom"):
            dom = await gather_dom(page)
        for key in ("title", "lang", "html", "html_bytes", "text", "links", "timings"):
            setattr(snapshot, key, dom[key])
        snapshot.requests = tab.recorder.requests()  # the page's own load, before any probe below
        await _run_gatherers(page, snapshot, _wanted(options), costs,
                             GatherEnv(pool=pool, url=page.url, viewport=options.viewport,
                                       user_agent=options.user_agent, tab=tab))
        clean = not snapshot.gatherer_errors
        return snapshot
    except PlaywrightError as exc:
        raise PageFailed(_crash_reason(exc, browser)) from None
    finally:
        with costs.timed("gather/reset"):
            if own_tab:
                await tab.close()
            else:
                await tab.end(kept=clean)


def _wanted(options: VisitOptions) -> dict[str, Gatherer]:
    return {name: g for name, g in OPTIONAL_GATHERERS.items() if name in options.gatherers}


async def _navigate(page: Page, url: str, timeout: float) -> Response:
    try:
        response = await page.goto(url, wait_until="load", timeout=timeout * 1000)
    except PlaywrightError as exc:
        raise _navigation_problem(exc) from None
    if response is None:
        raise PageFailed("no response from the server")
    return response


async def _run_gatherers(page: Page, snapshot: PageSnapshot, wanted: dict[str, Gatherer],
                         costs: StageCosts, env: GatherEnv) -> None:
    """Each optional gatherer fills its field; one that fails is recorded, the others still run
    (unless the page or the browser is gone)."""
    browser = page.context.browser
    for name, gatherer in wanted.items():
        try:
            with costs.timed(f"gather/{name}"):
                setattr(snapshot, name, await gatherer.collect(page, env))
        except PlaywrightError as exc:
            if page.is_closed() or not browser or not browser.is_connected():
                raise
            snapshot.gatherer_errors[name] = _first_line(exc)


async def _settle(recorder: NetworkRecorder, limit: float) -> None:
    """After `load`, let late requests (lazy images, XHR-rendered content) finish, up to `limit`
    seconds. Unlike Playwright's `networkidle` there is no fixed 500 ms quiet window to pay."""
    deadline = time.monotonic() + limit
    while recorder.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _navigation_problem(exc: PlaywrightError) -> Exception:
    message = str(exc)
    if "Download is starting" in message:
        return PageSkipped("not an HTML page (the browser downloads it)")
    net_error = re.search(r"net::(ERR_[A-Z_]+)", message)
    if net_error:
        return PageFailed(f"network error {net_error.group(1)}")
    if "Timeout" in message and "exceeded" in message:
        return PageFailed("timeout: the page did not finish loading")
    return exc


def _crash_reason(exc: PlaywrightError, browser: object) -> str:
    message = str(exc)
    if browser is None or not browser.is_connected():  # type: ignore[attr-defined]
        return "browser crashed or was closed while checking the page"
    if "crash" in message.lower():
        return "renderer crashed"
    if "closed" in message.lower():
        return "page was closed while checking it"
    return f"browser error: {_first_line(exc)}"
