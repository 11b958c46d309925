"""The rendered DOM: title, language, HTML, visible text and links, read in one round trip."""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Page

from accesscheck.model import Link

MAX_TEXT_CHARS = 1_000_000
MAX_LINKS = 5_000

_READ_DOM = """([maxText, maxLinks, mark]) => {
  if (mark) performance.mark(mark);  // before this read: from here on the page runs our work too
  const text = (el) => (el.innerText || el.getAttribute('aria-label') ||
                        (el.querySelector('img[alt]') || {}).alt || '').trim().slice(0, 300);
  const nodes = document.querySelectorAll('a[href], area[href], link[rel~="alternate"][hreflang]');
  const links = [];
  for (const el of nodes) {
    if (links.length >= maxLinks) break;
    const scoped = el.closest('[lang]');
    links.push({url: el.href, text: el.tagName === 'LINK' ? '' : text(el),
                rel: el.getAttribute('rel') || '', hreflang: el.getAttribute('hreflang') || '',
                lang: scoped ? scoped.getAttribute('lang') : '', tag: el.tagName.toLowerCase()});
  }
  const html = document.documentElement ? document.documentElement.outerHTML : '';
  const doctype = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>' : '';
  const nav = performance.getEntriesByType('navigation')[0];
  const timings = nav ? {ttfb_ms: nav.responseStart, dom_content_loaded_ms: nav.domContentLoadedEventEnd,
                         load_ms: nav.loadEventEnd} : {};
  return {timings, title: document.title, lang: document.documentElement.getAttribute('lang'),
          html: doctype + html, text: (document.body ? document.body.innerText : '').slice(0, maxText),
          links};
}"""


async def gather_dom(page: Page, *, mark: str | None = None) -> dict[str, Any]:
    """`mark` names a performance mark set first, in the same round trip (vitals.CHECKS_MARK)."""
    data = await page.evaluate(_READ_DOM, [MAX_TEXT_CHARS, MAX_LINKS, mark])
    data["links"] = [Link(**link) for link in data["links"] if link["url"]]
    data["html_bytes"] = len(data["html"].encode("utf-8"))
    return data
