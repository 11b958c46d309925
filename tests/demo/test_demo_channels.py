"""The demo portal against ground_truth_channels.json, both ways: every listed channel, statement
element, language, document property and finding is found, and nothing unlisted is reported."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

import pytest

from conftest import path_of

pytestmark = pytest.mark.browser
TRUTH = json.loads(files("accesscheck.demo").joinpath("ground_truth_channels.json").read_text(encoding="utf-8"))


def _site(run):
    (origin,) = run.site_data
    return run.site_data[origin], run.site_findings.get(origin, [])


def test_phones_exactly_with_cost_flags(demo_run):
    data, _ = _site(demo_run)
    phones = {p["e164"]: p["premium_rate"] for p in data["channels"]["phone"]}
    assert phones == {n: t["premium_rate"] for n, t in TRUTH["phones"].items()}
    for item in data["channels"]["phone"]:
        assert item["page"].startswith("http://127.0.0.1") and item["selector"] and item["text"]


def test_channel_kinds_found_and_not_invented(demo_run):
    data, _ = _site(demo_run)
    for kind, page in TRUTH["kinds_present"].items():
        assert page in {path_of(i["page"]) for i in data["channels"][kind]}, kind
    for kind in TRUTH["kinds_absent"]:
        assert data["channels"][kind] == [], kind


def test_statement_elements_both_ways(demo_run):
    data, _ = _site(demo_run)
    statement, truth = data["statement"], TRUTH["statement"]
    assert path_of(statement["url"]) == truth["path"]
    assert statement["linked_from_share"] == truth["linked_from_share"]
    for name in truth["present"]:
        assert statement["elements"][name] is not None, name
    for name in truth["missing"]:
        assert statement["elements"][name] is None, name
    assert statement["elements"]["preparation_date"]["date"] == truth["date"]


def test_languages_offered(demo_run):
    data, _ = _site(demo_run)
    assert sorted(item["lang"] for item in data["languages"]) == TRUTH["languages"]


def test_page_findings_both_ways(demo_run):
    for page in demo_run.pages:
        if page.outcome != "scanned":
            continue
        found = sorted({f.check for f in page.findings if f.pillar in ("channels", "inclusion")})
        assert found == sorted(TRUTH["page_findings"].get(path_of(page.url), [])), path_of(page.url)


def test_site_findings_both_ways(demo_run):
    _, findings = _site(demo_run)
    expected = set(TRUTH["site_findings"])
    if (date.today() - date.fromisoformat(TRUTH["statement"]["date"])).days > 365:
        expected.add("channels/statement-out-of-date")  # the demo statement ages like a real one
    assert {f.check for f in findings} == expected
    untagged = {path_of(e["document"]) for f in findings if f.check == "channels/pdf-untagged" for e in f.evidence}
    assert untagged == {"/forms/council-tax-discount.pdf", "/forms/housing-benefit-claim.pdf"}
    no_html = {path_of(e["document"]) for f in findings if f.check == "channels/document-no-html-version" for e in f.evidence}
    assert no_html == set(TRUTH["no_html_version"])


def test_documents_inspected(demo_run):
    documents = {path_of(d.url): d.properties for d in demo_run.documents}
    for path, expected in TRUTH["documents"].items():
        for key, value in expected.items():
            assert documents[path][key] == value, (path, key)


def test_schema_holds_the_site_data_and_rejects_a_phone_without_e164(demo_run):
    import copy

    import jsonschema

    from accesscheck.report.json_report import results_document, results_schema
    document = results_document(demo_run)
    jsonschema.validate(document, results_schema())
    broken = copy.deepcopy(document)
    del broken["sites"][0]["channels"]["phone"][0]["e164"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, results_schema())


def test_terminal_summary_shows_the_pillars(demo_run):
    from rich.console import Console

    from accesscheck.report.terminal import print_summary
    console = Console(record=True, width=200)
    print_summary(demo_run, console)
    text = console.export_text()
    assert "Channels and inclusion" in text
    assert "phone (premium rate!)" in text and "missing: enforcement_procedure" in text
