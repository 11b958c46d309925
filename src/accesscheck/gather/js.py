"""JavaScript helpers shared by the gatherers that read the live DOM with one page.evaluate."""

#: selectorOf(el): a short CSS selector (an id, or up to six tag:nth-of-type steps);
#: shown(el): rendered with a box somewhere on or past the top-left of the page, not hidden.
DOM_HELPERS = r"""
  const selectorOf = (el) => {
    if (el.id) return "#" + CSS.escape(el.id);
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 6; e = e.parentElement) {
      if (e.id) { parts.unshift("#" + CSS.escape(e.id)); break; }
      const same = e.parentElement ? [...e.parentElement.children].filter(c => c.tagName === e.tagName) : [];
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ""));
    }
    return parts.join(" > ");
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.visibility === "collapse") return false;
    const boxes = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    return boxes.some(r => r.right > 0 && r.bottom > 0);
  };
"""
