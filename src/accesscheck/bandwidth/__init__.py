"""The machinery of the bandwidth pillar (checks/bandwidth.py holds the checks themselves).

    weight.py     what a page weighs: bytes by type, third parties, compression, caching, images
    simulate.py   load times under slow profiles, simulated from the one unthrottled load
    curves.py     Lighthouse's log-normal scoring curve
    cost.py       what one load costs, in money and as a share of a day's income
    rating.py     the pillar score of a page and of a site
    throttle.py   real CDP throttling, for measured numbers and the accuracy benchmark

Budgets, profiles, weights and price tables are data files under accesscheck/data/bandwidth/.
"""

from __future__ import annotations

from typing import Any

from accesscheck import data


def load_data(name: str) -> dict[str, Any]:
    """A TOML file of accesscheck/data/bandwidth/ (read once)."""
    return data.load_toml("bandwidth", name)


def data_text(name: str) -> str:
    return data.data_text("bandwidth", name)
