"""The page rendered a second time with JavaScript off, against the page as loaded with it.

GOV.UK's progressive-enhancement rule (Service Manual, "Using progressive enhancement") is the
reference: content, navigation and forms must work with HTML alone. The JavaScript-off context is
shared by the pages of a scan (it keeps cookies from one render to the next; no script runs in it). Both renders are summarised by
the same function: the length of the main text, the navigation links, and the forms with a way to
submit (a submit control, and an action that is not `javascript:` or `#`).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from accesscheck.gather import GatherEnv

#: The JavaScript-off render loads only the HTML (no scripts run, no images): far quicker than the
#: page's own load, so a short limit keeps one slow server from holding the page's whole budget.
NO_JS_TIMEOUT_MS = 15_000
BLOCKED = [f"*.{ext}*" for ext in ("png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "woff", "woff2",
                                    "ttf", "otf", "mp4", "webm", "mp3", "ogg")]

SUMMARY = """() => {
  // Element methods taken from the prototype: a form's own properties can be shadowed by its fields.
  const attr = (el, name) => Element.prototype.getAttribute.call(el, name);
  const find = (el, selector) => Element.prototype.querySelector.call(el, selector);
  const main = document.querySelector('main, [role=main]') || document.body;
  const nav = document.querySelectorAll('nav a[href], [role=navigation] a[href], header a[href]');
  const forms = [...document.forms];
  const usable = forms.filter((f) => {
    const action = (attr(f, 'action') || '').trim().toLowerCase();
    if (action.startsWith('javascript:') || action === '#') return false;
    return !!find(f, 'button:not([type]), button[type=submit], input[type=submit], input[type=image]');
  });
  return {text_chars: main ? main.innerText.replace(/\\s+/g, ' ').trim().length : 0,
          nav_links: nav.length, forms: forms.length, forms_usable: usable.length};
}"""


class NoJsGatherer:
    """One JavaScript-off page per browser, navigated from page to page: a fresh context and
    renderer for every page would cost more than the render itself. Renders take turns on it."""

    def __init__(self) -> None:
        self._renderers: weakref.WeakKeyDictionary[Browser, _Renderer] = weakref.WeakKeyDictionary()

    async def prepare(self, context: BrowserContext) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        with_js = await page.evaluate(SUMMARY)
        browser = page.context.browser
        assert browser is not None
        renderer = self._renderers.get(browser)
        if renderer is None:
            renderer = self._renderers[browser] = _Renderer()
        return {"js": with_js, "no_js": await renderer.render(env)}


class _Renderer:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._page: Page | None = None

    async def render(self, env: GatherEnv) -> dict[str, Any]:
        async with self._lock:
            if self._page is None or self._page.is_closed():
                self._page = await self._open(env)
            try:
                await self._page.goto(env.url, wait_until="domcontentloaded", timeout=NO_JS_TIMEOUT_MS)
                return await self._page.evaluate(SUMMARY)
            except PlaywrightError:
                await self._page.context.close()  # a fresh one for the next page
                self._page = None
                raise

    @staticmethod
    async def _open(env: GatherEnv) -> Page:
        context = await env.pool.new_context(
            java_script_enabled=False, viewport={"width": env.viewport[0], "height": env.viewport[1]},
            user_agent=env.user_agent, service_workers="block")
        page = await context.new_page()
        # Only the HTML and CSS matter here: images, media and fonts are not fetched a second time
        # (blocked natively by CDP, no per-request round trip to Playwright).
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.setBlockedURLs", {"urls": BLOCKED})
        return page
