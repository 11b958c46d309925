"""A pillar that lands later (a real module, tests/pillars/phone.py: a channels pillar with a site
check and a score hook) shows up in the stored scorecard, the report site, SARIF and JUnit with no
change to the report code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import lxml.html
import pytest

from accesscheck import checks
from accesscheck.model import PageResult
from accesscheck.report.junit import junit_tree
from accesscheck.report.sarif import sarif_document
from accesscheck.report.site import build_site
from accesscheck.scan import evaluate_site
from accesscheck.store import Store
from pillars.phone import EXPLANATION

ORIGIN = "http://127.0.0.1:9"


@pytest.fixture
def channels_pillar(monkeypatch):
    """As if only accessibility and this pillar existed."""
    monkeypatch.setattr(checks, "PILLAR_MODULES", ("accesscheck.checks.accessibility", "pillars.phone"))


@pytest.fixture
def run_with_site_finding(tmp_path, channels_pillar):
    store = Store(f"sqlite:///{tmp_path}/n.db")
    store.start_run("r1", {}, {"accesscheck": "0.1.0", "checks": {"axe": 1, "channels/phone": 1}})
    store.update_run("r1", sites=[{"origin": ORIGIN, "name": "Council", "robots": "read"}])
    store.add_page("r1", PageResult(url=ORIGIN + "/", site=ORIGIN, outcome="scanned", final_url=ORIGIN + "/",
                                    status=200, title="Home"))
    evaluate_site(store, store.load_run("r1"), ORIGIN)  # the pillar's site check, then the scorecards
    store.finish_run("r1", "completed")
    return store


def test_a_new_pillar_appears_everywhere(run_with_site_finding, tmp_path):
    store = run_with_site_finding
    files = build_site(store, tmp_path / "site")
    portal = lxml.html.fromstring(files.portals[0].read_bytes())
    row = portal.xpath("//caption[.='Scores by pillar']/../tbody/tr[th='Channels']")[0].text_content()
    assert "40" in row
    assert portal.xpath("//span[@class='big']")[0].text_content() == "70"  # (accessibility 100 + channels 40) / 2
    problem = portal.xpath("//article[@class='problem']")[0].text_content()
    assert "A phone number" in problem and "across the site" in problem and "Email us <script>x</script>" in problem
    check = next(p for p in files.checks if p.name.startswith("channels-phone"))
    assert EXPLANATION in lxml.html.fromstring(check.read_bytes()).text_content()

    run = store.load_run("r1")
    schema = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    document = sarif_document(run)
    jsonschema.Draft7Validator(schema).validate(document)
    result = document["runs"][0]["results"][0]
    assert result["ruleId"] == "channels/phone" and result["properties"]["scope"] == "site"

    root = junit_tree(run).getroot()
    site_case = [c for c in root.iter("testcase") if c.get("name") == "channels/phone"]
    assert len(site_case) == 1 and site_case[0].find("failure") is not None
    assert ET.tostring(root)  # serialises
