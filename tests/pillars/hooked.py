"""A small bandwidth pillar of a test's own: one page check and both score hooks (tests/test_score.py
passes it to the scoring as a pillar module, in place of checks/bandwidth.py)."""

from __future__ import annotations

from accesscheck.checks import Check, Evaluation, SiteView
from accesscheck.model import PageResult

PILLAR = "bandwidth"

CHECKS = [Check(id="bandwidth/weight", pillar=PILLAR, version=1, requires=(), title="Page weight",
                explanation="Heavy pages cost people on metered connections money.", evaluate=lambda s: Evaluation())]


def page_score(page: PageResult) -> float | None:
    return 42.0


def site_score(view: SiteView) -> float | None:
    return 61.0 if view.scanned else None
