"""The accessibility pillar: axe-core's results as findings.

axe "violations" become `fail`, axe "incomplete" results (axe could not decide) become `review`.
They are never mixed: a "needs review" is work for a person, not a failure.
"""

from __future__ import annotations

from collections import Counter

from accesscheck.catalogue import axe_entries, wcag_criteria
from accesscheck.checks import Check, Evaluation
from accesscheck.fingerprint import element_identity, fingerprint
from accesscheck.model import Finding, PageSnapshot


def axe_findings(snapshot: PageSnapshot) -> Evaluation:
    if not snapshot.axe:
        return Evaluation()
    findings = []
    occurrences: Counter[tuple[str, str]] = Counter()
    for key, outcome in (("violations", "fail"), ("incomplete", "review")):
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
        entries=tuple(axe_entries()),  # from axe's own rule metadata (catalogue.axe_metadata)
    ),
]
