"""`accesscheck scan URL --grid URL` through the command line against a real Selenium Grid
(tests/services.py): the pages are scanned by the Grid's browsers and stored, and a browser that
dies on the Grid is replaced while the scan goes on, its page recorded with the reason."""

from __future__ import annotations

import json
import signal

import httpx
import psutil
import pytest

from accesscheck.demo.server import serve
from accesscheck.store import Store
from conftest import SITES, path_of, run_cli

pytestmark = pytest.mark.browser


def _grid_browsers() -> list[psutil.Process]:
    """The Chromium main processes the Grid's chromedriver started (children of this test process)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            cmdline = " ".join(proc.cmdline())
            parent = proc.parent()
        except psutil.Error:
            continue
        if parent is not None and parent.name() == "chromedriver" and "--type=" not in cmdline:
            found.append(proc)
    return found


def _killer(killed: list[int]):
    def route(handler) -> None:
        for proc in _grid_browsers():
            proc.send_signal(signal.SIGKILL)
            killed.append(proc.pid)
        handler._send(200, b"", "image/gif")
    return route


def _busy_slots(grid_url: str) -> int:
    status = httpx.get(f"{grid_url}/status", timeout=10).json()["value"]
    return sum(1 for node in status["nodes"] for slot in node["slots"] if slot["session"])


def test_a_scan_through_the_grid_by_the_command_line(grid_url, demo_server, tmp_path):
    urls = [demo_server.origin + path for path in ("/", "/contact.html", "/services/housing-benefit/apply.html")]
    result = run_cli("scan", *urls, "--grid", grid_url, "--depth", "0", "--probes", "fast",
                     "--db", f"sqlite:///{tmp_path}/grid.db", "--json", str(tmp_path / "grid.json"),
                     "--fail-on", "none", "--quiet")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "grid.json").read_text())
    pages = {path_of(page["url"]): page for page in report["sites"][0]["pages"]}
    assert sorted(pages) == ["/", "/contact.html", "/services/housing-benefit/apply.html"]
    assert {page["outcome"] for page in pages.values()} == {"scanned"}
    axe_found = {f["check"] for f in pages["/services/housing-benefit/apply.html"]["findings"]
                 if f["check"].startswith("axe/")}
    assert axe_found  # axe-core ran in the Grid's browser
    stored = Store(f"sqlite:///{tmp_path}/grid.db").load_run(report["run"]["id"])
    assert stored.versions["engine"] == "selenium (chrome on a Grid)"
    assert len(stored.pages) == 3
    assert report["run"]["config"]["grid"] == grid_url
    assert _busy_slots(grid_url) == 0  # every session was quit


def test_a_browser_that_dies_on_the_grid_is_replaced_and_the_scan_goes_on(grid_url, tmp_path):
    killed: list[int] = []
    with serve(SITES / "hostile", routes={"/kill-browser": _killer(killed)}) as server:
        urls = [f"{server.origin}/crash.html"] + [f"{server.origin}/ok-{i}.html" for i in range(1, 5)]
        result = run_cli("scan", *urls, "--grid", grid_url, "--depth", "0", "--concurrency", "1",
                         "--page-timeout", "30", "--probes", "none", "--db", f"sqlite:///{tmp_path}/r.db",
                         "--json", str(tmp_path / "r.json"), "--fail-on", "none", "--quiet")
    assert result.returncode == 0, result.stderr
    assert killed  # the Grid's browser was killed under the page
    pages = {path_of(page["url"]): page for page in json.loads((tmp_path / "r.json").read_text())["sites"][0]["pages"]}
    assert pages["/crash.html"]["outcome"] == "failed"
    assert pages["/crash.html"]["reason"] == "the browser crashed or was closed while checking the page"
    for i in range(1, 5):
        assert pages[f"/ok-{i}.html"]["outcome"] == "scanned", pages[f"/ok-{i}.html"]["reason"]
    assert _busy_slots(grid_url) == 0
