"""Scores of the bandwidth pillar.

Performance score (ours, not Lighthouse's): Lighthouse v13's curves and weights applied to our
*simulated* Slow 4G FCP and LCP, TBT with Slow 4G's CPU factor, and the unthrottled CLS. Speed
Index is not measured; its weight is left out.

Pillar score of a page, 0-100: the weighted mean (data/bandwidth/scoring.toml) of the parts that
were measured on it: performance (above), weight (page bytes on Lighthouse's curve with p10 1 MB,
median 2,164 KB), no_js (1 when text, navigation and forms survive without JavaScript, else 0)
and reflow (1 when nothing but exempt content scrolls sideways at 320 CSS px, else 0).
Site score: the mean of its scanned pages' scores.
"""

from __future__ import annotations

from typing import Any

from accesscheck.bandwidth import load_data
from accesscheck.bandwidth.curves import log_normal_score


def performance_score(slow_4g: dict[str, float] | None, vitals: dict[str, Any] | None,
                      cpu: float) -> float | None:
    """0..100 from the simulated Slow 4G numbers; None without the vitals it needs."""
    if not slow_4g or not vitals or vitals.get("fcp_ms") is None:
        return None
    tasks = vitals.get("long_tasks", [])
    fcp_observed = vitals["fcp_ms"]
    tbt = sum(max(0.0, cpu * (t["start_ms"] + t["duration_ms"] - max(t["start_ms"], fcp_observed)) - 50)
              for t in tasks)
    values = {"fcp_ms": slow_4g["fcp_ms"], "lcp_ms": slow_4g["lcp_ms"], "tbt_ms": tbt,
              "cls": vitals.get("cls") or 0.0}
    curves = load_data("scoring.toml")["performance"]
    total = sum(c["weight"] for c in curves.values())
    score = sum(c["weight"] * log_normal_score(values[m], p10=c["p10"], median=c["median"])
                for m, c in curves.items()) / total
    return round(score * 100, 1)


def page_parts(metrics: dict[str, Any], passed: dict[str, bool | None]) -> dict[str, float]:
    """The measured parts of a page's score, each 0..1. `passed` holds the no_js and reflow
    outcomes (None = not measured)."""
    curve = load_data("scoring.toml")["weight_curve"]
    parts: dict[str, float] = {}
    if metrics.get("performance_score_ours") is not None:
        parts["performance"] = metrics["performance_score_ours"] / 100
    if metrics.get("transfer_bytes"):
        parts["weight"] = log_normal_score(metrics["transfer_bytes"], p10=curve["p10_bytes"],
                                           median=curve["median_bytes"])
    for name in ("no_js", "reflow"):
        if passed.get(name) is not None:
            parts[name] = 1.0 if passed[name] else 0.0
    return parts


def weighted(parts: dict[str, float]) -> float | None:
    weights = load_data("scoring.toml")["weights"]
    total = sum(weights[p] for p in parts)
    return round(100 * sum(weights[p] * v for p, v in parts.items()) / total, 1) if total else None
