"""--countries and --income-file: the service's cost in the countries a user asks for, with the
income the user supplies where ITU gives none, and where each figure comes from."""

from __future__ import annotations

import json

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, run_cli

pytestmark = pytest.mark.browser


def test_cost_in_chosen_countries_with_a_supplied_income(tmp_path):
    incomes = tmp_path / "incomes.csv"
    incomes.write_text("iso2,gni_per_capita_usd,source\nKG,1500,Example statistics office 2024\n")
    with serve(SITES / "hostile") as server:
        result = run_cli("scan", f"{server.origin}/ok-1.html", "--depth", "0", "--fail-on", "none", "--quiet",
                         "--countries", "kg,gb", "--income-file", str(incomes),
                         "--db", f"sqlite:///{tmp_path}/r.db", "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    site = json.loads((tmp_path / "r.json").read_text())["sites"][0]
    cost = site["bandwidth"]["service_path"]["cost"]["countries"]
    assert list(cost) == ["KG", "GB"]
    assert cost["KG"]["income_source"] == "Example statistics office 2024"
    assert cost["KG"]["share_daily_income_pct"] > 0
    assert cost["GB"]["usd"] > 0


def test_a_bad_income_file_is_one_sentence_before_the_scan(tmp_path):
    incomes = tmp_path / "incomes.csv"
    incomes.write_text("iso2,gni_per_capita_usd,source\nKG,lots,\n")
    result = run_cli("scan", "http://127.0.0.1:9/", "--income-file", str(incomes), "--db", f"sqlite:///{tmp_path}/r.db")
    assert result.returncode == 1
    assert "income file" in result.stderr and "Traceback" not in result.stderr
