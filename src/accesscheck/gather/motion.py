"""Motion, sound and time on the live page (WCAG 2.2.2, 1.4.2, 2.2.1), and orientation (1.3.4).

    motion       one `page.evaluate`: the page's running animations (`document.getAnimations()`,
                 CSS and Web Animations) that last over 5 s, its audio and video with their
                 play state, whether any control offers to pause or stop, and the refresh it asks
                 for. By the time it runs the page has been open for the load and axe-core, so
                 media that starts on its own is playing. `<marquee>`, `<blink>` and
                 `<meta http-equiv=refresh>` are axe-core's (rules marquee, blink, meta-refresh).
    orientation  the layout measured in the visit's viewport and in the same viewport turned
                 (height × width): an element turned a quarter in one orientation only is CSS
                 holding the page in the other (F97, F100). The viewport is put back. Only
                 pages whose style sheets ask about the orientation (or cannot be read) are
                 turned: without such a query CSS lays both orientations out alike.
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.js import ELEMENT_PATH

MAX_REPORTED = 20

# Words on a control that offers to stop motion or sound, in the portal languages we ship.
_PAUSE_WORDS = (r"\b(pause|stop|mute|halt|freeze|pausa|parar|detener|silenciar|arr[eê]t|muet|"
                r"anhalten|stopp|stumm|pauze|dempen|atal|tewi|sospendi|ferma|muto)")

_MOTION = """([pauseWords, maxReported]) => {
  const path = %s;
  const pause = new RegExp(pauseWords, 'i');
  const label = (el) => [el.innerText, el.value, el.getAttribute('aria-label'), el.title].filter(Boolean).join(' ');
  const pauseControls = [...document.querySelectorAll('button, [role=button], [role=switch], input[type=button], input[type=checkbox], a[href]')]
    .filter((el) => pause.test(label(el)) && el.getClientRects().length).slice(0, 5).map(path);
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width >= 1 && r.height >= 1 && getComputedStyle(el).visibility === 'visible'; };
  const animations = [];
  for (const a of document.getAnimations()) {
    if (animations.length >= maxReported) break;
    const target = a.effect && a.effect.target;
    if (a.playState !== 'running' || !target || !target.isConnected || !shown(target)) continue;
    const t = a.effect.getComputedTiming();
    if (!(t.endTime > 5000)) continue;
    animations.push({selector: path(target), html: target.outerHTML.slice(0, 200),
                     name: a.animationName || a.transitionProperty || a.id || 'script animation',
                     iterations: t.iterations === Infinity ? 'infinite' : t.iterations,
                     duration_ms: typeof t.duration === 'number' ? Math.round(t.duration) : null,
                     end_ms: t.endTime === Infinity ? 'never' : Math.round(t.endTime)});
  }
  const media = [...document.querySelectorAll('audio, video')].slice(0, maxReported).map((m) => ({
    selector: path(m), tag: m.tagName.toLowerCase(), html: m.outerHTML.slice(0, 200),
    autoplay: m.autoplay, playing: !m.paused && !m.ended && m.currentTime > 0, muted: m.muted || m.volume === 0,
    duration_s: Number.isFinite(m.duration) ? Math.round(m.duration * 10) / 10 : (m.duration ? 'unbounded' : null),
    loop: m.loop, controls: m.controls, current_s: Math.round(m.currentTime * 10) / 10,
    audio_decoded: (m.webkitAudioDecodedByteCount || 0) > 0}));
  const refresh = [...document.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.httpEquiv.toLowerCase() === 'refresh').map((m) => m.content);
  return {animations, media, pause_controls: pauseControls, meta_refresh: refresh,
          marquee: document.querySelectorAll('marquee').length, blink: document.querySelectorAll('blink').length};
}""" % ELEMENT_PATH

# The quarter turn of html, body and the page's top-level blocks, in degrees.
_TURNS = """() => {
  const path = %s;
  const els = [document.documentElement, document.body, ...(document.body ? document.body.children : []),
               ...document.querySelectorAll('main, [role=main]')].filter(Boolean);
  return [...new Set(els)].slice(0, 60).map((el) => { const t = getComputedStyle(el).transform;
    let angle = 0;
    if (t && t !== 'none') { const m = new DOMMatrixReadOnly(t); angle = Math.round(Math.atan2(m.b, m.a) * 180 / Math.PI); }
    return {selector: path(el), angle, shown: el.getClientRects().length > 0}; });
}""" % ELEMENT_PATH


# Whether turning the viewport can change anything: some style sheet or rule asks about the
# orientation, or a sheet of another origin cannot be read to know. Most pages do neither, and
# resizing the viewport twice costs two layouts of the whole page.
_ASKS_ORIENTATION = """() => {
  const asks = (text) => /orientation|aspect-ratio/i.test(text || '');
  const walk = (list) => { for (const rule of list) {
      if (rule.media && asks(rule.media.mediaText)) return true;
      if (rule.conditionText && asks(rule.conditionText)) return true;
      if (rule.styleSheet && (asks(rule.styleSheet.media.mediaText) || sheet(rule.styleSheet))) return true;
      if (rule.cssRules && walk(rule.cssRules)) return true; }
    return false; };
  const sheet = (s) => { if (asks(s.media.mediaText)) return true;
    try { return walk(s.cssRules); } catch (e) { return true; } };
  return [...document.styleSheets].some(sheet);
}"""


class MotionGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        return await page.evaluate(_MOTION, [_PAUSE_WORDS, MAX_REPORTED])


class OrientationGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        width, height = env.viewport
        if not await page.evaluate(_ASKS_ORIENTATION):
            return {"viewports": [[width, height]], "elements": [], "turned": False}
        as_loaded = await page.evaluate(_TURNS)
        await page.set_viewport_size({"width": height, "height": width})
        try:
            turned = await page.evaluate(_TURNS)
        finally:
            await page.set_viewport_size({"width": width, "height": height})
        return {"viewports": [[width, height], [height, width]], "turned": True, "elements": [
            {"selector": a["selector"], "angles": [a["angle"], b["angle"]]}
            for a, b in zip(as_loaded, turned, strict=False) if a["selector"] == b["selector"]]}
