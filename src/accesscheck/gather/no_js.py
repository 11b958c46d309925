"""The page rendered a second time with JavaScript off, against the page as loaded with it.

GOV.UK's progressive-enhancement rule (Service Manual, "Using progressive enhancement") is the
reference: content, navigation and forms must work with HTML alone. The JavaScript-off context is
the worker's, kept from page to page like its tab (cookies cleared between pages; no script runs in it);
with Playwright it is served the document the page's own load already received (engine/playwright_tab.py).
Both renders are summarised by the same function: the length of the main text, the navigation links, and the forms with a way to
submit (a submit control, and an action that is not `javascript:` or `#`). A document that cannot run
script (no script, noscript, event handler, javascript: URL or frame in the source) is not rendered a
second time: its DOM is the same either way, so the with-JavaScript summary stands for both
(`"rendered": false`); the second render costs as much CPU as the page's own load.
"""

from __future__ import annotations

import re
from typing import Any

from accesscheck.engine import ENGINE_ERRORS, Context, Page

from accesscheck.gather import GatherEnv

#: The JavaScript-off render loads only the HTML (no scripts run, no images): far quicker than the
#: page's own load, so a short limit keeps one slow server from holding the page's whole budget.
NO_JS_TIMEOUT_MS = 15_000

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


#: What in a document could run script or change its DOM from outside: script elements, noscript
#: (shown only with JavaScript off), event-handler attributes, javascript: URLs, and frames or
#: embedded documents (a same-origin frame's script can rewrite its parent). A document with none of
#: them renders the same with JavaScript off, so its second render is not needed. Deliberately
#: broad: a false match only costs the render, a missed one would report a wrong result.
#: An attribute name may follow whitespace, a slash or a closing quote (`<img/onerror=...>`,
#: `src="x"onerror=...` are handlers to the HTML tokenizer).
MAY_RUN_SCRIPT = re.compile(r"<\s*(?:script|noscript|iframe|frame|object|embed)\b|javascript:|[\s/\"']on[a-z]+\s*=",
                            re.IGNORECASE)


def renders_the_same_without_js(source: str | None) -> bool:
    """True when the document as sent cannot run script (nothing MAY_RUN_SCRIPT matches)."""
    return source is not None and MAY_RUN_SCRIPT.search(source) is None


class NoJsGatherer:
    """The worker's JavaScript-off page (kept by its warm tab), navigated from page to page: a
    fresh context and renderer for every page would cost more than the render itself."""

    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        with_js = await page.evaluate(SUMMARY)
        assert env.tab is not None, "the JavaScript-off render needs the worker's tab"
        if renders_the_same_without_js(await env.tab.document_source()):
            # No script ran in the page, so its DOM is the document as sent: the same summary.
            return {"js": with_js, "no_js": with_js, "rendered": False}
        no_js = await env.tab.no_js_page()
        try:
            await no_js.goto(env.url, wait_until="domcontentloaded", timeout=NO_JS_TIMEOUT_MS)
            return {"js": with_js, "no_js": await no_js.evaluate(SUMMARY), "rendered": True}
        except ENGINE_ERRORS:
            env.tab.discard_no_js()  # a fresh one for the next page
            raise
