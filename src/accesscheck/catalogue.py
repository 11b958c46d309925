"""The catalogue: one entry per finding id, the single source for reports, SARIF, JUnit and EARL.

A check declares the entries of every id it can emit (`Check.entries`); axe-core's rules enter
from axe's own metadata. Reporters look an id up here and never guess from a prefix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """What a reader needs to know about one finding id, whatever page it was found on."""

    id: str                        # the finding id, e.g. "keyboard/trap" or "axe/image-alt"
    pillar: str
    title: str                     # one line, what is wrong
    explanation: str               # what it means for people, in plain language
    fix: str                       # what to change
    impact: str                    # default impact: critical | serious | moderate | minor
    outcomes: tuple[str, ...]      # the outcomes it can give: ("fail",), ("review",) or both
    wcag: tuple[str, ...] = ()     # WCAG success criteria, e.g. ("2.1.2",)
    act: tuple[str, ...] = ()      # W3C ACT rule ids it implements, e.g. ("80af7b",)
    help_url: str | None = None
