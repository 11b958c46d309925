"""SARIF 2.1.0 (`--sarif PATH`), the format code-scanning dashboards read (GitHub, Azure DevOps).

One SARIF run per accesscheck run. Rules carry the check's title, its plain-language explanation
and axe's help link; results carry the page URL as the artifact location, the CSS selector as a
logical location, the element's HTML as the snippet, and our fingerprint as a partial fingerprint,
so a dashboard tracks a problem across scans the way the baseline does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accesscheck.model import Finding
from accesscheck.report.views import CatalogueEntry, catalogue, catalogue_entry, rule_help
from accesscheck.store import RunRecord

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: impact -> SARIF level for failures ("needs review" results are kind "review", level "none",
#: as SARIF 2.1.0 §3.27.9 requires for any kind other than "fail").
LEVELS = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "note"}


def sarif_document(run: RunRecord) -> dict[str, Any]:
    entries = catalogue()
    located: list[tuple[Finding, str, bool]] = [
        (f, page.final_url or page.url, True) for page in run.pages for f in page.findings]
    located += [(f, origin, False) for origin, found in run.site_findings.items() for f in found]
    rules: dict[str, dict[str, Any]] = {}
    for finding, _, _ in located:
        if finding.check not in rules:
            rules[finding.check] = _rule(finding, catalogue_entry(finding.check, entries))
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


def _rule(finding: Finding, owner: CatalogueEntry | None) -> dict[str, Any]:
    title = rule_help(finding) if finding.check.startswith("axe/") else (owner.title if owner else finding.check)
    explanation = owner.explanation if owner else title
    rule: dict[str, Any] = {
        "id": finding.check,
        "shortDescription": {"text": title},
        "fullDescription": {"text": explanation},
        "help": {"text": f"{title}. {explanation}" + (f" Guidance: {finding.help_url}" if finding.help_url else "")},
        "properties": {"tags": [finding.pillar, *(f"WCAG {c}" for c in finding.wcag)], "pillar": finding.pillar},
    }
    if finding.help_url:
        rule["helpUri"] = finding.help_url
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
