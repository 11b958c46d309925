"""bandwidth/curves.py: Lighthouse's log-normal scoring curve at its control points."""

from __future__ import annotations

from accesscheck.bandwidth.curves import log_normal_score


def test_lighthouse_curve_control_points():
    assert log_normal_score(1800, p10=1800, median=3000) == 0.9
    assert log_normal_score(3000, p10=1800, median=3000) == 0.5
    assert log_normal_score(60_000, p10=1800, median=3000) < 0.05
    assert log_normal_score(100, p10=1800, median=3000) == 1.0
