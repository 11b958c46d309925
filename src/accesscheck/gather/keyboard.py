"""The keyboard walk: press Tab through the live page as a keyboard user does, and record what
happens so a person can repeat it (the order of stops, each with its box and what it showed).

How, in order (see docs in README, "Interaction probes"):
1. Before navigation an init script notes every element that gets a click/mouse listener
   (`addEventListener` is wrapped), so "acts on click but never takes focus" (2.1.1) is seen
   even when the handler is not an `onclick` attribute.
2. After load a recorder is installed: the style of every focusable element unfocused; a
   `focusin` listener that logs each stop; a `keydown` listener that, just before focus moves on,
   reads the stop's focused style and whether fixed or sticky content covers it (2.4.11).
3. Tab is pressed up to MAX_STOPS times: first as often as the page has tab stops (and two more:
   out of the page, and to see that focus left it), then READ_EVERY presses at a time, the log read
   after each batch. The walk ends when focus leaves the page, at the limit, or when it returns
   to a stop without having left the page (a cycle). A cycle is then tested with Shift+Tab and
   with Escape: focus that escapes neither is a keyboard trap (2.1.2).
4. Stops whose own and pseudo-element styles did not change on focus are pixel-checked: a
   clipped screenshot of the element's area focused and unfocused (at most PIXEL_CHECKS stops).
   No pixel changing means no visible focus indicator (2.4.7).
"""

from __future__ import annotations

import io
from typing import Any

from accesscheck.engine import CdpSession, Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.js import ELEMENT_PATH, LISTENS_TO, OWN_LISTENER, WATCH_LISTENERS
from accesscheck.engine.keys import open_keyboard, press

MAX_STOPS = 100          # Tab presses at most: enough for a page's header, main content and footer
READ_EVERY = 10          # presses between two reads of the log
PIXEL_CHECKS = 8         # stops pixel-checked at most (two small screenshots each)
FOCUS_MARGIN_PX = 8      # around the element: outlines and shadows are drawn outside the box
PIXEL_TOLERANCE = 16     # a channel difference below this is antialiasing noise, not an indicator

#: Event kinds whose listeners or handler properties make an element act on a pointer (2.1.1).
_CLICK_KINDS = ["click", "mousedown", "mouseup", "pointerdown", "pointerup", "dblclick"]

_FOCUSABLE = ("a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, "
              "[tabindex], [contenteditable=''], [contenteditable=true], audio[controls], video[controls]")

# How many elements of the page the Tab key can reach (visible, enabled, tabindex >= 0), frames
# left out: focus going into a frame does not always reach the page's own listeners.
_TABBABLE = """(focusable) => [...document.querySelectorAll(focusable)].filter((el) => el.tabIndex >= 0
  && !/^(IFRAME|FRAME|OBJECT|EMBED)$/.test(el.tagName)
  && !el.disabled && !el.closest('[inert]') && el.getClientRects().length > 0
  && getComputedStyle(el).visibility === 'visible').length"""

# The words of a skip link ("Skip to main content", "Aller au contenu", "Zum Inhalt springen" ...).
_SKIP_WORDS = (r"skip|jump|main content|content|saltar|ir al|contenido|aller au|passer|contenu|inhalt|"
               r"springen|naar de|inhoud|neidio|cynnwys|salta|contenuto|conteúdo")

_INSTALL = """([focusable, maxCandidates]) => {
  const key = Symbol.for('accesscheck.walk');
  if (window[key]) return window[key].log.length;
  const props = ['outline-style', 'outline-width', 'outline-color', 'outline-offset', 'box-shadow',
    'border-top-color', 'border-bottom-color', 'border-left-color', 'border-right-color',
    'border-top-width', 'border-bottom-width', 'background-color', 'background-image', 'color',
    'text-decoration-line', 'text-decoration-color', 'transform', 'opacity', 'filter'];
  const look = (el) => { const out = [];
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo), noOutline = s.outlineStyle === 'none';
      // With no outline drawn its width, colour and offset change nothing on screen.
      for (const p of props) out.push(noOutline && p.startsWith('outline') ? '' : s.getPropertyValue(p)); }
    return out.join('|'); };
  const unfocused = new Map();
  for (const el of [...document.querySelectorAll(focusable)].slice(0, maxCandidates)) unfocused.set(el, look(el));
  const stops = [], log = [];
  const deep = () => { let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el; };
  const pinned = (el) => { for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const p = getComputedStyle(e).position; if (p === 'fixed' || p === 'sticky') return e; }
    return null; };
  const covered = (el) => {
    const r = el.getBoundingClientRect(), w = innerWidth, h = innerHeight;
    const x0 = Math.max(r.left, 0), x1 = Math.min(r.right, w), y0 = Math.max(r.top, 0), y1 = Math.min(r.bottom, h);
    if (x1 - x0 < 1 || y1 - y0 < 1) return 'offscreen';
    let hidden = 0, total = 0;
    for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
      const top = document.elementFromPoint(x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy); total++;
      if (!top || top === el || el.contains(top) || top.contains(el)) continue;
      const cover = pinned(top); if (cover && !cover.contains(el)) hidden++; }
    return hidden === total ? 'covered' : (hidden ? 'partly' : 'clear');
  };
  const state = {stops, log, unfocused, look, covered, pinned, focused: new Map(), seen: new Map(), navigations: []};
  window[key] = state;
  // A focus handler that navigates would take the page away from the other probes: cancelled, noted.
  if (window.navigation) navigation.addEventListener('navigate', (e) => {
    state.navigations.push(e.destination.url.slice(0, 300)); if (e.cancelable) e.preventDefault(); });
  const listen = %s;
  listen.call(document, 'focusin', () => { const el = deep();
    if (!el || el === document.body) return;
    let i = stops.indexOf(el); if (i < 0) { stops.push(el); i = stops.length - 1; }
    log.push(i); }, true);
  // Focus that left the page (for the browser's own controls) is seen at the next key press: the
  // page still gets the key, with nothing focused. (A `focusout` would also fire on a script blur.)
  listen.call(window, 'keydown', (e) => { if (e.key !== 'Tab') return; const el = deep();
    if (!el || el === document.body || el === document.documentElement) { log.push(-1); return; }
    const i = stops.indexOf(el); if (i < 0 || state.focused.has(i)) return;
    state.focused.set(i, look(el)); state.seen.set(i, covered(el)); }, true);
  return 0;
}""" % OWN_LISTENER

# The log since `start`: stop indexes, -1 when focus left the page; the frame flag tells Python
# that repeated visits to one iframe are stops inside it, not a cycle.
_READ_LOG = """(start) => { const s = window[Symbol.for('accesscheck.walk')];
  return s ? s.log.slice(start).map((i) => i < 0 ? [-1, false] : [i, /^(IFRAME|FRAME|OBJECT|EMBED)$/.test(s.stops[i].tagName)]) : null; }"""

_FINISH = """([maxClickOnly, focusableSel, skipPattern, clickKinds]) => {
  const skipWords = new RegExp(skipPattern, 'i');
  const s = window[Symbol.for('accesscheck.walk')];
  const path = %s, listensTo = %s;
  const text = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.title || el.alt || '')
                       .replace(/\\s+/g, ' ').trim().slice(0, 80);
  const deep = () => { let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el; };
  const current = deep(), ci = s.stops.indexOf(current);
  if (ci >= 0 && !s.focused.has(ci)) { s.focused.set(ci, s.look(current)); s.seen.set(ci, s.covered(current)); }
  const stops = s.stops.map((el, i) => { const r = el.getBoundingClientRect();
    const before = s.unfocused.get(el), after = s.focused.get(i);
    return {selector: path(el), tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '',
            text: text(el), html: el.outerHTML.slice(0, 200),
            box: [Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)],
            tabindex: el.hasAttribute('tabindex') ? el.tabIndex : null, pinned: !!s.pinned(el),
            style_changed: before === undefined || after === undefined ? null : before !== after,
            view: s.seen.get(i) || null,
            in_dialog: !!el.closest('dialog, [role=dialog], [role=alertdialog], [aria-modal=true]'),
            href: el.tagName === 'A' ? (el.getAttribute('href') || '') : ''}; });
  // An in-page link among the first stops is a skip link; does its target exist?
  const skip = stops.slice(0, 2).map((st, i) => [st, s.stops[i]]).filter(([st]) => /^#./.test(st.href) && skipWords.test(st.text))
    .map(([st, el]) => { let id = st.href.slice(1); try { id = decodeURIComponent(id); } catch (e) {}
      const target = document.getElementById(id) || document.getElementsByName(id)[0];
      return {selector: st.selector, text: st.text, href: st.href, target_found: !!target}; });
  // Elements that act on click but are neither focusable nor inside/around something focusable.
  const clickOnly = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (clickOnly.length >= maxClickOnly) break;
    if (!listensTo(el, clickKinds)) continue;
    if (el.matches(focusableSel + ', label, option, html, body') || el.closest('label')) continue;
    if (el.querySelector(focusableSel) || (el.parentElement && el.parentElement.closest(focusableSel))) continue;
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    if (r.width < 2 || r.height < 2 || st.visibility === 'hidden' || el.closest('[hidden], [inert]')) continue;
    if (!(el.innerText || '').trim() && !el.querySelector('img, svg') && st.backgroundImage === 'none') continue;
    clickOnly.push({selector: path(el), html: el.outerHTML.slice(0, 200), role: el.getAttribute('role') || '',
                    text: text(el), how: el.hasAttribute('onclick') ? 'onclick attribute' : 'click listener'});
  }
  const positive = [...document.querySelectorAll('[tabindex]')].filter((el) => el.tabIndex > 0).slice(0, 20)
    .map((el) => ({selector: path(el), tabindex: el.tabIndex, html: el.outerHTML.slice(0, 200)}));
  return {stops, skip_links: skip, click_only: clickOnly, positive_tabindex: positive, navigations_cancelled: s.navigations};
}""" % (ELEMENT_PATH, LISTENS_TO)

# Focus a stop again by script (after keyboard use Chromium keeps :focus-visible) and return the
# clip around it in viewport coordinates; `blur` takes it away again.
_FOCUS_AREA = """([i, margin]) => { const el = window[Symbol.for('accesscheck.walk')].stops[i];
  el.focus(); const r = el.getBoundingClientRect();
  const x = Math.max(0, r.left - margin), y = Math.max(0, r.top - margin);
  const w = Math.min(innerWidth, r.right + margin) - x, h = Math.min(innerHeight, r.bottom + margin) - y;
  return w >= 1 && h >= 1 ? {x, y, width: w, height: h} : null; }"""
_BLUR = """(i) => new Promise((done) => { window[Symbol.for('accesscheck.walk')].stops[i].blur();
  requestAnimationFrame(() => requestAnimationFrame(done)); })"""


class KeyboardGatherer:
    async def prepare(self, context: Context) -> None:
        await context.add_init_script(WATCH_LISTENERS)

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        return await walk(page)


async def walk(page: Page) -> dict[str, Any]:
    keyboard = await open_keyboard(page)
    try:
        return await _walk(page, keyboard)
    finally:
        await keyboard.detach()


async def _walk(page: Page, keyboard: CdpSession) -> dict[str, Any]:
    await page.evaluate(_INSTALL, [_FOCUSABLE, 2000])
    tabbable = await page.evaluate(_TABBABLE, _FOCUSABLE)
    # One press from the page to the first stop per stop, one out of the page and one to see that
    # focus left it: on most pages the whole walk is one batch and one read of the log.
    order, ended = await _press_until_done(page, keyboard, "Tab", MAX_STOPS, first_batch=tabbable + 2)
    trap = None
    if ended == "cycle" and order.index(order[-1]) == 0 and len(set(order)) >= tabbable:
        # Round every tab stop of the page back to the first: focus is held by no part of the page,
        # so nothing is trapped (2.1.2 is about a component that keeps focus). Chromium itself does
        # this in a reused tab: Tab from the last stop can wrap straight to the first instead of
        # passing through the browser's own controls (seen on the demo's /services/bins.html in a
        # full crawl, never when the page is scanned alone).
        ended = "wrapped"
    if ended == "cycle":
        trap = await _test_escape(page, keyboard, order)
    if ended == "page replaced itself":
        return {"order": order, "ended": ended, "trap": None, "stops": [], "skip_links": [], "click_only": [],
                "positive_tabindex": [], "navigations_cancelled": [], "presses": len(order), "limit": MAX_STOPS}
    result = await page.evaluate(_FINISH, [30, _FOCUSABLE, _SKIP_WORDS, _CLICK_KINDS])
    result.update(order=order, ended=ended, trap=trap, presses=len(order), limit=MAX_STOPS)
    await _pixel_check(page, result["stops"])
    return result


async def _press_until_done(page: Page, keyboard: CdpSession, key: str, limit: int,
                            start: int | None = None, first_batch: int = READ_EVERY) -> tuple[list[int], str]:
    """Press `key` until focus leaves the page (-1 in the log), a stop repeats, or `limit`: in
    batches, `first_batch` presses and then READ_EVERY, the log read after each."""
    read_from = start if start is not None else 0
    order: list[int] = []
    seen: set[int] = set()
    presses = 0
    while presses < limit:
        batch = min(first_batch if presses == 0 else READ_EVERY, limit - presses)
        await press(keyboard, [key] * batch)
        presses += batch
        entries = await page.evaluate(_READ_LOG, read_from)
        if entries is None:
            return order, "page replaced itself"
        read_from += len(entries)
        for index, in_frame in entries:
            if index < 0:
                if order:
                    return order, "left page"
                continue  # the first press, from the page itself
            if order and order[-1] == index and in_frame:
                continue  # Tab moving inside an iframe
            if index in seen:
                order.append(index)
                return order, "cycle"
            seen.add(index)
            order.append(index)
    return order, "limit"


async def _test_escape(page: Page, keyboard: CdpSession, order: list[int]) -> dict[str, Any]:
    """Focus went round a cycle without leaving the page: can Shift+Tab or Escape get it out?"""
    first = order.index(order[-1])
    cycle = set(order[first:])
    log_length = await page.evaluate("() => window[Symbol.for('accesscheck.walk')].log.length")
    back, ended = await _press_until_done(page, keyboard, "Shift+Tab", len(cycle) + 2, log_length)
    tried = ["Tab", "Shift+Tab"]
    if ended == "left page" or any(i not in cycle for i in back):
        return {"stops": sorted(cycle), "escaped_by": "Shift+Tab", "tried": tried}
    await press(keyboard, ["Escape"])
    tried.append("Escape")
    log_length = await page.evaluate("() => window[Symbol.for('accesscheck.walk')].log.length")
    after, ended = await _press_until_done(page, keyboard, "Tab", len(cycle) + 2, log_length)
    escaped = ended == "left page" or any(i not in cycle for i in after)
    return {"stops": sorted(cycle), "escaped_by": "Escape" if escaped else None, "tried": tried}


async def _pixel_check(page: Page, stops: list[dict[str, Any]]) -> None:
    """Screenshot the stops whose style did not change; `pixels_changed` is set on those checked."""
    from PIL import Image, ImageChops

    checked = 0
    for i, stop in enumerate(stops):
        if stop["style_changed"] is not False or stop["tag"] in ("iframe", "frame", "object", "embed"):
            continue
        if checked >= PIXEL_CHECKS:
            stop["pixels_changed"] = None  # suspect, not checked: over the limit
            continue
        checked += 1
        clip = await page.evaluate(_FOCUS_AREA, [i, FOCUS_MARGIN_PX])
        if clip is None:
            stop["pixels_changed"] = None
            stop["view"] = "offscreen"
            continue
        focused = await page.screenshot(clip=clip)
        await page.evaluate(_BLUR, i)
        unfocused = await page.screenshot(clip=clip)
        diff = ImageChops.difference(Image.open(io.BytesIO(focused)).convert("RGB"),
                                     Image.open(io.BytesIO(unfocused)).convert("RGB"))
        mask = diff.convert("L").point(lambda v: 255 if v >= PIXEL_TOLERANCE else 0)
        stop["pixels_changed"] = int(mask.histogram()[255])
        stop["clip"] = [round(clip["x"]), round(clip["y"]), round(clip["width"]), round(clip["height"])]
