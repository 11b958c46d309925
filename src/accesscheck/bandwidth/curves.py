"""Lighthouse's log-normal scoring curve (shared/statistics.js getLogNormalScore and
shared/util.js computeLogNormalScore, Lighthouse v13), ported so our scores use the same shape."""

from __future__ import annotations

import math

_INVERSE_ERFC_ONE_FIFTH = 0.9061938024368232


def log_normal_score(value: float, *, p10: float, median: float) -> float:
    """0..1: `p10` scores 0.90 and `median` 0.50; lower values are better."""
    if value <= 0:
        return 1.0
    standardized = math.log(value / median) * _INVERSE_ERFC_ONE_FIFTH / -math.log(p10 / median)
    raw = (1 - _erf(standardized)) / 2
    if value <= p10:
        raw = max(0.9, min(1.0, raw))
    elif value <= median:
        raw = max(0.5, min(0.8999999999999999, raw))
    else:
        raw = max(0.0, min(0.49999999999999994, raw))
    if raw > 0.9:
        raw += 0.05 * (raw - 0.9)
    return math.floor(raw * 100) / 100


def _erf(x: float) -> float:
    """Abramowitz and Stegun 7.1.26, as Lighthouse computes it (not math.erf), so scores match."""
    sign = 1 if x >= 0 else -1
    x = abs(x)
    a1, a2, a3, a4, a5, p = 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429, 0.3275911
    t = 1 / (1 + p * x)
    y = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))))
    return sign * (1 - y * math.exp(-x * x))
