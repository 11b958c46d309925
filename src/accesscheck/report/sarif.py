"""SARIF 2.1.0 (`--sarif PATH`), the format code-scanning dashboards read (GitHub, Azure DevOps).

One SARIF run per accesscheck run. Rules carry the catalogue entry of the finding id: its title,
plain-language explanation and fix, WCAG criteria and ACT rules as tags, and its help link; results carry the page URL as the artifact location, the CSS selector as a
logical location, the element's HTML as the snippet, and our fingerprint as a partial fingerprint,
so a dashboard tracks a problem across scans the way the baseline does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accesscheck.model import Finding
from accesscheck.catalogue import Entry, lookup
from accesscheck.store import RunRecord

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: impact -> SARIF level for failures ("needs review" results are kind "review", level "none",
#: as SARIF 2.1.0 §3.27.9 requires for any kind other than "fail").
LEVELS = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "note"}


def sarif_document(run: RunRecord) -> dict[str, Any]:
    located: list[tuple[Finding, str, bool]] = [
        (f, page.final_url or page.url, True) for page in run.pages for f in page.findings]
    located += [(f, origin, False) for origin, found in run.site_findings.items() for f in found]
    rules: dict[str, dict[str, Any]] = {}
    for finding, _, _ in located:
        if finding.check not in rules:
            rules[finding.check] = _rule(finding, lookup(finding.check))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "accesscheck", "version": str(run.versions.get("accesscheck", "")),
                                "rules": list(rules.values())}},
            "automationDetails": {"id": f"accesscheck/{run.id}"},
            "invocations": [{"executionSuccessful": run.status == "completed",
                             "startTimeUtc": run.started, **({"endTimeUtc": run.finished} if run.finished else {})}],
            "results": [_result(f, url, on_page, index[f.check]) for f, url, on_page in located],
        }],
    }


def _rule(finding: Finding, entry: Entry | None) -> dict[str, Any]:
    """The SARIF rule of a finding id, from its catalogue entry (an id no entry describes, which
    the catalogue test forbids, still gets a rule named after itself)."""
    title = entry.title if entry else finding.check
    explanation = entry.explanation if entry else title
    help_url = finding.help_url or (entry.help_url if entry else None)
    wcag = entry.wcag if entry else finding.wcag
    act = entry.act if entry else ()
    fix = f" How to fix it: {entry.fix}" if entry and entry.fix else ""
    rule: dict[str, Any] = {
        "id": finding.check,
        "shortDescription": {"text": title},
        "fullDescription": {"text": explanation},
        "help": {"text": f"{title}. {explanation}{fix}" + (f" Guidance: {help_url}" if help_url else "")},
        "properties": {"tags": [finding.pillar, *(f"WCAG {c}" for c in wcag), *(f"ACT {a}" for a in act)],
                       "pillar": finding.pillar, "wcag": list(wcag), "act": list(act)},
    }
    if help_url:
        rule["helpUri"] = help_url
    return rule


def _result(finding: Finding, url: str, on_page: bool, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": url}}}
    if finding.snippet:
        location["physicalLocation"]["region"] = {"snippet": {"text": finding.snippet}}
    if finding.selector:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.selector, "kind": "element"}]
    failing = finding.outcome == "fail"
    return {
        "ruleId": finding.check,
        "ruleIndex": rule_index,
        "kind": "fail" if failing else "review",
        "level": LEVELS.get(finding.impact or "", "warning") if failing else "none",
        "message": {"text": finding.message or finding.check},
        "locations": [location],
        "partialFingerprints": {"accesscheck/v1": finding.fingerprint},
        "properties": {"impact": finding.impact, "wcag": list(finding.wcag), "pillar": finding.pillar,
                       "scope": "page" if on_page else "site",
                       **({"evidence": list(finding.evidence)} if finding.evidence else {})},
    }


def write_sarif(run: RunRecord, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sarif_document(run), indent=1, ensure_ascii=False), encoding="utf-8")
