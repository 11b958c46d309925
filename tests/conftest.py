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
from accesscheck.demo import redirects, site_root
from accesscheck.demo.server import serve
from accesscheck.scan import scan
from accesscheck.store import RunRecord, Store
from services import postgres_cluster, redis_server

SITES = Path(__file__).parent / "sites"


def run_scan(urls: list[str], db_path: Path, **options: Any) -> RunRecord:
    """Scan with the real Chromium and return the run as stored."""
    config = build_config(sites_from_urls(urls), {"loopback_only": True, "concurrency": 2, **options})
    store = Store(f"sqlite:///{db_path}")
    outcome = asyncio.run(scan(config, store, snapshot_dir=options.pop("snapshot_dir", None)))
    return store.load_run(outcome.run_id)


def run_cli(*args: str, timeout: float = 240, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accesscheck.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, cwd=cwd)


@pytest.fixture(scope="session")
def demo_server():
    with serve(site_root(), redirects=redirects()) as server:
        yield server


@pytest.fixture(scope="session")
def demo_run(demo_server, tmp_path_factory) -> RunRecord:
    """One full scan of the demo portal, shared by the tests that read its results."""
    tmp = tmp_path_factory.mktemp("demo")
    config = build_config(sites_from_urls([demo_server.origin + "/"]),
                          {"loopback_only": True, "max_pages": 60, "depth": 5})
    store = Store(f"sqlite:///{tmp}/demo.db")
    outcome = asyncio.run(scan(config, store, snapshot_dir=tmp / "snapshots"))
    run = store.load_run(outcome.run_id)
    run.snapshot_dir = tmp / "snapshots"  # type: ignore[attr-defined]
    return run


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
