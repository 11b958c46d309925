"""W3C's ACT rules: every approved rule's official test cases through the real scan, scored the
way W3C scores implementation reports (README of shared/act-rules):

    complete      every `failed` case reported failed, no `passed`/`inapplicable` case reported failed
    partial       some `failed` cases reported failed, some missed, none wrongly
    inconsistent  a `passed` or `inapplicable` case reported failed
    untested      no check implements the rule, or none of its failed cases is reported

A case is "reported failed" when the page's EARL assertion for the rule (report/earl.py: the
catalogue's implementing checks, their findings) is `failed`; "needs review" is neither.

`make test` scans a subset (the first failed and the first other case of each rule: one scan);
`make act` scans all 558 cases (one scan, concurrency 2) and prints the full table.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from accesscheck.catalogue import act_rules, catalogue
from accesscheck.config import build_config, sites_from_urls
from accesscheck.demo.server import serve
from accesscheck.report.earl import page_tests
from accesscheck.scan import scan
from accesscheck.store import Store

pytestmark = pytest.mark.browser
CASES_URL = "/WAI/content-assets/wcag-act-rules/"
#: AAA: three approved rules test AAA criteria (enhanced contrast 1.4.6, refresh without exception 2.2.4/3.2.5)
STANDARD = "wcag22aaa"


def scan_cases(root: Path, cases: list[dict[str, Any]], tmp: Path) -> dict[str, dict[str, str]]:
    """{relativePath: {rule id: EARL outcome}} for every case, from one real scan at depth 0."""
    with serve(root) as server:
        urls = {server.origin + CASES_URL + c["relativePath"]: c["relativePath"] for c in cases}
        config = build_config(sites_from_urls(list(urls)), {
            "loopback_only": True, "depth": 0, "concurrency": 2, "max_pages": len(urls) + 1,
            "use_sitemaps": False, "standard": STANDARD})
        store = Store(f"sqlite:///{tmp}/act.db")
        outcome = asyncio.run(scan(config, store))
        run = store.load_run(outcome.run_id)
    known = catalogue()
    reported: dict[str, dict[str, str]] = {}
    for page in run.pages:
        path = urls[page.url]
        reported[path] = {"": page.outcome}
        if page.outcome == "scanned":
            reported[path].update({t["@id"].rstrip("/").rsplit("/", 1)[-1]: o for t, o, _ in page_tests(page, known)})
    return reported


def consistency(cases: list[dict[str, Any]], reported: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    by_rule: dict[str, dict[str, Any]] = {}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        grouped[case["ruleId"]].append(case)
    implemented = {rule for rule in act_rules() if catalogue().implementing(rule)}
    for rule, rule_cases in grouped.items():
        failed_found = failed_missed = wrong = 0
        wrong_cases, missed_cases = [], []
        for case in rule_cases:
            said = reported.get(case["relativePath"], {}).get(rule)
            if case["expected"] == "failed":
                if said == "failed":
                    failed_found += 1
                else:
                    failed_missed += 1
                    missed_cases.append(f"{case['testcaseTitle']} ({said or reported.get(case['relativePath'], {}).get('', 'not scanned')})")
            elif said == "failed":
                wrong += 1
                wrong_cases.append(case["testcaseTitle"])
        if rule not in implemented:
            state = "untested"
        elif wrong:
            state = "inconsistent"
        elif not failed_missed:
            state = "complete"
        elif failed_found:
            state = "partial"
        else:
            state = "untested"
        by_rule[rule] = {"name": rule_cases[0]["ruleName"], "state": state, "found": failed_found,
                         "failed": failed_found + failed_missed, "wrong": wrong_cases, "missed": missed_cases}
    return by_rule


def print_table(table: dict[str, dict[str, Any]], title: str) -> Counter[str]:
    counts = Counter(row["state"] for row in table.values())
    print(f"\n{title}: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("complete", "partial", "inconsistent", "untested")))
    for rule, row in sorted(table.items(), key=lambda item: item[1]["name"].lower()):
        print(f"  {rule}  {row['state']:<12} {row['found']:>2}/{row['failed']:<2} failed found  {row['name']}")
        for case in row["wrong"]:
            print(f"          wrongly failed: {case}")
        for case in row["missed"]:
            print(f"          missed: {case}")
    return counts


def subset(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first failed case and the first passed-or-inapplicable case of each rule (HTML only)."""
    chosen: dict[tuple[str, bool], dict[str, Any]] = {}
    for case in cases:
        if case["relativePath"].endswith(".html"):
            chosen.setdefault((case["ruleId"], case["expected"] == "failed"), case)
    return list(chosen.values())


@pytest.mark.timeout(1800)  # one scan of 74 pages; a loaded machine is slow
def test_act_rules_subset(act_rules_root, act_cases, tmp_path, capsys):
    cases = subset(act_cases)
    table = consistency(cases, scan_cases(act_rules_root, cases, tmp_path))
    with capsys.disabled():  # the table is the point: shown even when the test passes
        counts = print_table(table, f"ACT rules, subset of {len(cases)} cases")
    assert counts["inconsistent"] == 0, [r for r, row in table.items() if row["state"] == "inconsistent"]
    assert counts["complete"] >= 30


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_act_rules_all_cases(act_rules_root, act_cases, tmp_path, capsys):
    table = consistency(act_cases, scan_cases(act_rules_root, act_cases, tmp_path))
    with capsys.disabled():
        counts = print_table(table, f"ACT rules, all {len(act_cases)} cases")
    assert counts["inconsistent"] == 0, [r for r, row in table.items() if row["state"] == "inconsistent"]
    assert counts["complete"] >= 34
