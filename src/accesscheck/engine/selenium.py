"""The Selenium engine: WebDriver sessions on a local chromedriver or on a Selenium Grid.

`--browser selenium` starts Debian's chromedriver with the system Chromium (a Service with its
path: Selenium Manager never downloads a driver); `--grid URL` asks a Selenium Grid 4, or any
WebDriver endpoint, for `--browser-name` chrome, edge or firefox. Each page worker holds one
session (one Grid slot) and keeps it from page to page as the Playwright engine keeps its tab,
cleared between pages, a fresh one every `tab_pages` pages and after any failure.

WebDriver is synchronous: every command of a session runs on that session's own thread, in
order, so the scan's event loop stays free and a batch of key presses keeps its order.

What WebDriver gives and how it stands in for Playwright:
- the network log is Chromium's performance log (`goog:loggingPrefs`: the DevTools Network and
  Page events), read after the load and fed to the same NetworkRecorder; it works through a Grid;
- DevTools commands (init scripts, cache off, viewport, key presses, storage clearing, the
  document's source) go through chromedriver's `executeCdpCommand`, which the Grid relays;
- axe-core runs through axe-selenium-python's `Axe.run`, on the axe-core script the project ships
  (injected by gather/axe.py into every frame; never the package's own bundled copy);
- screenshots are of the viewport, cut to the clip with Pillow.
What it cannot do is in `cannot`: the visit records those gatherers as "not measured".
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import InvalidSessionIdException, TimeoutException, WebDriverException
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.webdriver import WebDriver

from accesscheck.engine import EngineError, Loaded, NotMeasurable, Prepare, TabOptions, origins_of
from accesscheck.engine.playwright import find_full_chromium
from accesscheck.errors import BrowserError
from accesscheck.gather.guard import NavigationGuard
from accesscheck.gather.network import NetworkRecorder, is_main_document, response_body
from accesscheck.settings import CHROMIUM_ARGS

#: Every WebDriver call has a limit; the client's own default for an HTTP request is none at all,
#: and a Grid holds an abandoned session's slot for minutes.
HTTP_TIMEOUT = 90
SCRIPT_TIMEOUT = 60
QUIT_TIMEOUT = 15
CHROMEDRIVER_PATHS = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")

#: Gatherers WebDriver cannot run, and why (README "Browser engines").
CANNOT_ANY = {
    "context_changes": "it needs to intercept and abort the page's own requests in a second browser "
                       "context, which WebDriver does not offer",
}
CANNOT_WITHOUT_CDP = {
    "no_js": "the JavaScript-off render is served the document as sent, which is read through DevTools, "
             "which this browser does not have",
    "network": "the browser has no DevTools performance log, so no bytes per request",
    "vitals": "paint timings need an observer installed before the page's scripts (DevTools only)",
    "keyboard": "key presses are sent through DevTools, which this browser does not have",
    "source": "the response body as sent is read through DevTools, which this browser does not have",
}
_DEAD = ("invalid session id", "session deleted", "chrome not reachable", "disconnected", "no such window",
         "target window already closed", "session not created", "tab crashed", "unable to receive message",
         "connection refused", "max retries exceeded", "remote end closed")

#: Playwright's evaluate: a function's source is called with the argument, anything else evaluated.
_EVALUATE = """
const [source, arg] = arguments;
let value;
try { value = (0, eval)('(' + source + '\\n)'); }
catch (e) { if (!(e instanceof SyntaxError)) throw e; value = (0, eval)(source); }
return typeof value === 'function' ? value(arg) : value;
"""
_FRAME_COUNT = "return window.frames.length"
_NAVIGATION_STATUS = "(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0"
_MAX_FRAMES = 30
_POPUPS = ("window.open = () => null; window.alert = () => undefined; "
           "window.confirm = () => false; window.prompt = () => null;")
_STORAGE_TYPES = "cookies,local_storage,indexeddb,websql,cache_storage,service_workers,file_systems,shader_cache"


def find_chromedriver() -> str:
    configured = os.environ.get("ACCESSCHECK_CHROMEDRIVER")
    found = configured or shutil.which("chromedriver") or next(
        (p for p in CHROMEDRIVER_PATHS if os.path.isfile(p)), None)
    if not found:
        raise BrowserError("No chromedriver was found: install it with `apt-get install chromium-driver` "
                           "(Debian/Ubuntu) or set ACCESSCHECK_CHROMEDRIVER to its path.")
    return found


class _Session:
    """One WebDriver session; its commands run one at a time on its own thread."""

    def __init__(self, driver: WebDriver, cdp: bool) -> None:
        self.driver, self.cdp = driver, cdp
        self.dead = False
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="webdriver")

    async def run(self, call: Callable[..., Any], *args: Any) -> Any:
        if self.dead:
            raise EngineError("the browser session is closed")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._thread, call, *args)
        except TimeoutException as exc:
            raise EngineError(f"Timeout: {exc.msg or 'the browser did not answer in time'}") from None
        except WebDriverException as exc:
            message = exc.msg or type(exc).__name__
            if isinstance(exc, InvalidSessionIdException) or any(m in message.lower() for m in _DEAD):
                self.dead = True
            raise EngineError(message) from None
        except OSError as exc:  # the Grid or chromedriver went away under the HTTP request
            self.dead = True
            raise EngineError(f"the browser session was lost ({type(exc).__name__})") from None

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        if not self.cdp:
            raise NotMeasurable(f"{method}: this browser has no DevTools protocol")
        result: dict[str, Any] = await self.run(self._send, method, params or {})
        return result

    def _send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        value: dict[str, Any] = self.driver.execute("executeCdpCommand", {"cmd": method, "params": params})["value"]
        return value

    def log(self) -> list[dict[str, Any]]:
        """The DevTools events logged since the last read (on the session's thread)."""
        entries = self.driver.execute("getLog", {"type": "performance"})["value"]
        return [json.loads(entry["message"])["message"] for entry in entries]

    async def quit(self) -> None:
        """Quit, always: a session left open holds its Grid slot until the Grid's own timeout."""
        self.dead = True
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(QUIT_TIMEOUT):
                await loop.run_in_executor(self._thread, self.driver.quit)
        except (WebDriverException, OSError, TimeoutError):
            pass  # a dead browser's session ends with the driver or the Grid's timeout
        finally:
            self._thread.shutdown(wait=False)


class _Cdp:
    """A CdpSession over WebDriver's executeCdpCommand (commands only, no events)."""

    def __init__(self, session: _Session) -> None:
        self._session = session

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self._session.send(method, params)

    async def detach(self) -> None:
        pass


class SeleniumContext:
    def __init__(self, session: _Session) -> None:
        self._session = session

    async def add_init_script(self, script: str | None = None) -> None:
        await self._session.send("Page.addScriptToEvaluateOnNewDocument", {"source": script or ""})

    async def new_cdp_session(self, page: Any) -> _Cdp:
        if not self._session.cdp:
            raise NotMeasurable("this browser has no DevTools protocol")
        return _Cdp(self._session)


class SeleniumFrame:
    """A frame of the page, reached by its index path from the top (window.frames)."""

    def __init__(self, session: _Session, path: tuple[int, ...]) -> None:
        self._session, self.path = session, path

    @property
    def url(self) -> str:
        return ""  # not needed by any gatherer; reading it would cost a round trip per frame

    async def evaluate(self, expression: str, arg: Any = None) -> Any:
        return await self._session.run(self._evaluate, expression, arg)

    def _evaluate(self, expression: str, arg: Any) -> Any:
        driver = self._session.driver
        try:
            for index in self.path:
                driver.switch_to.frame(index)
            return driver.execute_script(_EVALUATE, expression, arg)
        finally:
            if self.path:
                driver.switch_to.default_content()

    def is_detached(self) -> bool:
        return False


class SeleniumPage:
    """The Page interface over one WebDriver session."""

    def __init__(self, session: _Session, viewport: tuple[int, int]) -> None:
        self._session = session
        self._context = SeleniumContext(session)
        self._main = SeleniumFrame(session, ())
        self._frames: list[SeleniumFrame] = [self._main]
        self._viewport = {"width": viewport[0], "height": viewport[1]}
        self._url = "about:blank"

    @property
    def url(self) -> str:
        return self._url

    @property
    def frames(self) -> Sequence[SeleniumFrame]:
        return self._frames

    @property
    def main_frame(self) -> SeleniumFrame:
        return self._main

    @property
    def context(self) -> SeleniumContext:
        return self._context

    @property
    def viewport_size(self) -> Any:
        return dict(self._viewport)

    async def loaded(self) -> None:
        """After a load: the page's URL and its frames, as WebDriver sees them now."""
        self._url, paths = await self._session.run(self._read_frames)
        self._frames = [SeleniumFrame(self._session, path) for path in paths]

    def _read_frames(self) -> tuple[str, list[tuple[int, ...]]]:
        driver = self._session.driver
        paths: list[tuple[int, ...]] = [()]
        todo: list[tuple[int, ...]] = [()]
        while todo and len(paths) < _MAX_FRAMES:
            path = todo.pop(0)
            try:
                for index in path:
                    driver.switch_to.frame(index)
                children = [(*path, i) for i in range(int(driver.execute_script(_FRAME_COUNT) or 0))]
            except WebDriverException:
                children = []  # a frame that went away or forbids scripts
            finally:
                driver.switch_to.default_content()
            paths += children[:_MAX_FRAMES - len(paths)]
            todo += children
        return driver.current_url, paths

    async def evaluate(self, expression: str, arg: Any = None) -> Any:
        return await self._main.evaluate(expression, arg)

    async def run_axe(self, options: dict[str, Any]) -> dict[str, Any]:
        """axe.run through axe-selenium-python, on the script gather/axe.py injected."""
        return await self._session.run(self._run_axe, options)  # type: ignore[no-any-return]

    def _run_axe(self, options: dict[str, Any]) -> dict[str, Any]:
        from axe_selenium_python import Axe  # type: ignore[import-untyped]

        from accesscheck.gather.axe import axe_script_path
        result: dict[str, Any] = Axe(self._session.driver, script_url=axe_script_path()).run(
            options=json.dumps(options))
        return result

    async def screenshot(self, *, clip: Any = None) -> bytes:
        png: bytes = await self._session.run(self._session.driver.get_screenshot_as_png)
        return png if clip is None else await asyncio.to_thread(_cut, png, clip, self._viewport["width"])

    async def set_viewport_size(self, viewport_size: Any) -> None:
        width, height = int(viewport_size["width"]), int(viewport_size["height"])
        if self._session.cdp:
            await self._session.send("Emulation.setDeviceMetricsOverride",
                                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        else:
            await self._session.run(self._session.driver.set_window_size, width, height)
        self._viewport = {"width": width, "height": height}

    async def goto(self, url: str, *, timeout: float | None = None, wait_until: Any = None) -> Any:
        await self._session.run(self._session.driver.get, url)
        await self.loaded()
        return None

    async def content(self) -> str:
        return await self._session.run(lambda: self._session.driver.page_source)  # type: ignore[no-any-return]

    def is_closed(self) -> bool:
        return self._session.dead


def _cut(png: bytes, clip: dict[str, float], viewport_width: int) -> bytes:
    """The clip of a viewport screenshot, in CSS pixels (the image may be at a device scale)."""
    from PIL import Image
    with Image.open(io.BytesIO(png)) as image:
        scale = image.width / viewport_width if viewport_width else 1
        box = (round(clip["x"] * scale), round(clip["y"] * scale),
               round((clip["x"] + clip["width"]) * scale), round((clip["y"] + clip["height"]) * scale))
        out = io.BytesIO()
        image.crop(box).save(out, format="PNG")
        return out.getvalue()


class SeleniumTab:
    """One worker's WebDriver session, kept from page to page like the Playwright engine's tab."""

    def __init__(self, engine: SeleniumEngine, options: TabOptions, prepare: Prepare) -> None:
        self._engine, self._options, self._prepare = engine, options, prepare
        self._session: _Session | None = None
        self._page: SeleniumPage | None = None
        self._top_frame: str | None = None
        self._pages = 0
        self._document: str | None = None    # the main document's DevTools request id
        self._watching = False
        self.recorder = NetworkRecorder()
        self.guard = NavigationGuard()       # WebDriver cannot stop a navigation before it is sent
        self.main_frame_navigations = 0
        self.contexts_opened = 0

    async def begin(self, in_scope: Callable[[str], bool] = lambda url: True) -> SeleniumPage:
        session = self._session
        if session is None or session.dead or self._pages >= self._options.pages_per_context:
            await self._renew()
        assert self._session is not None and self._page is not None
        if self._session.cdp:
            await self._session.run(self._session.log)  # what the blank page between visits logged
        self._pages += 1
        self.recorder = NetworkRecorder()
        self.recorder.start()
        self.guard.watch(in_scope)
        self._document, self._watching, self.main_frame_navigations = None, False, 0
        if self._page.viewport_size != {"width": self._options.viewport[0], "height": self._options.viewport[1]}:
            await self._page.set_viewport_size({"width": self._options.viewport[0],
                                                "height": self._options.viewport[1]})
        return self._page

    async def _renew(self) -> None:
        await self.close()
        session = await self._engine.new_session(self._options)
        try:
            page = SeleniumPage(session, self._options.viewport)
            if session.cdp:
                await session.send("Page.addScriptToEvaluateOnNewDocument", {"source": _POPUPS})
                await session.send("Network.setCacheDisabled", {"cacheDisabled": True})
                tree = await session.send("Page.getFrameTree")
                self._top_frame = tree["frameTree"]["frame"]["id"]
                await page.set_viewport_size({"width": self._options.viewport[0],
                                              "height": self._options.viewport[1]})
            await self._prepare(page.context)
        except BaseException:
            await session.quit()
            raise
        self._session, self._page, self._pages = session, page, 0
        self.contexts_opened += 1

    async def load(self, url: str, timeout: float) -> Loaded | None:
        assert self._session is not None and self._page is not None
        session = self._session
        await session.run(session.driver.set_page_load_timeout, timeout)
        await session.run(session.driver.get, url)
        await self._page.loaded()
        if not session.cdp:
            return await self._status_from_timing()
        response = self._read_log(await session.run(session.log))
        if response is None:
            return None
        return Loaded(status=int(response.get("status", 0)),
                      headers={k.lower(): v for k, v in response.get("headers", {}).items()})

    async def _status_from_timing(self) -> Loaded:
        """Without DevTools the status comes from the Navigation Timing entry; a browser that does
        not give it fails the page rather than have a status guessed (headers stay unknown)."""
        assert self._page is not None
        status = await self._page.evaluate(_NAVIGATION_STATUS)
        if not status:
            raise NotMeasurable("the browser does not report the page's HTTP status")
        return Loaded(status=int(status), headers={})

    def _read_log(self, events: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
        """Feed the log to the recorder; the main document's last response (after redirects)."""
        document = None
        for event in events:
            method, params = event.get("method", ""), event.get("params", {})
            self.recorder.feed(method, params)
            if method == "Network.requestWillBeSent" and is_main_document(params, self._top_frame):
                self._document = params["requestId"]
            elif (method == "Network.responseReceived" and params.get("requestId") == self._document
                    and self._document is not None):
                document = params["response"]
            elif method == "Page.frameNavigated" and self._watching \
                    and not params.get("frame", {}).get("parentId"):
                self.main_frame_navigations += 1
        return document

    async def settle(self, limit: float) -> None:
        assert self._session is not None
        deadline = time.monotonic() + limit
        while self._session.cdp:
            self._read_log(await self._session.run(self._session.log))
            if not self.recorder.in_flight or time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.05)

    async def document_source(self) -> str | None:
        if self._session is None or self._document is None:
            return None
        answer = await self._session.send("Network.getResponseBody", {"requestId": self._document})
        return response_body(answer).decode("utf-8", "replace")

    def watch_navigations(self) -> None:
        self._watching = True

    def browser_connected(self) -> bool:
        return self._session is not None and not self._session.dead

    async def end(self, *, kept: bool) -> None:
        if self._session is not None and self._session.cdp and not self._session.dead:
            try:  # a navigation after the load still counts (the page sent itself elsewhere)
                self._read_log(await self._session.run(self._session.log))
            except EngineError:
                pass
        self._watching = False
        if self._session is not None and self._session.dead:
            self._engine.restarts += 1  # its browser died: the next page gets a new one
        if not kept or self._session is None or self._session.dead:
            await self.close()
            return
        try:
            async with asyncio.timeout(10):
                await self._clear()
        except (EngineError, TimeoutError):
            await self.close()

    async def _clear(self) -> None:
        assert self._session is not None and self._page is not None
        session = self._session
        origins = origins_of([self._page.url, *(r.url for r in self.recorder.requests())])
        await session.run(session.driver.execute_script, "try { sessionStorage.clear(); } catch (e) {}")
        await session.run(session.driver.get, "about:blank")
        await session.run(session.driver.delete_all_cookies)
        if session.cdp:
            for origin in origins:
                await session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": _STORAGE_TYPES})
            await session.send("Network.clearBrowserCache")

    async def resize(self, width: int, height: int) -> None:
        assert self._page is not None
        await self._page.set_viewport_size({"width": width, "height": height})

    async def no_js_page(self) -> SeleniumPage:
        raise NotMeasurable("a JavaScript-off tab (for a page that refuses the sandboxed frame) needs a "
                            "second browser session per page worker (a second Grid slot)")

    def discard_no_js(self) -> None:
        pass

    async def close(self) -> None:
        session, self._session, self._page = self._session, None, None
        if session is not None:
            await session.quit()


class SeleniumEngine:
    """The scan's WebDriver sessions: one per page worker, on chromedriver or a Grid."""

    def __init__(self, *, grid: str | None = None, browser_name: str = "chrome", loopback_only: bool = False) -> None:
        self.grid, self.browser_name, self.loopback_only = grid, browser_name, loopback_only
        self.name = f"selenium ({browser_name}{' on a Grid' if grid else ''})"
        self.version = ""
        self.restarts = 0
        self._user_agent = ""
        self.cdp = browser_name in ("chrome", "edge")
        self.cannot = {**CANNOT_ANY, **({} if self.cdp else CANNOT_WITHOUT_CDP)}

    async def __aenter__(self) -> SeleniumEngine:
        session = await self.new_session(TabOptions(viewport=(1280, 800), user_agent=None, pages_per_context=1))
        try:
            self.version = str(session.driver.capabilities.get("browserVersion", ""))
            self._user_agent = str(await session.run(session.driver.execute_script, "return navigator.userAgent"))
        finally:
            await session.quit()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        pass  # every session belongs to a tab, which quits it

    def open_tab(self, options: TabOptions, prepare: Prepare) -> SeleniumTab:
        return SeleniumTab(self, options, prepare)

    async def new_context(self, **options: Any) -> Any:
        raise NotMeasurable("WebDriver has no second browser context in a session")

    async def default_user_agent(self) -> str:
        return self._user_agent

    async def new_session(self, options: TabOptions) -> _Session:
        try:
            async with asyncio.timeout(HTTP_TIMEOUT + 10):
                driver = await asyncio.to_thread(self._start, options)
        except TimeoutError:
            raise BrowserError(f"No browser session from {self.grid or 'chromedriver'} within "
                               f"{HTTP_TIMEOUT} s.") from None
        except WebDriverException as exc:
            where = f"the Grid at {self.grid}" if self.grid else "chromedriver"
            first = (exc.msg or type(exc).__name__).strip().splitlines()[0]
            raise BrowserError(f"{where} would not start {self.browser_name} ({first}).") from None
        except OSError as exc:
            raise BrowserError(f"Cannot reach the Grid at {self.grid} ({exc}).") from None
        return _Session(driver, self.cdp)

    def _start(self, tab: TabOptions) -> WebDriver:
        width, height = tab.viewport
        options = self._options(width, height, tab.user_agent)
        if self.grid:
            driver: WebDriver = webdriver.Remote(self.grid, options=options,
                                                 client_config=ClientConfig(self.grid, timeout=HTTP_TIMEOUT))
        elif self.browser_name == "chrome":
            from selenium.webdriver.chrome.service import Service
            driver = webdriver.Chrome(service=Service(find_chromedriver()), options=options)  # type: ignore[arg-type]
        else:
            raise BrowserError(f"--browser-name {self.browser_name} needs --grid URL (only Chromium runs locally).")
        try:
            driver.set_page_load_timeout(HTTP_TIMEOUT)  # each load sets its own
            driver.set_script_timeout(SCRIPT_TIMEOUT)
        except WebDriverException:
            driver.quit()
            raise
        return driver

    def _options(self, width: int, height: int, user_agent: str | None) -> Any:
        if self.browser_name == "firefox":
            firefox = webdriver.FirefoxOptions()
            firefox.add_argument("-headless")
            firefox.add_argument(f"--width={width}")
            firefox.add_argument(f"--height={height}")
            if user_agent:
                firefox.set_preference("general.useragent.override", user_agent)
            firefox.unhandled_prompt_behavior = "dismiss"
            return firefox
        chromium = webdriver.EdgeOptions() if self.browser_name == "edge" else webdriver.ChromeOptions()
        for arg in [*CHROMIUM_ARGS, "--headless=new", f"--window-size={width},{height}"]:
            chromium.add_argument(arg)
        if self.loopback_only:
            chromium.add_argument("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1")
        if user_agent:
            chromium.add_argument(f"--user-agent={user_agent}")
        if not self.grid:
            chromium.binary_location = find_full_chromium() or ""
        prefix = "ms" if self.browser_name == "edge" else "goog"
        chromium.set_capability(f"{prefix}:loggingPrefs", {"performance": "ALL"})
        chromium.unhandled_prompt_behavior = "dismiss"
        return chromium

