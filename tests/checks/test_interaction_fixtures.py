"""The interaction probes against their fixture pages, both ways, with the real scan in the real
Chromium: every barrier listed in tests/sites/probes/expected.json is reported on its element
with its outcome, nothing else of the probe families is, and every conformant twin gives no
`fail` of any check at all."""

from __future__ import annotations

import json
from collections import defaultdict
from http.server import BaseHTTPRequestHandler

import pytest

from accesscheck.demo.server import serve
from accesscheck.model import PageResult
from conftest import SITES, path_of, run_scan

pytestmark = pytest.mark.browser
ROOT = SITES / "probes"
EXPECTED = json.loads((ROOT / "expected.json").read_text(encoding="utf-8"))
FAMILIES = tuple(f + "/" for f in EXPECTED["families"])


def _refresh_header(handler: BaseHTTPRequestHandler) -> None:
    """refresh.html with the HTTP Refresh header (F41), which axe-core cannot see."""
    body = (ROOT / "refresh.html").read_bytes()
    handler.send_response(200)
    for name, value in (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                        ("Cache-Control", "max-age=300"), ("Refresh", "600")):
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, PageResult]:
    names = [n for page, truth in EXPECTED["pages"].items() for n in (page, truth["twin"])]
    with serve(ROOT) as server:
        server.routes["/refresh.html"] = _refresh_header
        # A generous page budget: the machine running the tests may be busy, and a probe cut short
        # by the budget is recorded as an error, which the tests below would report.
        run = run_scan([f"{server.origin}/{n}" for n in names], tmp_path_factory.mktemp("probes") / "p.db",
                       depth=0, page_timeout=120)
    return {path_of(p.url).lstrip("/"): p for p in run.pages}


def _found(page: PageResult, outcome: str) -> dict[str, list[str | None]]:
    found: dict[str, list[str | None]] = defaultdict(list)
    for f in page.findings:
        if f.outcome == outcome and f.check.startswith(FAMILIES):
            found[f.check].append(f.selector)
    return {k: sorted(v, key=str) for k, v in found.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED["pages"]))
def test_barrier_found_and_nothing_else(pages, name):
    page, truth = pages[name], EXPECTED["pages"][name]
    assert page.outcome == "scanned", page.reason
    assert not {k: v for k, v in page.check_errors.items()}, page.check_errors
    for outcome in ("fail", "review"):
        expected = {k: sorted(v, key=str) for k, v in truth.get(outcome, {}).items()}
        assert _found(page, outcome) == expected, f"{name} ({truth['technique']}): {outcome}"


@pytest.mark.parametrize("name", sorted(t["twin"] for t in EXPECTED["pages"].values()))
def test_conformant_twin_is_clean(pages, name):
    page = pages[name]
    assert page.outcome == "scanned", page.reason
    assert not page.check_errors, page.check_errors
    # (The bandwidth pillar judges speed, which a busy test machine can make look slow.)
    assert [(f.check, f.selector) for f in page.findings if f.outcome == "fail" and f.pillar == "accessibility"] == []
    assert _found(page, "review") == {}


def test_every_fixture_names_its_technique_and_marks_its_elements():
    for name, truth in EXPECTED["pages"].items():
        barrier = (ROOT / name).read_text(encoding="utf-8")
        twin = (ROOT / truth["twin"]).read_text(encoding="utf-8")
        assert truth["technique"].split()[0].rstrip(",") in barrier, name
        assert 'id="violation1"' in barrier and 'id="violation' not in twin and 'id="pass' in twin, name


def test_fast_probes_skip_the_keyboard_walk_and_none_skips_all(tmp_path):
    names = ["keyboard-trap.html", "text-spacing.html"]
    with serve(ROOT) as server:
        urls = [f"{server.origin}/{n}" for n in names]
        fast = run_scan(urls, tmp_path / "fast.db", depth=0, page_timeout=120, probes="fast")
        none = run_scan(urls, tmp_path / "none.db", depth=0, page_timeout=120, probes="none")
    fast_found = {f.check for p in fast.pages for f in p.findings if f.check.startswith(FAMILIES)}
    assert fast_found == {"spacing/text-clipped"}
    assert not [f for p in none.pages for f in p.findings if f.check.startswith(FAMILIES)]
    assert fast.config["probes"] == "fast"


def test_enhanced_contrast_only_for_an_aaa_target(tmp_path):
    """1.4.6 is AAA: a wcag22aaa scan adds the enhanced failures, the text that reaches AA's
    4.5:1 included; the default AA target keeps only 1.4.3 (test_barrier_found_and_nothing_else)."""
    with serve(ROOT) as server:
        run = run_scan([f"{server.origin}/contrast-over-image.html"], tmp_path / "aaa.db", depth=0,
                       page_timeout=120, standard="wcag22aaa")
    found = {(f.check, f.selector) for f in run.pages[0].findings if f.check.startswith("contrast/")}
    assert found == {("contrast/text-over-image", "#violation1"), ("contrast/text-over-image", "#violation2"),
                     ("contrast/text-over-image-enhanced", "#violation1"),
                     ("contrast/text-over-image-enhanced", "#violation2"),
                     ("contrast/text-over-image-enhanced", "#aa-only")}
