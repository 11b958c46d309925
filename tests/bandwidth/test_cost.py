"""bandwidth/cost.py: the price and income tables, and a user's income file."""

from __future__ import annotations

from pathlib import Path

import pytest

from accesscheck.bandwidth.cost import cost_tables, gb_prices, load_cost, read_income_file
from accesscheck.errors import ConfigError


def test_income_file_fills_a_country_and_rejects_bad_lines(tmp_path: Path):
    good = tmp_path / "income.csv"
    good.write_text("iso2,gni_per_capita_usd,source\nng,1830,World Bank WDI NY.GNP.PCAP.CD 2023\n")
    assert cost_tables(str(good)).incomes["NG"] == read_income_file(good)["NG"]
    cost = load_cost(1_000_000_000, ["NG"], cost_tables(str(good)))["countries"]["NG"]
    assert cost["share_daily_income_pct"] == pytest.approx(gb_prices()["NG"][1] / (1830 / 365) * 100, rel=1e-3)
    assert cost["income_source"].startswith("World Bank")
    bad = tmp_path / "bad.csv"
    bad.write_text("iso2,gni_per_capita_usd,source\nNG,lots,someone\n")
    with pytest.raises(ConfigError, match="line 2"):
        read_income_file(bad)
    with pytest.raises(ConfigError, match="Cannot read"):
        read_income_file(tmp_path / "missing.csv")


def test_unknown_country_has_no_price():
    assert load_cost(1000, ["ZZ"], cost_tables())["countries"]["ZZ"]["usd"] is None
