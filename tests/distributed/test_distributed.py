"""Distributed runs against the real parts: redis-server, PostgreSQL and two `accesscheck worker`
processes, scanning copies of the demo portal on several loopback ports."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from accesscheck.checks import SiteView, all_site_checks, run_site_checks
from accesscheck.demo import serve_demo
from accesscheck.score import site_scorecard
from accesscheck.store import RunRecord, Store
from conftest import run_cli

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

VISIBILITY = "8"  # seconds before a killed worker's portal is delivered again


@pytest.fixture(scope="module")
def portals():
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(serve_demo()) for _ in range(3)]


def _worker(redis_url: str, db: str, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "accesscheck.cli", "worker", "--broker", redis_url, "--db", db,
                             "--concurrency", "2", "--visibility-timeout", VISIBILITY, "--loglevel", "INFO"],
                            stdout=log.open("a"), stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def workers(redis_url, postgres_url, tmp_path_factory):
    logs = tmp_path_factory.mktemp("workers")
    started = [_worker(redis_url, postgres_url, logs / f"worker{i}.log") for i in range(2)]
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _scan_file(path: Path, servers, *, extra: str = "", portal_extra: str = "") -> Path:
    portals = "".join(f'[[portal]]\nurl = "{s.origin}/"\nname = "Copy {i}"\n{portal_extra}\n'
                      for i, s in enumerate(servers, start=1))
    path.write_text(f"[scan]\nloopback_only = true\ndepth = 1\nconcurrency = 2\n{extra}\n{portals}", encoding="utf-8")
    return path


def _wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def _wait_while_progressing(condition, progress, stall: float, what: str):
    """Wait for `condition` as long as `progress()` keeps changing: a loaded machine makes the
    work slower, not stuck, so only `stall` seconds without any change fail (the test's own
    timeout bounds the whole)."""
    last, changed = progress(), time.monotonic()
    while not (value := condition()):
        now = progress()
        if now != last:
            last, changed = now, time.monotonic()
        elif time.monotonic() - changed > stall:
            pytest.fail(f"no progress for {stall:.0f} s waiting for {what} (last state: {last})")
        time.sleep(0.5)
    return value


#: What depends on measured timings, not on the pages: the Slow 4G load estimate replays the load
#: with its observed server times and main-thread tasks, and the bandwidth pillar's performance part
#: is computed from it. Two runs of one page differ there by chance, distributed or not.
TIMING_FINDINGS = {"bandwidth/slow-load"}
TIMING_METRICS = {"performance_score_ours"}


def _without_timings(run: RunRecord) -> RunRecord:
    """The run with its timings left out, and its site checks run again on what is left (the
    bandwidth pillar's site score is the mean of its pages', performance part included)."""
    pages = [dataclasses.replace(p, findings=[f for f in p.findings if f.check not in TIMING_FINDINGS],
                                 metrics={k: v for k, v in p.metrics.items() if k not in TIMING_METRICS})
             for p in run.pages]
    stripped = dataclasses.replace(run, pages=pages)
    data = {origin: run_site_checks(SiteView.of(stripped, origin), all_site_checks()).data for origin in run.site_data}
    return dataclasses.replace(stripped, site_data=data)


def _differences(run: RunRecord, reference: RunRecord) -> list[str]:
    """What differs between two runs' pages, findings, site findings and scorecards, readably,
    timings aside (TIMING_FINDINGS, TIMING_METRICS)."""
    run, reference = _without_timings(run), _without_timings(reference)

    def pages(r: RunRecord) -> dict:
        return {p.url: (p.outcome, p.reason) for p in r.pages}

    def findings(r: RunRecord) -> set:
        return {(p.url, f.check, f.fingerprint) for p in r.pages for f in p.findings} | \
               {(o, f.check, f.fingerprint) for o, fs in r.site_findings.items() for f in fs}
    found = [f"page {u}: {pages(run).get(u)} vs {pages(reference).get(u)}"
             for u in sorted(set(pages(run)) | set(pages(reference))) if pages(run).get(u) != pages(reference).get(u)]
    found += [f"only distributed: {f}" for f in sorted(findings(run) - findings(reference))]
    found += [f"only local: {f}" for f in sorted(findings(reference) - findings(run))]
    for origin in sorted({p.site for p in reference.pages}):
        a, b = site_scorecard(run, origin).to_dict(), site_scorecard(reference, origin).to_dict()
        if a != b:
            found.append(f"scorecard {origin}: {a} vs {b}")
    return found


def test_sqlite_is_refused_for_a_distributed_run(tmp_path, portals):
    result = run_cli("submit", _scan_file(tmp_path / "p.toml", portals[:1]), "--broker", "redis://127.0.0.1:1/0",
                     "--db", f"sqlite:///{tmp_path}/r.db")
    assert result.returncode == 1
    assert "SQLite is a file on one machine" in result.stderr and result.stderr.count(".") <= 3


def test_a_distributed_run_equals_a_local_scan(tmp_path, portals, workers, redis_url, postgres_url):
    scan_file = _scan_file(tmp_path / "portfolio.toml", portals, extra="max_pages = 2")
    distributed = run_cli("submit", str(scan_file), "--broker", redis_url, "--db", postgres_url, "--wait",
                          "--json", str(tmp_path / "distributed.json"), "--fail-on", "serious", timeout=600)
    local = run_cli("scan", str(scan_file), "--db", f"sqlite:///{tmp_path}/local.db",
                    "--json", str(tmp_path / "local.json"), "--fail-on", "serious", "--quiet", timeout=600)
    assert distributed.returncode == local.returncode, distributed.stderr + local.stderr
    assert distributed.returncode in (0, 2)
    assert (tmp_path / "distributed.json").exists()

    store = Store(postgres_url)
    run = store.load_run(store.run_ids()[-1])
    assert run.status == "completed"
    assert [p.status for p in store.portal_states(run.id)] == ["done"] * 3
    local_store = Store(f"sqlite:///{tmp_path}/local.db")
    reference = local_store.load_run(local_store.run_ids()[-1])
    assert _differences(run, reference) == []
    assert [s["origin"] for s in run.sites] == [s["origin"] for s in reference.sites]

    status = run_cli("status", run.id, "--db", postgres_url)
    assert status.returncode == 0 and "completed" in status.stdout and "3/3 finished" in status.stdout


def test_beat_submits_a_scheduled_portfolio_again_and_again(tmp_path, portals, workers, redis_url, postgres_url):
    scan_file = _scan_file(tmp_path / "scheduled.toml", portals[:1], extra="max_pages = 1\nschedule = 6")
    store = Store(postgres_url)
    before = set(store.run_ids())
    beat = subprocess.Popen([sys.executable, "-m", "accesscheck.cli", "beat", str(scan_file), "--broker", redis_url,
                             "--state", str(tmp_path / "beat-state")], stderr=subprocess.PIPE, text=True)
    try:
        new = _wait_until(lambda: len(set(store.run_ids()) - before) >= 2 and set(store.run_ids()) - before,
                          240, "two scheduled runs")
    finally:
        beat.send_signal(signal.SIGTERM)
        beat.wait(timeout=30)
    for run_id in sorted(new)[:2]:
        _wait_until(lambda: store.run_status(run_id) == "completed", 240, f"scheduled run {run_id} to complete")
        run = store.load_run(run_id)
        assert {p.site for p in run.pages} == {portals[0].origin}


def test_a_worker_killed_mid_portal_is_resumed_by_another_with_every_page_once(
        tmp_path, portals, workers, redis_url, postgres_url):
    scan_file = _scan_file(tmp_path / "slow.toml", portals[2:], extra="max_pages = 5\ndelay = 1")
    store = Store(postgres_url)
    submitted = run_cli("submit", str(scan_file), "--broker", redis_url, "--db", postgres_url)
    assert submitted.returncode == 0, submitted.stderr
    run_id = store.run_ids()[-1]

    def progress():
        return [(p.status, p.attempts, p.owner, p.pages_done) for p in store.portal_states(run_id)]

    def busy_owner():
        state = store.portal_states(run_id)[0]
        return state.owner if state.status == "running" and state.pages_done >= 2 else None
    owner = _wait_while_progressing(busy_owner, progress, 180, "a worker to store two pages")
    victim = next(w for w in workers if owner.endswith(f":{w.pid}"))
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    stored_before = {p.url for p in store.load_run(run_id).pages}

    # The portal is delivered again after VISIBILITY seconds and its host lock lapses: a quiet spell.
    _wait_while_progressing(lambda: store.run_status(run_id) == "completed", progress, 180,
                            "the survivor to finish the portal")
    run = store.load_run(run_id)
    assert [u for u, n in Counter(p.url for p in run.pages).items() if n > 1] == []
    assert stored_before <= {p.url for p in run.pages}
    state = store.portal_states(run_id)[0]
    assert state.status == "done" and state.attempts == 2 and state.pages_done == 5
    assert not state.owner.endswith(f":{victim.pid}")
