"""One page visit in a warm tab: the navigation, the gatherers, a PageSnapshot."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import BrowserContext, Frame, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from accesscheck import reasons
from accesscheck.browser import BrowserPool
from accesscheck.costs import StageCosts
from accesscheck.crawl.botwall import WALL_HEADERS, challenge_vendor
from accesscheck.crawl.retry import DROPPED_CONNECTIONS, TransientFailure
from accesscheck.gather import GatherEnv, Gatherer, NavigationDocument
from accesscheck.gather.axe import AxeGatherer
from accesscheck.gather.context_change import ContextChangeGatherer
from accesscheck.gather.contrast import ContrastGatherer
from accesscheck.gather.dom import gather_dom
from accesscheck.gather.focusable import FocusableGatherer
from accesscheck.gather.keyboard import KeyboardGatherer
from accesscheck.gather.motion import MotionGatherer, OrientationGatherer
from accesscheck.gather.network import NetworkRecorder
from accesscheck.gather.no_js import NoJsGatherer
from accesscheck.gather.probes import PROBES
from accesscheck.gather.reflow import ReflowGatherer
from accesscheck.gather.source import SourceGatherer
from accesscheck.gather.styles import StylesGatherer
from accesscheck.gather.text_layout import TextSpacingGatherer, TextZoomGatherer
from accesscheck.gather.text_styles import TextStylesGatherer
from accesscheck.gather.vitals import VitalsGatherer
from accesscheck.model import PageSnapshot
from accesscheck.tab import TabOptions, WarmTab

_HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Optional gatherers, by the PageSnapshot field they fill; run in this order after load.
OPTIONAL_GATHERERS: dict[str, Gatherer] = {
    "vitals": VitalsGatherer(),   # before axe: axe's own long tasks must not count as the page's
    "axe": AxeGatherer(),
    "source": SourceGatherer(),   # the response as sent (for the HTML parser)
    "text_styles": TextStylesGatherer(),
    "styles": StylesGatherer(),   # reads the CSSOM at the page's own viewport, before any resize
    # The interaction probes, after axe-core (it sees the page as loaded). Motion first: nothing
    # has touched the page yet. Spacing and zoom undo themselves; orientation puts the viewport back.
    "motion": MotionGatherer(),
    "focusable": FocusableGatherer(),  # focuses elements: after every gatherer that only reads
    "keyboard": KeyboardGatherer(),
    "context_changes": ContextChangeGatherer(),   # in a throw-away context of its own
    "text_spacing": TextSpacingGatherer(),
    "text_zoom": TextZoomGatherer(),
    "orientation": OrientationGatherer(),
    "contrast": ContrastGatherer(),    # hides all text for its screenshots, then shows it again
    "no_js": NoJsGatherer(),
    "reflow": ReflowGatherer(),   # last: it resizes the page
}


class PageFailed(Exception):
    """The page could not be checked; the message is the reason recorded for it (reasons.py).
    `challenge` names the bot-wall vendor when the answer was a challenge page."""

    def __init__(self, reason: str, *, status: int | None = None, challenge: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.challenge = status, challenge


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
    tab_pages: int = 100  # pages one warm tab checks before it takes a fresh context


#: What each stage is called in a timeout reason ("axe-core ran out of time").
STAGE_NAMES = {"vitals": "the web-vitals measurement", "axe": "axe-core",
               "no_js": "the JavaScript-off render", "reflow": "the 320 px reflow check",
               "motion": "the motion probe", "keyboard": "the keyboard walk",
               "context_changes": "the changes-of-context probe", "text_spacing": "the text-spacing probe",
               "text_zoom": "the 200 % text probe", "orientation": "the orientation probe",
               "contrast": "the contrast probe"}


@dataclass
class VisitProgress:
    """Where a visit is, so that a timeout can say which stage ran out and how long the load took."""

    started: float = field(default_factory=time.monotonic)
    stage: str = "loading"
    load_seconds: float | None = None
    self_navigations: int = 0          # main-frame navigations after the load
    blocked: list[str] = field(default_factory=list)  # out-of-scope navigations not requested


def open_tab(pool: BrowserPool, options: VisitOptions) -> WarmTab:
    """A warm tab for one page worker, its context prepared for the wanted gatherers."""
    wanted = _wanted(options)

    async def prepare(context: BrowserContext) -> None:
        await contain_popups(context)
        for gatherer in wanted.values():
            await gatherer.prepare(context)

    return WarmTab(pool, TabOptions(options.viewport, options.user_agent, options.tab_pages), prepare)


def _wanted(options: VisitOptions) -> dict[str, Gatherer]:
    return {name: g for name, g in OPTIONAL_GATHERERS.items() if name in options.gatherers}


async def visit_page(pool: BrowserPool, url: str, options: VisitOptions,
                     claim: Callable[[str], str | None], *, progress: VisitProgress | None = None,
                     in_scope: Callable[[str], bool] = lambda url: True,
                     is_transient: Callable[[int], bool] = lambda status: False,
                     tab: WarmTab | None = None, costs: StageCosts | None = None) -> PageSnapshot:
    """Load `url` in the worker's warm `tab` (a tab of its own when none is given) and gather
    what the checks need. `claim(final_url)` returns a reason to skip when, after redirects, the
    page is out of scope or already checked; `in_scope(url)` says whether a main-frame navigation
    may be requested at all; an answer `is_transient` raises TransientFailure for the scan to retry.

    The tab is kept for the next page only when this one ended cleanly: checked without a
    gatherer error, or refused by the server's answer (skipped, an error status, a retry). After
    anything else (a crash, a renderer stopped for memory, a timeout, a navigation error) the
    context is thrown away and the next page gets a fresh one."""
    progress = progress or VisitProgress()
    deadline = time.monotonic() + options.timeout + options.settle_timeout  # the probes' budget
    costs = costs or StageCosts()
    own_tab = tab is None
    tab = tab or open_tab(pool, options)
    answered = kept = False
    browser = page = None

    def count_navigation(frame: Frame) -> None:
        if page is not None:
            _count_self_navigation(page, frame, progress)

    try:
        with costs.timed("gather/load"):
            page = await tab.begin(in_scope)
            browser = page.context.browser
            progress.blocked = tab.guard.blocked
            response = await _load(page, url, options.timeout + 1, tab.guard.blocked)
            progress.load_seconds = time.monotonic() - progress.started
            _refuse_self_navigation(progress)  # a script sent the page elsewhere while it loaded
            page.on("framenavigated", count_navigation)
            progress.stage = "waiting for late requests"
            await _settle(tab.recorder, options.settle_timeout)
        content_type = (await response.header_value("content-type") or "").split(";")[0].strip().lower()
        headers = await response.all_headers()
        progress.stage = "reading the page"
        answered = True  # from here on a refusal is the page's answer, not the tab's fault
        if is_transient(response.status) and not _looks_like_wall(headers):
            raise TransientFailure(status=response.status, retry_after=headers.get("retry-after"))
        skip = claim(page.url)
        if skip:
            raise PageSkipped(skip)
        await _refuse_walls_and_errors(page, response.status, headers)
        if content_type and content_type not in _HTML_TYPES:
            raise PageSkipped(reasons.reason("not_html", content_type=content_type))
        snapshot = PageSnapshot(url=url, final_url=page.url, status=response.status, headers=headers)
        with costs.timed("gather/dom"):
            dom = await gather_dom(page)
        for key in ("title", "lang", "html", "html_bytes", "text", "links", "timings"):
            setattr(snapshot, key, dom[key])
        snapshot.requests = tab.recorder.requests()  # the page's own load, before any probe below
        env = GatherEnv(pool=pool, url=page.url, viewport=options.viewport, user_agent=options.user_agent,
                        standard=options.standard, tab=tab, document=NavigationDocument(response))
        for name, gatherer in _wanted(options).items():
            progress.stage = STAGE_NAMES.get(name, name)
            try:
                with costs.timed(f"gather/{name}"):
                    if name in PROBES:
                        setattr(snapshot, name, await _within_budget(gatherer.collect(page, env), deadline,
                                                                     progress.stage))
                    else:
                        setattr(snapshot, name, await gatherer.collect(page, env))
            except ProbeOutOfTime as exc:
                snapshot.gatherer_errors[name] = str(exc)
            except (ValueError, TypeError, KeyError) as exc:  # a page that defeats a probe loses only it
                if name not in PROBES:
                    raise
                snapshot.gatherer_errors[name] = reasons.reason(
                    "gatherer", stage=progress.stage, why=f"{type(exc).__name__}: {exc}"[:300])
            except PlaywrightError as exc:
                if page.is_closed() or not browser or not browser.is_connected():
                    raise
                if name == "axe" or progress.self_navigations:
                    raise  # no accessibility result: the page is not counted as scanned
                snapshot.gatherer_errors[name] = reasons.reason(
                    "gatherer", stage=STAGE_NAMES.get(name, name), why=_engine_words(exc))
        _refuse_self_navigation(progress)
        kept = not snapshot.gatherer_errors
        return snapshot
    except (PageSkipped, PageFailed, TransientFailure):
        kept = answered
        raise
    except PlaywrightError as exc:
        _refuse_self_navigation(progress)
        raise PageFailed(_crash_reason(exc, browser, progress)) from None
    finally:
        if page is not None:
            page.remove_listener("framenavigated", count_navigation)
        with costs.timed("gather/reset"):
            if own_tab:
                await tab.close()
            else:
                await tab.end(kept=kept)


class ProbeOutOfTime(Exception):
    """A probe did not finish inside the page's time budget; the page keeps everything else."""


#: Left for the gatherers after the probes (no-JS render, reflow) and closing the context.
PROBE_RESERVE_S = 5.0


async def _within_budget(collecting: Coroutine[Any, Any, Any], deadline: float, stage: str) -> Any:
    remaining = deadline - PROBE_RESERVE_S - time.monotonic()
    if remaining <= 0:
        collecting.close()
        raise ProbeOutOfTime(reasons.reason("probe_not_run", stage=stage))
    try:
        return await asyncio.wait_for(collecting, timeout=remaining)
    except TimeoutError:
        raise ProbeOutOfTime(reasons.reason("probe_stopped", stage=stage, seconds=f"{remaining:.0f}")) from None


async def _load(page: Page, url: str, timeout: float, blocked: list[str]) -> Response:
    """page.goto, but a document whose body fails after it committed (a broken gzip, a cut
    connection) ends the load at once: Playwright would wait for a `load` that never comes."""
    loop = asyncio.get_running_loop()
    broken: asyncio.Future[str] = loop.create_future()

    def on_failed(request: Request) -> None:
        failure = request.failure or ""
        if (request.is_navigation_request() and request.frame == page.main_frame and not broken.done()
                and "ERR_ABORTED" not in failure and "ERR_BLOCKED_BY_CLIENT" not in failure):
            broken.set_result(failure)

    page.on("requestfailed", on_failed)
    navigation = asyncio.ensure_future(page.goto(url, wait_until="load", timeout=timeout * 1000))
    try:
        either: set[asyncio.Future[Any]] = {navigation, broken}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if not navigation.done():
            navigation.cancel()
            raise _navigation_problem(PlaywrightError(f"net::{broken.result().removeprefix('net::')}"), blocked)
        try:
            response = navigation.result()
        except PlaywrightError as exc:
            raise _navigation_problem(exc, blocked) from None
    finally:
        page.remove_listener("requestfailed", on_failed)
        if not navigation.done():
            navigation.cancel()
    if response is None:
        raise PageFailed(reasons.reason("no_response"))
    return response


async def contain_popups(context: BrowserContext) -> None:
    """A page that opens windows or dialogs in a loop gets none: window.open returns null,
    alert/confirm/prompt return at once, and any page the context opens otherwise is closed."""
    await context.add_init_script("window.open = () => null; window.alert = () => undefined; "
                                  "window.confirm = () => false; window.prompt = () => null;")
    context.on("page", lambda popup: asyncio.ensure_future(_close_popup(popup)))


async def _close_popup(popup: Page) -> None:
    if await popup.opener() is not None:
        try:
            await popup.close()
        except PlaywrightError:
            pass


def _count_self_navigation(page: Page, frame: Frame, progress: VisitProgress) -> None:
    if frame is page.main_frame:
        progress.self_navigations += 1


def _refuse_self_navigation(progress: VisitProgress) -> None:
    """A page that left for another host by itself is that host's, not ours (and was not
    requested); one that kept reloading cannot be checked as one page."""
    if progress.blocked:
        raise PageSkipped(reasons.reason("out_of_scope_navigation", url=progress.blocked[0]))
    if progress.self_navigations > 1:
        raise PageFailed(reasons.reason("navigating"))


def _looks_like_wall(headers: dict[str, str]) -> bool:
    return any(name in headers for name in WALL_HEADERS)


async def _refuse_walls_and_errors(page: Page, status: int, headers: dict[str, str]) -> None:
    """A challenge page is named (never scored); any other error status fails the page in words."""
    html = await page.content() if status >= 400 or status == 202 or _looks_like_wall(headers) else ""
    wall = challenge_vendor(status, headers, html[:200_000])
    if wall is not None:
        raise PageFailed(reasons.reason("challenge", vendor=wall.vendor), status=status, challenge=wall.vendor)
    if status >= 400:
        raise PageFailed(reasons.http_status(status), status=status)


async def _settle(recorder: NetworkRecorder, limit: float) -> None:
    """After `load`, let late requests (lazy images, XHR-rendered content) finish, up to `limit`
    seconds. Unlike Playwright's `networkidle` there is no fixed 500 ms quiet window to pay."""
    deadline = time.monotonic() + limit
    while recorder.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _engine_words(exc: BaseException) -> str:
    """What an engine error means, never its message (which names Playwright internals)."""
    text = str(exc)
    if "Execution context was destroyed" in text or "navigat" in text.lower():
        return "the page navigated away while it was being checked"
    if "Timeout" in text:
        return "it ran out of time"
    if "closed" in text.lower():
        return "the page was closed"
    return "an unexpected browser error"


def _navigation_problem(exc: PlaywrightError, blocked: list[str]) -> Exception:
    message = str(exc)
    if blocked:
        return PageSkipped(reasons.reason("out_of_scope_redirect", url=blocked[0]))
    if "Download is starting" in message:
        return PageSkipped(reasons.reason("download"))
    net_error = re.search(r"net::(ERR_[A-Z_]+)", message)
    if net_error:
        code = net_error.group(1)
        if code in DROPPED_CONNECTIONS:
            return TransientFailure(network_error=code)
        return PageFailed(reasons.network_error(code))
    if "interrupted by another navigation" in message:
        return PageFailed(reasons.reason("navigating"))
    return exc  # a crash or a closed page: visit_page names it (_crash_reason)


def _crash_reason(exc: PlaywrightError, browser: object, progress: VisitProgress) -> str:
    message = str(exc)
    if browser is None or not browser.is_connected():  # type: ignore[attr-defined]
        return reasons.reason("browser_crash")
    if "crash" in message.lower():
        return reasons.reason("renderer_crash")
    if progress.self_navigations or "Execution context was destroyed" in message:
        return reasons.reason("navigating")
    if progress.stage == "axe-core":
        return reasons.reason("axe", why=_engine_words(exc))
    if "closed" in message.lower():
        return reasons.reason("page_closed")
    return reasons.reason("engine", stage=progress.stage)
