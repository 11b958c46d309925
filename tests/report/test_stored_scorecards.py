"""Scorecards are computed once per run and stored; every report reads the stored ones. The test
stores scorecards no scoring model would give (12.3 for the site, 45.6 for a page): a reporter that
recomputed would print the model's figures instead."""

from __future__ import annotations

import io

import lxml.html
import pytest
from rich.console import Console

from accesscheck.checks import PILLARS
from accesscheck.history import site_trend
from accesscheck.report.csv_report import page_rows
from accesscheck.report.json_report import results_document
from accesscheck.report.site import build_site
from accesscheck.report.terminal import print_summary
from accesscheck.score import NOT_STORED, Scorecard, site_scorecard, stored_site_scorecard
from report_fixtures import GOOD, hostile_history

PILLAR = {"score": 12.3, "grade": "F", "method": "findings", "reason": None, "coverage": 1.0}
SITE_CARD = {"score": 12.3, "grade": "F", "reason": None, "pillars": {name: PILLAR for name in PILLARS}}
PAGE_CARD = {"score": 45.6, "grade": "F", "reason": None, "pillars": {name: PILLAR for name in PILLARS}}


@pytest.fixture
def store(tmp_path):
    store = hostile_history(tmp_path / "h.db", runs=1)
    run = store.load_run(store.run_ids()[-1])
    assert site_scorecard(run, GOOD).score not in (12.3, None)  # what recomputing would give
    store.add_scorecards(run.id, GOOD, SITE_CARD, {p.url: PAGE_CARD for p in run.pages if p.site == GOOD})
    return store


def test_every_report_reads_the_stored_scorecards(store, tmp_path):
    run = store.load_run(store.run_ids()[-1])
    assert stored_site_scorecard(run, GOOD) == Scorecard.from_dict(SITE_CARD)

    document = results_document(run)
    site = next(s for s in document["sites"] if s["origin"] == GOOD)
    assert site["scorecard"]["score"] == 12.3
    assert {p["scorecard"]["score"] for p in site["pages"]} == {45.6}

    assert {row["score"] for row in page_rows(run) if row["site"] == GOOD} == {45.6}

    out = io.StringIO()
    print_summary(run, Console(file=out, width=200))
    assert f"{GOOD}: score 12 (F) - accessibility 12, bandwidth 12" in out.getvalue()

    assert [point.scorecard.score for point in site_trend(store, GOOD)] == [12.3]

    files = build_site(store, tmp_path / "site")
    portal = next(p for p in files.portals if "Northvale" in p.read_text(encoding="utf-8"))
    assert lxml.html.fromstring(portal.read_bytes()).xpath("//span[@class='big']")[0].text_content() == "12"


def test_a_run_without_stored_scorecards_says_so(tmp_path):
    store = hostile_history(tmp_path / "h.db", runs=1)
    run = store.load_run(store.run_ids()[-1])
    run.scorecards.clear()
    card = stored_site_scorecard(run, GOOD)
    assert card.score is None and card.reason == NOT_STORED and "rescore" in card.reason
