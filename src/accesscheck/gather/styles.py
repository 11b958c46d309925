"""Styles that lock people out, read from the live page's CSSOM and computed styles (one script,
gather/scripts.py): text spacing declared `!important` in style attributes, which a reader's own
spacing (WCAG 1.4.12) cannot override, and page rotation under an orientation media query (1.3.4).

These are the W3C ACT rules 24afc2, 9e45ec, 78fd32 (spacing) and b33eff (orientation): see
checks/styles.py for what each finding means. The script only reads; it changes nothing.
"""

from __future__ import annotations

from accesscheck.gather import GatherEnv
from accesscheck.gather.scripts import PageScript, ScriptGatherer
from accesscheck.gather.js import DOM_HELPERS

MAX_ITEMS = 200  # per kind: a page with thousands of styled elements says nothing more past this

_SCRIPT = r"""(max) => {
""" + DOM_HELPERS + r"""
  const SPACING = {"letter-spacing": 0.12, "word-spacing": 0.16, "line-height": 1.5};
  const NOT_DECLARED = new Set(["inherit", "unset", "revert", "revert-layer"]);
  const px = (value) => value === "normal" ? null : parseFloat(value);
  const lines = (text) => {
    const range = document.createRange(); range.selectNodeContents(text);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  };
  const spacing = [];
  for (const el of document.querySelectorAll("[style]")) {
    for (const [prop, ratio] of Object.entries(SPACING)) {
      if (el.style.getPropertyPriority(prop) !== "important") continue;
      if (NOT_DECLARED.has(el.style.getPropertyValue(prop).trim())) continue;
      if (!shown(el)) continue;
      const own = getComputedStyle(el).getPropertyValue(prop);
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let worst = null, texts = 0;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const parent = t.parentElement;
        if (!t.data.trim() || !parent || !shown(parent)) continue;
        const style = getComputedStyle(parent);
        if (parent !== el && style.getPropertyValue(prop) !== own) continue;  // set again below el
        if (prop === "line-height" && lines(t) < 2) continue;  // line height matters once text wraps
        texts += 1;
        const value = px(style.getPropertyValue(prop)), size = parseFloat(style.fontSize);
        const share = value === null ? (prop === "line-height" ? 1.2 : 0) : value / size;
        if (worst === null || share < worst.share) worst = {share, font_px: size, value: style.getPropertyValue(prop)};
      }
      if (!texts) continue;
      spacing.push({property: prop, declared: el.style.getPropertyValue(prop), minimum: ratio,
                    share: Math.round(worst.share * 1000) / 1000, computed: worst.value, font_px: worst.font_px,
                    selector: selectorOf(el), html: el.outerHTML.slice(0, 300)});
      if (spacing.length >= max) break;
    }
  }
  const angleOf = (transform) => {
    try { const m = new DOMMatrix(transform); return Math.atan2(m.b, m.a) * 180 / Math.PI; } catch (e) { return null; }
  };
  const rotation = (style) => {
    let angle = 0, declared = false;
    if (style.transform && style.transform !== "none") { const a = angleOf(style.transform); if (a !== null) { angle += a; declared = true; } }
    const rotate = style.rotate && style.rotate.trim();
    if (rotate && rotate !== "none" && /^[-+\d.]+(deg|rad|grad|turn)$|^z\s+[-+\d.]+(deg|rad|grad|turn)$/.test(rotate)) {
      const a = angleOf(`rotate(${rotate.replace(/^z\s+/, "")})`); if (a !== null) { angle += a; declared = true; }
    }
    return declared ? angle : null;
  };
  const rules = (list, media) => {
    const found = [];
    for (const rule of list) {
      if (rule instanceof CSSMediaRule) found.push(...rules(rule.cssRules, rule.media.mediaText));
      else if (rule instanceof CSSStyleRule) found.push({rule, media});
    }
    return found;
  };
  const all = [];
  for (const sheet of document.styleSheets) {
    try { all.push(...rules(sheet.cssRules, null)); } catch (e) { /* another origin's sheet: not readable */ }
  }
  const orientation = [];
  for (const {rule, media} of all.filter(r => r.media && /\(\s*orientation\s*:\s*(portrait|landscape)\s*\)/.test(r.media))) {
    const angle = rotation(rule.style);
    if (angle === null) continue;
    let targets = [];
    try { targets = [...document.querySelectorAll(rule.selectorText)]; } catch (e) { continue; }
    for (const el of targets) {
      if (!shown(el) || !(el.innerText || "").trim()) continue;
      const base = all.filter(r => !r.media && rotation(r.rule.style) !== null && el.matches(r.rule.selectorText)).map(r => rotation(r.rule.style));
      const turn = ((angle - (base.length ? base[base.length - 1] : 0)) % 180 + 180) % 180;
      if (Math.abs(turn - 90) < 1) {
        orientation.push({media, selector: selectorOf(el), rule: rule.cssText.slice(0, 300), degrees: Math.round(angle * 10) / 10});
      }
    }
    if (orientation.length >= max) break;
  }
  return {spacing, orientation};
}"""


class StylesGatherer(ScriptGatherer):
    def script(self, env: GatherEnv) -> PageScript:
        return PageScript(_SCRIPT, MAX_ITEMS)
