"""History without a browser: runs per site, trends, `diff` by fingerprint, the gate's choice of
failing findings, and the `diff` command."""

from __future__ import annotations

import json

from accesscheck.baseline import gate_failures, write_baseline, load_baseline
from accesscheck.history import diff_runs, latest_runs, site_trend
from conftest import run_cli
from report_fixtures import BLOCKED, GOOD, hostile_history


def test_runs_of_a_site_and_latest_runs(tmp_path):
    store = hostile_history(tmp_path / "h.db")
    assert [(r.id, r.origins) for r in store.list_runs()] == [(i, (GOOD, BLOCKED)) for i in store.run_ids()]
    assert latest_runs(store) == {GOOD: store.run_ids()[-1], BLOCKED: store.run_ids()[-1]}
    trend = site_trend(store, GOOD)
    scores = [p.scorecard.score for p in trend]
    assert len(scores) == 3 and scores[0] < scores[1] < scores[2]
    assert [p.scorecard.score for p in site_trend(store, BLOCKED)] == [None, None, None]


def test_diff_lists_new_fixed_and_unchanged_by_fingerprint(tmp_path):
    store = hostile_history(tmp_path / "h.db")
    first, _, last = (store.load_run(r) for r in store.run_ids())
    result = diff_runs(first, last)
    assert sorted(e.check for e in result.fixed) == ["axe/label", "axe/link-name"]
    assert result.new == []
    assert sorted(e.check for e in result.unchanged) == ["axe/image-alt"] * 4
    back = diff_runs(last, first)
    assert [e.check for e in back.new] == ["axe/label", "axe/link-name"]  # worst impact first
    assert all(e.check != "axe/color-contrast" for e in result.unchanged)  # review is not failing


def test_gate_failures_ignore_review_and_respect_threshold_and_baseline(tmp_path):
    store = hostile_history(tmp_path / "h.db", runs=1)
    run = store.load_run(store.run_ids()[-1])
    assert {e.check for e in gate_failures(run, "minor")} == {"axe/image-alt", "axe/label", "axe/link-name"}
    assert {e.check for e in gate_failures(run, "serious")} == {"axe/image-alt", "axe/label"}
    assert gate_failures(run, "none") == []
    count = write_baseline(run, tmp_path / "b.json")
    assert count == 6 and gate_failures(run, "minor", load_baseline(tmp_path / "b.json")) == []


def test_diff_command(tmp_path):
    store = hostile_history(tmp_path / "h.db")
    first, last = store.run_ids()[0], store.run_ids()[-1]
    db = f"sqlite:///{tmp_path}/h.db"
    done = run_cli("diff", first, last, "--db", db, "--json", str(tmp_path / "d.json"))
    assert done.returncode == 0, done.stderr
    assert "Fixed since" in done.stdout and "Unchanged: 4" in done.stdout
    document = json.loads((tmp_path / "d.json").read_text())
    assert len(document["fixed"]) == 2 and document["new"] == []
    missing = run_cli("diff", first, "nope", "--db", db)
    assert missing.returncode == 1 and "nope" in missing.stderr
