"""axe-core, injected from the copy the axe-playwright-python package ships (whichever engine
drives the browser), run on every frame."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from accesscheck.engine import ENGINE_ERRORS, Context, Page, run_axe

from accesscheck.gather import GatherEnv

# WCAG 2.0/2.1/2.2 A and AA plus best practices; target-size (2.5.8) is off by default in axe and
# turned on here as Lighthouse does (core/gather/gatherers/accessibility.js). The conformance
# target (Standard.axe_options) narrows or widens the tags.
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a",
                                          "wcag22aa", "best-practice"]},
    # Own checks replace four axe rules that fail pages W3C's ACT cases say pass, or leave failures
    # undecided: `styles` (ACT 24afc2, 9e45ec, 78fd32, b33eff) and `focusable` (6cfa84, akn7bn).
    "rules": {"target-size": {"enabled": True},
              **{rule: {"enabled": False} for rule in ("avoid-inline-spacing", "css-orientation-lock",
                                                       "aria-hidden-focus", "frame-focusable-content")}},
    "resultTypes": ["violations", "incomplete"],
    "iframes": True,
    "frameWaitTime": 5000,
}
MAX_NODES_PER_RULE = 250  # a page with thousands of identical nodes says nothing more past this


@cache
def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT
    return AXE_SCRIPT


def axe_script_path() -> str:
    """The file of that script (axe-selenium-python's Axe reads the script from a file)."""
    from axe_playwright_python.base import AXE_FILE_PATH
    return str(AXE_FILE_PATH)


@cache
def axe_version() -> str:
    match = re.search(r"axe v([\d.]+)", axe_script()[:200])
    return match.group(1) if match else "unknown"


class AxeGatherer:
    """Injects axe into each frame (so `iframes: true` reaches them) and runs it from the top."""

    async def prepare(self, context: Context) -> None:
        pass

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any]:
        from accesscheck.conformance import standard
        return await gather_axe(page, standard(env.standard).axe_options(AXE_OPTIONS))


async def gather_axe(page: Page, options: dict[str, Any] = AXE_OPTIONS) -> dict[str, Any]:
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached():
            continue
        try:
            await frame.evaluate(axe_script())
        except ENGINE_ERRORS:
            pass  # a frame that navigated away or forbids scripts: axe reports it as incomplete
    await page.evaluate(axe_script())
    raw = await run_axe(page, options, _RUN_TRIMMED)
    return {"violations": [_trim(rule) for rule in raw.get("violations", [])],
            "incomplete": [_trim(rule) for rule in raw.get("incomplete", [])],
            # rule ids only: what EARL needs to tell "passed" from "inapplicable"
            "passes": [rule["id"] for rule in raw.get("passes", [])],
            "inapplicable": [rule["id"] for rule in raw.get("inapplicable", [])],
            "version": raw.get("testEngine", {}).get("version") or axe_version()}


#: axe.run, and only what the checks read of its result sent back: the node lists and check
#: details of every rule would otherwise cross CDP to be dropped (for a large page, megabytes).
#: Passed and inapplicable rules by id only (what EARL needs to tell the two apart). Strings are
#: cut in the page at twice the kept length (JavaScript counts UTF-16 units), exactly in _trim.
_RUN_TRIMMED = """async (options) => {
  const maxNodes = %d;
  const raw = await axe.run(document, options);
  const trim = (rule) => ({
    id: rule.id, impact: rule.impact ?? null, tags: rule.tags || [], help: rule.help || '',
    description: rule.description || '', helpUrl: rule.helpUrl ?? null, nodes_total: (rule.nodes || []).length,
    nodes: (rule.nodes || []).slice(0, maxNodes).map((node) => ({
      target: node.target || [], html: (node.html || '').slice(0, 1000), impact: node.impact ?? null,
      failureSummary: (node.failureSummary || '').slice(0, 2000)}))});
  const id = (rule) => ({id: rule.id});
  return {violations: (raw.violations || []).map(trim), incomplete: (raw.incomplete || []).map(trim),
          passes: (raw.passes || []).map(id), inapplicable: (raw.inapplicable || []).map(id),
          testEngine: {version: (raw.testEngine || {}).version || null}};
}""" % MAX_NODES_PER_RULE


#: What the catalogue keeps of each axe rule (axe.getRules() plus each rule's default impact).
_RULE_METADATA = """() => {
  const impacts = Object.fromEntries(axe._audit.rules.map(r => [r.id, r.impact || null]));
  return {version: axe.version, rules: axe.getRules().map(r => ({
    id: r.ruleId, help: r.help, description: r.description, helpUrl: r.helpUrl,
    tags: r.tags, actIds: r.actIds || [], impact: impacts[r.ruleId]}))};
}"""


async def axe_rule_metadata(page: Page) -> dict[str, Any]:
    """axe-core's own description of every rule it ships, read from the script in a blank page;
    scripts/extract-axe-rules.py keeps it as data/catalogue/axe_rules.json for the catalogue."""
    await page.evaluate(axe_script())
    return await page.evaluate(_RULE_METADATA)


async def installed_axe_rules() -> dict[str, Any]:
    """axe_rule_metadata() of the installed axe script, in a Chromium of its own."""
    from accesscheck.engine import EngineChoice, make_engine
    async with make_engine(EngineChoice(), loopback_only=True) as pool:
        context = await pool.new_context()
        try:
            return await axe_rule_metadata(await context.new_page())
        finally:
            await context.close()


def _trim(rule: dict[str, Any]) -> dict[str, Any]:
    """The stored shape of a rule, its strings cut to length in characters: from the result
    trimmed in the page, or from an engine runner's whole result (Selenium)."""
    nodes = rule.get("nodes", [])
    return {
        "id": rule["id"], "impact": rule.get("impact"), "tags": rule.get("tags", []),
        "help": rule.get("help", ""), "description": rule.get("description", ""),
        "helpUrl": rule.get("helpUrl"), "nodes_total": rule.get("nodes_total", len(nodes)),
        "nodes": [{"target": node.get("target", []), "html": (node.get("html") or "")[:500],
                   "impact": node.get("impact"), "failureSummary": (node.get("failureSummary") or "")[:1000]}
                  for node in nodes[:MAX_NODES_PER_RULE]],
    }
