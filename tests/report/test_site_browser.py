"""The report site practises what it preaches, checked in the real Chromium: `accesscheck demo`
writes it, accesscheck's own scan finds zero axe-core violations on every page, each page is
under 100 KB on the wire, no script ever runs from page data, and it reads at 320 px, without
JavaScript and in print."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from accesscheck.engine.playwright import BrowserPool
from accesscheck.demo.server import serve
from accesscheck.report.site import build_site
from conftest import SITES, path_of, run_cli, run_scan
from report_fixtures import hostile_history

pytestmark = pytest.mark.browser
PAGE_BUDGET_BYTES = 100 * 1024  # the "under 100 KB per page transferred"


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    """The report site exactly as `accesscheck demo` writes it."""
    out = tmp_path_factory.mktemp("demo-cli")
    done = run_cli("demo", "--out", str(out), "--quiet", timeout=400)
    assert done.returncode == 0, done.stderr
    assert (out / "site" / "index.html").exists()
    return out / "site"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """Hand-built hostile history plus a real scan of the hostile page whose title is script."""
    tmp = tmp_path_factory.mktemp("hostile-site")
    store = hostile_history(tmp / "h.db")
    with serve(SITES / "hostile") as server:
        run = run_scan([server.origin + "/%5Bred%5Dmarkup%5Bred%5D.html"], tmp / "h.db", depth=0)
    assert run.pages[0].title.startswith("<script>alert(1)</script>")
    build_site(store, tmp / "site")
    return tmp / "site"


def _html_files(root: Path) -> set[str]:
    return {"/" + p.relative_to(root).as_posix() for p in root.rglob("*.html")}


@pytest.mark.parametrize("which", ["demo_report", "hostile_report"])
def test_accesscheck_finds_no_violation_on_its_own_report(which, request, tmp_path):
    root = request.getfixturevalue(which)
    with serve(root) as server:
        run = run_scan([server.origin + "/index.html"], tmp_path / "self.db", depth=5, max_pages=200)
    scanned = {path_of(p.final_url): p for p in run.pages if p.outcome == "scanned"}
    assert set(scanned) == _html_files(root)  # every page of the site was reached and checked
    # axe-core and the 320 px reflow probe are what the report must pass; the other pillars judge
    # content (the report quotes a premium-rate number as evidence, and rightly so).
    violations = [(url, f.check, f.selector) for url, p in scanned.items() for f in p.findings
                  if f.outcome == "fail" and (f.check.startswith("axe/") or f.check == "bandwidth/reflow")]
    assert violations == []
    assert not [p.check_errors for p in scanned.values() if p.check_errors]
    heavy = {url: p.metrics["transfer_bytes"] for url, p in scanned.items()
             if p.metrics["transfer_bytes"] >= PAGE_BUDGET_BYTES}
    assert heavy == {}


def _one_of_each_template(root: Path) -> list[str]:
    """The index pages, every portal page and the three largest check pages: every template, at
    its fullest (the self-scan above covers every page)."""
    checks = sorted((root / "checks").glob("*.html"), key=lambda p: -p.stat().st_size)[:3]
    chosen = [root / "index.html", root / "checks" / "index.html", *(root / "portals").glob("*.html"), *checks]
    return sorted({"/" + p.relative_to(root).as_posix() for p in chosen})


async def _probe(root: Path, origin: str) -> list[str]:
    """Pages at 320 px with JS on (no dialog, no script, no sideways scroll), with JS off (the
    content is there) and printed (navigation hidden, a PDF comes out)."""
    problems: list[str] = []
    async with BrowserPool(loopback_only=True) as pool:
        for path in _one_of_each_template(root):
            url = origin + path
            context = await pool.new_context(viewport={"width": 320, "height": 640})
            page = await context.new_page()
            dialogs: list[str] = []

            async def record(dialog, seen=dialogs) -> None:
                seen.append(dialog.message)
                await dialog.dismiss()
            page.on("dialog", record)
            await page.goto(url)
            width = await page.evaluate("document.documentElement.scrollWidth")
            scripts = await page.evaluate("document.scripts.length")
            if width > 320 or scripts or dialogs:
                problems.append(f"{path}: width {width}, scripts {scripts}, dialogs {dialogs}")
            await page.emulate_media(media="print")
            if await page.evaluate("getComputedStyle(document.querySelector('nav')).display") != "none":
                problems.append(f"{path}: navigation printed")
            if not (await page.pdf()).startswith(b"%PDF"):
                problems.append(f"{path}: no PDF")
            await context.close()
            context = await pool.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
            page = await context.new_page()
            await page.goto(url)
            if not (await page.inner_text("h1")).strip() or not await page.is_visible("main"):
                problems.append(f"{path}: empty without JavaScript")
            await context.close()
    return problems


@pytest.mark.parametrize("which", ["demo_report", "hostile_report"])
def test_report_reads_at_320px_without_javascript_and_in_print(which, request):
    root = request.getfixturevalue(which)
    with serve(root) as server:
        assert asyncio.run(_probe(root, server.origin)) == []
