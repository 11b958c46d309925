"""A worker's warm tab: one context and page kept from one page visit to the next.

A fresh browser context per page costs more than loading a small page (a new renderer, a new
network context): the same bare loop drops to a quarter of its speed with one. So each page
worker keeps its tab, and what made the fresh context worth having is done by hand, so that every
visit is still a first visit:

- the HTTP cache is disabled through CDP (`Network.setCacheDisabled`), so nothing is kept in it;
- after a page, the tab goes to about:blank and the cookies, local and session storage,
  IndexedDB, Cache Storage and service workers of every origin the page touched are cleared;
- a fresh context is taken every `tab_pages` pages, and after any failure, crash (a renderer
  stopped by the memory watchdog is one), lost browser or dialog storm (a page that opens dialog
  after dialog could have left anything behind).

The tab keeps its navigation guard (gather/guard.py) too: CDP's Fetch interception is set up
once per context, and each page brings its own scope and a fresh list of what was blocked.

The JavaScript-off tab of the no-JS gatherer is kept the same way (it runs no script, so only
cookies can carry over; they are cleared). It is served the document the page's own load already
received (a second request could only cost the server, and a server that answers each request
differently would make the two renders differ for no reason of the page's); stylesheets and frames
still come from the network.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urldefrag

from playwright.async_api import BrowserContext, CDPSession, Dialog, Frame, Page, Response
from playwright.async_api import Error as PlaywrightError

from accesscheck.engine import MEDIA_PATTERNS, Loaded, Prepare, TabOptions, origins_of
from accesscheck.engine import Page as EnginePage
from accesscheck.engine.playwright import BrowserPool
from accesscheck.gather.guard import NavigationGuard
from accesscheck.gather.network import NetworkRecorder, is_main_document, response_body

#: A document larger than this is fetched again rather than sent through CDP a second time.
MAX_SERVED_BYTES = 5_000_000
#: More dialogs than this on one page and the tab is replaced after it (alert loops, beforeunload traps).
DIALOG_STORM = 20
#: CDP storage types cleared per origin between pages (Storage.clearDataForOrigin).
_STORAGE_TYPES = "cookies,local_storage,indexeddb,websql,cache_storage,service_workers,file_systems,shader_cache"
_CLEAR_SESSION = "() => { try { sessionStorage.clear(); } catch (e) {} }"


class WarmTab:
    """One worker's tab. `begin()` before a visit gives the page and its network recorder;
    `end(kept=...)` after it clears the page's state, or throws the context away."""

    def __init__(self, pool: BrowserPool, options: TabOptions, prepare: Prepare) -> None:
        self._pool, self._options, self._prepare = pool, options, prepare
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._cdp: CDPSession | None = None
        self.recorder = NetworkRecorder()
        self.guard = NavigationGuard()
        self._crashed = False
        self._pages = 0
        self._dialogs = 0
        self._no_js: _NoJsTab | None = None
        self.contexts_opened = 0
        self.main_frame_navigations = 0
        self._browser_at_begin: Any = None
        self._watched: Page | None = None
        self._document: _Document | None = None
        self._broken: asyncio.Future[str] | None = None  # while a load waits: its document failed
        self._resized = False  # by resize(), on the tab's CDP session: Playwright does not know

    async def begin(self, in_scope: Callable[[str], bool] = lambda url: True) -> EnginePage:
        """The tab, ready for a first visit of a page whose main frame may go where `in_scope`
        allows: a fresh context if due or if the old one is unusable, the viewport restored."""
        if not self._usable() or self._pages >= self._options.pages_per_context:
            await self._renew()
        assert self._page is not None
        width, height = self._options.viewport
        if self._resized:
            await self._emulate_size(width, height)
            self._resized = False
        if self._page.viewport_size != {"width": width, "height": height}:
            await self._page.set_viewport_size({"width": width, "height": height})
        self._pages += 1
        self._dialogs = 0
        self.recorder.start()
        self.guard.watch(in_scope)
        self._unwatch()
        self._document = None
        self.main_frame_navigations = 0
        self._browser_at_begin = self._page.context.browser
        return cast(EnginePage, self._page)

    async def load(self, url: str, timeout: float) -> Loaded | None:
        """page.goto, but a document whose body fails after it committed (a broken gzip, a cut
        connection) ends the load at once: Playwright would wait for a `load` that never comes."""
        assert self._page is not None
        self._broken = asyncio.get_running_loop().create_future()
        try:
            response = await _load(self._page, url, timeout, self._broken)
        finally:
            self._broken = None
        if response is None:
            return None
        # The headers the response came with (no round trip; all_headers() would add the
        # cookie-related ones, which no check reads).
        return Loaded(status=response.status, headers=response.headers)

    def _document_failed(self, event: dict[str, Any]) -> None:
        """The document's body failed after it committed (from the tab's own CDP session, as the
        document is: a `requestfailed` listener would have Playwright send every failed request)."""
        document, broken = self._document, self._broken
        if document is None or broken is None or broken.done() or event["requestId"] != document.request_id:
            return
        failure = event.get("errorText", "")
        if "ERR_ABORTED" not in failure and "ERR_BLOCKED_BY_CLIENT" not in failure:
            broken.set_result(failure)

    async def document_source(self) -> str | None:
        """The main document's body as the server sent it (the response the load received)."""
        body = None if self._document is None else await self._document.body()
        return None if body is None else body.decode("utf-8", errors="replace")

    def _document_requested(self, event: dict[str, Any]) -> None:
        """The main frame's document requests, from the tab's own CDP session: Playwright's
        `response` events would bring every response of the page across to Python to find it."""
        if is_main_document(event, self.guard.main_frame):
            self._document = _Document(self._cdp, event["requestId"], event["request"].get("method", "GET"))

    def _document_answered(self, event: dict[str, Any]) -> None:
        document = self._document
        if document is not None and event["requestId"] == document.request_id:
            document.answered(event["response"])

    async def _served_document(self) -> ServedDocument | None:
        """The page's document as the browser already received it, for the JavaScript-off render:
        the same bytes and headers a second request would most likely bring, without asking the
        server again. None (ask the server) when the page is no longer the document that was loaded."""
        document, page = self._document, self._page
        if document is None or page is None or document.method != "GET" or document.status is None or \
                urldefrag(document.url).url != urldefrag(page.url).url:
            return None
        body = await document.body()
        if body is None or len(body) > MAX_SERVED_BYTES:
            return None
        return ServedDocument(url=page.url, status=document.status, headers=document.headers, body=body)

    async def settle(self, limit: float) -> None:
        """After `load`, let late requests (lazy images, XHR-rendered content) finish, up to `limit`
        seconds. Unlike Playwright's `networkidle` there is no fixed 500 ms quiet window to pay."""
        deadline = time.monotonic() + limit
        while self.recorder.in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    def watch_navigations(self) -> None:
        """From now on, count the main frame's navigations (a page that sends itself elsewhere)."""
        if self._page is not None and self._watched is None:
            self._watched = self._page
            self._page.on("framenavigated", self._count_navigation)

    def _unwatch(self) -> None:
        watched, self._watched = self._watched, None
        if watched is not None:
            watched.remove_listener("framenavigated", self._count_navigation)

    def _count_navigation(self, frame: Frame) -> None:
        if self._page is not None and frame is self._page.main_frame:
            self.main_frame_navigations += 1

    def browser_connected(self) -> bool:
        """The browser the page began in is still connected (not crashed, not replaced)."""
        browser = self._browser_at_begin
        return browser is not None and browser.is_connected()

    def _usable(self) -> bool:
        """False after a crash (the page object outlives its renderer), a closed page or a lost browser."""
        if self._page is None or self._context is None or self._crashed or self._page.is_closed():
            return False
        browser = self._context.browser
        return browser is not None and browser.is_connected()

    async def end(self, *, kept: bool) -> None:
        """After a visit: clear what the page left behind, or discard the context when the visit
        failed (or the page raised a dialog storm): anything could be left in it."""
        self._unwatch()
        if not kept or not self._usable() or self._dialogs > DIALOG_STORM:
            await self.close()
            return
        try:
            async with asyncio.timeout(10):
                await self._clear()
        except (PlaywrightError, TimeoutError):
            await self.close()

    async def resize(self, width: int, height: int) -> None:
        """Through the tab's own CDP session: Playwright's `set_viewport_size` also resizes the
        headless window (`Browser.setWindowBounds`), which on 60 portal pages made the resize and
        its restore cost 13–40 ms more Chromium CPU per page for the same layout."""
        await self._emulate_size(width, height)
        self._resized = True

    async def _emulate_size(self, width: int, height: int) -> None:
        assert self._cdp is not None
        await self._cdp.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "screenWidth": width, "screenHeight": height,
            "deviceScaleFactor": 1, "mobile": False})

    async def no_js_page(self) -> EnginePage:
        """The worker's JavaScript-off page (opened on first use, kept like the tab). Its next
        navigation to the page's URL is answered with the document the load received, instead of
        a second request to the server (its subresources still load as usual)."""
        if self._no_js is None:
            self._no_js = _NoJsTab(self._pool, self._options)
        page = await self._no_js.page()
        self._no_js.served = await self._served_document()
        return cast(EnginePage, page)

    def discard_no_js(self) -> None:
        """The JavaScript-off render failed: open a fresh one for the next page."""
        if self._no_js is not None:
            self._no_js.discard()

    async def close(self) -> None:
        self._unwatch()
        context, self._context, self._page, self._cdp = self._context, None, None, None
        if context is not None:
            await _close_context(self._pool, context)
        if self._no_js is not None:
            await self._no_js.close()

    async def _renew(self) -> None:
        await self.close()
        width, height = self._options.viewport
        context = await self._pool.new_context(viewport={"width": width, "height": height},
                                               user_agent=self._options.user_agent, service_workers="block")
        try:
            await contain_popups(context)
            await self._prepare(cast(Any, context))
            page = await context.new_page()
            page.on("dialog", self._on_dialog)
            page.on("crash", self._on_crash)
            cdp = await context.new_cdp_session(page)
            guard = NavigationGuard()
            await guard.attach(cdp)
            cdp.on("Network.requestWillBeSent", self._document_requested)
            cdp.on("Network.responseReceived", self._document_answered)
            cdp.on("Network.loadingFailed", self._document_failed)
            recorder = NetworkRecorder()
            await recorder.attach(cdp)
            await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        except BaseException:
            await _close_context(self._pool, context)
            raise
        self._context, self._page, self._cdp = context, page, cdp
        self.guard, self.recorder = guard, recorder
        self._pages = 0
        self._crashed = False
        self._resized = False
        self.contexts_opened += 1

    def _on_crash(self, page: Page) -> None:
        self._crashed = True

    def _on_dialog(self, dialog: Dialog) -> None:
        self._dialogs += 1
        asyncio.ensure_future(_dismiss(dialog))

    async def _clear(self) -> None:
        """Each step's CDP calls go out together (they are independent): one round trip per step,
        not one per origin and frame. The HTTP cache needs no clearing: it is disabled."""
        assert self._page is not None and self._context is not None and self._cdp is not None
        origins = origins_of([self._page.url, *(f.url for f in self._page.frames),
                              *(r.url for r in self.recorder.requests())])
        # Session storage lives with the tab, not with the origin's storage: each frame clears its
        # own while it is still there.
        await asyncio.gather(*(_clear_session(frame) for frame in self._page.frames))
        await self._page.goto("about:blank")
        cdp = self._cdp
        await asyncio.gather(
            *(cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": _STORAGE_TYPES})
              for origin in origins),
            self._context.clear_cookies(),
            *([self._no_js.clear()] if self._no_js is not None else []))


async def _clear_session(frame: Frame) -> None:
    try:
        await frame.evaluate(_CLEAR_SESSION)
    except PlaywrightError:
        pass  # a frame gone meanwhile took its storage with it


class _Document:
    """The request that brought the page's document and its answer, its body read from the
    browser at most once: the source gatherer parses it and the JavaScript-off render is served it."""

    def __init__(self, cdp: CDPSession | None, request_id: str, method: str) -> None:
        self._cdp, self.request_id, self.method = cdp, request_id, method
        self.url = ""
        self.status: int | None = None
        self.headers: list[dict[str, str]] = []  # CDP's [{name, value}]
        self._body: bytes | None = None

    def answered(self, response: dict[str, Any]) -> None:
        self.url, self.status = response["url"], response["status"]
        # CDP joins a repeated header's values with newlines (Network.Headers): one entry each.
        self.headers = [{"name": name, "value": value} for name, values in response.get("headers", {}).items()
                        for value in str(values).split("\n")]

    async def body(self) -> bytes | None:
        """None when the browser kept no body (the request failed, or it was over its buffer)."""
        if self._body is None and self._cdp is not None and self.status is not None:
            try:
                answer = await self._cdp.send("Network.getResponseBody", {"requestId": self.request_id})
            except PlaywrightError:
                return None
            self._body = response_body(answer)
        return self._body


@dataclass(frozen=True, slots=True)
class ServedDocument:
    """A document already received, as the server sent it but for its transfer encoding."""

    url: str
    status: int
    headers: list[dict[str, str]]  # CDP's [{name, value}], repeated headers kept
    body: bytes


#: Headers that describe the bytes on the wire, not the decoded body a ServedDocument holds.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class _NoJsTab:
    def __init__(self, pool: BrowserPool, options: TabOptions) -> None:
        self._pool, self._options = pool, options
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._cdp: CDPSession | None = None
        self._main_frame: str | None = None
        self.served: ServedDocument | None = None
        self._used = False  # since its cookies were last cleared

    async def page(self) -> Page:
        if self._page is None or self._page.is_closed():
            await self.close()
            width, height = self._options.viewport
            context = await self._pool.new_context(
                java_script_enabled=False, viewport={"width": width, "height": height},
                user_agent=self._options.user_agent, service_workers="block")
            try:
                page = await context.new_page()
                cdp = await context.new_cdp_session(page)
                await cdp.send("Network.enable")
                await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                await cdp.send("Network.setBlockedURLs", {"urls": MEDIA_PATTERNS})
                tree = await cdp.send("Page.getFrameTree")
                cdp.on("Fetch.requestPaused", lambda event: asyncio.ensure_future(self._answer(event)))
                await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "resourceType": "Document",
                                                              "requestStage": "Request"}]})
            except BaseException:
                await _close_context(self._pool, context)
                raise
            self._context, self._page, self._cdp = context, page, cdp
            self._main_frame = tree["frameTree"]["frame"]["id"]
        self._used = True
        return self._page

    async def _answer(self, event: dict[str, Any]) -> None:
        """The main frame's request for the served document gets it; any other goes to the network."""
        cdp, served = self._cdp, self.served
        if cdp is None:
            return
        request_id = event["requestId"]
        if (served is not None and event.get("frameId") == self._main_frame
                and event["request"]["url"] == urldefrag(served.url).url):
            self.served = None  # once: a reload or a later visit asks the server
            try:
                await cdp.send("Fetch.fulfillRequest", {
                    "requestId": request_id, "responseCode": served.status,
                    "responseHeaders": [h for h in served.headers if h["name"].lower() not in _TRANSFER_HEADERS],
                    "body": base64.b64encode(served.body).decode("ascii")})
                return
            except PlaywrightError:
                pass  # refused (the session closed, or a header CDP will not take): the server answers
        try:
            await cdp.send("Fetch.continueRequest", {"requestId": request_id})
        except PlaywrightError:
            pass  # the page or its session closed meanwhile

    def discard(self) -> None:
        page, self._page = self._page, None
        if page is not None and self._context is not None:
            context, self._context = self._context, None
            asyncio.ensure_future(_close_context(self._pool, context))

    async def clear(self) -> None:
        """Most pages are rendered without JavaScript in a frame of their own (gather/no_js.py):
        only a page this tab was given can have left a cookie in it."""
        if self._context is not None and self._used:
            await self._context.clear_cookies()
            self._used = False

    async def close(self) -> None:
        context, self._context, self._page = self._context, None, None
        if context is not None:
            await _close_context(self._pool, context)


async def _load(page: Page, url: str, timeout: float, broken: asyncio.Future[str]) -> Response | None:
    """page.goto, ended at once with the document's network error when `broken` gets one."""
    navigation = asyncio.ensure_future(page.goto(url, wait_until="load", timeout=timeout * 1000))
    try:
        either: set[asyncio.Future[Any]] = {navigation, broken}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if not navigation.done():
            navigation.cancel()
            raise PlaywrightError(f"net::{broken.result().removeprefix('net::')}")
        return navigation.result()
    finally:
        if not navigation.done():
            navigation.cancel()


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


async def _dismiss(dialog: Dialog) -> None:
    try:
        await dialog.dismiss()
    except PlaywrightError:
        pass  # the page went away with its dialog


async def _close_context(pool: BrowserPool, context: BrowserContext) -> None:
    browser = context.browser
    try:
        async with asyncio.timeout(5):
            await context.close()
    except (PlaywrightError, TimeoutError):
        await pool.replace_if(browser)  # a browser that cannot close a context is hung

