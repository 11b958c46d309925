"""The command line as a user runs it: exact URL lists, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, path_of, run_cli

pytestmark = pytest.mark.browser
HOSTILE = SITES / "hostile"


def _db_pages(db: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db) as conn:
        return {path_of(url): (outcome, reason) for url, outcome, reason in
                conn.execute("select url, outcome, reason from pages")}


def test_depth_zero_scans_exactly_the_given_urls(tmp_path):
    with serve(HOSTILE) as server:
        result = run_cli("scan", "--depth", "0", f"{server.origin}/ok-1.html", f"{server.origin}/ok-2.html",
                         "--db", f"sqlite:///{tmp_path}/r.db", "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    assert _db_pages(tmp_path / "r.db") == {"/ok-1.html": ("scanned", None), "/ok-2.html": ("scanned", None)}


def test_url_file_scans_exactly_its_urls(tmp_path):
    with serve(HOSTILE) as server:
        url_file = tmp_path / "urls.txt"
        url_file.write_text(f"# pages to check\n{server.origin}/ok-3.html\n\n{server.origin}/\n")
        result = run_cli("scan", "--urls", str(url_file), "--depth", "0", "--db", f"sqlite:///{tmp_path}/r.db")
    assert result.returncode == 0, result.stderr
    assert set(_db_pages(tmp_path / "r.db")) == {"/ok-3.html", "/"}


def test_exit_codes_follow_fail_on(tmp_path, demo_server):
    contact_with_defect = demo_server.origin + "/"  # the demo home page has failing findings
    common = ["--depth", "0", "--db", f"sqlite:///{tmp_path}/r.db", "--quiet"]
    assert run_cli("scan", contact_with_defect, *common).returncode == 2
    assert run_cli("scan", contact_with_defect, "--fail-on", "none", *common).returncode == 0


def test_scan_file_drives_a_portfolio(tmp_path):
    with serve(HOSTILE) as server:
        scan_file = tmp_path / "portfolio.toml"
        scan_file.write_text(f'[scan]\ndepth = 0\n\n[[portal]]\nname = "Hostile"\nurl = "{server.origin}/ok-4.html"\n'
                             f'organisation = "Test"\ncountry = "GB"\nlanguage = "en"\n')
        result = run_cli("scan", str(scan_file), "--db", f"sqlite:///{tmp_path}/r.db", "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    site = json.loads((tmp_path / "r.json").read_text())["sites"][0]
    assert site["name"] == "Hostile" and site["country"] == "GB"
    assert [p["outcome"] for p in site["pages"]] == ["scanned"]


@pytest.mark.parametrize("content, words", [
    ("[scan\nmax_pages = 3", "not valid TOML"),
    ("[scan]\nmax_pagez = 3\n[[portal]]\nurl = 'http://127.0.0.1:9/'", "unknown option"),
    ("[[portal]]\nname = 'no url'", "has no url"),
    ("[[portal]]\nurl = 'ftp://example.org/'", "not an http(s) URL"),
])
def test_bad_scan_file_is_one_clear_sentence(tmp_path, content, words):
    scan_file = tmp_path / "bad.toml"
    scan_file.write_text(content)
    result = run_cli("scan", str(scan_file), "--db", f"sqlite:///{tmp_path}/r.db")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr


def test_missing_browser_is_one_clear_sentence(tmp_path):
    result = run_cli("scan", "http://127.0.0.1:9/", "--db", f"sqlite:///{tmp_path}/r.db",
                     env={"ACCESSCHECK_CHROMIUM": str(tmp_path / "no-such-chromium")})
    assert result.returncode == 1
    assert "ACCESSCHECK_CHROMIUM" in result.stderr and "Traceback" not in result.stderr


def _many_pages(root: Path, count: int) -> None:
    links = "".join(f'<li><a href="/p{i}.html">Page {i}</a></li>' for i in range(count))
    (root / "index.html").write_text(f'<!doctype html><html lang="en"><title>Many</title><main><h1>Many</h1><ul>{links}</ul></main></html>')
    for i in range(count):
        (root / f"p{i}.html").write_text(f'<!doctype html><html lang="en"><title>Page {i}</title><main><h1>Page {i}</h1><p>Text.</p></main></html>')


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_scan_stopped_midway_keeps_every_finished_page(tmp_path, sig):
    site = tmp_path / "site"
    site.mkdir()
    _many_pages(site, 40)
    db = tmp_path / "r.db"
    with serve(site) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "accesscheck.cli", "scan", server.origin + "/", "--db", f"sqlite:///{db}",
             "--concurrency", "1", "--delay", "0.3", "--max-pages", "100"],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            # As from a terminal: a suite started in the background of a non-interactive shell
            # passes SIGINT on ignored (POSIX), and the scan would rightly not hear Ctrl-C.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        reported = []
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("scanned"):
                reported.append(line.split()[1])
            if len(reported) == 5:
                break
        proc.send_signal(sig)
        rest = proc.stderr.read()
        proc.wait(timeout=60)
    stored = _db_pages(db)
    assert len(reported) == 5
    for url in reported:
        assert stored[path_of(url)][0] == "scanned"
    assert len(stored) < 41, "the scan was not stopped midway"
    with sqlite3.connect(db) as conn:
        status = conn.execute("select status from runs").fetchone()[0]
    if sig == signal.SIGINT:
        assert proc.returncode == 1 and status == "interrupted"
        assert "Interrupted" in rest and "Traceback" not in rest
    else:
        assert status == "running"  # a killed process cannot say goodbye; its pages are still there
