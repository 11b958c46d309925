"""JavaScript shared by the gatherers that point at elements."""

# A CSS selector a person can paste into the browser, from the nearest ancestor with an id (at
# most five steps). The native `children` getter is used because a form's `children` can be
# shadowed by a field named "children".
ELEMENT_PATH = """(el) => { const parts = [];
    const childrenOf = Object.getOwnPropertyDescriptor(Element.prototype, 'children').get;
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + CSS.escape(e.id)); break; }
      const same = e.parentElement ? [...childrenOf.call(e.parentElement)].filter((c) => c.tagName === e.tagName) : [];
      parts.unshift(e.tagName.toLowerCase() + (same.length > 1 ? `:nth-of-type(${same.indexOf(e) + 1})` : ''));
    }
    return parts.join(' > '); }"""
