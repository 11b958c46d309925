"""One-script gatherers sent to the page together (accesscheck.gather.scripts): each keeps its own
result or its own error. Real Chromium on a page set with page.set_content."""

from __future__ import annotations

import asyncio

import pytest

from accesscheck.engine.playwright import BrowserPool
from accesscheck.gather.scripts import PageScript, ScriptFailed, run_together
from accesscheck.gather.visit import OPTIONAL_GATHERERS, in_turns

PAGE = """<!doctype html><html lang="en"><body><h1>Title</h1><p>One</p><p>Two</p></body></html>"""


@pytest.mark.browser
def test_scripts_sent_together_keep_their_own_results_and_errors():
    async def run():
        async with BrowserPool(loopback_only=True) as pool:
            context = await pool.new_context()
            try:
                page = await context.new_page()
                await page.set_content(PAGE)
                return await run_together(page, {
                    "count": PageScript("(selector) => document.querySelectorAll(selector).length", "p"),
                    "broken": PageScript("() => { throw new TypeError('this read fails'); }"),
                    "later": PageScript("async (n) => { await new Promise((r) => setTimeout(r, 10)); return n[0] + n[1]; }",
                                        [2, 3]),
                    "missing": PageScript("() => document.querySelector('form').action"),
                    "nothing": PageScript("() => undefined"),
                })
            finally:
                await context.close()

    found = asyncio.run(run())
    assert found["count"] == 2 and found["later"] == 5 and found["nothing"] is None
    assert isinstance(found["broken"], ScriptFailed) and "this read fails" in str(found["broken"])
    assert isinstance(found["missing"], ScriptFailed) and "null" in str(found["missing"])


def test_one_script_gatherers_in_a_row_share_a_turn_and_probes_keep_their_own():
    wanted = {name: OPTIONAL_GATHERERS[name] for name in
              ("axe", "source", "vitals", "text_styles", "styles", "motion", "focusable", "no_js", "reflow")}
    assert in_turns(wanted) == [("axe",), ("source",), ("vitals", "text_styles", "styles"), ("motion",),
                                ("focusable",), ("no_js",), ("reflow",)]
    without_probes = {name: g for name, g in wanted.items() if name != "motion"}
    assert ("vitals", "text_styles", "styles", "focusable") in in_turns(without_probes)
