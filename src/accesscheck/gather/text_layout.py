"""Text that must survive a reader's own settings: WCAG 1.4.12 Text Spacing and 1.4.4 Resize Text.

Both probes work the same way, in one `page.evaluate` that leaves the page as it found it: measure
where every visible text run sits against the boxes around it, change the text, measure again,
undo the change. Text that was fully shown before and is cut off after (outside an ancestor with
`overflow: hidden|clip`) is *clipped*; text that runs out of the bottom of a block it used to fit
(overflow visible, so it lands on what follows) *spills*, which usually means overlap.

    text_spacing  WCAG's own values (1.4.12): line height 1.5, paragraphs followed by 2 em,
                  letter spacing 0.12 em, word spacing 0.16 em, as the W3C's test bookmarklet
                  applies them (a stylesheet of `!important` rules).
    text_zoom     text twice its size and nothing else (1.4.4; F69): every element's computed
                  font size, and a fixed line height with it, doubled; boxes keep their sizes.
                  This is a model of a browser's text-only zoom, not the browser's own.
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.js import ELEMENT_PATH

MAX_TEXT_NODES = 5_000
MAX_REPORTED = 20
TOLERANCE_PX = 2

#: WCAG 2.2 SC 1.4.12 (https://www.w3.org/TR/WCAG22/#text-spacing).
SPACING_CSS = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
               "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }")

_PROBE = """([mode, css, maxNodes, maxReported, tol]) => {
  const path = %s;
  const overflowOf = new Map();
  const style = (el) => { let s = overflowOf.get(el); if (!s) { const c = getComputedStyle(el);
    s = {x: c.overflowX, y: c.overflowY, display: c.display, ellipsis: c.textOverflow === 'ellipsis',
         hidden: c.visibility !== 'visible'}; overflowOf.set(el, s); } return s; };
  const cuts = (o) => o === 'hidden' || o === 'clip';
  const texts = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.data.trim() && n.parentElement && !n.parentElement.closest('script, style, noscript, template, svg, select, textarea, option')
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  while (texts.length < maxNodes && walker.nextNode()) texts.push(walker.currentNode);
  const range = document.createRange();
  // Where a text run goes past the boxes around it: the clipping ancestor it is cut by, and the
  // nearest block it runs out of the bottom of.
  const place = (node) => {
    range.selectNodeContents(node); const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || style(node.parentElement).hidden) return null;
    let clipped = null, spilled = null;
    for (let el = node.parentElement, depth = 0; el && el !== document.body && depth < 12; el = el.parentElement, depth++) {
      const s = style(el), b = el.getBoundingClientRect();
      const left = b.left + el.clientLeft, top = b.top + el.clientTop;
      const right = left + el.clientWidth, bottom = top + el.clientHeight;
      if (cuts(s.y) && (r.bottom > bottom + tol || r.top < top - tol)) { clipped = {el, axis: 'vertical'}; break; }
      if (cuts(s.x) && (r.right > right + tol || r.left < left - tol)) { clipped = {el, axis: 'horizontal', ellipsis: s.ellipsis}; break; }
      if (!spilled && !s.display.startsWith('inline') && s.display !== 'contents' && r.bottom > b.bottom + tol) spilled = {el};
    }
    return {clipped, spilled};
  };
  const before = texts.map(place);
  let undo;
  if (mode === 'spacing') {
    const sheet = document.createElement('style'); sheet.textContent = css;
    (document.head || document.documentElement).appendChild(sheet);
    undo = () => sheet.remove();
  } else {
    const els = [document.documentElement, ...(document.body ? document.body.querySelectorAll('*') : [])]
      .filter((el) => !(el instanceof SVGElement));
    const sizes = els.map((el) => { const c = getComputedStyle(el); return [parseFloat(c.fontSize), c.lineHeight]; });
    const saved = els.map((el) => el.getAttribute('style'));
    els.forEach((el, i) => { const [size, line] = sizes[i];
      el.style.setProperty('font-size', (size * 2) + 'px', 'important');
      if (line.endsWith('px')) el.style.setProperty('line-height', (parseFloat(line) * 2) + 'px', 'important'); });
    undo = () => els.forEach((el, i) => saved[i] === null ? el.removeAttribute('style') : el.setAttribute('style', saved[i]));
  }
  let after;
  try { after = texts.map(place); } finally { undo(); }
  const found = new Map();
  const add = (kind, el, node, extra) => { const key = kind + '|' + path(el);
    let f = found.get(key);
    if (!f) { if (found.size >= maxReported) return;
      f = {kind, selector: path(el), html: el.outerHTML.slice(0, 200), text: node.data.trim().slice(0, 80), runs: 0, ...extra};
      found.set(key, f); }
    f.runs++; };
  texts.forEach((node, i) => { const b = before[i], a = after[i];
    if (!b || !a || b.clipped) return;
    if (a.clipped) add('clipped', a.clipped.el, node, {axis: a.clipped.axis, ellipsis: !!a.clipped.ellipsis});
    else if (a.spilled && !b.spilled) add('spilled', a.spilled.el, node, {}); });
  return {mode, text_runs: texts.length, found: [...found.values()]};
}""" % ELEMENT_PATH


async def probe_text(page: Page, mode: str) -> dict[str, Any]:
    result = await page.evaluate(_PROBE, [mode, SPACING_CSS, MAX_TEXT_NODES, MAX_REPORTED, TOLERANCE_PX])
    result["method"] = (f"stylesheet added, measured, removed: {SPACING_CSS}" if mode == "spacing" else
                        "every element's computed font size (and a px line height) doubled inline, "
                        "measured, style attributes restored")
    return result


class TextSpacingGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        return await probe_text(page, "spacing")


class TextZoomGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        return await probe_text(page, "zoom")
