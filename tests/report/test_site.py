"""The report site from a hand-built store, no browser: hostile values escaped, links only to
http(s), league table, trend, not scored with its reason, size budget. (The browser tests in
tests/report/test_site_browser.py scan the site with accesscheck itself.)"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from accesscheck.report.site import build_site
from conftest import run_cli
from report_fixtures import JAVASCRIPT_URL, MARKERS, hostile_history

PAGE_BUDGET_BYTES = 100 * 1024  # the "under 100 KB per page"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-report")
    store = hostile_history(tmp / "history.db")
    files = build_site(store, tmp / "site")
    return tmp / "site", files


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_page_is_escaped_and_links_only_to_http(site):
    root, _ = site
    shown = ""
    for path in _pages(root):
        doc = lxml.html.fromstring(path.read_bytes())
        assert not doc.xpath("//script"), path
        assert not doc.xpath("//img | //iframe | //object | //embed"), path
        for element in doc.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (path, name)
                if name in ("href", "src"):
                    assert not value.strip().lower().startswith(("javascript:", "data:")), (path, value)
        shown += doc.text_content()
    for marker in MARKERS:
        assert marker in shown, marker
    assert "49" not in shown.replace("2026", "")  # template syntax in page data is never evaluated


def test_a_non_http_final_url_is_shown_as_text(site):
    root, files = site
    portal = next(p for p in files.portals if "127-0-0-1-9-" in p.name)
    doc = lxml.html.fromstring(portal.read_bytes())
    assert JAVASCRIPT_URL in doc.text_content()
    assert not [a for a in doc.xpath("//a/@href") if "alert(3)" in a]


def test_league_table_ranks_scored_portals_and_explains_the_unscored(site):
    root, files = site
    doc = lxml.html.fromstring((root / "index.html").read_bytes())
    rows = doc.xpath("//table//tbody/tr")
    assert len(rows) == 2
    first = rows[0].text_content()
    assert "Northvale" in first and "not assessed" in first  # bandwidth, channels, inclusion
    assert "not scored" in rows[1].text_content()
    unscored = doc.xpath("//h2[contains(., 'could not be scored')]/following-sibling::ul[1]")[0].text_content()
    assert "Blocked portal" in unscored and "robots.txt" in unscored


def test_portal_page_has_trend_over_every_run_and_top_problems(site):
    _, files = site
    portal = next(p for p in files.portals if "127-0-0-1-9-" in p.name)
    doc = lxml.html.fromstring(portal.read_bytes())
    chart = doc.xpath("//svg[title[contains(., 'over time')]]")[0]
    assert len(chart.xpath(".//circle")) == 3
    points = [float(p.split(",")[1]) for p in chart.xpath(".//polyline/@points")[0].split()]
    assert points[0] > points[1] > points[2]  # the score rises (y grows downwards)
    assert len(doc.xpath("//caption[contains(., 'each run')]/../tbody/tr")) == 3
    problems = [h.text_content() for h in doc.xpath("//article[@class='problem']/h3")]
    assert problems and "review" not in " ".join(problems).lower()
    assert all(svg.get("role") == "img" and svg.get("aria-labelledby") for svg in doc.xpath("//svg"))
    assert "could not be checked" in doc.text_content() and "HTTP 500" in doc.text_content()


def test_check_pages_explain_and_link_back(site):
    root, files = site
    names = {p.name.rsplit("-", 1)[0] for p in files.checks}
    assert {"axe", "axe-image-alt"} <= names and "axe-label" not in names  # fixed in the latest run
    page = next(p for p in files.checks if p.name.startswith("axe-image-alt"))
    doc = lxml.html.fromstring(page.read_bytes())
    assert "Images must have alternative text" in doc.xpath("//h1")[0].text_content()
    assert doc.xpath("//a[starts-with(@href, '../portals/')]")
    assert doc.xpath("//a[starts-with(@href, 'https://dequeuniversity.com/')]")


def test_pages_are_within_budget(site):
    root, _ = site
    for path in _pages(root):
        assert path.stat().st_size < PAGE_BUDGET_BYTES, path


def test_report_command(tmp_path):
    hostile_history(tmp_path / "h.db")
    done = run_cli("report", "--db", f"sqlite:///{tmp_path}/h.db", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "index.html").exists() and (tmp_path / "out" / "checks" / "index.html").exists()
    bad = run_cli("report", "--db", f"sqlite:///{tmp_path}/h.db", "--out", str(tmp_path / "o2"), "--run", "nope")
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0 and "nope" in bad.stderr
