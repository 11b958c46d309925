"""The document as the server sent it, for the HTML parser of the 4.1.1 check.

The rendered DOM (`PageSnapshot.html`) is re-serialised by the browser, so unclosed or misnested
elements no longer show there; only the bytes of the response do. They are read from the
navigation response the browser already received (no second request): the tab keeps it
(Tab.document_source).
"""

from __future__ import annotations

from accesscheck.engine import Context, Page
from accesscheck.gather import GatherEnv

MAX_SOURCE_CHARS = 2_000_000  # a page larger than this is parsed from its first 2 MB


class SourceGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> str | None:
        assert env.tab is not None, "the document's source is kept by the worker's tab"
        source = await env.tab.document_source()
        return None if source is None else source[:MAX_SOURCE_CHARS]
