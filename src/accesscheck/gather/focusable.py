"""Content that is focusable where it must not be, or unreachable where it must be, read from
the live page with one script (gather/scripts.py):

    aria_hidden  elements inside aria-hidden="true" that still take focus from the keyboard:
                 each candidate is focused with element.focus() and kept when it holds focus
                 (a page's focus sentinel that passes focus on does not count) — ACT 6cfa84
    frames       iframes taken out of the tab order (negative tabindex) whose same-origin
                 document holds visible content in sequential focus order — ACT akn7bn

Focusing is the only thing the script does to the page; focus is returned where it was.
"""

from __future__ import annotations

from accesscheck.gather import GatherEnv
from accesscheck.gather.scripts import PageScript, ScriptGatherer
from accesscheck.gather.js import DOM_HELPERS

MAX_ITEMS = 100

_SCRIPT = r"""(max) => {
""" + DOM_HELPERS + r"""
  const inert = (el) => !!el.closest("[inert]") ||
    [...document.querySelectorAll("dialog")].some(d => d.matches(":modal") && !d.contains(el));
  const before = document.activeElement;
  const ariaHidden = [];
  for (const el of document.querySelectorAll('[aria-hidden="true"], [aria-hidden="true"] *')) {
    if (ariaHidden.length >= max) break;
    if (el.tabIndex < 0 || inert(el)) continue;
    el.focus({preventScroll: true});
    if (document.activeElement === el) {
      ariaHidden.push({selector: selectorOf(el), html: el.outerHTML.slice(0, 300)});
      el.blur();
    }
  }
  if (before && before !== document.activeElement && before.focus) before.focus({preventScroll: true});
  const frames = [];
  for (const frame of document.querySelectorAll("iframe")) {
    if (frames.length >= max) break;
    if (!frame.hasAttribute("tabindex") || frame.tabIndex >= 0 || !shown(frame) || inert(frame)) continue;
    let doc = null;
    try { doc = frame.contentDocument; } catch (e) { continue; }  // another origin: not readable
    if (!doc || !doc.body) continue;
    const view = doc.defaultView;
    const reachable = [...doc.body.querySelectorAll("*")].filter(el => {
      if (el.tabIndex < 0 || el.disabled) return false;
      const focusable = el.matches("a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex], [contenteditable]");
      if (!focusable) return false;
      const style = view.getComputedStyle(el);
      if (style.visibility === "hidden") return false;
      return [...el.getClientRects()].some(r => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
                                                 r.left < view.innerWidth && r.top < view.innerHeight);
    });
    if (reachable.length) {
      frames.push({selector: selectorOf(frame), html: frame.outerHTML.slice(0, 300), focusable: reachable.length});
    }
  }
  return {aria_hidden: ariaHidden, frames};
}"""


class FocusableGatherer(ScriptGatherer):
    def script(self, env: GatherEnv) -> PageScript:
        return PageScript(_SCRIPT, MAX_ITEMS)
