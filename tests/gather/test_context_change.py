"""gather/context_change.py: the context probe sends no data. A page that posts, beacons, PUTs and
submits its form the moment a control changes is scanned with every probe on, by the real scan;
the server, which records every request, must see GETs only. Only controls something listens to
are probed: a page whose controls nothing hears is not loaded again, and handlers delegated to the
document or set as properties by script are still found."""

from __future__ import annotations

import gzip
import json

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, run_scan

pytestmark = pytest.mark.browser


def _scanned(page: str, tmp_path) -> tuple[list[tuple[str, str]], object, dict]:
    """The requests the server saw, the stored page and the context probe's record."""
    seen: list[tuple[str, str]] = []
    with serve(SITES / "probe-safety") as server:
        handler = server.RequestHandlerClass

        class Recording(handler):  # type: ignore[misc, valid-type]
            def handle_one_request(self) -> None:
                self.raw_requestline = b""
                super().handle_one_request()
                # A kept-alive connection's last call reads nothing (the browser closed it) and
                # leaves the previous request's command and path in place: not a request.
                if self.raw_requestline and getattr(self, "command", None):
                    seen.append((self.command, self.path))
        server.RequestHandlerClass = Recording
        run = run_scan([f"{server.origin}/{page}"], tmp_path / "r.db", depth=0, probes="all",
                       page_timeout=120, snapshot_dir=tmp_path / "snapshots")
    [snapshot] = [json.loads(gzip.decompress(f.read_bytes())) for f in (tmp_path / "snapshots").glob("*.json.gz")]
    return seen, run.pages[0], snapshot["context_changes"]


def test_the_context_probe_sends_no_data(tmp_path):
    seen, page, _ = _scanned("sends-data.html", tmp_path)
    assert page.outcome == "scanned", page.reason
    # The probe did change the controls: the select's submission is reported (3.2.2 on input).
    assert any(f.check.startswith("context/") for f in page.findings), [f.check for f in page.findings]
    assert ("GET", "/sends-data.html") in seen
    assert [request for request in seen if request[0] not in ("GET", "HEAD")] == []


def test_controls_nothing_listens_to_are_not_probed(tmp_path):
    """Nothing can react to focusing or changing these controls: no throw-away context loads the
    page again."""
    seen, page, record = _scanned("quiet.html", tmp_path)
    assert page.outcome == "scanned", page.reason
    assert (record["controls"], record["unheard"]) == ([], 2)
    assert seen.count(("GET", "/quiet.html")) == 1, seen
    assert not [f for f in page.findings if f.check.startswith("context/")]


def test_handlers_on_the_document_or_set_by_script_are_probed(tmp_path):
    seen, page, record = _scanned("delegated.html", tmp_path)
    assert page.outcome == "scanned", page.reason
    assert [c["selector"] for c in record["controls"]] == ["#service", "#note", "#code", "#agree"]
    assert record["unheard"] == 0
    found = {(f.check, f.selector, f.outcome) for f in page.findings if f.check.startswith("context/")}
    assert ("context/on-input", "#service", "fail") in found, found   # the document's change listener
    assert ("context/on-focus", "#note", "review") in found, found    # focus moved by the onfocus property
    assert ("context/on-input", "#agree", "review") in found, found   # the document's click listener
    assert not any(selector == "#code" for _, selector, _ in found), found
    assert not [path for method, path in seen if path.startswith("/service-")], seen  # navigation cancelled
