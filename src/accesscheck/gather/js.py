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
