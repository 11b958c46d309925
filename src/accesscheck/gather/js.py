"""JavaScript shared by the gatherers that point at elements in the live DOM."""

# A CSS selector a person can paste into the browser: the element's id, or up to six
# tag:nth-of-type steps from the nearest ancestor with an id. The native `children` getter is used
# because a form's `children` can be shadowed by a field named "children".
ELEMENT_PATH = """(el) => { const parts = [];
    const childrenOf = Object.getOwnPropertyDescriptor(Element.prototype, 'children').get;
    for (let e = el; e && e.nodeType === 1 && parts.length < 6; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + CSS.escape(e.id)); break; }
      const same = e.parentElement ? [...childrenOf.call(e.parentElement)].filter((c) => c.tagName === e.tagName) : [];
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ''));
    }
    return parts.join(' > '); }"""

#: selectorOf(el): ELEMENT_PATH; shown(el): rendered with a box somewhere on or past the top-left
#: of the page, not hidden; textRects(nodes): the non-empty line boxes of those text nodes, where
#: the letters are drawn (an element's own box also covers its padding and children) — for scripts
#: that declare helpers in one page.evaluate.
DOM_HELPERS = r"""
  const selectorOf = """ + ELEMENT_PATH + r""";
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.visibility === "collapse") return false;
    const boxes = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    return boxes.some(r => r.right > 0 && r.bottom > 0);
  };
  const textRects = (nodes) => { const range = document.createRange();
    return nodes.flatMap(t => { range.selectNodeContents(t); return [...range.getClientRects()]; })
      .filter(r => r.width > 0 && r.height > 0); };
"""

#: An init script, before any page script: every event target remembers the kinds of event it was
#: given listeners for (`target[Symbol.for('accesscheck.listens')]`, a Set), so that a probe can
#: tell an element nothing listens to from one a handler waits on. `addEventListener` is wrapped
#: once per realm (the script may be installed by more than one probe); a property on the target,
#: not a per-realm WeakSet, so a listener added with another frame's method is seen too. The
#: wrapper keeps the original method under the same symbol: the probes add their own listeners
#: with it (OWN_LISTENER), as those are not the page's.
WATCH_LISTENERS = """(() => {
  const key = Symbol.for('accesscheck.listens');
  const add = EventTarget.prototype.addEventListener;
  if (add[key]) return;
  const wrapped = function (type, ...rest) {
    try { (this[key] || Object.defineProperty(this, key, {value: new Set()})[key]).add(String(type)); } catch (e) {}
    return add.call(this, type, ...rest);
  };
  wrapped[key] = add;
  EventTarget.prototype.addEventListener = wrapped;
})();"""

#: The addEventListener a probe's own listener is added with (not noted as the page's).
OWN_LISTENER = ("(EventTarget.prototype.addEventListener[Symbol.for('accesscheck.listens')]"
                " || EventTarget.prototype.addEventListener)")

#: listensTo(target, kinds): a listener for one of `kinds` was added to `target`, or a handler
#: property (`onclick`, set by script or by an attribute) is set on it.
LISTENS_TO = """(target, kinds) => {
    const added = target[Symbol.for('accesscheck.listens')];
    return kinds.some((kind) => (added && added.has(kind)) || target['on' + kind] != null); }"""
