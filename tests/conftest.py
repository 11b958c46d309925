"""Shared fixtures. Sites are served on 127.0.0.1 only, and every scan runs with
`loopback_only`, so the browser cannot resolve any other host: no test reaches the internet."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accesscheck.config import build_config, sites_from_urls
from accesscheck.demo import serve_demo
from accesscheck.scan import scan
from accesscheck.store import RunRecord, Store
from services import postgres_cluster, redis_server, selenium_grid

SITES = Path(__file__).parent / "sites"

#: (check, finding id) of every finding a check emitted in this test session (see pytest_configure).
EMITTED: set[tuple[str, str]] = set()


def pytest_configure(config: pytest.Config) -> None:
    """Record every finding id any check emits in any test of the session: each page and site
    check's `evaluate` is wrapped (the real function still runs), and pytest_sessionfinish fails
    the session if a check emitted an id it does not declare in the catalogue."""
    from accesscheck.checks import all_checks, all_site_checks

    import functools

    def recording(check: Any) -> Any:
        evaluate = check.evaluate

        @functools.wraps(evaluate)
        def wrapper(subject: Any) -> Any:
            result = evaluate(subject)
            EMITTED.update((check.id, f.check) for f in result.findings)
            return result
        return wrapper

    for check in [*all_checks(), *all_site_checks()]:
        object.__setattr__(check, "evaluate", recording(check))  # checks are frozen dataclasses


def undeclared_ids() -> list[str]:
    """Emitted ids whose emitting check does not declare them (catalogue.family says who does)."""
    from accesscheck.catalogue import catalogue
    known = catalogue()
    return sorted(f"{finding_id} (emitted by {check}, declared by {known.family(finding_id) or 'nobody'})"
                  for check, finding_id in EMITTED if known.family(finding_id) != check)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    missing = undeclared_ids()
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Finding ids emitted in this session but not in the catalogue:", red=True)
            for line in missing:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


#: Tests assert what a page *is*, never how fast it loads: the page limit (which covers load and
#: every gatherer) is generous so that a busy machine cannot turn a good page into a timeout.
#: Tests about timeouts set their own.
TEST_PAGE_TIMEOUT = 120.0


def run_scan(urls: list[str], db_path: Path, **options: Any) -> RunRecord:
    """Scan with the real Chromium and return the run as stored."""
    snapshot_dir = options.pop("snapshot_dir", None)
    config = build_config(sites_from_urls(urls), {"loopback_only": True, "concurrency": 2,
                                                  "page_timeout": TEST_PAGE_TIMEOUT, **options})
    store = Store(f"sqlite:///{db_path}")
    outcome = asyncio.run(scan(config, store, snapshot_dir=snapshot_dir))
    return store.load_run(outcome.run_id)


def run_cli(*args: str, timeout: float = 240, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accesscheck.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, cwd=cwd)


@pytest.fixture(scope="session")
def demo_server():
    with serve_demo() as server:
        yield server


@pytest.fixture(scope="session")
def demo_run(demo_server, tmp_path_factory) -> RunRecord:
    """One full scan of the demo portal, shared by the tests that read its results."""
    tmp = tmp_path_factory.mktemp("demo")
    config = build_config(sites_from_urls([demo_server.origin + "/"]),
                          {"loopback_only": True, "max_pages": 60, "depth": 5, "page_timeout": TEST_PAGE_TIMEOUT})
    store = Store(f"sqlite:///{tmp}/demo.db")
    outcome = asyncio.run(scan(config, store, snapshot_dir=tmp / "snapshots"))
    run = store.load_run(outcome.run_id)
    run.snapshot_dir = tmp / "snapshots"  # type: ignore[attr-defined]
    return run


ACT_CASES = Path("WAI/content-assets/wcag-act-rules/testcases.json")


@pytest.fixture(scope="session")
def act_rules_root() -> Path:
    """W3C's ACT test cases (the `shared/act-rules` folder beside the checkout, or
    ACCESSCHECK_ACT_RULES): served as a web root by the ACT test, read by the catalogue test."""
    configured = os.environ.get("ACCESSCHECK_ACT_RULES")
    candidates = [Path(configured)] if configured else [p / "shared" / "act-rules" for p in Path(__file__).resolve().parents]
    for candidate in candidates:
        if (candidate / ACT_CASES).is_file():
            return candidate
    pytest.fail("W3C's ACT test cases were not found: put them in shared/act-rules beside the checkout "
                "or set ACCESSCHECK_ACT_RULES to their folder.")


@pytest.fixture(scope="session")
def act_cases(act_rules_root: Path) -> list[dict[str, Any]]:
    import json
    return json.loads((act_rules_root / ACT_CASES).read_text(encoding="utf-8"))["testcases"]


def path_of(url: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="session")
def postgres_url():
    """A throw-away PostgreSQL cluster on 127.0.0.1, started by the test itself."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url():
    """A throw-away redis-server on 127.0.0.1 on a free port."""
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def grid_url():
    """A Selenium Grid standalone on 127.0.0.1 on a free port, with Debian's chromedriver and Chromium."""
    with selenium_grid() as url:
        yield url
