"""Text contrast over background images and gradients, measured from the pixels.

axe-core reads colours from CSS, so text over a `background-image` (a photo, a gradient) is
"needs review" for it: it cannot know the colour behind each letter. This probe looks: it makes
all text transparent, screenshots the area of each such text, and computes the WCAG contrast
between the text colour and every background pixel behind it. The *highest* of these is what W3C's
ACT rules afw4f7 (1.4.3) and 09o5cg (1.4.6) judge: when even the best pixel is too faint, the text
fails for certain; otherwise the probe says nothing (axe's "needs review" stands).

Text is left out when something the screenshot cannot account for changes how it is drawn:
opacity, filters or blend modes on the way up, a text shadow or stroke, disabled or hidden
widgets. At most MAX_TEXTS texts are measured per page, each with one clipped screenshot.
"""

from __future__ import annotations

import io
from typing import Any

from accesscheck.engine import Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.js import DOM_HELPERS

MAX_TEXTS = 20
_KEY = "Symbol.for('accesscheck.contrast')"

# Texts whose background, up to the first element with an opaque colour, holds a background image.
_FIND = r"""(max) => {
""" + DOM_HELPERS + r"""
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const clean = (style) => style.opacity === "1" && style.filter === "none" && style.mixBlendMode === "normal"
    && (style.backdropFilter || "none") === "none";
  const found = [];
  const elements = [];
  for (const el of document.body ? document.body.querySelectorAll("*") : []) {
    if (found.length >= max) break;
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.data.trim());
    if (!own.length || !shown(el) || ["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "OPTION"].includes(el.tagName)) continue;
    if (el.closest("[aria-hidden=true], [aria-disabled=true], :disabled, [inert]")) continue;
    const style = getComputedStyle(el);
    const color = parse(style.color);
    if (!color || color[3] === 0 || style.textShadow !== "none" || parseFloat(style.webkitTextStrokeWidth || "0") > 0
        || (style.webkitBackgroundClip || style.backgroundClip) === "text") continue;
    let image = null, ok = true;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (!clean(s)) { ok = false; break; }
      if (s.backgroundImage && s.backgroundImage !== "none") { image = s.backgroundImage.slice(0, 200); break; }
      const bg = parse(s.backgroundColor);
      if (bg && bg[3] === 1) break;
    }
    if (!ok || !image) continue;
    if (!textRects(own).length) continue;
    elements.push({el, own});
    found.push({selector: selectorOf(el), html: el.outerHTML.slice(0, 300), text: own.map(t => t.data.trim()).join(" ").slice(0, 120),
                color, font_px: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10) || 400, background: image});
  }
  window[""" + _KEY + r"""] = elements;
  return found;
}"""

# The text of candidate i brought into view; its box in viewport coordinates (null when empty).
_AREA = r"""(i) => {
""" + DOM_HELPERS + r"""
  const {el, own} = window[""" + _KEY + r"""][i];
  el.scrollIntoView({block: "center", inline: "nearest"});
  const rects = textRects(own);
  if (!rects.length) return null;
  const first = rects[0], hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
  if (!hit || !(hit === el || el.contains(hit) || hit.contains(el))) return null;  // covered: not measurable
  const x = Math.max(0, Math.min(...rects.map(r => r.left))), y = Math.max(0, Math.min(...rects.map(r => r.top)));
  const w = Math.min(innerWidth, Math.max(...rects.map(r => r.right))) - x;
  const h = Math.min(innerHeight, Math.max(...rects.map(r => r.bottom))) - y;
  return w >= 1 && h >= 1 ? {x, y, width: w, height: h} : null; }"""

_HIDE_TEXT = r"""(on) => { const id = "accesscheck-contrast-hide"; document.getElementById(id)?.remove();
  if (!on) return; const style = document.createElement("style"); style.id = id;
  style.textContent = "*, *::before, *::after { color: transparent !important; -webkit-text-fill-color: transparent !important;"
    + " text-decoration-color: transparent !important; text-shadow: none !important; caret-color: transparent !important;"
    + " outline-color: transparent !important; }";
  document.documentElement.appendChild(style); document.activeElement?.blur?.(); }"""


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""
    def channel(v: float) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio, (L1 + 0.05) / (L2 + 0.05)."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def contrast_range(color: list[float], png: bytes) -> tuple[float, float]:
    """(lowest, highest) contrast of the text colour, blended by its alpha over each pixel, against
    the background pixels of the screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    r, g, b, alpha = color
    ratios = []
    for _, pixel in colours:
        assert isinstance(pixel, tuple)  # an RGB image gives (r, g, b) colours
        bg = (float(pixel[0]), float(pixel[1]), float(pixel[2]))
        fg = (alpha * r + (1 - alpha) * bg[0], alpha * g + (1 - alpha) * bg[1], alpha * b + (1 - alpha) * bg[2])
        ratios.append(contrast_ratio(fg, bg))
    return (min(ratios), max(ratios)) if ratios else (0.0, 0.0)


class ContrastGatherer:
    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        texts = await page.evaluate(_FIND, MAX_TEXTS)
        if not texts:
            return {"texts": []}
        await page.evaluate(_HIDE_TEXT, True)
        try:
            for i, text in enumerate(texts):
                clip = await page.evaluate(_AREA, i)
                if clip is None:
                    text["measured"] = False
                    continue
                low, high = contrast_range(text["color"], await page.screenshot(clip=clip))
                text.update(measured=True, lowest=round(low, 2), highest=round(high, 2),
                            clip=[round(clip[k]) for k in ("x", "y", "width", "height")])
        finally:
            await page.evaluate(_HIDE_TEXT, False)
            await page.evaluate("() => window.scrollTo(0, 0)")
        return {"texts": texts}
