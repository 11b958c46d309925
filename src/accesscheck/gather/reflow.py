"""WCAG 1.4.10 Reflow probe on the page already loaded: the viewport is narrowed to 320×256 CSS px
(a desktop context at DPR 1, so this is zoom, not mobile emulation) and the layout measured.
No second load; reading the layout forces it, so no frame needs to be awaited.

Offenders are visible elements wider than the viewport that stick out of it, outside the content
WCAG exempts (tables, pre, code, canvas, svg, video, img, maps, applications) and outside local
scrollers (`overflow-x: auto|scroll`). Only the outermost offender of a nested run is reported.
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.bandwidth import load_data
from accesscheck.gather import GatherEnv

_PROBE = """([tolerance, maxOffenders]) => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const exempt = 'table, pre, code, canvas, svg, video, img, iframe, [role=application], map';
  const scroller = (el) => { for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === 'auto' || o === 'scroll') && a.getBoundingClientRect().width <= width + tolerance) return true; }
    return false; };
  const sticks = (el) => { const r = el.getBoundingClientRect();
    return r.width > width + tolerance && (r.right > width + tolerance || r.left < -tolerance); };
  // Native getter: a form's `children` can be shadowed by a field named "children".
  const childrenOf = Object.getOwnPropertyDescriptor(Element.prototype, 'children').get;
  const path = (el) => { const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + CSS.escape(e.id)); break; }
      const same = e.parentElement ? [...childrenOf.call(e.parentElement)].filter((c) => c.tagName === e.tagName) : [];
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ''));
    }
    return parts.join(' > '); };
  const offenders = [];
  if (scrollWidth > width + tolerance) {
    for (const el of document.body ? document.body.querySelectorAll('*') : []) {
      if (offenders.length >= maxOffenders) break;
      if (el.closest(exempt) || !sticks(el) || scroller(el)) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.parentElement && el.parentElement !== document.body && sticks(el.parentElement)
          && !el.parentElement.closest(exempt)) continue;
      offenders.push({selector: path(el), html: el.outerHTML.slice(0, 200),
                      width: Math.round(el.getBoundingClientRect().width)});
    }
  }
  return {viewport_width: width, scroll_width: scrollWidth, offenders};
}"""


class ReflowGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        rules = load_data("budgets.toml")["reflow"]
        # It runs last, so the viewport is not restored here: the warm tab restores it before the next page.
        assert env.tab is not None, "the reflow check resizes the worker's tab"
        await env.tab.resize(rules["width"], rules["height"])
        return await page.evaluate(_PROBE, [rules["tolerance_px"], rules["max_offenders"]])
