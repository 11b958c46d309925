"""What the interaction probes saw, judged: pure functions of the probes' records in the snapshot.

`fail` only where the record leaves no doubt (focus went round and round and neither Shift+Tab
nor Escape got it out; not one pixel changed when the element took focus; choosing an option
navigated away). Whatever needs a person's judgement (an order that looks wrong, text that may
overlap, an animation that may be essential) is `review`.
"""

from __future__ import annotations

from typing import Any

from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation
from accesscheck.fingerprint import fingerprint
from accesscheck.model import Finding, PageSnapshot

_PILLAR = "accessibility"
_UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/"
_INTERACTIVE_ROLES = frozenset({"button", "link", "checkbox", "radio", "switch", "tab", "menuitem",
                                "menuitemcheckbox", "menuitemradio", "option", "combobox", "slider",
                                "spinbutton", "textbox", "treeitem", "gridcell"})


def _entry(id: str, title: str, explanation: str, fix: str, impact: str, outcomes: tuple[str, ...],
           wcag: str, page: str, act: tuple[str, ...] = ()) -> Entry:
    return Entry(id=id, pillar=_PILLAR, title=title, explanation=explanation, fix=fix, impact=impact,
                 outcomes=outcomes, wcag=(wcag,), act=act, help_url=_UNDERSTANDING + page)


ENTRIES = {e.id: e for e in (
    _entry("keyboard/trap", "Keyboard focus is trapped",
           "Pressing Tab only moves focus round a few elements, and neither Shift+Tab nor Escape gets "
           "it out. A person who uses a keyboard or a switch cannot reach the rest of the page.",
           "Let Tab and Shift+Tab move focus out of the component, or close it with Escape.",
           "critical", ("fail", "review"), "2.1.2", "no-keyboard-trap"),
    _entry("keyboard/focus-not-visible", "Keyboard focus is not visible",
           "When this element takes keyboard focus nothing on screen changes, so a keyboard user "
           "cannot see where they are.", "Keep or add a focus style (an outline or a clear change).",
           "serious", ("fail", "review"), "2.4.7", "focus-visible", act=("oj04fd",)),
    _entry("keyboard/focus-offscreen", "Keyboard focus moves to something that cannot be seen",
           "A Tab stop is outside the window or has no size, so focus seems to vanish.",
           "Show the element when it has focus, or take it out of the tab order.",
           "moderate", ("review",), "2.4.7", "focus-visible"),
    _entry("keyboard/focus-obscured", "Focused element hidden behind fixed content",
           "When this element takes focus it is entirely covered by a sticky or fixed part of the "
           "page (a header, a banner), so the keyboard user cannot see it.",
           "Leave room for the fixed content (scroll-padding) or do not cover focused elements.",
           "serious", ("fail",), "2.4.11", "focus-not-obscured-minimum"),
    _entry("keyboard/click-only", "Acts on a click but cannot take keyboard focus",
           "This element responds to the mouse but is not in the keyboard's tab order, so people "
           "who cannot use a mouse cannot use it.",
           "Use a real button or link, or give it tabindex=\"0\" and handle Enter and Space.",
           "serious", ("fail", "review"), "2.1.1", "keyboard"),
    _entry("keyboard/focus-order", "Focus order may not follow the page",
           "Focus jumps back up the page or follows a positive tabindex, so keyboard users meet "
           "things in a different order from what they see.",
           "Put the elements in the source in the order they are seen; do not use tabindex above 0.",
           "moderate", ("review",), "2.4.3", "focus-order"),
    _entry("keyboard/skip-link-broken", "Skip link goes nowhere",
           "The link at the start of the page for skipping to the content points at an element "
           "that does not exist, so keyboard users must Tab through every link.",
           "Point the skip link at the id of the main content.",
           "serious", ("fail",), "2.4.1", "bypass-blocks"),
    _entry("context/on-focus", "Focusing a form control changes the page",
           "Just moving focus to this control (without changing it) opens a page, a window, sends "
           "the form or moves focus elsewhere. People who Tab through a form lose their place.",
           "Only act when the person asks: a button to go, not a focus handler.",
           "serious", ("fail", "review"), "3.2.1", "on-focus"),
    _entry("context/on-input", "Changing a form control changes the page",
           "Choosing an option or typing in this control opens another page or window, or sends "
           "the form, without warning. Keyboard users choosing with the arrow keys are taken away "
           "at the first step.", "Add a Go button, or warn before the control what will happen.",
           "serious", ("fail", "review"), "3.2.2", "on-input"),
    _entry("spacing/text-clipped", "Text is cut off when people widen its spacing",
           "With the text spacing WCAG requires a page to allow (line height 1.5, letter spacing "
           "0.12 em, word spacing 0.16 em, 2 em after paragraphs), part of this text is hidden. "
           "People with dyslexia or low vision who need wider spacing lose it.",
           "Let boxes grow with their text: no fixed heights or widths with overflow: hidden.",
           "serious", ("fail", "review"), "1.4.12", "text-spacing"),
    _entry("spacing/text-overlap", "Text may overlap when people widen its spacing",
           "With WCAG's text spacing this text runs out of the bottom of its box, usually over "
           "the content below it.", "Let boxes grow with their text: no fixed heights.",
           "moderate", ("review",), "1.4.12", "text-spacing"),
    _entry("resize/text-clipped", "Text may be cut off at 200 % text size",
           "With text twice its size (the boxes around it unchanged, as with a browser's text-only "
           "zoom) part of this text is hidden. People with low vision enlarge text.",
           "Size boxes in em or rem, or let them grow; avoid fixed heights with overflow: hidden.",
           "moderate", ("review",), "1.4.4", "resize-text"),
    _entry("resize/text-overlap", "Text may overlap at 200 % text size",
           "With text twice its size this text runs out of the bottom of its box.",
           "Let boxes grow with their text.", "moderate", ("review",), "1.4.4", "resize-text"),
    _entry("motion/animation", "Moving content with no way to pause it",
           "Something on the page moves for more than five seconds and no control offers to pause "
           "or stop it. Movement distracts people with attention or reading difficulties.",
           "Stop it after five seconds, add a pause button, or honour prefers-reduced-motion.",
           "moderate", ("review",), "2.2.2", "pause-stop-hide"),
    _entry("motion/autoplay-audio", "Sound plays on its own for more than 3 seconds",
           "Audio started by itself, runs for more than three seconds and has no control to stop "
           "it. Screen reader users cannot hear their reader over it.",
           "Do not autoplay sound; or give the player controls, or a stop or mute button first.",
           "serious", ("fail",), "1.4.2", "audio-control"),
    _entry("motion/timed-refresh", "The page refreshes or redirects itself on a timer",
           "The server's Refresh header reloads or replaces the page after a delay, taking people "
           "away before they finish reading.", "Remove the Refresh header; redirect at once (HTTP 301) if needed.",
           "serious", ("fail",), "2.2.1", "timing-adjustable"),
    _entry("orientation/locked", "The page is held in one orientation",
           "In one orientation CSS turns the page a quarter round, forcing it into the other. "
           "People with a tablet fixed to a wheelchair cannot turn their device.",
           "Remove the transform from the orientation media query; lay out for both.",
           "serious", ("fail",), "1.3.4", "orientation", act=("b33eff",)),
)}


def _finding(id: str, snapshot: PageSnapshot, outcome: str, message: str, *, selector: str | None = None,
             snippet: str | None = None, evidence: tuple[dict[str, Any], ...] = (), occurrence: int = 0) -> Finding:
    entry = ENTRIES[id]
    return Finding(check=id, pillar=_PILLAR, outcome=outcome, message=message,  # type: ignore[arg-type]
                   impact=entry.impact, wcag=entry.wcag, selector=selector, snippet=snippet,
                   help_url=entry.help_url, evidence=evidence,
                   fingerprint=fingerprint(id, snapshot.final_url, selector, snippet, occurrence))


def _named(stop: dict[str, Any]) -> str:
    return f"<{stop['tag']}> \u201c{stop['text']}\u201d" if stop.get("text") else f"<{stop['tag']}>"


# keyboard ---------------------------------------------------------------------------------------

def check_keyboard(snapshot: PageSnapshot) -> Evaluation:
    walk = snapshot.keyboard
    if not walk:
        return Evaluation()
    stops = walk["stops"]
    findings = [*_trap(snapshot, walk), *_focus_visibility(snapshot, stops), *_click_only(snapshot, walk),
                *_skip_links(snapshot, walk), *_focus_order(snapshot, walk)]
    metrics = {"keyboard": {"stops": len(walk["order"]), "ended": walk["ended"],
                            "trapped": bool(walk.get("trap") and not walk["trap"]["escaped_by"])}}
    return Evaluation(findings=findings, metrics=metrics)


def _trap(snapshot: PageSnapshot, walk: dict[str, Any]) -> list[Finding]:
    trap = walk.get("trap")
    if not trap or trap["escaped_by"]:
        return []
    caught = [walk["stops"][i] for i in trap["stops"]]
    in_dialog = all(s["in_dialog"] for s in caught)
    names = ", ".join(_named(s) for s in caught[:5])
    message = (f"Tab moves focus only round {len(caught)} element(s) ({names}); Shift+Tab and Escape do not "
               f"get it out" + (" of this dialog. Check that a keyboard user can close it." if in_dialog else "."))
    return [_finding("keyboard/trap", snapshot, "review" if in_dialog else "fail", message,
                     selector=caught[0]["selector"], snippet=caught[0]["html"],
                     evidence=({"order": walk["order"], "keys_tried": trap["tried"],
                                "trapped_in": [s["selector"] for s in caught]},))]


def _focus_visibility(snapshot: PageSnapshot, stops: list[dict[str, Any]]) -> list[Finding]:
    findings = []
    unchecked = []
    for i, stop in enumerate(stops):
        if stop.get("view") == "offscreen":
            findings.append(_finding("keyboard/focus-offscreen", snapshot, "review",
                                     f"Focus moves to {_named(stop)}, which is not on screen when focused.",
                                     selector=stop["selector"], snippet=stop["html"], occurrence=i))
            continue
        if stop.get("view") == "covered" and not stop["pinned"]:
            findings.append(_finding("keyboard/focus-obscured", snapshot, "fail",
                                     f"When {_named(stop)} has keyboard focus, fixed or sticky content covers all of it.",
                                     selector=stop["selector"], snippet=stop["html"], occurrence=i))
        if stop["style_changed"] is not False:
            continue
        changed = stop.get("pixels_changed")
        if changed == 0:
            findings.append(_finding(
                "keyboard/focus-not-visible", snapshot, "fail",
                f"{_named(stop)} shows no focus indicator: not one pixel of it (or {8} px around it) "
                f"changes when it takes keyboard focus.", selector=stop["selector"], snippet=stop["html"],
                evidence=({"clip": stop.get("clip"), "pixels_changed": 0},), occurrence=i))
        elif changed is None:
            unchecked.append(stop)
    if unchecked:
        findings.append(_finding(
            "keyboard/focus-not-visible", snapshot, "review",
            f"{len(unchecked)} more element(s) change no style when focused (not pixel-checked): "
            + ", ".join(_named(s) for s in unchecked[:5]) + ".",
            selector=unchecked[0]["selector"], snippet=unchecked[0]["html"],
            evidence=({"selectors": [s["selector"] for s in unchecked[:20]]},), occurrence=len(stops)))
    return findings


def _click_only(snapshot: PageSnapshot, walk: dict[str, Any]) -> list[Finding]:
    findings = []
    for i, item in enumerate(walk["click_only"]):
        certain = item["role"] in _INTERACTIVE_ROLES
        label = f"role={item['role']} " if item["role"] else ""
        findings.append(_finding(
            "keyboard/click-only", snapshot, "fail" if certain else "review",
            f"This {label}element has a {item['how']} but cannot take keyboard focus"
            + (", so keyboard users cannot use it." if certain else "; check it does not do something keyboard users cannot."),
            selector=item["selector"], snippet=item["html"], occurrence=i))
    return findings


def _skip_links(snapshot: PageSnapshot, walk: dict[str, Any]) -> list[Finding]:
    return [_finding("keyboard/skip-link-broken", snapshot, "fail",
                     f"The link \u201c{link['text']}\u201d (href=\"{link['href']}\") near the start of the page "
                     f"points at nothing on the page.", selector=link["selector"], occurrence=i)
            for i, link in enumerate(walk["skip_links"]) if not link["target_found"]]


def _focus_order(snapshot: PageSnapshot, walk: dict[str, Any]) -> list[Finding]:
    stops, order = walk["stops"], walk["order"]
    jumps = []
    for a, b in zip(order, order[1:], strict=False):
        first, second = stops[a], stops[b]
        if _shown(first) and _shown(second) and not first["pinned"] and not second["pinned"]:
            (ax, ay, aw, _), (bx, by, bw, bh) = first["box"], second["box"]
            if by + bh <= ay and bx < ax + aw and bx + bw > ax:  # straight back up the same column
                jumps.append({"from": first["selector"], "to": second["selector"]})
    positive = walk["positive_tabindex"]
    if not jumps and not positive:
        return []
    parts = []
    if positive:
        parts.append(f"{len(positive)} element(s) have a positive tabindex, which takes them out of page order")
    if jumps:
        parts.append(f"focus jumps back up the page {len(jumps)} time(s)")
    target = positive[0] if positive else {"selector": jumps[0]["to"], "html": None}
    return [_finding("keyboard/focus-order", snapshot, "review", "; ".join(parts).capitalize() + ".",
                     selector=target["selector"], snippet=target.get("html"),
                     evidence=({"positive_tabindex": positive[:10], "jumps": jumps[:10]},))]


def _shown(stop: dict[str, Any]) -> bool:
    x, y, w, h = stop["box"]
    return w > 0 and h > 0 and x >= 0 and y >= 0


# changes of context ------------------------------------------------------------------------------

_CERTAIN = ("navigation", "new window", "form submission")


def check_context_changes(snapshot: PageSnapshot) -> Evaluation:
    probe = snapshot.context_changes
    if not probe or "controls" not in probe:
        return Evaluation()
    findings = []
    for i, control in enumerate(probe["controls"]):
        for key, id, when in (("on_focus", "context/on-focus", "taking focus"),
                              ("on_input", "context/on-input", "being changed")):
            events = control.get(key) or []
            if not events:
                continue
            certain = any(e["kind"] in _CERTAIN for e in events)
            happened = "; ".join(f"{e['kind']} ({e['detail']})" for e in events[:3])
            findings.append(_finding(id, snapshot, "fail" if certain else "review",
                                     f"On {when}, this <{control['tag']}> caused: {happened}.",
                                     selector=control["selector"], snippet=control["html"],
                                     evidence=({"events": events, "method": probe["method"]},), occurrence=i))
    return Evaluation(findings=findings)


# text spacing and zoom -----------------------------------------------------------------------------

def _text_layout(snapshot: PageSnapshot, probe: dict[str, Any] | None, family: str, how: str) -> Evaluation:
    if not probe:
        return Evaluation()
    findings = []
    for i, found in enumerate(probe["found"]):
        clipped = found["kind"] == "clipped"
        id = f"{family}/text-clipped" if clipped else f"{family}/text-overlap"
        outcome = "fail" if clipped and family == "spacing" and not found.get("ellipsis") else "review"
        what = (f"cut off ({found['axis']})" if clipped else "runs out of the bottom of its box")
        findings.append(_finding(id, snapshot, outcome,
                                 f"{how}, text in this element is {what}: \u201c{found['text']}\u201d.",
                                 selector=found["selector"], snippet=found["html"],
                                 evidence=({"runs": found["runs"], "method": probe["method"]},), occurrence=i))
    return Evaluation(findings=findings)


def check_text_spacing(snapshot: PageSnapshot) -> Evaluation:
    return _text_layout(snapshot, snapshot.text_spacing, "spacing", "With WCAG 1.4.12 text spacing")


def check_text_zoom(snapshot: PageSnapshot) -> Evaluation:
    return _text_layout(snapshot, snapshot.text_zoom, "resize", "At 200 % text size")


# motion, sound, time and orientation -------------------------------------------------------------

def check_motion(snapshot: PageSnapshot) -> Evaluation:
    findings = []
    probe = snapshot.motion
    if probe:
        has_pause = bool(probe["pause_controls"])
        if probe["animations"] and not has_pause:
            first = probe["animations"][0]
            findings.append(_finding(
                "motion/animation", snapshot, "review",
                f"{len(probe['animations'])} animation(s) run for more than 5 s ({first['name']}, "
                f"{first['iterations']} iteration(s)) and no control offers to pause or stop them.",
                selector=first["selector"], snippet=first["html"], evidence=tuple(probe["animations"][:5])))
        for i, media in enumerate(probe["media"]):
            long = media["loop"] or media["duration_s"] == "unbounded" or (media["duration_s"] or 0) > 3
            if media["playing"] and not media["muted"] and long and not media["controls"] and not has_pause:
                findings.append(_finding(
                    "motion/autoplay-audio", snapshot, "fail",
                    f"This <{media['tag']}> started playing by itself ({media['duration_s']} s"
                    f"{', looping' if media['loop'] else ''}) with sound on and no control to stop it.",
                    selector=media["selector"], snippet=media["html"], evidence=(media,), occurrence=i))
    refresh = {k.lower(): v for k, v in snapshot.headers.items()}.get("refresh")
    if refresh and _delay(refresh) > 0:
        findings.append(_finding("motion/timed-refresh", snapshot, "fail",
                                 f"The server asks the browser to reload or leave this page after "
                                 f"{_delay(refresh):g} s (HTTP header Refresh: {refresh[:100]}).",
                                 evidence=({"refresh": refresh[:300]},)))
    return Evaluation(findings=findings)


def _delay(refresh: str) -> float:
    """The delay of a Refresh value ("5; url=/next"); 20 hours or more is no time limit (WCAG 2.2.1)."""
    try:
        delay = float(refresh.split(";")[0].split(",")[0].strip())
    except ValueError:
        return 0
    return delay if delay < 20 * 3600 else 0


def check_orientation(snapshot: PageSnapshot) -> Evaluation:
    probe = snapshot.orientation
    if not probe:
        return Evaluation()
    for element in probe["elements"]:
        turns = [round(abs(a) / 90) % 2 for a in element["angles"]]  # 1 = a quarter turn
        near = all(abs(abs(a) - 90 * round(abs(a) / 90)) <= 2 for a in element["angles"])
        if near and turns[0] != turns[1]:
            (w, h), (tw, th) = probe["viewports"]
            return Evaluation(findings=[_finding(
                "orientation/locked", snapshot, "fail",
                f"This element is turned {element['angles'][0]}° at {w}×{h} and {element['angles'][1]}° at "
                f"{tw}×{th}: CSS holds the page in one orientation.",
                selector=element["selector"], evidence=(element,))])
    return Evaluation()


def _check(id: str, requires: str, title: str, explanation: str, evaluate: Any) -> Check:
    return Check(id=id, pillar=_PILLAR, version=1, requires=(requires,), title=title, explanation=explanation,
                 evaluate=evaluate, entries=tuple(e for k, e in ENTRIES.items() if k.startswith(id + "/")))


CHECKS = [
    _check("keyboard", "keyboard", "Keyboard walk: traps, visible focus, reachability, order",
           "The page operated with Tab alone, as keyboard and switch users do: a trap, an invisible focus or "
           "an unreachable control stops them where a mouse user goes on.", check_keyboard),
    _check("context", "context_changes", "Changes of context on focus and input",
           "Each form control focused and changed, watching for pages, windows and submissions it causes: "
           "a select that navigates on the first arrow key sends keyboard users somewhere they never chose.",
           check_context_changes),
    _check("spacing", "text_spacing", "Text spacing (WCAG 1.4.12)",
           "WCAG's text spacing applied, looking for text that is then cut off or overlaps: people with "
           "dyslexia or low vision widen spacing with their own style sheet.", check_text_spacing),
    _check("resize", "text_zoom", "Text at 200 % (WCAG 1.4.4)",
           "Text doubled in size, looking for text that is then cut off or overlaps: people with low vision "
           "enlarge text, and a fixed-size box then hides what it says.", check_text_zoom),
    _check("motion", "motion", "Motion, sound and timed refresh",
           "Animations, media that plays on its own and refreshes on a timer: they distract, drown a screen "
           "reader's voice, or move the page away before a slow reader has finished.", check_motion),
    _check("orientation", "orientation", "Orientation (WCAG 1.3.4)",
           "The page laid out in both orientations, looking for CSS that holds it in one: a tablet mounted "
           "on a wheelchair cannot be turned to suit the page.", check_orientation),
]
