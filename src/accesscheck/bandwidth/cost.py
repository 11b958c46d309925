"""What a page load costs, in US dollars and as a share of a day's income.

    cost_usd          = bytes / 10^9 × Cable.co.uk 2022 average price of 1 GB in the country
    share_daily_income = cost_usd / (GNI per capita / 365)

GNI per capita is the one ITU's 2 GB basket implies (ITU ICT Price Baskets, 33 countries), or one
the user supplies in an income file; where neither has the country the share is None, never a
guess. Sources: data/bandwidth/ATTRIBUTION.md. The tables travel as one CostTables value, read
once by the caller, so the checks that price a load are pure functions of what they are handed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from accesscheck.bandwidth import data_text, load_data
from accesscheck.errors import ConfigError

PRICE_SOURCE = ("Cable.co.uk, Worldwide mobile data pricing 2022: average price of 1 GB of mobile "
                "data (USD)")
ITU_SOURCE = ("ITU ICT Price Baskets 2025 edition, data-only mobile broadband basket: GNI per "
              "capita implied by the basket's share of monthly income")


@dataclass(frozen=True, slots=True)
class Income:
    gni_per_capita_usd: float
    source: str


@dataclass(frozen=True, slots=True)
class CostTables:
    """The price of 1 GB by country (ISO alpha-2 -> (name, USD)) and the incomes to compare it with."""

    prices: dict[str, tuple[str, float]]
    incomes: dict[str, Income]


def cost_tables(income_file: str | None = None) -> CostTables:
    """The packaged tables, with the incomes of a user's income file over ITU's."""
    extra = read_income_file(Path(income_file)) if income_file else {}
    return CostTables(gb_prices(), {**itu_incomes(), **extra})


@cache
def gb_prices() -> dict[str, tuple[str, float]]:
    """ISO alpha-2 -> (country name, average USD price of 1 GB); countries with a price only."""
    rows = csv.DictReader(io.StringIO(data_text("cable_mobile_1gb_price_2022.csv")))
    return {row["iso2"].upper(): (row["country"], float(row["avg_price_1gb_usd"]))
            for row in rows if row["avg_price_1gb_usd"].strip()}


@cache
def itu_incomes() -> dict[str, Income]:
    """ISO alpha-2 -> GNI per capita implied by ITU's basket in the configured year."""
    config = load_data("cost.toml")
    iso2 = config["itu_iso2"]
    rows = csv.DictReader(io.StringIO(data_text("itu_data_only_mobile_basket_33countries_2021_2024.csv")))
    return {iso2[row["iso3"]]: Income(float(row["implied_gni_pc_usd_derived"]), f"{ITU_SOURCE}, {row['year']}")
            for row in rows if int(row["year"]) == config["itu_year"] and row["iso3"] in iso2}


def read_income_file(path: Path) -> dict[str, Income]:
    """A user's income file: CSV with columns `iso2,gni_per_capita_usd,source` (one country a
    line; the source is required, so every figure says where it comes from)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read the income file {path}: {exc.strerror}.") from None
    incomes = {}
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            value = float(row["gni_per_capita_usd"])
            source = (row.get("source") or "").strip()
            iso2 = row["iso2"].strip().upper()
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ConfigError(f"The income file {path} line {n} needs iso2, gni_per_capita_usd (a number) and source.") from None
        if value <= 0 or not source or len(iso2) != 2:
            raise ConfigError(f"The income file {path} line {n} needs a two-letter iso2, a positive income and a source.")
        incomes[iso2] = Income(value, source)
    return incomes


def load_cost(transfer_bytes: int, countries: list[str], tables: CostTables) -> dict[str, object]:
    """The `cost` metric: per country the USD cost of `transfer_bytes` and its share of a day's
    income, with the sources of both."""
    config = load_data("cost.toml")
    prices, incomes = tables.prices, tables.incomes
    result: dict[str, object] = {}
    for code in dict.fromkeys(c.upper() for c in countries):
        if code not in prices:
            result[code] = {"usd": None, "note": "no Cable.co.uk 2022 price for this country"}
            continue
        name, price = prices[code]
        usd = transfer_bytes / config["gb_bytes"] * price
        income = incomes.get(code)
        share = usd / (income.gni_per_capita_usd / 365) * 100 if income else None
        result[code] = {"country": name, "usd": _significant(usd), "price_1gb_usd": price,
                        "share_daily_income_pct": _significant(share) if share is not None else None,
                        "income_source": income.source if income else
                        "unknown: no ITU figure and no income file for this country"}
    return {"countries": result, "price_source": PRICE_SOURCE}


def _significant(value: float) -> float:
    """Four significant figures: a page's cost is a small fraction of a cent."""
    return float(f"{value:.4g}")


def default_countries() -> list[str]:
    return list(load_data("cost.toml")["countries"])
