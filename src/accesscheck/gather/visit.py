"""One page visit in a warm tab: the navigation, the gatherers, a PageSnapshot."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

from accesscheck import reasons
from accesscheck.engine import ENGINE_ERRORS, Context, Engine, Loaded, Page, Tab, TabOptions
from accesscheck.costs import StageCosts
from accesscheck.crawl.botwall import WALL_HEADERS, challenge_vendor
from accesscheck.crawl.retry import DROPPED_CONNECTIONS, TransientFailure
from accesscheck.gather import GatherEnv, Gatherer
from accesscheck.gather.axe import AxeGatherer
from accesscheck.gather.context_change import ContextChangeGatherer
from accesscheck.gather.contrast import ContrastGatherer
from accesscheck.gather.dom import gather_dom
from accesscheck.gather.focusable import FocusableGatherer
from accesscheck.gather.keyboard import KeyboardGatherer
from accesscheck.gather.motion import MotionGatherer, OrientationGatherer
from accesscheck.gather.no_js import NoJsGatherer
from accesscheck.gather.probes import PROBES
from accesscheck.gather.reflow import ReflowGatherer
from accesscheck.gather.scripts import ScriptFailed, ScriptGatherer, run_together
from accesscheck.gather.source import SourceGatherer
from accesscheck.gather.styles import StylesGatherer
from accesscheck.gather.text_layout import TextSpacingGatherer, TextZoomGatherer
from accesscheck.gather.text_styles import TextStylesGatherer
from accesscheck.gather.vitals import CHECKS_MARK, VitalsGatherer
from accesscheck.model import PageSnapshot

_HTML_TYPES = ("text/html", "application/xhtml+xml")

#: Optional gatherers, by the PageSnapshot field they fill; run in this order after load.
OPTIONAL_GATHERERS: dict[str, Gatherer] = {
    "axe": AxeGatherer(),
    "source": SourceGatherer(),   # the response as sent (for the HTML parser)
    # After axe: the paints are reported by then. Long tasks from the visit's mark on are ours and
    # left out (the DOM read sets vitals.CHECKS_MARK). Before any probe touches the page. It and
    # the next one-script gatherers go to the page in one round trip (in_turns).
    "vitals": VitalsGatherer(),
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


def open_tab(pool: Engine, options: VisitOptions) -> Tab:
    """A warm tab for one page worker, its context prepared for the wanted gatherers."""
    wanted = _wanted(pool, options)

    async def prepare(context: Context) -> None:
        for gatherer in wanted.values():
            await gatherer.prepare(context)

    return pool.open_tab(TabOptions(options.viewport, options.user_agent, options.tab_pages), prepare)


def _wanted(pool: Engine, options: VisitOptions) -> dict[str, Gatherer]:
    """The gatherers to run: those some check needs that the engine can measure."""
    return {name: g for name, g in OPTIONAL_GATHERERS.items() if name in options.gatherers and name not in pool.cannot}


def in_turns(wanted: dict[str, Gatherer]) -> list[tuple[str, ...]]:
    """The gatherers in their order, one per turn, but a run of one-script gatherers in one turn
    (gather/scripts.py). Probes keep a turn of their own: each has its own time budget."""
    turns: list[tuple[str, ...]] = []
    joins = False  # the last turn is a run of one-script gatherers
    for name, gatherer in wanted.items():
        scripted = isinstance(gatherer, ScriptGatherer) and name not in PROBES
        if scripted and joins:
            turns[-1] += (name,)
        else:
            turns.append((name,))
        joins = scripted
    return turns


def not_measured(pool: Engine, options: VisitOptions) -> dict[str, str]:
    """Gatherers some check needs that the engine cannot measure, with the reason recorded for each."""
    return {name: reasons.reason("not_measured", stage=STAGE_NAMES.get(name, name), engine=pool.name, why=why)
            for name, why in pool.cannot.items() if name in options.gatherers}


async def visit_page(pool: Engine, url: str, options: VisitOptions,
                     claim: Callable[[str], str | None], *, progress: VisitProgress | None = None,
                     in_scope: Callable[[str], bool] = lambda url: True,
                     is_transient: Callable[[int], bool] = lambda status: False,
                     tab: Tab | None = None, costs: StageCosts | None = None) -> PageSnapshot:
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
    page = None

    try:
        with costs.timed("gather/load"):
            page = await tab.begin(in_scope)
            progress.blocked = tab.guard.blocked
            response = await _load(tab, url, options.timeout + 1)
            progress.load_seconds = time.monotonic() - progress.started
            _refuse_self_navigation(progress)  # a script sent the page elsewhere while it loaded
            tab.watch_navigations()
            progress.stage = "waiting for late requests"
            await tab.settle(options.settle_timeout)
        content_type, headers = response.content_type, response.headers
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
            dom = await gather_dom(page, mark=CHECKS_MARK if "vitals" in options.gatherers else None)
        for key in ("title", "lang", "html", "html_bytes", "text", "links", "timings"):
            setattr(snapshot, key, dom[key])
        snapshot.requests = tab.recorder.requests()  # the page's own load, before any probe below
        env = GatherEnv(pool=pool, url=page.url, viewport=options.viewport, user_agent=options.user_agent,
                        standard=options.standard, tab=tab)
        unmeasured = not_measured(pool, options)
        wanted = _wanted(pool, options)
        for names in in_turns(wanted):
            progress.stage = " and ".join(STAGE_NAMES.get(name, name) for name in names)
            try:
                with costs.timed("gather/" + "+".join(names)):
                    found = await _collect_turn(names, wanted, page, env, deadline, progress.stage)
                for name, value in found.items():
                    if isinstance(value, ScriptFailed):
                        snapshot.gatherer_errors[name] = reasons.reason(
                            "gatherer", stage=STAGE_NAMES.get(name, name), why=_engine_words(value))
                    else:
                        setattr(snapshot, name, value)
            except ProbeOutOfTime as exc:
                snapshot.gatherer_errors[names[0]] = str(exc)
            except (ValueError, TypeError, KeyError) as exc:  # a page that defeats a probe loses only it
                if names[0] not in PROBES:
                    raise
                snapshot.gatherer_errors[names[0]] = reasons.reason(
                    "gatherer", stage=progress.stage, why=f"{type(exc).__name__}: {exc}"[:300])
            except ENGINE_ERRORS as exc:
                progress.self_navigations = tab.main_frame_navigations
                if page.is_closed() or not tab.browser_connected():
                    raise
                if "axe" in names or progress.self_navigations:
                    raise  # no accessibility result: the page is not counted as scanned
                for name in names:
                    snapshot.gatherer_errors[name] = reasons.reason(
                        "gatherer", stage=STAGE_NAMES.get(name, name), why=_engine_words(exc))
        progress.self_navigations = tab.main_frame_navigations
        _refuse_self_navigation(progress)
        kept = not snapshot.gatherer_errors
        snapshot.not_measured = unmeasured  # the engine's limits, not the page's fault: the tab is kept
        snapshot.gatherer_errors.update(unmeasured)
        return snapshot
    except (PageSkipped, PageFailed, TransientFailure):
        kept = answered
        raise
    except ENGINE_ERRORS as exc:
        progress.self_navigations = tab.main_frame_navigations
        _refuse_self_navigation(progress)
        raise PageFailed(_crash_reason(exc, tab, progress)) from None
    finally:
        with costs.timed("gather/reset"):
            if own_tab:
                await tab.close()
            else:
                await tab.end(kept=kept)


async def _collect_turn(names: tuple[str, ...], wanted: dict[str, Gatherer], page: Page, env: GatherEnv,
                        deadline: float, stage: str) -> dict[str, Any]:
    """What the turn's gatherers collected, by name (a ScriptFailed for a script that threw)."""
    if len(names) > 1:  # one-script gatherers: their scripts in one round trip
        return await run_together(page, {name: cast(ScriptGatherer, wanted[name]).script(env) for name in names})
    [name] = names
    if name in PROBES:
        return {name: await _within_budget(wanted[name].collect(page, env), deadline, stage)}
    return {name: await wanted[name].collect(page, env)}


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
        async with asyncio.timeout(remaining):
            return await collecting
    except TimeoutError:
        raise ProbeOutOfTime(reasons.reason("probe_stopped", stage=stage, seconds=f"{remaining:.0f}")) from None


async def _load(tab: Tab, url: str, timeout: float) -> Loaded:
    try:
        response = await tab.load(url, timeout)
    except ENGINE_ERRORS as exc:
        raise _navigation_problem(exc, tab.guard.blocked) from None
    if response is None:
        raise PageFailed(reasons.reason("no_response"))
    return response


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


def _navigation_problem(exc: Exception, blocked: list[str]) -> Exception:
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


def _crash_reason(exc: Exception, tab: Tab, progress: VisitProgress) -> str:
    message = str(exc)
    if not tab.browser_connected():
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
