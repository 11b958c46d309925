"""A local scan killed with SIGKILL is shown as stale and `scan --resume` finishes it: the pages it
stored are not visited again, the pages it had in flight are, and every page is stored once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from accesscheck.store import Store, pages, visits
from conftest import run_cli

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

# Depth 1 under a budget: the pages chosen are the home page's and the sitemap's best-ranked
# links, so an uninterrupted scan with the same settings says which pages the run must end with.
SETTINGS = ("--depth", "1", "--max-pages", "5", "--concurrency", "2", "--fail-on", "none", "--quiet")


def _visited(store: Store, run_id: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(visits).where(visits.c.run_id == run_id)).scalar_one()


def _start_scan(origin: str, db: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "accesscheck.cli", "scan", f"{origin}/", "--db", db,
                             "--delay", "1", *SETTINGS], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _kill_mid_run(process: subprocess.Popen[str], store: Store) -> str:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the scan ended before it could be killed: {process.stderr.read()}"
        run_ids = store.run_ids()
        if run_ids and _visited(store, run_ids[-1]) >= 2:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return run_ids[-1]
        time.sleep(0.2)
    process.kill()
    pytest.fail("the scan stored no page within 180 s")


def test_a_killed_scan_is_stale_and_resume_finishes_it_with_every_page_once(demo_server, tmp_path):
    db = f"sqlite:///{tmp_path}/killed.db"
    store = Store(db)
    run_id = _kill_mid_run(_start_scan(demo_server.origin, db), store)

    killed = store.load_run(run_id)
    assert killed.status == "stale"
    stored_before = {p.url for p in killed.pages if p.outcome == "scanned"}
    assert 2 <= len(stored_before) < 5, "the kill did not land mid-run"
    listing = run_cli("runs", "--db", db)
    assert listing.returncode == 0, listing.stderr
    assert run_id in listing.stdout and "stale" in listing.stdout
    refused = run_cli("scan", "--resume", run_id, "--db", db, "--depth", "2")
    assert refused.returncode == 1 and "no URLs, scan files or scan options" in refused.stderr

    report = run_cli("report", "--db", db, "--out", str(tmp_path / "stale-site"))
    assert report.returncode == 0, report.stderr
    league = (tmp_path / "stale-site" / "index.html").read_text(encoding="utf-8")
    assert f"incomplete: run {run_id} is stale" in league and 'class="grade grade-' not in league

    hits_at_kill = len(demo_server.hits)
    resumed = run_cli("scan", "--resume", run_id, "--db", db, "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    revisited = {h for h in demo_server.hits[hits_at_kill:]} & {urlsplit(u).path for u in stored_before}
    assert not revisited, f"pages stored before the kill were visited again: {revisited}"

    run = store.load_run(run_id)
    assert run.status == "completed"
    assert [u for u, n in Counter(p.url for p in run.pages).items() if n > 1] == []
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(pages).where(pages.c.run_id == run_id)).scalar_one() == len(run.pages)
    assert run.site_data, "the site checks ran on the finished run"
    report = run_cli("report", "--db", db, "--out", str(tmp_path / "site"))
    assert "incomplete" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    reference_db = f"sqlite:///{tmp_path}/whole.db"
    whole = run_cli("scan", f"{demo_server.origin}/", "--db", reference_db, *SETTINGS)
    assert whole.returncode == 0, whole.stderr
    reference = Store(reference_db)
    expected = reference.load_run(reference.run_ids()[-1])
    assert sorted((p.url, p.outcome) for p in run.pages) == sorted((p.url, p.outcome) for p in expected.pages)


def test_resume_refuses_a_completed_run_and_an_unknown_one(demo_server, tmp_path):
    db = f"sqlite:///{tmp_path}/done.db"
    done = run_cli("scan", f"{demo_server.origin}/", "--depth", "0", "--db", db, "--fail-on", "none", "--quiet")
    assert done.returncode == 0, done.stderr
    run_id = Store(db).run_ids()[-1]
    again = run_cli("scan", "--resume", run_id, "--db", db)
    assert again.returncode == 1 and "already completed" in again.stderr
    unknown = run_cli("scan", "--resume", "no-such-run", "--db", db)
    assert unknown.returncode == 1 and "no-such-run" in unknown.stderr
    assert os.path.exists(f"{tmp_path}/done.db")
