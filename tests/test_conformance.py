"""The conformance target: which criteria each --standard checks, and what it keeps."""

from __future__ import annotations

import pytest

from accesscheck.config import build_config, sites_from_urls
from accesscheck.conformance import STANDARDS, in_target, of_run, standard
from accesscheck.errors import ConfigError
from accesscheck.gather.axe import AXE_OPTIONS
from accesscheck.model import Finding


def finding(*wcag: str, check: str = "axe/x") -> Finding:
    return Finding(check=check, pillar="accessibility", outcome="fail", message="m", fingerprint="f" * 8, wcag=wcag)


def test_each_target_checks_the_criteria_of_its_version_and_level():
    sizes = {name: len(s.criteria) for name, s in STANDARDS.items()}
    # WCAG 2.0: 25 A + 13 AA + 23 AAA; 2.1 adds 5 A, 7 AA, 5 AAA; 2.2 adds 2 A, 4 AA, 3 AAA and drops 4.1.1 (A)
    assert sizes == {"wcag20aa": 38, "wcag20aaa": 61, "wcag21aa": 50, "wcag21aaa": 78,
                     "wcag22aa": 55, "wcag22aaa": 86}


def test_parsing_only_for_2_0_and_2_1_and_new_criteria_only_from_their_version():
    assert "4.1.1" in standard("wcag20aa").criteria and "4.1.1" in standard("wcag21aa").criteria
    assert "4.1.1" not in standard("wcag22aa").criteria and "4.1.1" not in standard("wcag22aaa").criteria
    assert "2.4.11" in standard("wcag22aa").criteria and "2.4.11" not in standard("wcag21aaa").criteria
    assert "1.4.10" in standard("wcag21aa").criteria and "1.4.10" not in standard("wcag20aaa").criteria
    assert "1.4.6" not in standard("wcag22aa").criteria and "1.4.6" in standard("wcag20aaa").criteria


def test_other_pillars_keep_their_findings_whatever_the_target():
    plain_language = Finding(check="inclusion/hard-to-read", pillar="inclusion", outcome="review", message="m",
                             fingerprint="f" * 8, wcag=("3.1.5",))
    assert in_target([plain_language], standard("wcag22aa")) == [plain_language]


def test_findings_outside_the_target_are_dropped_and_those_without_criteria_kept():
    kept = in_target([finding("2.5.8"), finding("1.4.6"), finding("4.1.1"), finding("1.1.1"),
                      finding(check="bandwidth/page-weight"), finding("4.1.1", "4.1.2")], standard("wcag21aa"))
    assert [f.wcag for f in kept] == [("4.1.1",), ("1.1.1",), (), ("4.1.1", "4.1.2")]
    kept = in_target([finding("2.5.8"), finding("1.4.6"), finding("4.1.1")], standard("wcag22aa"))
    assert [f.wcag for f in kept] == [("2.5.8",)]


def test_axe_runs_the_rules_of_the_target():
    aa20 = standard("wcag20aa").axe_options(AXE_OPTIONS)
    assert aa20["runOnly"]["values"] == ["wcag2a", "wcag2aa", "best-practice"]
    assert "target-size" not in aa20["rules"]  # 2.5.8 is new in 2.2
    aaa22 = standard("wcag22aaa").axe_options(AXE_OPTIONS)
    assert {"wcag2aaa", "wcag21aaa", "wcag22aa", "best-practice"} <= set(aaa22["runOnly"]["values"])
    assert aaa22["rules"]["color-contrast-enhanced"] == {"enabled": True}
    assert aaa22["rules"]["target-size"] == {"enabled": True}
    assert AXE_OPTIONS["runOnly"]["values"] == standard("wcag22aa").axe_options(AXE_OPTIONS)["runOnly"]["values"]


def test_the_target_is_named_and_validated():
    assert standard("wcag21aa").label == "WCAG 2.1 AA (EN 301 549)"
    assert standard("wcag20aa").label == "WCAG 2.0 AA (Section 508)"
    assert of_run({}).id == "wcag22aa"
    assert build_config(sites_from_urls(["https://example.gov/"]), {"standard": "wcag21aa"}).standard == "wcag21aa"
    with pytest.raises(ConfigError, match="standard must be one of"):
        build_config(sites_from_urls(["https://example.gov/"]), {"standard": "wcag3"})
