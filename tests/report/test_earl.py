"""EARL 1.0 JSON-LD (`--earl`): its shape, a JSON-LD round trip, and agreement with the findings."""

from __future__ import annotations

import pytest
from pyld import jsonld

from accesscheck.catalogue import act_rules
from accesscheck.report.earl import CONTEXT, earl_document

EARL = "http://www.w3.org/ns/earl#"
OUTCOMES = {f"{EARL}{o}" for o in ("passed", "failed", "cantTell", "inapplicable")}


@pytest.mark.browser  # the demo scan
def test_earl_shape_and_round_trip(demo_run):
    doc = earl_document(demo_run)
    assertions = [n for n in doc["@graph"] if n["@type"] == "earl:Assertion"]
    assert assertions
    tool = next(n for n in doc["@graph"] if "earl:Assertor" in n.get("@type", []))
    assert tool["doap:name"] == "accesscheck" and tool["doap:release"]["doap:revision"] == demo_run.versions["accesscheck"]
    rule_urls = {r.url for r in act_rules().values()}
    for a in assertions:
        assert a["earl:assertedBy"] == {"@id": tool["@id"]} and a["earl:mode"] == {"@id": "earl:automatic"}
        assert a["earl:subject"]["dct:source"].startswith("http://127.0.0.1:")
        test = a["earl:test"]["@id"]
        assert test in rule_urls or test.startswith("https://www.w3.org/WAI/WCAG22/Understanding/"), test
        for pointer in a["earl:result"].get("earl:pointer", []):
            assert pointer["@type"] == "ptr:CSSSelectorPointer" and pointer["ptr:expression"]

    # Round trip: expanded to full IRIs and compacted back with the same context, the graph is the
    # same RDF dataset (canonical N-Quads are equal).
    expanded = jsonld.expand(doc)
    again = jsonld.compact(expanded, {"@context": CONTEXT})
    canon = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    assert jsonld.normalize(doc, canon) == jsonld.normalize(again, canon)

    # Read back as RDF, every outcome is one of EARL's four and a failing axe finding on a page is
    # a failed assertion of its criterion there.
    results = {}
    for node in expanded[0]["@graph"] if "@graph" in expanded[0] else expanded:
        if f"{EARL}Assertion" not in node.get("@type", []):
            continue
        subject = node[f"{EARL}subject"][0]["http://purl.org/dc/terms/source"][0]["@value"]
        test = node[f"{EARL}test"][0]["@id"]
        outcome = node[f"{EARL}result"][0][f"{EARL}outcome"][0]["@id"]
        assert outcome in OUTCOMES
        results[(subject, test)] = outcome
    assert len(results) == len(assertions)
    page = next(p for p in demo_run.pages if any(f.outcome == "fail" and f.wcag for f in p.findings))
    finding = next(f for f in page.findings if f.outcome == "fail" and f.wcag)
    url = next(t["@id"] for t in (a["earl:test"] for a in assertions) if t["dct:title"].startswith(f"WCAG {finding.wcag[0]} "))
    assert results[(page.final_url, url)] == f"{EARL}failed"
    assert {o.rsplit("#", 1)[1] for o in results.values()} >= {"failed", "passed", "inapplicable"}
