"""`accesscheck rescore`: today's checks on saved snapshots, without a browser, as a new run."""

from __future__ import annotations

import gzip
import json

import pytest

from accesscheck.errors import ConfigError
from accesscheck.rescore import rescore
from accesscheck.store import Store
from conftest import run_cli, run_scan


def _failing(run):
    return sorted((p.final_url, f.fingerprint) for p in run.pages for f in p.findings if f.outcome == "fail")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scanned(demo_server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rescore")
    run = run_scan([demo_server.origin + "/"], tmp / "scan.db", max_pages=8, depth=2,
                   snapshot_dir=tmp / "snapshots")
    return run, tmp


def test_rescoring_a_run_gives_the_same_results_as_a_new_run(scanned):
    run, tmp = scanned
    store = Store(f"sqlite:///{tmp}/scan.db")
    new = store.load_run(rescore(store, run.id))
    assert new.id != run.id and new.status == "completed"
    assert new.config["rescore_of"] == run.id
    assert [(p.url, p.outcome) for p in new.pages] == [(p.url, p.outcome) for p in run.pages]
    assert sum(p.outcome == "scanned" for p in new.pages) >= 5
    assert _failing(new) and _failing(new) == _failing(run)  # the checks did not change meanwhile
    assert {o: sorted(f.fingerprint for f in fs) for o, fs in new.site_findings.items()} == \
           {o: sorted(f.fingerprint for f in fs) for o, fs in run.site_findings.items()}, \
        [(p.url, p.check_errors, sorted(p.facts)) for p in run.pages if p.outcome == "scanned"]
    # scored again and stored: the same scorecards, judged against the original scan's date
    assert new.scorecards and new.scorecards == run.scorecards
    assert set(new.page_scorecards) == {p.url for p in new.pages} and new.page_scorecards == run.page_scorecards
    assert new.config["scan_date"] == run.started[:10]


def test_a_snapshot_folder_alone_and_a_lost_snapshot(scanned, tmp_path):
    run, tmp = scanned
    folder = tmp_path / "snapshots"
    folder.mkdir()
    kept = sorted((tmp / "snapshots").glob("*.json.gz"))
    for path in kept[1:]:
        (folder / path.name).write_bytes(path.read_bytes())
    store = Store(f"sqlite:///{tmp_path}/new.db")
    new = store.load_run(rescore(store, str(folder)))
    assert len(new.pages) == len(kept) - 1 and all(p.outcome == "scanned" for p in new.pages)
    assert new.config["rescore_of"] is None
    # The same run, its first snapshot gone: that page is recorded as failed, with the reason.
    with gzip.open(kept[0], "rt") as fh:
        lost = json.load(fh)["final_url"]
    copy = Store(f"sqlite:///{tmp}/scan.db")
    old_dir = run.config["snapshot_dir"]
    copy_run = copy.load_run(run.id)
    assert old_dir and copy_run.config["snapshot_dir"] == old_dir
    kept[0].rename(tmp_path / "aside.json.gz")
    try:
        again = copy.load_run(rescore(copy, run.id))
    finally:
        (tmp_path / "aside.json.gz").rename(kept[0])
    page = next(p for p in again.pages if p.final_url == lost)
    assert page.outcome == "failed" and "no snapshot" in page.reason


def test_a_run_without_snapshots_is_one_clear_sentence(demo_server, tmp_path):
    run = run_scan([demo_server.origin + "/"], tmp_path / "plain.db", max_pages=1, depth=0)
    with pytest.raises(ConfigError, match="kept no snapshots"):
        rescore(Store(f"sqlite:///{tmp_path}/plain.db"), run.id)
    result = run_cli("rescore", run.id, "--db", f"sqlite:///{tmp_path}/plain.db")
    assert result.returncode == 1
    assert "kept no snapshots; scan with --save-snapshots" in result.stderr and "Traceback" not in result.stderr


def test_the_command_writes_a_new_run(scanned, tmp_path):
    run, tmp = scanned
    result = run_cli("rescore", run.id, "--db", f"sqlite:///{tmp}/scan.db", "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["run"]["id"] != run.id and f"{run.id} rescored" in result.stderr
