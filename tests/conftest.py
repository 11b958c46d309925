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
    """A throw-away PostgreSQL cluster on 127.0.0.1, started by the test itself (`make test`
    installs Debian's postgresql package; the server runs as the `postgres` user when we are root)."""
    import glob
    import shutil
    import socket
    import tempfile

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")) or [shutil.which("pg_ctl")]
    if not candidates or not candidates[-1]:
        pytest.fail("PostgreSQL server binaries not found; `make test` installs Debian's postgresql package.")
    bindir = Path(candidates[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="accesscheck-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "accesscheck"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log"),
                    "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://accesscheck@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url():
    """A throw-away redis-server on 127.0.0.1 on a free port (Debian's package, installed by
    `make test`), with nothing saved to disk."""
    import shutil
    import socket
    import tempfile
    import time

    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail("redis-server not found; `make test` installs Debian's redis-server package.")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="accesscheck-redis-")
    server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
