"""Web vitals of the unthrottled load from buffered PerformanceObservers, and the page's images
with their file and displayed sizes (for the oversized-image check).

The observers are installed before any page script runs (an init script), so nothing is missed:
FCP (`paint`), LCP (`largest-contentful-paint`, the last entry), CLS (`layout-shift` without
recent input, largest session window: 1 s gap, 5 s cap, as web-vitals defines it) and long tasks
(for total blocking time: the part of each task after FCP beyond 50 ms).
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.gather import GatherEnv

_OBSERVE = """(() => {
  const v = window.__accesscheckVitals = {fcp: null, lcp: null, lcpUrl: '', lcpTag: '', cls: 0, tasks: []};
  let session = 0, first = 0, last = 0;
  const watch = (type, fn) => { try { new PerformanceObserver((list) => list.getEntries().forEach(fn))
                                        .observe({type, buffered: true}); } catch (e) {} };
  watch('paint', (e) => { if (e.name === 'first-contentful-paint') v.fcp = e.startTime; });
  watch('largest-contentful-paint', (e) => { v.lcp = e.startTime; v.lcpUrl = e.url || '';
                                             v.lcpTag = e.element ? e.element.tagName.toLowerCase() : ''; });
  watch('layout-shift', (e) => {
    if (e.hadRecentInput) return;
    if (session && e.startTime - last < 1000 && e.startTime - first < 5000) { session += e.value; }
    else { session = e.value; first = e.startTime; }
    last = e.startTime; v.cls = Math.max(v.cls, session);
  });
  watch('longtask', (e) => v.tasks.push({start_ms: e.startTime, duration_ms: e.duration}));
})();"""

#: Chromium reports paint timings once the frame is presented, a few frames after load; wait for
#: the FCP entry this long at most (a page that never paints content has none), then 3 frames more
#: for a later LCP entry.
PAINT_WAIT_MS = 1000

_WAIT_FOR_PAINT = """(limit) => new Promise((done) => {
  const start = performance.now();
  // An image painted in the frame after the text reports its LCP entry a frame or two later still.
  const frames = (n) => n ? requestAnimationFrame(() => frames(n - 1)) : done();
  const poll = () => {
    const v = window.__accesscheckVitals;
    if (!v || v.fcp !== null || performance.now() - start > limit) { frames(3); return; }
    setTimeout(poll, 20);
  };
  poll();
})"""

_READ = """() => {
  const v = window.__accesscheckVitals || {tasks: []};
  const tbt = v.fcp === null ? null : v.tasks.reduce((sum, t) =>
      sum + Math.max(0, t.start_ms + t.duration_ms - Math.max(t.start_ms, v.fcp) - 50), 0);
  const images = [];
  for (const img of document.images) {
    const r = img.getBoundingClientRect();
    if (!img.currentSrc || !img.naturalWidth || r.width < 1 || r.height < 1) continue;
    images.push({url: img.currentSrc, natural_width: img.naturalWidth, natural_height: img.naturalHeight,
                 shown_width: Math.round(r.width), shown_height: Math.round(r.height),
                 html: img.outerHTML.slice(0, 300)});
    if (images.length >= 200) break;
  }
  return {fcp_ms: v.fcp, lcp_ms: v.lcp, lcp_url: v.lcpUrl, lcp_element: v.lcpTag,
          cls: Math.round(v.cls * 10000) / 10000, tbt_ms: tbt, long_tasks: v.tasks.slice(0, 500), images};
}"""


class VitalsGatherer:
    async def prepare(self, context: Context) -> None:
        await context.add_init_script(_OBSERVE)

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        return await read_vitals(page)


async def read_vitals(page: Page) -> dict[str, Any]:
    """The vitals of a page whose context had the observers installed (`prepare`)."""
    await page.evaluate(_WAIT_FOR_PAINT, PAINT_WAIT_MS)
    return await page.evaluate(_READ)
