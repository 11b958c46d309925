"""The page rendered a second time with JavaScript off, against the page as loaded with it.

GOV.UK's progressive-enhancement rule (Service Manual, "Using progressive enhancement") is the
reference: content, navigation and forms must work with HTML alone. Both renders are summarised by
the same function: the length of the main text, the navigation links, and the forms with a way to
submit (a submit control, and an action that is not `javascript:` or `#`).

The second render is the document the page's own load received (no second request to the
server), written into a frame of the loaded page that is sandboxed without scripts. For the HTML
parser of a document whose sandbox forbids scripts, scripting is disabled (HTML Living Standard,
"scripting is disabled" for a node): noscript content is shown and no script, event handler or
javascript: URL runs, as in a JavaScript-off tab. It costs no navigation, renderer process or
browser context: on 60 pages of the benchmark's portal the frame added about a sixth of the
Chromium CPU that a JavaScript-off tab navigated to each page added. Images, media and fonts are
not fetched for it (a Content-Security-Policy of its own).
Where the page refuses the frame (a Trusted Types policy forbids writing a document), the worker's
JavaScript-off tab (engine/playwright_tab.py) renders the page instead, served the same document.

A document that cannot run script (no script, noscript, event handler, javascript: URL or frame in
the source) is not rendered a second time at all: its DOM is the same either way, so the
with-JavaScript summary stands for both (`"rendered": false`).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from accesscheck.engine import ENGINE_ERRORS, Context, EngineError, Page

from accesscheck.gather import GatherEnv

#: The JavaScript-off render loads only the HTML and its stylesheets (no scripts run, no images): far
#: quicker than the page's own load, so a short limit keeps one slow server from holding the page's
#: whole budget. A frame whose stylesheets are not in by then is summarised as it is.
NO_JS_TIMEOUT_MS = 15_000

#: The summary of a document (the page's own when called without one).
SUMMARY = """(doc) => {
  doc = doc || document;  // Playwright passes null, not undefined, when there is no argument
  // Element methods taken from the prototype: a form's own properties can be shadowed by its fields.
  const attr = (el, name) => Element.prototype.getAttribute.call(el, name);
  const find = (el, selector) => Element.prototype.querySelector.call(el, selector);
  const main = doc.querySelector('main, [role=main]') || doc.body;
  const nav = doc.querySelectorAll('nav a[href], [role=navigation] a[href], header a[href]');
  const forms = [...doc.forms];
  const usable = forms.filter((f) => {
    const action = (attr(f, 'action') || '').trim().toLowerCase();
    if (action.startsWith('javascript:') || action === '#') return false;
    return !!find(f, 'button:not([type]), button[type=submit], input[type=submit], input[type=image]');
  });
  return {text_chars: main ? main.innerText.replace(/\\s+/g, ' ').trim().length : 0,
          nav_links: nav.length, forms: forms.length, forms_usable: usable.length};
}"""

#: The served document written into an off-screen frame of the page's viewport size, sandboxed
#: without scripts; allow-same-origin only lets the summary read it (a document that runs no script
#: cannot use it). The frame starts empty and the document is written into it: for a frame whose
#: sandbox forbids scripts the parser runs with scripting disabled either way, and writing costs no
#: navigation (a `srcdoc` frame's navigation to about:srcdoc took a fifth of the render's Chromium
#: CPU: 60 portal pages, 54 ms a page against 69). After `open()` the document's URL is the page's,
#: so relative URLs resolve as in the page. Images, media and fonts are not fetched again: a
#: Content-Security-Policy meta element written after the doctype (before it, the document would
#: lose its doctype and render in quirks mode) forbids them in the frame alone; a policy can only
#: add restrictions to the page's own. (It replaced two `Network.setBlockedURLs` round trips per
#: page, on and off.) The frame is removed after its summary.
IN_SANDBOXED_FRAME = """async ([html, width, height, waitMs]) => {
  const summary = %s;
  const noMedia = `<meta http-equiv="Content-Security-Policy" content="img-src 'none'; media-src 'none'; font-src 'none'">`;
  const prolog = /^\\s*(?:<!--[\\s\\S]*?-->\\s*)*(?:<!doctype[^>]*>)?/i.exec(html)[0];
  const js = summary(document);  // the page as loaded, before the frame is added to it
  const frame = Document.prototype.createElement.call(document, 'iframe');
  frame.setAttribute('sandbox', 'allow-same-origin');
  frame.setAttribute('style', `position:absolute;left:-100000px;top:0;width:${width}px;height:${height}px;border:0`);
  document.documentElement.appendChild(frame);
  try {
    const doc = frame.contentDocument;
    const loaded = new Promise((done) => { frame.addEventListener('load', done); setTimeout(done, waitMs); });
    doc.open();
    doc.write(prolog + noMedia + html.slice(prolog.length));
    doc.close();
    if (doc.readyState !== 'complete') await loaded;  // its style sheets still loading
    return {js, no_js: summary(doc)};
  } finally {
    frame.remove();
  }
}""" % SUMMARY


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
    """The sandboxed frame, or where the page refuses it the worker's JavaScript-off page (kept by
    its warm tab, navigated from page to page: a fresh context per page would cost more than the
    render itself)."""

    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        assert env.tab is not None, "the JavaScript-off render needs the worker's tab"
        source = await env.tab.document_source()
        if renders_the_same_without_js(source):
            # No script ran in the page, so its DOM is the document as sent: the same summary.
            with_js = await page.evaluate(SUMMARY)
            return {"js": with_js, "no_js": with_js, "rendered": False}
        if source is not None:
            try:
                # Both summaries in the frame's round trip.
                return {**await _in_sandboxed_frame(page, env, source), "rendered": True, "by": "sandboxed frame"}
            except FrameOutOfTime:
                raise
            except ENGINE_ERRORS:
                pass  # the page refused the frame (Trusted Types): a JavaScript-off tab renders it
        with_js = await page.evaluate(SUMMARY)
        no_js = await env.tab.no_js_page()
        try:
            await no_js.goto(env.url, wait_until="domcontentloaded", timeout=NO_JS_TIMEOUT_MS)
            return {"js": with_js, "no_js": await no_js.evaluate(SUMMARY), "rendered": True,
                    "by": "JavaScript-off tab"}
        except ENGINE_ERRORS:
            env.tab.discard_no_js()  # a fresh one for the next page
            raise


#: The page's own thread renders the frame: a page stuck in a loop would hold it forever.
FRAME_LIMIT_S = NO_JS_TIMEOUT_MS / 1000 + 5


class FrameOutOfTime(EngineError):
    """The page did not render the frame in time: a JavaScript-off tab would only wait again."""


async def _in_sandboxed_frame(page: Page, env: GatherEnv, source: str) -> dict[str, Any]:
    assert env.tab is not None
    width, height = env.viewport
    try:
        async with asyncio.timeout(FRAME_LIMIT_S):
            summary: dict[str, Any] = await page.evaluate(IN_SANDBOXED_FRAME,
                                                          [source, width, height, NO_JS_TIMEOUT_MS])
    except TimeoutError:
        raise FrameOutOfTime(f"the JavaScript-off render did not finish in {FRAME_LIMIT_S:.0f} s") from None
    return summary
