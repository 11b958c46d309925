"""checks/interaction.py: the interaction checks as pure functions of a snapshot (the probe levels
are in tests/gather/test_probes.py, the probes on fixture pages in test_interaction_fixtures.py)."""

from __future__ import annotations


from accesscheck.checks.interaction import CHECKS, check_keyboard, check_motion, check_orientation
from accesscheck.model import PageSnapshot


def test_every_id_a_check_emits_is_declared():
    declared = {e.id for check in CHECKS for e in check.entries}
    assert all(e.id.startswith(check.id + "/") for check in CHECKS for e in check.entries)
    assert len(declared) == sum(len(c.entries) for c in CHECKS)
    assert {"keyboard/trap", "context/on-input", "spacing/text-clipped", "orientation/locked"} <= declared


def _stop(**overrides):
    stop = {"selector": "#b", "tag": "button", "role": "", "text": "OK", "html": "<button id=b>OK</button>",
            "box": [10, 10, 50, 20], "tabindex": None, "pinned": False, "style_changed": True, "view": "clear",
            "in_dialog": False, "href": ""}
    return {**stop, **overrides}


def _walk(stops, trap=None, order=None):
    return PageSnapshot(url="http://x/", final_url="http://x/", status=200, keyboard={
        "stops": stops, "order": order or list(range(len(stops))), "ended": "cycle" if trap else "left page",
        "trap": trap, "skip_links": [], "click_only": [], "positive_tabindex": []})


def test_a_trap_is_a_fail_but_a_dialog_that_holds_focus_is_for_review():
    trap = {"stops": [0, 1], "escaped_by": None, "tried": ["Tab", "Shift+Tab", "Escape"]}
    stops = [_stop(selector="#a"), _stop(selector="#b")]
    assert [f.outcome for f in check_keyboard(_walk(stops, trap)).findings] == ["fail"]
    in_dialog = [_stop(selector="#a", in_dialog=True), _stop(in_dialog=True)]
    assert [f.outcome for f in check_keyboard(_walk(in_dialog, trap)).findings] == ["review"]
    escaped = {**trap, "escaped_by": "Escape"}
    assert check_keyboard(_walk(stops, escaped)).findings == []


def test_focus_indicator_fails_only_when_no_pixel_changed():
    assert check_keyboard(_walk([_stop(style_changed=False, pixels_changed=120)])).findings == []
    [found] = check_keyboard(_walk([_stop(style_changed=False, pixels_changed=0)])).findings
    assert (found.check, found.outcome, found.wcag) == ("keyboard/focus-not-visible", "fail", ("2.4.7",))
    [unsure] = check_keyboard(_walk([_stop(style_changed=False, pixels_changed=None)])).findings
    assert unsure.outcome == "review"


def test_refresh_header_of_twenty_hours_or_more_is_no_time_limit():
    def page(value):
        return PageSnapshot(url="http://x/", final_url="http://x/", status=200, headers={"refresh": value})
    assert [f.check for f in check_motion(page("30; url=/next")).findings] == ["motion/timed-refresh"]
    assert check_motion(page("72000")).findings == []
    assert check_motion(page("0; url=/now")).findings == []


def test_orientation_lock_needs_a_quarter_turn_in_one_orientation_only():
    def page(angles):
        return PageSnapshot(url="http://x/", final_url="http://x/", status=200, orientation={
            "viewports": [[1280, 800], [800, 1280]], "elements": [{"selector": "main", "angles": angles}]})
    assert [f.outcome for f in check_orientation(page([0, 90])).findings] == ["fail"]
    assert check_orientation(page([90, 90])).findings == []
    assert check_orientation(page([0, 10])).findings == []
