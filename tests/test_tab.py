"""The warm tab (accesscheck.engine.playwright_tab): a reused tab must measure what a fresh one measures and carry
nothing from one page to the next. Real Chromium, a site on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from accesscheck.engine.playwright import BrowserPool
from accesscheck.demo.server import serve
from accesscheck.gather.visit import VisitOptions, open_tab, visit_page

PAGE_A = """<!doctype html><html lang="en"><head><title>A</title></head><body><main><h1>A</h1>
<p id="state">working</p>
<script>
  document.cookie = "visited=yes; path=/";
  localStorage.setItem("remembered", "yes");
  sessionStorage.setItem("session", "yes");
  const done = (sw) => { document.getElementById("state").textContent = "done " + sw; };
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js").then(() => done("registered"), (e) => done("refused"));
  } else { done("unavailable"); }
</script></main></body></html>"""

PAGE_B = """<!doctype html><html lang="en"><head><title>B</title></head><body><main><h1>B</h1></main></body></html>"""

# Two pages sharing a stylesheet, a script and an image: a cache kept between them would shrink
# the second page's transfer.
SHARED = ('<link rel="stylesheet" href="/shared.css"><script src="/shared.js"></script>'
          '<img src="/photo.svg" width="100" height="100">')
PAGE_P = f"""<!doctype html><html lang="en"><head><title>P</title>{SHARED}</head><body><main><h1>P</h1>
<img src="/photo.svg"><p style="color:#aaa">Faint text</p><input name="unlabelled"></main></body></html>"""
PAGE_Q = f"""<!doctype html><html lang="en"><head><title>Q</title>{SHARED}</head><body><main><h1>Q</h1></main></body></html>"""

STATE_ON_B = """async () => ({
  cookie: document.cookie,
  local: localStorage.getItem("remembered"),
  session: sessionStorage.getItem("session"),
  workers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
})"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root: Path = tmp_path_factory.mktemp("tab-site")
    for name, body in {"a.html": PAGE_A, "b.html": PAGE_B, "p.html": PAGE_P, "q.html": PAGE_Q}.items():
        (root / name).write_text(body)
    (root / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (root / "shared.css").write_text("body{font-family:sans-serif}" + ".x{margin:1px}" * 3000)
    (root / "shared.js").write_text("window.shared = '" + "x" * 30000 + "';")
    (root / "photo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
                                    + '<rect width="1" height="1"/>' * 500 + "</svg>")
    with serve(root) as server:
        yield server


def options(**overrides) -> VisitOptions:
    values = dict(timeout=20, settle_timeout=2, viewport=(1280, 800), user_agent=None,
                  gatherers=frozenset({"axe"}), tab_pages=100)
    return VisitOptions(**{**values, **overrides})


def test_no_state_from_the_previous_page(site):
    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options())
            try:
                page = await tab.begin()
                await page.goto(site.origin + "/a.html")
                await page.wait_for_function("document.getElementById('state').textContent.startsWith('done')")
                on_a = await page.evaluate(STATE_ON_B)
                on_a["sw"] = await page.text_content("#state")
                await tab.end(kept=True)
                page = await tab.begin()
                await page.goto(site.origin + "/b.html")
                on_b = await page.evaluate(STATE_ON_B)
            finally:
                await tab.close()
            return on_a, on_b

    on_a, on_b = asyncio.run(run())
    # Page A really left state behind (so the test could fail) ...
    assert on_a["cookie"] == "visited=yes" and on_a["local"] == "yes" and on_a["session"] == "yes"
    # ... except a service worker: the scan's tabs block them (registration resolves, but no
    # worker is ever installed), so none can serve page B from page A's cache either.
    assert on_a["sw"] == "done registered" and on_a["workers"] == 0
    # ... and none of it reaches page B, on the same origin, in the same tab.
    assert on_b == {"cookie": "", "local": None, "session": None, "workers": 0}


def test_reused_tab_measures_what_a_fresh_tab_measures(site):
    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            fresh = await visit_page(pool, site.origin + "/p.html", options(), lambda final: None)
            tab = open_tab(pool, options())
            try:
                await visit_page(pool, site.origin + "/q.html", options(), lambda final: None, tab=tab)
                reused = await visit_page(pool, site.origin + "/p.html", options(), lambda final: None, tab=tab)
                contexts = tab.contexts_opened
            finally:
                await tab.close()
            return fresh, reused, contexts

    fresh, reused, contexts = asyncio.run(run())
    assert contexts == 1  # the second page really was checked in the kept tab
    fresh_bytes = sum(r.encoded_bytes for r in fresh.requests)
    reused_bytes = sum(r.encoded_bytes for r in reused.requests)
    assert fresh_bytes > 40_000  # the shared assets were fetched at all
    assert abs(reused_bytes - fresh_bytes) <= 0.01 * fresh_bytes
    assert not any(r.from_cache for r in reused.requests)
    # The same requests, but for the favicon: Chromium asks for it once per tab and origin, a
    # browser's request rather than the page's (a missing one here: a few hundred bytes of 404).
    def urls(snapshot):
        return sorted(r.url for r in snapshot.requests if not r.url.endswith("/favicon.ico"))

    assert urls(reused) == urls(fresh)

    def findings(snapshot):
        return sorted((rule["id"], rule["nodes_total"]) for rule in snapshot.axe["violations"])

    assert findings(reused) == findings(fresh)
    assert "label" in {rule for rule, _ in findings(fresh)}  # axe ran and found the unlabelled field


def test_the_next_page_gets_the_tabs_own_size_after_the_reflow_check(site):
    """The reflow check narrows the viewport and does not put it back: the next `begin()` must."""
    size = "() => [innerWidth, innerHeight, screen.width, screen.height, matchMedia('(max-width: 400px)').matches]"

    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options(gatherers=frozenset({"reflow"})))
            try:
                first = await visit_page(pool, site.origin + "/p.html", options(gatherers=frozenset({"reflow"})),
                                         lambda final: None, tab=tab)
                page = await tab.begin()
                await page.goto(site.origin + "/q.html")
                return first, await page.evaluate(size)
            finally:
                await tab.close()

    first, after = asyncio.run(run())
    assert first.reflow["viewport_width"] == 320  # the check really narrowed the page
    assert after == [1280, 800, 1280, 800, False]


def test_a_fresh_context_every_n_pages(site):
    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options(tab_pages=2, gatherers=frozenset()))
            try:
                for _ in range(5):
                    await visit_page(pool, site.origin + "/b.html", options(), lambda final: None, tab=tab)
                return tab.contexts_opened
            finally:
                await tab.close()

    assert asyncio.run(run()) == 3  # pages 1-2, 3-4, 5


def test_a_failed_page_takes_a_fresh_context(site):
    from accesscheck.gather.visit import PageFailed

    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options(gatherers=frozenset()))
            try:
                await visit_page(pool, site.origin + "/b.html", options(), lambda final: None, tab=tab)
                with pytest.raises(PageFailed):
                    await visit_page(pool, "http://127.0.0.1:9/", options(timeout=5), lambda final: None, tab=tab)
                await visit_page(pool, site.origin + "/b.html", options(), lambda final: None, tab=tab)
                return tab.contexts_opened
            finally:
                await tab.close()

    assert asyncio.run(run()) == 2


def test_a_crashed_tab_is_replaced_even_when_the_visit_ended_well(site):
    """A renderer can die after the visit's result was taken (the memory watchdog kills by
    process, not by visit): the tab notices the crash and the next page gets a fresh context."""
    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options(gatherers=frozenset()))
            try:
                await visit_page(pool, site.origin + "/b.html", options(), lambda final: None, tab=tab)
                page = await tab.begin()
                await page.goto(site.origin + "/b.html")
                cdp = await page.context.new_cdp_session(page)
                async with page.expect_event("crash", timeout=10_000):
                    asyncio.ensure_future(cdp.send("Page.crash"))  # answered never: the renderer is gone
                await tab.end(kept=True)
                snapshot = await visit_page(pool, site.origin + "/b.html", options(), lambda final: None, tab=tab)
                return tab.contexts_opened, snapshot.title
            finally:
                await tab.close()

    assert asyncio.run(run()) == (2, "B")


def PORT(server) -> int:  # noqa: N802
    return urlsplit(server.origin).port


REDIRECTING = """<!doctype html><html lang="en"><head><title>R</title></head><body><main><h1>R</h1>
<script>location.href = "http://localhost:{port}/b.html";</script></main></body></html>"""


def test_the_guard_takes_each_pages_scope(site, tmp_path):
    """A kept tab keeps its navigation guard, but each page brings its own scope: a navigation
    blocked on one page is allowed on the next whose scope includes it, and nothing blocked
    before is reported again."""
    from accesscheck.gather.visit import PageSkipped

    (site.root / "r.html").write_text(REDIRECTING.format(port=PORT(site)))
    only_loopback_ip = lambda url: url.startswith("http://127.0.0.1:")  # noqa: E731

    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            tab = open_tab(pool, options(gatherers=frozenset()))
            try:
                allowed = await visit_page(pool, site.origin + "/r.html", options(), lambda final: None, tab=tab)
                blocked_after_allowed = list(tab.guard.blocked)
                with pytest.raises(PageSkipped) as skipped:  # the same context, a narrower scope
                    await visit_page(pool, site.origin + "/r.html", options(), lambda final: None,
                                     in_scope=only_loopback_ip, tab=tab)
                return str(skipped.value), allowed.final_url, blocked_after_allowed, tab.contexts_opened
            finally:
                await tab.close()

    reason, final_url, blocked, contexts = asyncio.run(run())
    assert "out of scope to http://localhost:" in reason
    assert final_url == f"http://localhost:{PORT(site)}/b.html"
    assert blocked == [] and contexts == 1
