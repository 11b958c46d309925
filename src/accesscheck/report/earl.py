"""EARL 1.0 as JSON-LD (`--earl PATH`): the format of W3C's ACT implementation reports.

One assertion per scanned page and test, where a test is
  - an approved W3C ACT rule that some check implements (catalogue `act` ids): passed, failed,
    cantTell (only "needs review" findings) or inapplicable, told apart by the rules axe passed
    or found inapplicable on the page and by what own checks record as applicable;
  - a WCAG success criterion with findings on the page: failed, or cantTell (review only). A
    criterion without findings gets no assertion: automated checks cannot claim it is met.
Each result points at the elements by CSS selector (ptr:CSSSelectorPointer). The context is
inline, so the document is read without fetching anything.
Vocabulary: https://www.w3.org/TR/EARL10-Schema/ and https://www.w3.org/TR/Pointers-in-RDF10/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from accesscheck.catalogue import Catalogue, act_rules, catalogue, criteria
from accesscheck.model import Finding, PageResult
from accesscheck.store import RunRecord

CONTEXT: dict[str, Any] = {
    "earl": "http://www.w3.org/ns/earl#",
    "ptr": "http://www.w3.org/2009/pointers#",
    "dct": "http://purl.org/dc/terms/",
    "doap": "http://usefulinc.com/ns/doap#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sch": "https://schema.org/",
}
APPLICABLE = "applicable"  # a check's page facts may list the ACT rules it found applicable


def assertor_id(version: str) -> str:
    return f"urn:accesscheck:{version}"


def earl_document(run: RunRecord) -> dict[str, Any]:
    known = catalogue()
    version = str(run.versions.get("accesscheck", ""))
    tool = assertor_id(version)
    graph: list[dict[str, Any]] = [{
        "@id": tool, "@type": ["earl:Assertor", "earl:Software", "doap:Project"],
        "doap:name": "accesscheck", "doap:release": {"doap:revision": version},
        "dct:description": f"axe-core {run.versions.get('axe-core', '')} in Chromium {run.versions.get('chromium', '')}, "
                           "and accesscheck's own checks",
    }]
    for page in run.pages:
        if page.outcome != "scanned":
            continue
        subject = {"@type": ["earl:TestSubject", "sch:WebPage"], "dct:source": page.final_url or page.url,
                   "dct:title": page.title or ""}
        for test, outcome, found in page_tests(page, known):
            graph.append(_assertion(subject, test, outcome, found, tool, run.finished or run.started))
    return {"@context": CONTEXT, "@graph": graph}


def page_tests(page: PageResult, known: Catalogue) -> Iterable[tuple[dict[str, str], str, list[Finding]]]:
    """(test, outcome, the findings behind it) for every ACT rule and WCAG criterion of the page."""
    ran = _families_run(page)
    for rule in act_rules().values():
        ids = {e.id for e in known.implementing(rule.id) if known.family(e.id) in ran}
        if not ids:
            continue
        found = [f for f in page.findings if f.check in ids]
        yield ({"@id": rule.url, "dct:title": rule.name}, _outcome(found, page, ids, rule.id), found)
    by_criterion: dict[str, list[Finding]] = {}
    for finding in page.findings:
        for criterion in finding.wcag:
            by_criterion.setdefault(criterion, []).append(finding)
    table = criteria()
    for criterion, found in sorted(by_criterion.items()):
        name = table[criterion].name if criterion in table else criterion
        test = {"@id": table[criterion].url if criterion in table else f"urn:wcag:{criterion}",
                "dct:title": f"WCAG {criterion} {name}"}
        yield test, "failed" if any(f.outcome == "fail" for f in found) else "cantTell", found


def _families_run(page: PageResult) -> set[str]:
    """The checks that ran on the page without an error (their facts, or simply no error)."""
    from accesscheck.checks import all_checks
    return {c.id for c in all_checks() if c.id not in page.check_errors}


def _outcome(found: list[Finding], page: PageResult, ids: set[str], rule_id: str) -> str:
    if any(f.outcome == "fail" for f in found):
        return "failed"
    if found:
        return "cantTell"
    axe = page.facts.get("axe", {})
    if any(i.removeprefix("axe/") in axe.get("passed", []) for i in ids if i.startswith("axe/")):
        return "passed"
    if any(rule_id in facts.get(APPLICABLE, []) for facts in page.facts.values() if isinstance(facts, dict)):
        return "passed"
    return "inapplicable"


def _assertion(subject: dict[str, Any], test: dict[str, str], outcome: str, found: list[Finding],
               tool: str, date: str) -> dict[str, Any]:
    result: dict[str, Any] = {"@type": "earl:TestResult", "earl:outcome": {"@id": f"earl:{outcome}"},
                              "dct:date": date}
    pointers = list(dict.fromkeys(f.selector for f in found if f.selector))
    if pointers:
        result["earl:pointer"] = [{"@type": "ptr:CSSSelectorPointer", "ptr:expression": s} for s in pointers]
    if found:
        result["dct:description"] = " | ".join(dict.fromkeys(f"{f.check}: {f.message}" for f in found))[:2000]
    return {"@type": "earl:Assertion", "earl:subject": subject, "earl:test": test,
            "earl:assertedBy": {"@id": tool}, "earl:mode": {"@id": "earl:automatic"}, "earl:result": result}


def write_earl(run: RunRecord, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(earl_document(run), indent=1, ensure_ascii=False), encoding="utf-8")
