"""One page visit: a fresh context, the navigation, the gatherers, a PageSnapshot."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError

from accesscheck.browser import BrowserPool
from accesscheck.gather import GatherEnv, Gatherer
from accesscheck.gather.axe import AxeGatherer
from accesscheck.gather.dom import gather_dom
from accesscheck.gather.focusable import FocusableGatherer
from accesscheck.gather.network import NetworkRecorder
from accesscheck.gather.no_js import NoJsGatherer
from accesscheck.gather.reflow import ReflowGatherer
from accesscheck.gather.source import SourceGatherer
from accesscheck.gather.text_styles import TextStylesGatherer
from accesscheck.gather.styles import StylesGatherer
from accesscheck.gather.vitals import VitalsGatherer
from accesscheck.model import PageSnapshot

_HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Optional gatherers, by the PageSnapshot field they fill; run in this order after load.
OPTIONAL_GATHERERS: dict[str, Gatherer] = {
    "vitals": VitalsGatherer(),   # before axe: axe's own long tasks must not count as the page's
    "axe": AxeGatherer(),
    "source": SourceGatherer(),   # the response as sent (for the HTML parser)
    "text_styles": TextStylesGatherer(),
    "styles": StylesGatherer(),   # reads the CSSOM at the page's own viewport, before any resize
    "focusable": FocusableGatherer(),  # focuses elements: after every gatherer that only reads
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
    standard: str = "wcag22aa"


async def visit_page(pool: BrowserPool, url: str, options: VisitOptions,
                     claim: Callable[[str], str | None]) -> PageSnapshot:
    """Load `url` and gather what the checks need. `claim(final_url)` returns a reason to skip
    when, after redirects, the page is out of scope or already checked."""
    context = await pool.new_context(
        viewport={"width": options.viewport[0], "height": options.viewport[1]},
        user_agent=options.user_agent, service_workers="block")
    browser = context.browser
    wanted = {name: g for name, g in OPTIONAL_GATHERERS.items() if name in options.gatherers}
    try:
        for gatherer in wanted.values():
            await gatherer.prepare(context)
        page = await context.new_page()
        recorder = NetworkRecorder()
        await recorder.attach(await context.new_cdp_session(page))
        try:
            response = await page.goto(url, wait_until="load", timeout=options.timeout * 1000)
        except PlaywrightError as exc:
            raise _navigation_problem(exc) from None
        if response is None:
            raise PageFailed("no response from the server")
        await _settle(recorder, options.settle_timeout)
        content_type = (await response.header_value("content-type") or "").split(";")[0].strip().lower()
        skip = claim(page.url)
        if skip:
            raise PageSkipped(skip)
        if response.status >= 400:
            raise PageFailed(f"HTTP {response.status}")
        if content_type and content_type not in _HTML_TYPES:
            raise PageSkipped(f"not an HTML page ({content_type})")
        snapshot = PageSnapshot(url=url, final_url=page.url, status=response.status,
                                headers=await response.all_headers())
        dom = await gather_dom(page)
        for key in ("title", "lang", "html", "html_bytes", "text", "links", "timings"):
            setattr(snapshot, key, dom[key])
        snapshot.requests = recorder.requests()  # the page's own load, before any probe below
        env = GatherEnv(pool=pool, url=page.url, viewport=options.viewport, user_agent=options.user_agent,
                        standard=options.standard)
        for name, gatherer in wanted.items():
            try:
                setattr(snapshot, name, await gatherer.collect(page, env))
            except PlaywrightError as exc:
                if page.is_closed() or not browser or not browser.is_connected():
                    raise
                snapshot.gatherer_errors[name] = _first_line(exc)
        return snapshot
    except PlaywrightError as exc:
        raise PageFailed(_crash_reason(exc, browser)) from None
    finally:
        await _close(pool, context, browser)


async def _settle(recorder: NetworkRecorder, limit: float) -> None:
    """After `load`, let late requests (lazy images, XHR-rendered content) finish, up to `limit`
    seconds. Unlike Playwright's `networkidle` there is no fixed 500 ms quiet window to pay."""
    deadline = time.monotonic() + limit
    while recorder.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def _close(pool: BrowserPool, context: object, browser: object) -> None:
    try:
        await asyncio.wait_for(context.close(), timeout=5)  # type: ignore[attr-defined]
    except (PlaywrightError, TimeoutError):
        await pool.replace_if(browser)  # type: ignore[arg-type]


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
