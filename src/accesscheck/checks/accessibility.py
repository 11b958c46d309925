"""The accessibility pillar: axe-core's results as findings, and styles axe does not judge.

axe "violations" become `fail`, axe "incomplete" results (axe could not decide) become `review`.
They are never mixed: a "needs review" is work for a person, not a failure. The rules axe passed
and found inapplicable are kept as the page's facts (EARL reports tell the two apart).
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from accesscheck.catalogue import Entry, axe_entries, wcag_criteria
from accesscheck.checks import Check, Evaluation
from accesscheck.fingerprint import element_identity, fingerprint
from accesscheck.model import Finding, PageSnapshot


def axe_findings(snapshot: PageSnapshot) -> Evaluation:
    if not snapshot.axe:
        return Evaluation()
    findings = []
    occurrences: Counter[tuple[str, str]] = Counter()
    outcomes: tuple[tuple[str, Literal["fail", "review"]], ...] = (("violations", "fail"), ("incomplete", "review"))
    for key, outcome in outcomes:
        for rule in snapshot.axe.get(key, []):
            check = f"axe/{rule['id']}"
            criteria = wcag_criteria(rule.get("tags", []))
            for node in rule.get("nodes", []):
                selector = " >>> ".join(" ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
                snippet = node.get("html", "")
                identity = (check, element_identity(selector, snippet))
                occurrence = occurrences[identity]
                occurrences[identity] += 1
                findings.append(Finding(
                    check=check, pillar="accessibility", outcome=outcome,
                    impact=node.get("impact") or rule.get("impact"), wcag=criteria,
                    selector=selector, snippet=snippet,
                    message=_message(rule, node),
                    help_url=rule.get("helpUrl"),
                    fingerprint=fingerprint(check, snapshot.final_url, selector, snippet, occurrence),
                ))
    facts = {"passed": sorted(snapshot.axe.get("passes", [])), "inapplicable": sorted(snapshot.axe.get("inapplicable", []))}
    return Evaluation(findings=findings, facts=facts)


def _message(rule: dict, node: dict) -> str:
    summary = (node.get("failureSummary") or "").strip()
    return f"{rule.get('help', '')}. {summary}".strip(". ") if summary else rule.get("help", "")


_SPACING = {
    # property: (finding name, ACT rule, what a reader cannot do)
    "letter-spacing": ("letter-spacing-important", "24afc2", "widen the spacing between letters"),
    "word-spacing": ("word-spacing-important", "9e45ec", "widen the spacing between words"),
    "line-height": ("line-height-important", "78fd32", "increase the line height"),
}
_SPACING_FIX = ("Remove !important from the style attribute, or declare at least WCAG 1.4.12's spacing: "
                "letter spacing 0.12 em, word spacing 0.16 em, line height 1.5.")


def style_findings(snapshot: PageSnapshot) -> Evaluation:
    """Spacing declared !important in a style attribute below WCAG 1.4.12's values (the reader's
    own style sheet cannot override it), and content rotated a quarter turn under an orientation
    media query (1.3.4). Both are certain from the CSS the browser computed: `fail`."""
    if not snapshot.styles:
        return Evaluation()
    findings, applicable = [], set()
    occurrences: Counter[tuple[str, str]] = Counter()

    def add(check: str, wcag: tuple[str, ...], selector: str, snippet: str, message: str) -> None:
        identity = (check, element_identity(selector, snippet))
        findings.append(Finding(check=check, pillar="accessibility", outcome="fail", impact="serious", wcag=wcag,
                                selector=selector, snippet=snippet, message=message,
                                fingerprint=fingerprint(check, snapshot.final_url, selector, snippet, occurrences[identity])))
        occurrences[identity] += 1

    for item in snapshot.styles.get("spacing", []):
        name, rule, action = _SPACING[item["property"]]
        applicable.add(rule)
        if item["share"] < item["minimum"]:
            add(f"styles/{name}", ("1.4.12",), item["selector"], item["html"],
                f"{item['property']}: {item['declared']} !important gives text {item['share']:g} times its font size "
                f"(WCAG 1.4.12 asks that people can set {item['minimum']:g}); people who need to {action} cannot.")
    for item in snapshot.styles.get("orientation", []):
        add("styles/orientation-locked", ("1.3.4",), item["selector"], item["rule"],
            f"Under @media {item['media']} the content is turned {item['degrees']:g}°, so it stays upright in one "
            "orientation only; people whose device is mounted in the other orientation cannot read it.")
    if snapshot.styles.get("orientation"):
        applicable.add("b33eff")
    return Evaluation(findings=findings, facts={"applicable": sorted(applicable)})


def focusable_findings(snapshot: PageSnapshot) -> Evaluation:
    """Keyboard focus that lands in content hidden from screen readers, and frames whose links
    and controls the keyboard can never reach. Both were tried in the browser: `fail`."""
    if not snapshot.focusable:
        return Evaluation()
    findings = []
    for check, items, wcag, message in (
            ("focusable/aria-hidden-focusable", snapshot.focusable.get("aria_hidden", []), ("1.3.1", "4.1.2"),
             "This element takes keyboard focus but sits inside aria-hidden=\"true\": a screen reader announces "
             "nothing, so its users land on something silent and unnamed."),
            ("focusable/frame-excluded", snapshot.focusable.get("frames", []), ("2.1.1",),
             "This iframe has a negative tabindex, so keyboard users can never reach the links and controls inside it.")):
        for i, item in enumerate(items):
            findings.append(Finding(check=check, pillar="accessibility", outcome="fail", impact="serious", wcag=wcag,
                                    selector=item["selector"], snippet=item["html"], message=message,
                                    fingerprint=fingerprint(check, snapshot.final_url, item["selector"], item["html"], i)))
    return Evaluation(findings=findings)


def _style_entry(name: str, title: str, explanation: str, fix: str, wcag: str, act: str, understanding: str) -> Entry:
    return Entry(id=f"styles/{name}", pillar="accessibility", title=title, explanation=explanation, fix=fix,
                 impact="serious", outcomes=("fail",), wcag=(wcag,), act=(act,),
                 help_url=f"https://www.w3.org/WAI/WCAG22/Understanding/{understanding}.html")


_SPACING_WHY = ("People with dyslexia or low vision often set wider spacing in their own style sheet to be able to "
                "read; spacing fixed with !important in the page's markup overrides theirs.")
STYLE_ENTRIES = (
    *(_style_entry(name, f"{prop} fixed with !important below WCAG's text spacing", _SPACING_WHY, _SPACING_FIX,
                   "1.4.12", rule, "text-spacing") for prop, (name, rule, _) in _SPACING.items()),
    _style_entry("orientation-locked", "Content locked to one orientation by a CSS rotation",
                 "People who use a tablet or phone mounted on a wheelchair cannot turn it; content that rotates "
                 "itself a quarter turn in one orientation is sideways for them.",
                 "Let the layout adapt to both orientations instead of rotating the page in a media query.",
                 "1.3.4", "b33eff", "orientation"),
)


FOCUSABLE_ENTRIES = (
    Entry(id="focusable/aria-hidden-focusable", pillar="accessibility",
          title="Focusable element inside aria-hidden content",
          explanation=("Content marked aria-hidden is removed for screen readers, but a keyboard can still focus it: "
                       "a blind person tabs onto something that is announced as nothing at all."),
          fix="Take the element out of the tab order (tabindex=\"-1\", disabled or inert), or stop hiding it.",
          impact="serious", outcomes=("fail",), wcag=("1.3.1", "4.1.2"), act=("6cfa84",),
          help_url="https://www.w3.org/WAI/standards-guidelines/act/rules/6cfa84/"),
    Entry(id="focusable/frame-excluded", pillar="accessibility",
          title="Iframe with interactive content taken out of the tab order",
          explanation=("An iframe with a negative tabindex cannot be entered with the Tab key, so keyboard users can "
                       "never reach the links and controls inside it."),
          fix="Remove the negative tabindex from the iframe, or remove the interactive content from it.",
          impact="serious", outcomes=("fail",), wcag=("2.1.1",), act=("akn7bn",),
          help_url="https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html"),
)


CHECKS = [
    Check(
        id="axe", pillar="accessibility", version=1, requires=("axe",),
        title="axe-core WCAG 2.2 A/AA and best-practice rules",
        explanation=("Automated WCAG checks from axe-core. Each failure is a barrier a disabled person "
                     "meets on this page: an image a blind person cannot hear described, a form field "
                     "a screen reader cannot name, text too faint to read. Items marked 'needs review' "
                     "are ones axe could not decide; a person must look."),
        evaluate=axe_findings,
        entries=tuple(axe_entries()),  # from axe's own rule metadata (catalogue.axe_metadata)
    ),
    Check(
        id="styles", pillar="accessibility", version=1, requires=("styles",),
        title="Styles that override people's own text spacing or lock the orientation",
        explanation=("Some people can only read text with wider spacing, or a screen in one orientation. Spacing "
                     "fixed with !important in the markup, or a page that rotates itself in one orientation, takes "
                     "that away from them."),
        evaluate=style_findings,
        entries=STYLE_ENTRIES,
    ),
    Check(
        id="focusable", pillar="accessibility", version=1, requires=("focusable",),
        title="Keyboard focus in hidden content, and frames the keyboard cannot enter",
        explanation=("Keyboard and screen-reader users need focus and what is announced to agree: focus must not land "
                     "on content hidden from screen readers, and content inside frames must be reachable."),
        evaluate=focusable_findings,
        entries=FOCUSABLE_ENTRIES,
    ),
]
