"""The catalogue: one well-formed entry per finding id, with true WCAG and ACT references."""

from __future__ import annotations

import asyncio
import re

import pytest

from accesscheck.catalogue import CRITERION_ID, Entry, axe_metadata, catalogue, criteria, lookup
from accesscheck.checks import PILLARS, all_checks, all_site_checks
from accesscheck.gather.axe import axe_version, installed_axe_rules
from accesscheck.model import IMPACTS


def test_every_check_declares_its_ids_once():
    declared = [e.id for c in [*all_checks(), *all_site_checks()] for e in c.entries]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(catalogue().entries)


@pytest.mark.parametrize("entry", list(catalogue().entries.values()), ids=lambda e: e.id)
def test_entry_is_well_formed(entry: Entry):
    assert re.fullmatch(r"[a-z0-9-]+/[A-Za-z0-9_.-]+", entry.id)
    assert entry.pillar in PILLARS
    assert entry.impact in IMPACTS
    assert entry.outcomes and set(entry.outcomes) <= {"fail", "review"}
    assert entry.title.strip() and len(entry.explanation) > 40 and entry.fix.strip()
    for criterion in entry.wcag:
        assert CRITERION_ID.match(criterion) and criterion in criteria(), criterion
    assert all(re.fullmatch(r"[a-z0-9]{6}", a) for a in entry.act)
    assert entry.help_url is None or entry.help_url.startswith("https://")


def test_every_act_id_is_an_approved_w3c_rule(act_cases):
    approved = {case["ruleId"] for case in act_cases}
    named = {a for e in catalogue().entries.values() for a in e.act}
    assert named and named <= approved, named - approved


def test_wcag_table_has_every_criterion_of_each_version():
    """61 criteria in WCAG 2.0, 78 in 2.1, 86 in 2.2 (4.1.1 Parsing removed in 2.2)."""
    table = criteria()

    def in_version(version: str) -> int:
        return sum(1 for c in table.values() if c.introduced <= version and not (c.removed and c.removed <= version))
    assert (in_version("2.0"), in_version("2.1"), in_version("2.2")) == (61, 78, 86)
    assert table["2.4.11"].introduced == "2.2" and table["2.4.11"].level == "AA"
    assert table["1.4.6"].level == "AAA" and table["4.1.1"].removed == "2.2"


def test_axe_entries_come_from_axe_metadata():
    axe_ids = {f"axe/{r['id']}" for r in axe_metadata()["rules"]}
    assert axe_ids == {i for i, fam in catalogue().families.items() if fam == "axe"}
    image_alt = lookup("axe/image-alt")
    assert image_alt is not None and image_alt.wcag == ("1.1.1",) and "23a2a8" in image_alt.act
    assert lookup("axe/color-contrast").impact == "serious"


@pytest.mark.browser
def test_axe_metadata_matches_the_installed_axe():
    """data/catalogue/axe_rules.json is what the installed axe script says of itself; after an
    upgrade of axe-playwright-python run scripts/extract-axe-rules.py."""
    live = asyncio.run(installed_axe_rules())
    assert live["version"] == axe_version() == axe_metadata()["version"]
    assert live["rules"] == axe_metadata()["rules"], "run scripts/extract-axe-rules.py"


def test_demo_findings_are_all_catalogued(demo_run):
    """Every id the demo scan emits (page and site findings) has an entry, with the finding's
    WCAG criteria among the entry's (axe findings are the rule's own tags)."""
    findings = [f for p in demo_run.pages for f in p.findings] + \
        [f for found in demo_run.site_findings.values() for f in found]
    assert findings
    for finding in findings:
        entry = lookup(finding.check)
        assert entry is not None, finding.check
        assert set(finding.wcag) <= set(entry.wcag), finding.check
        assert finding.outcome in entry.outcomes, finding.check
