"""gather/context_change.py: the context probe sends no data. A page that posts, beacons, PUTs and
submits its form the moment a control changes is scanned with every probe on, by the real scan;
the server, which records every request, must see GETs only."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from accesscheck.demo.server import serve
from conftest import SITES, run_scan

pytestmark = pytest.mark.browser


def test_the_context_probe_sends_no_data(tmp_path):
    seen: list[tuple[str, str]] = []
    with serve(SITES / "probe-safety") as server:
        handler = server.RequestHandlerClass

        class Recording(handler):  # type: ignore[misc, valid-type]
            def handle_one_request(self) -> None:
                super().handle_one_request()
                if getattr(self, "command", None):
                    seen.append((self.command, self.path))
        server.RequestHandlerClass = Recording
        run = run_scan([f"{server.origin}/sends-data.html"], tmp_path / "r.db", depth=0, probes="all",
                       page_timeout=120)
    page = run.pages[0]
    assert page.outcome == "scanned", page.reason
    # The probe did change the controls: the select's submission is reported (3.2.2 on input).
    assert any(f.check.startswith("context/") for f in page.findings), [f.check for f in page.findings]
    assert ("GET", "/sends-data.html") in seen
    assert [request for request in seen if request[0] not in ("GET", "HEAD")] == []
