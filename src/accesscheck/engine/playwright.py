"""The Playwright engine: one Chromium per scan, found on the system, replaced if it dies; each
page worker keeps a warm tab of it (engine/playwright_tab.py)."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from accesscheck.engine import Prepare, TabOptions
from accesscheck.errors import BrowserError
from accesscheck.settings import CHROMIUM_ARGS

if TYPE_CHECKING:
    from accesscheck.engine.playwright_tab import WarmTab

_SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_SYSTEM_PATHS = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium",
                 "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
#: Chromium's headless shell (Debian's chromium-headless-shell, the build Playwright itself runs for
#: headless pages): the same engine without the desktop browser around it. On 60 pages of the
#: benchmark's portal, a navigation cost its browser process 20 ms of CPU against 45 ms for the full
#: browser in headless mode, and a navigation to about:blank (every warm tab's reset) about half.
_HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
_HEADLESS_SHELL_PATHS = ("/usr/lib/chromium/chromium-headless-shell",)
INSTALL_HINT = ("install it with `apt-get install chromium-headless-shell` (Debian/Ubuntu) or set "
                "ACCESSCHECK_CHROMIUM to its path")


def find_chromium() -> str | None:
    """The browser a Playwright scan launches: ACCESSCHECK_CHROMIUM, then the headless shell, then
    the full browser (find_full_chromium); None means Playwright's own build."""
    return _configured() or _found(_HEADLESS_SHELL_NAMES, _HEADLESS_SHELL_PATHS) or find_full_chromium()


def find_full_chromium() -> str | None:
    """ACCESSCHECK_CHROMIUM, then the desktop browser in the usual system places: what a WebDriver
    session drives (Debian's chromedriver is built for it)."""
    return _configured() or _found(_SYSTEM_NAMES, _SYSTEM_PATHS)


def _configured() -> str | None:
    configured = os.environ.get("ACCESSCHECK_CHROMIUM")
    if configured and not Path(configured).is_file():
        raise BrowserError(f"ACCESSCHECK_CHROMIUM points to {configured}, which does not exist.")
    return configured or None


def _found(names: tuple[str, ...], paths: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in paths if Path(p).is_file()), None)


class BrowserPool:
    """The scan's browser. Pages get a fresh context each; a dead browser is relaunched once
    per death, under a lock, so parallel pages don't each start one."""

    def __init__(self, *, loopback_only: bool = False) -> None:
        self._args = list(CHROMIUM_ARGS)
        if loopback_only:
            # Resolve every host but loopback to nothing: a test or the demo cannot reach the internet.
            self._args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()
        self.restarts = 0
        self.version = ""
        self.name = "playwright"
        self.cannot: dict[str, str] = {}  # Chromium through CDP measures everything

    def open_tab(self, options: TabOptions, prepare: Prepare) -> WarmTab:
        """A page worker's warm tab (engine/playwright_tab.py)."""
        from accesscheck.engine.playwright_tab import WarmTab
        return WarmTab(self, options, prepare)

    async def __aenter__(self) -> BrowserPool:
        self._playwright = await async_playwright().start()
        await self._launch()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._browser is not None:
            try:
                async with asyncio.timeout(10):
                    await self._browser.close()
            except (PlaywrightError, TimeoutError):
                pass
        if self._playwright is not None:
            await self._playwright.stop()

    async def _launch(self) -> None:
        assert self._playwright is not None
        executable = find_chromium()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=executable, headless=True, args=self._args)
        except PlaywrightError as exc:
            if executable is None:
                raise BrowserError(f"No Chromium was found: {INSTALL_HINT}.") from None
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BrowserError(f"Chromium at {executable} would not start ({first_line}).") from None
        self.version = self._browser.version

    async def new_context(self, **options: Any) -> BrowserContext:
        """A fresh, isolated context (own cache, cookies, storage): every page is a cold load."""
        browser = await self._live_browser()
        try:
            return await browser.new_context(**options)
        except PlaywrightError:
            browser = await self._live_browser(force=browser)
            return await browser.new_context(**options)

    async def _live_browser(self, force: Browser | None = None) -> Browser:
        async with self._lock:
            if self._browser is None or not self._browser.is_connected() or self._browser is force:
                await self.restart()
            assert self._browser is not None
            return self._browser

    async def restart(self) -> None:
        """Replace a crashed or hung browser; pages in flight on the old one fail, the scan goes on."""
        old, self._browser = self._browser, None
        if old is not None:
            try:
                async with asyncio.timeout(5):
                    await old.close()
            except (PlaywrightError, TimeoutError):
                pass
        self.restarts += 1
        await self._launch()

    async def replace_if(self, browser: Browser | None) -> None:
        """Restart only if `browser` is still the current one (another page may have done it)."""
        async with self._lock:
            if browser is not None and browser is self._browser:
                await self.restart()

    async def default_user_agent(self) -> str:
        context = await self.new_context()
        try:
            page = await context.new_page()
            return await page.evaluate("navigator.userAgent")
        finally:
            await context.close()
