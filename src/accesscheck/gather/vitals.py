"""Web vitals of the unthrottled load from buffered PerformanceObservers, and the page's images
with their file and displayed sizes (for the oversized-image check).

The observers are installed before any page script runs (an init script), so nothing is missed:
FCP (`paint`), LCP (`largest-contentful-paint`, the last entry), CLS (`layout-shift` without
recent input, largest session window: 1 s gap, 5 s cap, as web-vitals defines it) and long tasks
(for total blocking time: the part of each task after FCP beyond 50 ms).

A visit marks the moment its own work on the page begins (CHECKS_MARK, set by the DOM read, the
first thing it does after the load); long tasks that start from then on are ours (axe-core, the
DOM read), not the page's, and are left out (a page's own task in that time is lost with them).
Layout shifts are all kept: our work moves nothing. So the vitals can be read after axe-core,
when the paints have long been reported, instead of waiting frames for them before it.
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.scripts import PageScript, ScriptGatherer, run_script

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

#: The performance mark a visit sets when its own work on the page begins.
CHECKS_MARK = "accesscheck:checks-began"

#: Chromium reports paint timings once the frame is presented, a few frames after load; wait for
#: the FCP entry this long at most after the mark (a page that never paints content has none),
#: then for a later LCP entry: 3 frames since the mark, and always one more frame and task (an
#: entry presented while our own work held the main thread is delivered after it).
PAINT_WAIT_MS = 1000

_WAIT_FOR_PAINT = """([limit, name]) => new Promise((done) => {
  const mark = performance.getEntriesByName(name)[0];
  const since = mark ? mark.startTime : performance.now();
  const frames = (n) => n ? requestAnimationFrame(() => frames(n - 1)) : setTimeout(done, 0);
  const poll = () => {
    const v = window.__accesscheckVitals;
    if (!v || v.fcp !== null || performance.now() - since > limit) {
      frames(performance.now() - since > 50 ? 1 : 3); return; }
    setTimeout(poll, 20);
  };
  poll();
})"""

_READ = """(name) => {
  const v = window.__accesscheckVitals || {tasks: []};
  const mark = performance.getEntriesByName(name)[0];
  const cutoff = mark ? mark.startTime : Infinity;
  const tasks = v.tasks.filter((t) => t.start_ms < cutoff);
  const tbt = v.fcp === null ? null : tasks.reduce((sum, t) =>
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
          cls: Math.round(v.cls * 10000) / 10000, tbt_ms: tbt, long_tasks: tasks.slice(0, 500), images};
}"""

#: One round trip: wait for the paints, then read.
_READ_AFTER_PAINT = "([limit, name]) => (%s)([limit, name]).then(() => (%s)(name))" % (_WAIT_FOR_PAINT, _READ)


class VitalsGatherer(ScriptGatherer):
    async def prepare(self, context: Context) -> None:
        await context.add_init_script(_OBSERVE)

    def script(self, env: GatherEnv) -> PageScript:
        return _VITALS


_VITALS = PageScript(_READ_AFTER_PAINT, [PAINT_WAIT_MS, CHECKS_MARK])


async def read_vitals(page: Page) -> dict[str, Any]:
    """The vitals of a page whose context had the observers installed (`prepare`)."""
    vitals: dict[str, Any] = await run_script(page, _VITALS)
    return vitals

