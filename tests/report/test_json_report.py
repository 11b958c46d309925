"""The JSON results contract: the demo scan validates against the documented schema, and the
schema is strict enough to reject what the contract forbids."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from accesscheck.report.json_report import results_document, results_schema, write_json

pytestmark = pytest.mark.browser


def test_demo_results_validate(demo_run, tmp_path):
    path = tmp_path / "results.json"
    write_json(demo_run, path)
    document = json.loads(path.read_text())
    jsonschema.validate(document, results_schema())
    assert document["tool"]["engines"]["axe-core"].startswith("4.")
    assert document["tool"]["engines"]["chromium"]
    site = document["sites"][0]
    assert site["summary"]["pages"]["scanned"] == sum(1 for p in site["pages"] if p["outcome"] == "scanned")


@pytest.mark.parametrize("breakage", ["mixed_outcome", "failed_without_reason", "bad_wcag", "unknown_outcome"])
def test_schema_rejects_broken_documents(demo_run, breakage):
    document = copy.deepcopy(results_document(demo_run))
    page = next(p for p in document["sites"][0]["pages"] if p["findings"])
    if breakage == "mixed_outcome":
        page["findings"][0]["outcome"] = "fail-or-review"
    elif breakage == "failed_without_reason":
        page["outcome"], page["reason"] = "failed", None
    elif breakage == "bad_wcag":
        page["findings"][0]["wcag"] = ["wcag111"]
    else:
        page["outcome"] = "done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, results_schema())
