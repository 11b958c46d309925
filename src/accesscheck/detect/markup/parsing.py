"""WCAG 2.0/2.1 4.1.1 Parsing: elements closed and nested as the HTML specification says, no
duplicate attributes (F70), no duplicate ids on the elements assistive technology relies on (F77).

The nesting errors come from html5lib, a parser that implements the WHATWG tree-construction
algorithm and reports its parse errors, run on the document as the server sent it (the rendered
DOM has been repaired by then). Duplicate ids are counted in the rendered DOM, where scripts may
have added some; only those that matter are reported: on a focusable or interactive element, or
referenced by a label, ARIA relationship or table header (4.1.1's note on "parse errors that
matter", and the reason 2.2 retired it: the rest do no harm).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import html5lib
from html5lib.constants import E

from accesscheck.detect.markup import MAX_SNIPPET_CHARS, Problem, problem, thresholds
from accesscheck.gather.source import MAX_SOURCE_CHARS

_REFERENCING = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-flowto",
                "aria-activedescendant", "aria-details", "aria-errormessage", "headers", "list", "form")
_ACTIVE = ("a", "button", "input", "select", "textarea", "area", "summary", "iframe", "details", "label")


def parse_errors(source: str | None) -> list[Problem]:
    if not source:
        return []
    rules = thresholds()["parsing"]
    cut = len(source) >= MAX_SOURCE_CHARS
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse(source)
    lines = source.splitlines()
    found = []
    for (line, column), code, data in parser.errors:
        if code not in rules["errors"] or (cut and code in rules["end_of_file_errors"]):
            continue
        try:
            detail = E[code] % (data or {})
        except (KeyError, TypeError, ValueError):
            detail = code
        excerpt = lines[line - 1][max(0, column - 80):column + 40].strip() if 0 < line <= len(lines) else ""
        found.append(problem("parse-error", "fail",
                             f"Line {line}, column {column}: {detail} Browsers repair this each in their own way, and "
                             "assistive technology may then see a different structure from the one intended.",
                             where=None, snippet=f"{code}: {excerpt}"[:MAX_SNIPPET_CHARS]))
        if len(found) >= rules["max_reported"]:
            break
    return found


def duplicate_ids(root: Any) -> list[Problem]:
    counts = Counter(e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id"))
    duplicated = {ident for ident, n in counts.items() if n > 1}
    if not duplicated:
        return []
    referenced = set()
    for attribute in _REFERENCING:
        for element in root.xpath(f"//*[@{attribute}]"):
            referenced.update(element.get(attribute).split())
    found = []
    for ident in sorted(duplicated):
        elements = root.xpath("//*[@id=$i]", i=ident)
        active = [e for e in elements if e.tag in _ACTIVE or e.get("tabindex") is not None
                  or e.get("contenteditable") not in (None, "false")]
        if ident in referenced or active:
            why = "is referenced by a label or ARIA attribute" if ident in referenced else "is on an interactive element"
            found.append(problem("duplicate-id", "fail",
                                 f"The id '{ident}' is used {len(elements)} times and {why}. Assistive technology "
                                 "will pick one of the elements, perhaps the wrong one, to label, describe or focus.",
                                 (active or elements)[-1]))
    return found
