"""Structure shown only by looks (1.3.1): text styled as a heading that is not one (F2), tables
used for layout but exposed as data tables, presentational elements (F43's family).

All are review: a large line of text may be a pull quote, a table of paragraphs may be a data
table. The visual candidates come from the `text_styles` gatherer (computed font size and weight);
the tables and elements from the markup.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from accesscheck.detect.markup import Problem, problem, thresholds

_SENTENCE_END = re.compile(r"[.!?;,]$")
_FOLLOWED_BY_TEXT = ("p", "ul", "ol", "dl", "table", "div", "form", "section", "blockquote")
_DATA_TABLE = ".//th | .//caption | .//thead | .//*[@scope] | .//*[@headers]"
_BLOCKS = ".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//p | .//ul | .//ol | .//form | .//blockquote"


def fake_headings(styles: dict[str, Any] | None) -> list[Problem]:
    """Short stand-alone text that is larger, or bold and followed by ordinary text."""
    if not styles or not styles.get("base_size_px"):
        return []
    rules = thresholds()["headings"]
    base = styles["base_size_px"]
    found = []
    for block in styles.get("text_blocks", []):
        text = block["text"]
        if (block["tag"] in rules["ignored_tags"] or len(text.split()) > rules["max_words"]
                or _SENTENCE_END.search(text) or not any(c.isalpha() for c in text)):
            continue
        larger = block["size_px"] >= base * rules["min_size_ratio"]
        bold_lead = (block["weight"] >= rules["bold_weight"] and block["size_px"] >= base
                     and block["next_tag"] in _FOLLOWED_BY_TEXT and not block["next_is_heading"])
        if larger or bold_lead:
            how = f"{block['size_px'] / base:.1f} times the body text size" if larger else "bold"
            found.append(problem("fake-heading", "review",
                                 f"'{text}' looks like a heading ({how}) but is not marked up as one, so screen-reader "
                                 "users cannot find it or jump to it. If it is a heading, use h1–h6.",
                                 where=block["selector"], snippet=f"<{block['tag']}>{text}</{block['tag']}>"))
    return found


def layout_tables(root: Any) -> list[Problem]:
    found = []
    for table in root.iter("table"):
        if (table.get("role") or "").strip() in ("presentation", "none") or table.xpath(_DATA_TABLE):
            continue
        nested = bool(table.xpath(".//table"))
        blocks = len(table.xpath(_BLOCKS))
        if nested or blocks >= thresholds()["tables"]["layout_blocks"]:
            why = "holds another table" if nested else f"holds {blocks} headings, paragraphs, lists or forms"
            found.append(problem("layout-table", "review",
                                 f"This table {why} and has no header cells: it seems to lay the page out rather "
                                 "than hold data. Screen readers announce it as a table with rows and columns; lay "
                                 "out with CSS, or add role=\"presentation\".", table,
                                 snippet=_opening_tag(table)))
    return found


def presentational_markup(root: Any) -> list[Problem]:
    wanted = thresholds()["markup"]["presentational"]
    counts: Counter[str] = Counter()
    first: dict[str, Any] = {}
    for element in root.iter(*wanted):
        counts[element.tag] += 1
        first.setdefault(element.tag, element)
    return [problem("presentational-markup", "review",
                    f"The page uses <{tag}> {count} time{'s' if count > 1 else ''}: markup that only changes how text "
                    "looks. Whatever it conveys (emphasis, a warning, a heading) is lost to screen readers; check "
                    "that the meaning is also in the text or in structural markup.", first[tag])
            for tag, count in sorted(counts.items())]


def _opening_tag(element: Any) -> str:
    attributes = "".join(f' {k}="{v}"' for k, v in element.attrib.items())
    return f"<{element.tag}{attributes}>"
