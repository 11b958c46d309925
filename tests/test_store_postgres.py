"""The store on a real PostgreSQL works the same as on SQLite."""

from __future__ import annotations

import pytest

from accesscheck.store import Store
from conftest import run_cli

pytestmark = pytest.mark.browser


def _summary(run):
    return sorted((p.url.rsplit("/", 1)[1], p.outcome, tuple(sorted(f.fingerprint for f in p.findings)))
                  for p in run.pages)


def test_a_scan_stored_in_postgresql_matches_the_same_scan_in_sqlite(postgres_url, tmp_path, demo_server):
    urls = [f"{demo_server.origin}/", f"{demo_server.origin}/contact.html", f"{demo_server.origin}/services/missing.html"]
    for db in (postgres_url, f"sqlite:///{tmp_path}/r.db"):
        result = run_cli("scan", *urls, "--depth", "0", "--db", db, "--fail-on", "none", "--quiet")
        assert result.returncode == 0, result.stderr
    pg, lite = Store(postgres_url), Store(f"sqlite:///{tmp_path}/r.db")
    pg_run, lite_run = pg.load_run(pg.run_ids()[-1]), lite.load_run(lite.run_ids()[-1])
    assert pg_run.status == lite_run.status == "completed"
    assert _summary(pg_run) == _summary(lite_run)
    assert any(p.findings for p in pg_run.pages)
