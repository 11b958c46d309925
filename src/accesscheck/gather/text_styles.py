"""How text looks, for the content checks that judge what markup alone cannot show.

One `page.evaluate` records two kinds of candidates with their computed style:
    text_blocks  short runs of text that stand alone in their block (possible visual headings),
                 with the font size and weight of their text and of the page's body text
    labels       the visible label of each form field, its colour and whether the field is required
The checks decide (checks/content.py); this only measures.
"""

from __future__ import annotations

from accesscheck.gather import GatherEnv
from accesscheck.gather.scripts import PageScript, ScriptGatherer

MAX_TEXT_NODES = 20_000
MAX_CANDIDATES = 300

_MEASURE = r"""([maxNodes, maxCandidates]) => {
  const path = (el) => { const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 6; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + CSS.escape(e.id)); break; }
      const same = e.parentElement ? [...e.parentElement.children].filter((c) => c.tagName === e.tagName) : [];
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ''));
    }
    return parts.join(' > '); };
  const skip = 'h1,h2,h3,h4,h5,h6,[role=heading],a,button,label,legend,caption,th,summary,option,select,'
             + 'textarea,nav,header,footer,[role=navigation],[role=banner],[role=contentinfo],[aria-hidden=true],'
             + 'script,style,noscript,template';
  const styleOf = new Map();
  const look = (el) => { let s = styleOf.get(el);
    if (!s) { const c = getComputedStyle(el);
      s = {size: parseFloat(c.fontSize) || 0, weight: parseInt(c.fontWeight, 10) || 400,
           inline: c.display.startsWith('inline'), visible: c.visibility !== 'hidden' && c.display !== 'none'};
      styleOf.set(el, s); }
    return s; };
  const blockOf = (el) => { for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (!look(e).inline) return e; }
    return document.body; };
  const sizes = new Map();
  const blocks = new Map();
  const walker = document.body ? document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT) : null;
  for (let n = walker && walker.nextNode(), count = 0; n && count < maxNodes; n = walker.nextNode(), count++) {
    const text = n.nodeValue.trim();
    const parent = n.parentElement;
    if (!text || !parent || parent.closest('script,style,noscript,template')) continue;
    const s = look(parent);
    if (!s.visible || !parent.getClientRects().length) continue;
    sizes.set(s.size, (sizes.get(s.size) || 0) + text.length);
    const block = blockOf(parent);
    let entry = blocks.get(block);
    if (!entry) { entry = {nodes: []}; blocks.set(block, entry); }
    entry.nodes.push({text, size: s.size, weight: s.weight, skipped: !!parent.closest(skip)});
  }
  let base = 0, most = -1;
  for (const [size, chars] of sizes) if (chars > most) { most = chars; base = size; }
  const textBlocks = [];
  for (const [block, entry] of blocks) {
    if (textBlocks.length >= maxCandidates) break;
    if (entry.nodes.some((n) => n.skipped) || block === document.body) continue;
    const text = entry.nodes.map((n) => n.text).join(' ').replace(/\s+/g, ' ');
    if (text.length > 120 || block.querySelector('img,input,select,textarea,button')) continue;
    let next = block.nextElementSibling;
    while (next && !(next.innerText || '').trim()) next = next.nextElementSibling;
    textBlocks.push({selector: path(block), tag: block.tagName.toLowerCase(), text,
                     size_px: Math.min(...entry.nodes.map((n) => n.size)),
                     weight: Math.min(...entry.nodes.map((n) => n.weight)),
                     next_tag: next ? next.tagName.toLowerCase() : null,
                     next_is_heading: !!(next && next.matches('h1,h2,h3,h4,h5,h6,[role=heading]'))});
  }
  const labels = [];
  for (const control of document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea')) {
    if (labels.length >= maxCandidates) break;
    for (const label of control.labels || []) {
      if (!label.getClientRects().length) continue;
      labels.push({selector: path(control), label: (label.innerText || '').trim().slice(0, 200),
                   color: getComputedStyle(label).color, form: control.form ? path(control.form) : null,
                   required: control.required || control.getAttribute('aria-required') === 'true'});
      break;
    }
  }
  return {base_size_px: base, text_blocks: textBlocks, labels};
}"""


class TextStylesGatherer(ScriptGatherer):
    def script(self, env: GatherEnv) -> PageScript:
        return PageScript(_MEASURE, [MAX_TEXT_NODES, MAX_CANDIDATES])
