"""Keep the main frame on the site: a navigation to another host is stopped before it is sent.

A redirect, meta refresh or script that takes the page elsewhere would otherwise make the browser
fetch someone else's page (and its favicon) before the crawl could skip it. CDP's Fetch domain
pauses every document request, redirect hops included (Playwright's `route` does not see redirect
hops), so the guard decides on each before it leaves the browser. Only the main frame is guarded:
a page's own iframes and subresources from other hosts are part of the page and stay allowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from accesscheck.engine import ENGINE_ERRORS, CdpEvents


class NavigationGuard:
    def __init__(self, in_scope: Callable[[str], bool] = lambda url: True) -> None:
        self._in_scope = in_scope
        self._cdp: CdpEvents | None = None
        self.main_frame: str | None = None  # the CDP id of the page's main frame
        self.blocked: list[str] = []   # main-frame URLs not requested because they are out of scope

    def watch(self, in_scope: Callable[[str], bool]) -> None:
        """The next page of a kept tab: its own scope, and a new list of what was blocked."""
        self._in_scope = in_scope
        self.blocked = []

    async def attach(self, cdp: CdpEvents) -> None:
        self._cdp = cdp
        tree = await cdp.send("Page.getFrameTree")
        self.main_frame = tree["frameTree"]["frame"]["id"]
        cdp.on("Fetch.requestPaused", lambda event: asyncio.ensure_future(self._decide(event)))
        await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "resourceType": "Document",
                                                      "requestStage": "Request"}]})

    async def _decide(self, event: dict[str, Any]) -> None:
        assert self._cdp is not None
        url = event["request"]["url"]
        leaving = event.get("frameId") == self.main_frame and url.startswith("http") and not self._in_scope(url)
        try:
            if leaving:
                self.blocked.append(url)
                await self._cdp.send("Fetch.failRequest", {"requestId": event["requestId"],
                                                           "errorReason": "BlockedByClient"})
            else:
                await self._cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})
        except ENGINE_ERRORS:
            pass  # the page or its session closed meanwhile
