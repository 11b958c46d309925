"""The accessibility pillar: axe-core's results as findings.

axe "violations" become `fail`, axe "incomplete" results (axe could not decide) become `review`.
They are never mixed: a "needs review" is work for a person, not a failure.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from accesscheck.checks import Check, Evaluation
from accesscheck.fingerprint import element_identity, fingerprint
from accesscheck.model import Finding, PageSnapshot

_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


def wcag_criteria(tags: list[str]) -> tuple[str, ...]:
    """`wcag111` -> 1.1.1, `wcag1410` -> 1.4.10; level tags like `wcag21aa` are not criteria."""
    found = []
    for tag in tags:
        match = _CRITERION_TAG.match(tag)
        if match:
            found.append(".".join(match.groups()))
    return tuple(sorted(set(found), key=lambda c: tuple(int(p) for p in c.split("."))))


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
    return Evaluation(findings=findings)


def _message(rule: dict, node: dict) -> str:
    summary = (node.get("failureSummary") or "").strip()
    return f"{rule.get('help', '')}. {summary}".strip(". ") if summary else rule.get("help", "")


CHECKS = [
    Check(
        id="axe", pillar="accessibility", version=1, requires=("axe",),
        title="axe-core WCAG 2.2 A/AA and best-practice rules",
        explanation=("Automated WCAG checks from axe-core. Each failure is a barrier a disabled person "
                     "meets on this page: an image a blind person cannot hear described, a form field "
                     "a screen reader cannot name, text too faint to read. Items marked 'needs review' "
                     "are ones axe could not decide; a person must look."),
        evaluate=axe_findings,
    ),
]
