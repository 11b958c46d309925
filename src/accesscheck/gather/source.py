"""The document as the server sent it, for the HTML parser of the 4.1.1 check.

The rendered DOM (`PageSnapshot.html`) is re-serialised by the browser, so unclosed or misnested
elements no longer show there; only the bytes of the response do. They are read from the
navigation response the browser already received (a passive listener: no second request).
"""

from __future__ import annotations

import weakref

from playwright.async_api import BrowserContext, Page, Response

from accesscheck.gather import GatherEnv

MAX_SOURCE_CHARS = 2_000_000  # a page larger than this is parsed from its first 2 MB


class SourceGatherer:
    def __init__(self) -> None:
        self._documents: weakref.WeakKeyDictionary[BrowserContext, Response] = weakref.WeakKeyDictionary()

    async def prepare(self, context: BrowserContext) -> None:
        def remember(response: Response) -> None:
            if response.request.is_navigation_request() and response.frame.parent_frame is None:
                self._documents[context] = response
        context.on("response", remember)

    async def collect(self, page: Page, env: GatherEnv) -> str | None:
        response = self._documents.pop(page.context, None)
        if response is None:
            return None
        document = env.document if env.document is not None and env.document.response is response else None
        body = await document.body() if document is not None else await response.body()
        return body.decode("utf-8", errors="replace")[:MAX_SOURCE_CHARS]
