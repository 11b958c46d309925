"""The `styles` and `focusable` checks on gathered facts (the gatherers run in tests/act)."""

from __future__ import annotations

from accesscheck.catalogue import lookup
from accesscheck.checks.accessibility import focusable_findings, style_findings
from accesscheck.model import PageSnapshot


def snap(**fields) -> PageSnapshot:
    return PageSnapshot(url="http://127.0.0.1/p", final_url="http://127.0.0.1/p", status=200, **fields)


def spacing(prop: str, share: float, minimum: float) -> dict:
    return {"property": prop, "declared": "1px", "minimum": minimum, "share": share, "computed": "1px",
            "font_px": 16, "selector": "p", "html": "<p style>"}


def test_spacing_below_wcag_fails_and_wide_enough_passes():
    result = style_findings(snap(styles={"spacing": [spacing("letter-spacing", 0.05, 0.12),
                                                     spacing("word-spacing", 0.2, 0.16),
                                                     spacing("line-height", 1.2, 1.5)], "orientation": []}))
    assert [f.check for f in result.findings] == ["styles/letter-spacing-important", "styles/line-height-important"]
    assert all(f.outcome == "fail" and f.wcag == ("1.4.12",) for f in result.findings)
    assert result.facts["applicable"] == ["24afc2", "78fd32", "9e45ec"]
    assert all(lookup(f.check) is not None for f in result.findings)


def test_orientation_lock_fails_with_its_media_query():
    result = style_findings(snap(styles={"spacing": [], "orientation": [
        {"media": "(orientation: portrait)", "selector": "html", "rule": "html { rotate: 90deg }", "degrees": 90}]}))
    (finding,) = result.findings
    assert finding.check == "styles/orientation-locked" and finding.wcag == ("1.3.4",)
    assert "b33eff" in lookup(finding.check).act


def test_focus_in_hidden_content_and_unreachable_frames():
    result = focusable_findings(snap(focusable={
        "aria_hidden": [{"selector": "#a", "html": "<a id=a>"}, {"selector": "#b", "html": "<a id=b>"}],
        "frames": [{"selector": "iframe", "html": "<iframe tabindex=-1>", "focusable": 1}]}))
    checks = [f.check for f in result.findings]
    assert checks == ["focusable/aria-hidden-focusable"] * 2 + ["focusable/frame-excluded"]
    assert len({f.fingerprint for f in result.findings}) == 3


def test_nothing_gathered_nothing_found():
    assert style_findings(snap()).findings == [] and focusable_findings(snap()).findings == []
    assert style_findings(snap(styles={"spacing": [], "orientation": []})).findings == []
