"""The catalogue of checks. A check is data plus one pure function of a PageSnapshot.

Checks never touch the browser: they are fast, deterministic and testable on saved snapshots.
Add a check by adding a `Check` to the module of its pillar and listing the module below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from accesscheck.model import Finding, PageSnapshot

PILLARS = ("accessibility", "bandwidth", "channels", "inclusion")


@dataclass(frozen=True, slots=True)
class Check:
    id: str                      # "axe" emits "axe/<rule>"; others emit their own id
    pillar: str
    version: int                 # bumped whenever the same snapshot could give a different result
    requires: tuple[str, ...]    # gatherers (see accesscheck.gather)
    title: str
    explanation: str             # what it means for people, for the report
    evaluate: Callable[[PageSnapshot], list[Finding]]


def all_checks() -> list[Check]:
    from accesscheck.checks import accessibility
    return [*accessibility.CHECKS]


def needed_gatherers(checks: list[Check]) -> frozenset[str]:
    from accesscheck.gather import ALWAYS
    return ALWAYS | {g for check in checks for g in check.requires}
