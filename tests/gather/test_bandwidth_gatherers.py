"""The bandwidth gatherers and real throttling in the real Chromium, on fixture pages served on
127.0.0.1 (tests/sites/bandwidth/)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from accesscheck.bandwidth.simulate import Profile, simulate
from accesscheck.bandwidth.throttle import measure_throttled
from accesscheck.engine.playwright import BrowserPool
from accesscheck.demo.server import serve
from accesscheck.gather.no_js import renders_the_same_without_js
from accesscheck.gather.visit import VisitOptions, visit_page
from accesscheck.gather.dom import gather_dom
from accesscheck.gather.vitals import CHECKS_MARK, VitalsGatherer, read_vitals
from accesscheck.model import PageSnapshot

pytestmark = pytest.mark.browser
SITE = Path(__file__).parent.parent / "sites" / "bandwidth"
ALL = frozenset({"network", "dom", "vitals", "no_js", "reflow"})


@pytest.fixture(scope="module")
def site():
    with serve(SITE) as server:
        yield server


def visit(origin: str, path: str, gatherers: frozenset[str] = ALL) -> PageSnapshot:
    async def go() -> PageSnapshot:
        async with BrowserPool(loopback_only=True) as pool:
            options = VisitOptions(timeout=30, settle_timeout=2, viewport=(1280, 800), user_agent=None,
                                   gatherers=gatherers)
            return await visit_page(pool, origin + path, options, lambda final: None)
    return asyncio.run(go())


def test_vitals_name_the_lcp_image_and_list_images(site):
    snapshot = visit(site.origin, "/hero.html", frozenset({"network", "dom", "vitals"}))
    vitals = snapshot.vitals
    assert vitals["fcp_ms"] is not None and vitals["lcp_ms"] >= vitals["fcp_ms"]
    assert vitals["lcp_url"].endswith("/hero.png")
    [image] = vitals["images"]
    assert (image["natural_width"], image["shown_width"]) == (600, 600)
    assert snapshot.no_js is None and snapshot.reflow is None  # not asked for, not gathered


def test_vitals_measure_layout_shift(site):
    assert visit(site.origin, "/shift.html", frozenset({"network", "dom", "vitals"})).vitals["cls"] > 0.05
    assert visit(site.origin, "/hero.html", frozenset({"network", "dom", "vitals"})).vitals["cls"] == 0


def test_reflow_reports_offenders_but_not_exempt_content_and_restores_the_viewport(site):
    snapshot = visit(site.origin, "/layout.html")
    probe = snapshot.reflow
    assert probe["viewport_width"] == 320 and probe["scroll_width"] > 320
    widths = sorted(o["width"] for o in probe["offenders"])
    assert widths == [700, 800]  # not the table, not the local scroller
    assert any(o["selector"] == "#wide" for o in probe["offenders"])
    assert snapshot.gatherer_errors == {}  # the field named "children" does not break the probe


def test_no_js_render_against_the_scripted_page(site):
    snapshot = visit(site.origin, "/scripted.html")
    js, bare = snapshot.no_js["js"], snapshot.no_js["no_js"]
    assert js["text_chars"] > 500 and bare["text_chars"] < 50
    assert js["nav_links"] == bare["nav_links"] == 2
    assert (js["forms"], js["forms_usable"]) == (2, 1)       # the javascript: form never submits
    assert (bare["forms"], bare["forms_usable"]) == (1, 0)


def test_no_js_render_is_served_the_document_already_loaded(site):
    before = site.hits.count("/scripted.html")
    snapshot = visit(site.origin, "/scripted.html", frozenset({"network", "dom", "no_js"}))
    assert site.hits.count("/scripted.html") - before == 1  # the page's own load only
    assert snapshot.no_js["no_js"]["text_chars"] < 50 < snapshot.no_js["js"]["text_chars"]  # rendered without JS


def test_the_javascript_off_render_shows_noscript_applies_styles_and_fetches_no_image_again(site):
    before = site.hits.count("/hero.png")  # hero.html loads it too
    record = visit(site.origin, "/noscript.html", frozenset({"network", "dom", "no_js"})).no_js
    assert (record["rendered"], record["by"]) == (True, "sandboxed frame")
    assert record["js"]["text_chars"] == len(("Built by script. " * 30).strip())  # noscript hidden, print-only too
    noscript = "This service needs JavaScript. Call us on 0300 123 4567 instead."
    assert record["no_js"]["text_chars"] == len(noscript)  # shown without script; the style sheet still hides
    assert site.hits.count("/hero.png") - before == 1  # the page's own load only
    assert "/hero.png?in-noscript" not in site.hits  # an image only the JavaScript-off render shows


def test_a_page_that_refuses_the_frame_is_rendered_in_a_javascript_off_tab(site):
    before = site.hits.count("/trusted-types.html")
    snapshot = visit(site.origin, "/trusted-types.html", frozenset({"network", "dom", "no_js"}))
    record = snapshot.no_js
    assert snapshot.gatherer_errors == {}
    assert (record["rendered"], record["by"]) == (True, "JavaScript-off tab")  # Trusted Types forbid document.write
    assert record["no_js"]["text_chars"] == len("This service needs JavaScript to run.")
    assert site.hits.count("/trusted-types.html") - before == 1  # served the document already loaded


def test_a_page_that_cannot_run_script_is_not_rendered_twice(site):
    snapshot = visit(site.origin, "/layout.html")
    assert snapshot.no_js["rendered"] is False and snapshot.no_js["js"] == snapshot.no_js["no_js"]
    assert snapshot.no_js["js"]["text_chars"] > 0
    assert visit(site.origin, "/scripted.html").no_js["rendered"] is True


@pytest.mark.parametrize("html, same", [
    ("<p>Plain text about onions = vegetables</p>", False),   # a false match only costs the render
    ("<main><h1>Plain</h1><a href='/x'>x</a></main>", True),
    ("<SCRIPT src=a.js></SCRIPT>", False),
    ("<noscript>Turn on JavaScript</noscript>", False),
    ("<img src=x onerror='document.body.innerHTML=1'>", False),
    ("<img/onerror=go() src=x>", False),
    ("<img src=\"x\"onerror=go()>", False),
    ("<a href='JavaScript:go()'>go</a>", False),
    ("<iframe src='/same-origin.html'></iframe>", False),
    ("<object data='x.svg'></object>", False),
])
def test_which_documents_render_the_same_without_javascript(html, same):
    assert renders_the_same_without_js(html) is same


def test_real_throttling_slows_the_load_and_the_simulation_follows(site):
    profile = Profile(name="test", title="test", latency_ms=400, download_bps=200_000, cpu=1)

    async def go():
        async with BrowserPool(loopback_only=True) as pool:
            return await measure_throttled(pool, site.origin + "/hero.html", profile)
    measured = asyncio.run(go())
    assert measured["method"].startswith("Network.emulateNetworkConditions")
    # two requests one after the other (page, then image), each delayed 400 ms at least
    assert measured["load_ms"] >= 800
    estimate = simulate(visit(site.origin, "/hero.html", frozenset({"network", "dom", "vitals"})), profile)
    assert estimate["load_ms"] >= 800


def test_our_own_work_after_the_mark_is_not_the_pages_blocking_time(site):
    """A 150 ms task of ours (as axe-core's can be) after the visit's mark is not counted; the
    same task with no mark set is, so the test can tell the two apart."""
    busy = """() => new Promise((done) => setTimeout(() => {  // a task of the page's event loop
      const end = performance.now() + 150; while (performance.now() < end) {} done(); }, 0))"""

    async def blocking(marked: bool) -> dict:
        async with BrowserPool(loopback_only=True) as pool:
            context = await pool.new_context()
            gatherer = VitalsGatherer()
            await gatherer.prepare(context)
            page = await context.new_page()
            await page.goto(site.origin + "/hero.html", wait_until="load")
            await read_vitals(page)  # painted: the task below comes after FCP
            if marked:
                await gather_dom(page, mark=CHECKS_MARK)  # the visit's first read sets the mark
            await page.evaluate(busy)
            return await read_vitals(page)

    assert asyncio.run(blocking(marked=False))["tbt_ms"] >= 90
    ours = asyncio.run(blocking(marked=True))
    assert ours["tbt_ms"] == 0 and ours["long_tasks"] == []
