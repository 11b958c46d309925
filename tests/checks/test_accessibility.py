"""accesscheck.checks.accessibility: axe-core results (as trimmed by gather/axe.py) as findings."""

from __future__ import annotations

import inspect

from accesscheck.catalogue import wcag_criteria
from accesscheck.checks import all_checks
from accesscheck.checks.accessibility import CHECKS, axe_findings
from accesscheck.fingerprint import fingerprint
from accesscheck.model import PageSnapshot

PAGE = "http://127.0.0.1:9/services/apply"


# -- wcag_criteria ---------------------------------------------------------------------------

def test_criterion_tags():
    assert wcag_criteria(["wcag111"]) == ("1.1.1",)
    assert wcag_criteria(["wcag1410"]) == ("1.4.10",)
    assert wcag_criteria(["wcag258"]) == ("2.5.8",)


def test_level_and_other_tags_ignored():
    tags = ["cat.text-alternatives", "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
            "best-practice", "section508", "section508.22.a", "TTv5", "TT7.a", "EN-301-549",
            "EN-9.1.1.1", "ACT"]
    assert wcag_criteria(tags) == ()


def test_sorted_numerically_and_deduplicated():
    tags = ["wcag1410", "wcag2a", "wcag143", "wcag412", "wcag111", "wcag143", "wcag244"]
    assert wcag_criteria(tags) == ("1.1.1", "1.4.3", "1.4.10", "2.4.4", "4.1.2")


def test_no_tags():
    assert wcag_criteria([]) == ()


# -- axe_findings ----------------------------------------------------------------------------

def _violation():
    return {
        "id": "image-alt", "impact": "critical",
        "tags": ["cat.text-alternatives", "wcag2a", "wcag111", "section508", "best-practice"],
        "help": "Images must have alternative text",
        "description": "Ensure <img> elements have alternative text or a role of none or presentation",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI",
        "nodes_total": 3,
        "nodes": [
            {"target": ["main > img.hero"], "html": '<img class="hero" src="/family.jpg">',
             "impact": "critical", "failureSummary": "Fix any of the following:\n  Element does not have an alt attribute"},
            {"target": ["iframe#map", "img.marker"], "html": '<img class="marker" src="/pin.png">',
             "impact": None, "failureSummary": ""},
            {"target": [["#widget-host", "img"]], "html": '<img src="/shadow.png">',
             "impact": "serious", "failureSummary": "Fix any of the following:\n  no alt"},
        ],
    }


def _incomplete():
    return {
        "id": "color-contrast", "impact": "serious",
        "tags": ["cat.color", "wcag2aa", "wcag143", "TTv5"],
        "help": "Elements must meet minimum color contrast ratio thresholds",
        "description": "Ensure the contrast ...",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/color-contrast?application=axeAPI",
        "nodes_total": 1,
        "nodes": [{"target": ["#banner > p"], "html": "<p>Closed on Sunday</p>", "impact": "serious",
                   "failureSummary": "Fix any of the following:\n  Element's background color could not be determined"}],
    }


def snapshot(axe):
    return PageSnapshot(url=PAGE, final_url=PAGE + "/", status=200, axe=axe)


def findings():
    return axe_findings(snapshot({"violations": [_violation()], "incomplete": [_incomplete()],
                                  "version": "4.12.0"})).findings


def test_one_finding_per_node_violations_first():
    result = findings()
    assert [f.check for f in result] == ["axe/image-alt"] * 3 + ["axe/color-contrast"]


def test_violations_fail_incomplete_review_never_mixed():
    for finding in findings():
        expected = "fail" if finding.check == "axe/image-alt" else "review"
        assert finding.outcome == expected
        assert finding.pillar == "accessibility"


def test_a_rule_only_in_incomplete_is_only_review():
    result = axe_findings(snapshot({"violations": [], "incomplete": [_violation()]})).findings
    assert len(result) == 3 and {f.outcome for f in result} == {"review"}


def test_impact_from_node_else_rule():
    assert [f.impact for f in findings()] == ["critical", "critical", "serious", "serious"]


def test_selector_joins_frames_and_shadow_paths():
    # axe NodeResult.target: one entry per frame level; an entry that is itself a list is a path
    # through shadow roots within one frame (axe.d.ts: UnlabelledFrameSelector = CrossTreeSelector[])
    selectors = [f.selector for f in findings()]
    assert selectors == ["main > img.hero", "iframe#map >>> img.marker", "#widget-host img", "#banner > p"]


def test_copied_fields():
    first, *_, last = findings()
    assert first.wcag == ("1.1.1",)
    assert last.wcag == ("1.4.3",)
    assert first.help_url == "https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI"
    assert first.snippet == '<img class="hero" src="/family.jpg">'
    assert first.message == "Images must have alternative text. Fix any of the following:\n  Element does not have an alt attribute"


def test_message_without_failure_summary_is_the_help_text():
    assert findings()[1].message == "Images must have alternative text"


def test_fingerprints_distinct_per_node_and_from_the_final_url():
    result = findings()
    assert len({f.fingerprint for f in result}) == len(result)
    first = result[0]
    assert first.fingerprint == fingerprint("axe/image-alt", PAGE + "/", first.selector, first.snippet)


def test_fingerprints_stable_between_runs():
    assert [f.fingerprint for f in findings()] == [f.fingerprint for f in findings()]


def test_no_axe_result_gives_no_findings():
    assert axe_findings(snapshot(None)).findings == []
    assert axe_findings(snapshot({})).findings == []
    assert axe_findings(snapshot({"violations": [], "incomplete": []})).findings == []


def test_rule_without_nodes_gives_no_findings():
    rule = _violation()
    rule["nodes"] = []
    assert axe_findings(snapshot({"violations": [rule]})).findings == []


def test_the_check_is_registered():
    (check,) = [c for c in CHECKS if c.id == "axe"]
    assert check.id == "axe" and check.pillar == "accessibility" and check.requires == ("axe",)
    assert inspect.unwrap(check.evaluate) is axe_findings  # tests/conftest.py records what it emits
    assert check in all_checks()
