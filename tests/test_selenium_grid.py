"""The test Grid itself (tests/services.py): plain WebDriver sessions through a real Selenium Grid
standalone, against the demo portal on 127.0.0.1. What the Selenium engine builds on: the project's
own axe-core finds the demo's ground truth through the Grid, the performance log carries every
request of the page with its bytes, and a browser that dies leaves the Grid able to start the next."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.client_config import ClientConfig

from accesscheck.conformance import standard
from accesscheck.demo import ground_truth, site_root
from accesscheck.gather.axe import AXE_OPTIONS, axe_script

pytestmark = pytest.mark.browser

#: Every WebDriver call has a limit: an HTTP request to the Grid, a page load, a script. None of
#: them is the client's default (no limit at all for the HTTP request, 300 s for a page load).
HTTP_TIMEOUT = 90
PAGE_LOAD_TIMEOUT = 30
SCRIPT_TIMEOUT = 60


@contextmanager
def grid_session(grid_url: str) -> Iterator[webdriver.Remote]:
    """A Chromium session on the Grid with the performance log on, always quit afterwards: a
    session left open holds its slot until the Grid's session timeout, and the next request waits."""
    options = webdriver.ChromeOptions()
    options.add_argument("--window-size=1280,800")  # the viewport the ground truth was taken at
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Remote(grid_url, options=options,
                              client_config=ClientConfig(grid_url, timeout=HTTP_TIMEOUT))
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
        driver.set_script_timeout(SCRIPT_TIMEOUT)
        yield driver
    finally:
        try:
            driver.quit()
        except WebDriverException:
            pass  # the Grid ends the session anyway; the test's own failure is the one to see


def run_axe(driver: webdriver.Remote) -> dict[str, Any]:
    driver.execute_script(axe_script())
    options = standard("wcag22aa").axe_options(AXE_OPTIONS)
    return driver.execute_async_script("axe.run(document, arguments[0]).then(arguments[1])", options)


def performance_log(driver: webdriver.Remote) -> list[dict[str, Any]]:
    """Chromium's DevTools events as the Grid relays them (the `performance` log type)."""
    entries = driver.execute("getLog", {"type": "performance"})["value"]
    return [json.loads(entry["message"])["message"] for entry in entries]


@pytest.mark.parametrize("path", ["/", "/services/housing-benefit/apply.html", "/services/garden-waste.html"])
def test_shipped_axe_through_the_grid_finds_the_ground_truth(grid_url, demo_server, path):
    """axe-core as accesscheck ships it, injected through the Grid: exactly the demo's listed
    axe failures on a page with several, and none on a clean page."""
    expected = {check.removeprefix("axe/") for check in ground_truth()["pages"][path]["fail"]
                if check.startswith("axe/")}
    with grid_session(grid_url) as driver:
        driver.get(demo_server.origin + path)
        result = run_axe(driver)
    assert result["testEngine"]["name"] == "axe-core"
    assert {rule["id"] for rule in result["violations"]} == expected


def test_performance_log_through_the_grid_has_every_request_with_its_bytes(grid_url, demo_server):
    """Every resource the page itself says it loaded is in the log and nothing else is; each
    file's encoded bytes are the file's size (the server sends it uncompressed) plus headers."""
    with grid_session(grid_url) as driver:
        driver.get(demo_server.origin + "/")
        loaded = set(driver.execute_script(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"))
        events = performance_log(driver)
    urls = {e["params"]["requestId"]: e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"}
    encoded: Counter[str] = Counter()  # a file used twice comes from the memory cache the second time: 0 bytes
    for event in events:
        if event["method"] == "Network.loadingFinished" and event["params"]["requestId"] in urls:
            encoded[urls[event["params"]["requestId"]]] += event["params"]["encodedDataLength"]
    assert set(urls.values()) == loaded
    assert set(encoded) == loaded
    for url in loaded - {demo_server.origin + "/"}:
        size = (site_root() / url.removeprefix(demo_server.origin + "/")).stat().st_size
        assert size < encoded[url] < size + 2048, (url, size, encoded[url])


def _busy_slots(grid_url: str) -> set[str]:
    status = httpx.get(f"{grid_url}/status", timeout=10).json()["value"]
    return {slot["session"]["sessionId"] for node in status["nodes"] for slot in node["slots"] if slot["session"]}


def test_a_browser_that_dies_on_the_grid_leaves_it_able_to_start_the_next(grid_url, demo_server):
    """Chromium killed under a session: its next command fails, quitting the dead session frees its
    slot, and a new session loads a page as before."""
    with grid_session(grid_url) as dead:
        dead.get(demo_server.origin + "/")
        os.kill(dead.capabilities["goog:processID"], signal.SIGKILL)
        with pytest.raises(WebDriverException):
            dead.get(demo_server.origin + "/about.html")
        assert dead.session_id in _busy_slots(grid_url)  # until it is quit
    assert dead.session_id not in _busy_slots(grid_url)
    with grid_session(grid_url) as driver:
        driver.get(demo_server.origin + "/about.html")
        assert driver.current_url == demo_server.origin + "/about.html"
        assert driver.execute_script("return document.readyState") == "complete"
