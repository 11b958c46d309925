"""A bandwidth pillar whose site score hook raises (tests/test_score.py): a broken hook is a reason."""

from __future__ import annotations

from accesscheck.checks import SiteView
from pillars.hooked import CHECKS, PILLAR

__all__ = ["CHECKS", "PILLAR", "site_score"]


def site_score(view: SiteView) -> float | None:
    return 1 / 0
