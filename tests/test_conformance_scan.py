"""--standard end to end: the same page checked against three targets, through the command line,
with the target named in the JSON and an EARL file written alongside."""

from __future__ import annotations

import json

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, run_cli

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("target", "expected", "absent"), [
    ("wcag22aa", {"axe/image-alt", "axe/target-size"}, {"axe/color-contrast-enhanced"}),
    ("wcag21aa", {"axe/image-alt"}, {"axe/target-size", "axe/color-contrast-enhanced"}),
    ("wcag22aaa", {"axe/image-alt", "axe/target-size", "axe/color-contrast-enhanced"}, set()),
])
def test_the_target_decides_what_is_checked(target, expected, absent, tmp_path):
    with serve(SITES / "standard") as server:
        result = run_cli("scan", server.origin + "/", "--depth", "0", "--standard", target, "--fail-on", "none",
                         "--db", f"sqlite:///{tmp_path}/s.db", "--json", str(tmp_path / "r.json"),
                         "--earl", str(tmp_path / "r.earl.jsonld"), "--quiet")
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["run"]["config"]["standard"] == target
    assert doc["sites"][0]["scorecard"]["standard"]["id"] == target
    failing = {f["check"] for p in doc["sites"][0]["pages"] for f in p["findings"] if f["outcome"] == "fail"}
    assert expected <= failing and not absent & failing, failing
    image_alt = next(f for p in doc["sites"][0]["pages"] for f in p["findings"] if f["check"] == "axe/image-alt")
    assert image_alt["act"] == ["23a2a8"]
    earl = json.loads((tmp_path / "r.earl.jsonld").read_text())
    failed_tests = {a["earl:test"]["@id"] for a in earl["@graph"]
                    if a.get("@type") == "earl:Assertion" and a["earl:result"]["earl:outcome"]["@id"] == "earl:failed"}
    assert "https://www.w3.org/WAI/standards-guidelines/act/rules/23a2a8/" in failed_tests
