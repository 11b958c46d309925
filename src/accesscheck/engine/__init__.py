"""The browser engines, behind one narrow interface: what gatherers and the visit need of a browser.

    Page      the live page: evaluate a script (in the page or one of its frames), set the
              viewport, a clipped screenshot, a JavaScript-off twin via the tab, its context
    Context   what a page lives in: init scripts (before any page script), CDP sessions
    CdpSession  Chromium DevTools commands (key presses, throttling, vitals) where the browser has them
    Tab       one worker's page kept from visit to visit: load with a time limit, settle, the
              network log (encoded bytes per request), a clean slate between pages
    Engine    the scan's browsers: tabs for the workers, a browser that dies replaced

Two engines implement it: Playwright driving a local Chromium (engine/playwright.py, today's
default) and Selenium WebDriver, local chromedriver or any Selenium Grid (engine/selenium.py).
The interface keeps Playwright's names and call shapes for what both engines offer, so the
Playwright engine hands its own objects over unwrapped (no cost per call) and the Selenium engine
adapts WebDriver to them. Nothing outside this package imports playwright or selenium
(tests/engine/test_imports.py checks it).

What an engine cannot measure it says, per gatherer (`Engine.cannot`): the visit records
"not measured" with the reason instead of running it, never a guess.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from playwright.async_api import Error as _PlaywrightError

if TYPE_CHECKING:
    from accesscheck.gather.guard import NavigationGuard
    from accesscheck.gather.network import NetworkRecorder


#: URL patterns of images, media and fonts, which the JavaScript-off render does not fetch again
#: (CDP's Network.setBlockedURLs; a second fetch would only cost the server and the user's data).
MEDIA_PATTERNS = [f"*.{ext}*" for ext in ("png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "woff",
                                           "woff2", "ttf", "otf", "mp4", "webm", "mp3", "ogg")]


class EngineError(Exception):
    """A browser command failed (the page navigated, the browser died, a script threw)."""


class NotMeasurable(EngineError):
    """The browser cannot do what was asked (no CDP in Firefox): the measurement is not made."""


#: What an engine call may raise: the engines' own errors (Playwright's cannot be re-parented).
ENGINE_ERRORS: tuple[type[Exception], ...] = (EngineError, _PlaywrightError)


class CdpSession(Protocol):
    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]: ...

    async def detach(self) -> None: ...


class CdpEvents(CdpSession, Protocol):
    """A CDP session that also delivers events (Playwright's; WebDriver gives commands only)."""

    def on(self, event: str, f: Callable[..., Any]) -> None: ...


class Frame(Protocol):
    @property
    def url(self) -> str: ...

    async def evaluate(self, expression: str, arg: Any = None) -> Any: ...

    def is_detached(self) -> bool: ...


class Context(Protocol):
    async def add_init_script(self, script: str | None = None) -> Any:
        """Run `script` in every document of the context before the document's own scripts."""

    async def new_cdp_session(self, page: Any) -> CdpSession:
        """Raises NotMeasurable where the browser has no DevTools protocol."""


class Page(Protocol):
    """The live page, as gatherers use it. `evaluate` takes a function's source (called with
    `arg`) or an expression; a returned promise is awaited."""

    @property
    def url(self) -> str: ...

    @property
    def frames(self) -> Sequence[Frame]: ...

    @property
    def main_frame(self) -> Frame: ...

    @property
    def context(self) -> Context: ...

    @property
    def viewport_size(self) -> Any: ...

    async def evaluate(self, expression: str, arg: Any = None) -> Any: ...

    async def screenshot(self, *, clip: Any = None) -> bytes:
        """PNG bytes of the viewport, or of `clip` ({x, y, width, height} in CSS pixels)."""

    async def set_viewport_size(self, viewport_size: Any) -> None: ...

    async def goto(self, url: str, *, timeout: float | None = None, wait_until: Any = None) -> Any: ...

    async def content(self) -> str: ...

    def is_closed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Loaded:
    """The main document's answer, after the load."""

    status: int
    headers: dict[str, str]   # lower-case names

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class TabOptions:
    viewport: tuple[int, int]
    user_agent: str | None
    pages_per_context: int


#: Called with each fresh context before its first page (init scripts of the gatherers).
Prepare = Callable[[Context], Awaitable[None]]


class Tab(Protocol):
    """One worker's page, kept from one visit to the next and cleared in between."""

    recorder: NetworkRecorder
    guard: NavigationGuard
    main_frame_navigations: int   # main-frame navigations since `watch_navigations()`

    async def begin(self, in_scope: Callable[[str], bool] = ...) -> Page: ...

    async def load(self, url: str, timeout: float) -> Loaded | None:
        """Navigate and wait for `load` for `timeout` seconds at most; None when no answer came.
        Raises an engine error carrying the browser's net::ERR_ code when the navigation failed."""

    async def document_source(self) -> str | None:
        """The main document's body as the server sent it, without a second request."""

    async def settle(self, limit: float) -> None:
        """Let late requests finish, up to `limit` seconds; the network log is complete after it."""

    def watch_navigations(self) -> None: ...

    def browser_connected(self) -> bool:
        """False when the browser the page began in died or was replaced."""

    async def end(self, *, kept: bool) -> None: ...

    async def resize(self, width: int, height: int) -> None:
        """Resize the page's viewport for a check that runs last (reflow); the next `begin()`
        puts the tab's own size back."""

    async def no_js_page(self) -> Page: ...

    def discard_no_js(self) -> None: ...

    async def close(self) -> None: ...


class Engine(Protocol):
    """The scan's browsers (an async context manager)."""

    name: str          # "playwright" | "selenium"
    version: str       # the browser's, recorded with the run
    restarts: int      # browsers replaced after they died
    cannot: dict[str, str]  # gatherer -> why this engine cannot measure it

    async def __aenter__(self) -> Engine: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    def open_tab(self, options: TabOptions, prepare: Prepare) -> Tab: ...

    async def new_context(self, **options: Any) -> Any: ...

    async def default_user_agent(self) -> str: ...


ENGINES = ("playwright", "selenium")
BROWSER_NAMES = ("chrome", "firefox", "edge")


@dataclass(frozen=True, slots=True)
class EngineChoice:
    """Which engine a scan uses: `browser` playwright|selenium, a Grid URL (implies selenium),
    and the browser asked of Selenium (chrome, firefox, edge)."""

    browser: str = "playwright"
    grid: str | None = None
    browser_name: str = "chrome"

    @property
    def engine(self) -> str:
        return "selenium" if self.grid else self.browser


def make_engine(choice: EngineChoice, *, loopback_only: bool = False) -> Engine:
    """The engine `choice` names (not started: use it as `async with`)."""
    if choice.engine == "selenium":
        from accesscheck.engine.selenium import SeleniumEngine
        return SeleniumEngine(grid=choice.grid, browser_name=choice.browser_name, loopback_only=loopback_only)
    from accesscheck.engine.playwright import BrowserPool
    return BrowserPool(loopback_only=loopback_only)


async def run_axe(page: Page, options: dict[str, Any], in_page: str) -> dict[str, Any]:
    """axe.run on the page whose frames have the script: through the engine's own axe runner when
    it has one (Selenium: axe-selenium-python), else `in_page`, a function of the options that
    runs axe.run in the page and returns its result (trimmed there: less crosses CDP)."""
    runner = getattr(page, "run_axe", None)
    if runner is not None:
        result: dict[str, Any] = await runner(options)
        return result
    result = await page.evaluate(in_page, options)
    return result


def origins_of(urls: Iterable[str]) -> list[str]:
    """The http(s) origins of `urls`, in order, once each: whose storage a tab clears after a page."""
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            found.append(f"{parts.scheme}://{parts.netloc}")
    return list(dict.fromkeys(found))
