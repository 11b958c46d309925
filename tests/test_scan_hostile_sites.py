"""Pages that hang, spin, error or kill the browser: each ends with a recorded reason and every
other page is still scanned and stored."""

from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time

import psutil
import pytest

from accesscheck.demo.server import serve
from accesscheck.reasons import is_documented
from conftest import SITES, path_of, run_cli, run_scan
from hostile_server import CASES, hostile_servers, page, serve_routes

pytestmark = pytest.mark.browser
HOSTILE = SITES / "hostile"


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


# -- the hostile suite (tests/hostile_server.py) -------------------------------------------------

# A generous limit for the crawl (this machine may be busy: a normal page must not time out), and
# a short one for the pages that can only end by timing out, scanned on their own.
SUITE_OPTIONS = {"page_timeout": 120, "settle_timeout": 0.5, "depth": 8, "max_query_variants": 3}
#: The suite's two scans run in the first test that asks for them: bounded, with room for a busy machine.
SUITE_TIME_LIMIT = pytest.mark.timeout(900)
SLOW_OPTIONS = {"page_timeout": 6, "settle_timeout": 0.5, "depth": 0, "concurrency": 1}


@pytest.fixture(scope="module")
def hostile_suite(tmp_path_factory):
    """A crawl of the hostile site (every case linked from its home page) and a scan of the cases
    that only time out; the run of each page, the servers and the results JSON of both."""
    from accesscheck.report.json_report import results_document
    tmp = tmp_path_factory.mktemp("hostile")
    with hostile_servers(CASES) as (site, elsewhere, cdn):
        crawl = run_scan([site.origin + "/"], tmp / "crawl.db", **SUITE_OPTIONS)
        slow = run_scan([site.origin + c.path for c in CASES if c.slow], tmp / "slow.db", **SLOW_OPTIONS)
        documents = [results_document(crawl), results_document(slow)]
        crawl.pages += slow.pages
        yield crawl, site, elsewhere, cdn, documents


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
@SUITE_TIME_LIMIT
def test_every_hostile_case_ends_as_expected(hostile_suite, case):
    run, site, elsewhere, _cdn, _doc = hostile_suite
    pages = {path_of(p.url): p for p in run.pages}
    result = pages[case.path]
    assert re.fullmatch(case.outcome, result.outcome), (result.outcome, result.reason)
    if result.outcome == "scanned":
        assert result.reason is None
    else:
        assert case.reason is not None
        assert re.fullmatch(case.reason.format(elsewhere=re.escape(elsewhere.origin)), result.reason), result.reason
    if result.outcome != "skipped" or result.metrics:
        assert result.metrics["attempts"] == case.attempts, result.metrics


@SUITE_TIME_LIMIT
def test_retries_are_recorded_with_their_waits(hostile_suite):
    run = hostile_suite[0]
    pages = {path_of(p.url): p for p in run.pages}
    assert pages["/rate-limited"].metrics["retry_waits_s"] == [1.0]          # Retry-After: 1
    assert 0 < pages["/rate-limited-date"].metrics["retry_waits_s"][0] <= 2  # an HTTP date 2 s ahead
    assert len(pages["/bad-gateway"].metrics["retry_waits_s"]) == 2          # three attempts in all
    assert pages["/%5Bred%5Dmarkup%5Bred%5D.html"].title == "<script>alert(1)</script>[red]hostile title[/red]"


@SUITE_TIME_LIMIT
def test_nothing_out_of_scope_leaves_the_browser(hostile_suite):
    _run, site, elsewhere, cdn, _doc = hostile_suite
    assert elsewhere.hits == []                     # redirects, refreshes, scripts, popups: none sent
    assert "/logo.png" in cdn.hits                  # the page's own image from another host: allowed


@SUITE_TIME_LIMIT
def test_the_infinite_calendar_is_cut_as_a_trap(hostile_suite):
    pages = {path_of(p.url): p for p in hostile_suite[0].pages}
    assert pages["/calendar?month=4"].outcome == "skipped"
    assert pages["/calendar?month=4"].reason == "crawler trap: more than 3 query variants of /calendar"
    assert not any(path.startswith("/calendar?month=5") for path in pages)


@SUITE_TIME_LIMIT
def test_every_reason_in_the_json_is_a_documented_one(hostile_suite):
    texts = []
    for site in [s for document in hostile_suite[4] for s in document["sites"]]:
        texts += [p["reason"] for p in site["pages"] if p["reason"]]
        texts += [e for p in site["pages"] for e in p["check_errors"].values()]
        texts += [d["reason"] for d in site["documents"] if d["reason"]]
    assert len(texts) > 15
    undocumented = [t for t in texts if not is_documented(t)]
    assert undocumented == []
    assert not any(word in t for t in texts for word in ("net::", "Execution context", "Playwright", "Error:"))


def _challenge(handler):
    handler.send(403, page("Just a moment...", "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"),
                 headers={"cf-mitigated": "challenge"})


def test_a_site_behind_a_bot_wall_is_blocked_with_evidence_never_scored(tmp_path):
    table = {f"/page-{i}": _challenge for i in range(8)}
    with serve_routes(table) as server:
        urls = [f"{server.origin}/page-{i}" for i in range(8)]
        result = run_cli("scan", *urls, "--depth", "0", "--concurrency", "1", "--db", f"sqlite:///{tmp_path}/r.db",
                         "--json", str(tmp_path / "r.json"), "--quiet", "--contact", "https://example.org/scanner")
    site = json.loads((tmp_path / "r.json").read_text())["sites"][0]
    outcomes = [(p["outcome"], p["reason"]) for p in site["pages"]]
    assert outcomes[:4] == [("failed", "blocked: Cloudflare challenge page (bot wall)")] * 4
    assert outcomes[4:] == [("skipped", "not checked: the site is blocking the scanner (4 of 4 answers refused)")] * 4
    asked = [hit for hit in server.hits if hit.startswith("/page-")]
    assert asked == ["/page-0", "/page-1", "/page-2", "/page-3"]   # then the breaker left the host alone
    assert site["blocked"]["vendors"] == ["Cloudflare"] and site["blocked"]["refused"] == 4
    assert [e["url"] for e in site["blocked"]["evidence"]] == urls[:4]
    card = site["scorecard"]
    assert card["score"] is None and card["grade"] is None and card["reason"].startswith("blocked:")
    assert "blocked: the site refuses automated visits (Cloudflare challenge)" in result.stdout + result.stderr


def test_the_contact_address_is_in_the_user_agent(tmp_path):
    agents = []

    def record(handler):
        agents.append(handler.headers["User-Agent"])
        handler.send(200, page("Hello", "<p>Hi</p>"))
    with serve_routes({"/": record}) as server:
        run = run_scan([server.origin + "/"], tmp_path / "r.db", depth=0, contact="mailto:team@example.org")
    assert run.pages[0].outcome == "scanned"
    assert agents and all(a.endswith(f" (+mailto:team@example.org)") and "accesscheck/" in a for a in agents)


def _tree_rss() -> int:
    total = 0
    for proc in [psutil.Process(), *psutil.Process().children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def test_a_runaway_tab_is_stopped_and_the_scan_goes_on(tmp_path):
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss())
            time.sleep(0.1)
    sampler = threading.Thread(target=sample, daemon=True)
    with hostile_servers(CASES) as (site, _elsewhere, _cdn):
        sampler.start()
        try:
            urls = [site.origin + p for p in ("/memory-hog", "/dialogs", "/%5Bred%5Dmarkup%5Bred%5D.html")]
            run = run_scan(urls, tmp_path / "r.db", depth=0, memory_limit_mb=400, page_timeout=60)
        finally:
            stop.set()
            sampler.join()
    pages = {path_of(p.url): p for p in run.pages}
    assert pages["/memory-hog"].outcome == "failed"
    assert pages["/memory-hog"].reason == "the page used more than 400 MB of memory and was stopped"
    assert pages["/dialogs"].outcome == "scanned" and pages["/%5Bred%5Dmarkup%5Bred%5D.html"].outcome == "scanned"
    assert peak[0] < 3 * 1024 ** 3, f"process tree peaked at {peak[0] / 1024 ** 2:.0f} MB"


def test_a_page_limit_that_cuts_the_given_urls_is_announced_before_the_scan(tmp_path):
    with serve(HOSTILE) as server:
        urls = [f"{server.origin}/ok-{i}.html" for i in range(1, 5)]
        result = run_cli("scan", *urls, "--depth", "0", "--max-pages", "2", "--db", f"sqlite:///{tmp_path}/r.db",
                         "--json", str(tmp_path / "r.json"))
    note = next(line for line in result.stderr.splitlines() if "page limit leaves" in line)
    assert "2 given URL(s)" in note and urls[2] in note and urls[3] in note
    assert result.stderr.index("page limit leaves") < result.stderr.index("scanned ")  # before the first page
    pages = json.loads((tmp_path / "r.json").read_text())["sites"][0]["pages"]
    assert sorted(p["outcome"] for p in pages) == ["scanned", "scanned", "skipped", "skipped"]
