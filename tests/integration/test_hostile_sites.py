"""Pages that hang, spin, error or kill the browser: each ends with a recorded reason and every
other page is still scanned and stored."""

from __future__ import annotations

import signal
import socket
import time

import psutil
import pytest

from accesscheck.demo.server import serve
from conftest import SITES, path_of, run_cli, run_scan

pytestmark = pytest.mark.browser
HOSTILE = SITES / "hostile"


def _hang(handler):
    time.sleep(30)  # longer than the page timeout; the server thread is a daemon


def _server_error(handler):
    handler._send(500, b"<!doctype html><title>Error</title><p>Internal error", "text/html")


def _chromium_processes():
    return [p for p in psutil.Process().children(recursive=True)
            if "chrom" in p.name().lower() or any("chrom" in part for part in p.cmdline()[:1])]


def _killer(kind):
    def route(handler):
        for proc in _chromium_processes():
            cmdline = " ".join(proc.cmdline())
            is_renderer = "--type=renderer" in cmdline
            if (kind == "browser" and "--type=" not in cmdline) or (kind == "renderer" and is_renderer):
                proc.send_signal(signal.SIGKILL)
        handler._send(200, b"", "image/gif")
    return route


def test_hanging_spinning_and_failing_pages_end_with_reasons(tmp_path):
    routes = {"/hang": _hang, "/server-error": _server_error}
    with serve(HOSTILE, routes=routes) as server:
        run = run_scan([server.origin + "/"], tmp_path / "r.db", page_timeout=10, settle_timeout=0.5)
    pages = {path_of(p.url): p for p in run.pages}
    assert pages["/hang"].outcome == "failed" and "timeout" in pages["/hang"].reason
    assert pages["/busy-loop.html"].outcome == "failed" and "timeout" in pages["/busy-loop.html"].reason
    assert pages["/server-error"].outcome == "failed" and pages["/server-error"].reason == "HTTP 500: the server had an internal error"
    for path in ("/", "/ok-1.html", "/ok-2.html", "/ok-3.html", "/%5Bred%5Dmarkup%5Bred%5D.html"):
        assert pages[path].outcome == "scanned", (path, pages[path].reason)
    hostile = pages["/%5Bred%5Dmarkup%5Bred%5D.html"]
    assert hostile.title == "<script>alert(1)</script>[red]hostile title[/red]"
    assert run.status == "completed"


@pytest.mark.parametrize("kind", ["browser", "renderer"])
def test_a_killed_browser_or_renderer_is_replaced_and_the_scan_goes_on(tmp_path, kind):
    with serve(HOSTILE, routes={"/kill-browser": _killer(kind)}) as server:
        urls = [f"{server.origin}/crash.html"] + [f"{server.origin}/ok-{i}.html" for i in range(1, 5)]
        run = run_scan(urls, tmp_path / "r.db", depth=0, concurrency=1, page_timeout=10)
    pages = {path_of(p.url): p for p in run.pages}
    assert pages["/crash.html"].outcome == "failed"
    assert ("browser" if kind == "browser" else "crash") in pages["/crash.html"].reason
    for i in range(1, 5):
        assert pages[f"/ok-{i}.html"].outcome == "scanned", pages[f"/ok-{i}.html"].reason
    assert len(run.pages) == 5


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_host_is_one_sentence_and_recorded(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/"
    result = run_cli("scan", url, "--db", f"sqlite:///{tmp_path}/r.db", "--quiet")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = [line for line in result.stderr.splitlines() if line.startswith("accesscheck:")]
    assert len(message) == 1 and "unreachable" in message[0]


def test_unreachable_site_does_not_stop_the_others(tmp_path):
    with serve(HOSTILE) as server:
        result = run_cli("scan", f"http://127.0.0.1:{_closed_port()}/", f"{server.origin}/ok-1.html",
                         "--depth", "0", "--db", f"sqlite:///{tmp_path}/r.db", "--quiet",
                         "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    import json
    sites = json.loads((tmp_path / "r.json").read_text())["sites"]
    outcomes = {s["origin"]: [p["outcome"] for p in s["pages"]] for s in sites}
    assert sorted(outcomes.values()) == [["scanned"], ["skipped"]]
    assert "unreachable" in result.stderr


def test_markup_in_urls_is_printed_literally(tmp_path):
    with serve(HOSTILE) as server:
        result = run_cli("scan", f"{server.origin}/%5Bred%5Dmarkup%5Bred%5D.html", "--depth", "0",
                         "--db", f"sqlite:///{tmp_path}/r.db")
    assert "%5Bred%5Dmarkup%5Bred%5D.html" in result.stderr
    assert result.returncode == 0, result.stderr
