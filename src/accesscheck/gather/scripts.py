"""Gatherers whose whole collection is one script in the page, sent to it together.

Each `page.evaluate` is a round trip through the driver and CDP that costs the scanner, the
driver and Chromium about 1.6–1.9 ms of CPU between them on an idle page, whatever the script
does (500 trivial evaluates, measured on the headless shell). The visit runs several one-script
gatherers after one another (the vitals, the text styles, the styles, the focusable content), so
it sends their scripts in one evaluate, in their order, each in its own try: one that throws
loses only its own result, as when each had its own round trip.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accesscheck.engine import Context, EngineError, Page

from accesscheck.gather import GatherEnv


@dataclass(frozen=True, slots=True)
class PageScript:
    """A JavaScript function of `argument` (it may return a promise) whose value is what the
    gatherer collects."""

    source: str
    argument: Any = None


class ScriptGatherer:
    """A gatherer whose collection is `script()` run in the page: alone through `collect`, or with
    its neighbours through `run_together`."""

    async def prepare(self, context: Context) -> None:
        pass

    def script(self, env: GatherEnv) -> PageScript:
        raise NotImplementedError

    async def collect(self, page: Page, env: GatherEnv) -> Any:
        return await run_script(page, self.script(env))


class ScriptFailed(EngineError):
    """One script of a batch threw in the page; the message is the page's error message."""


async def run_script(page: Page, script: PageScript) -> Any:
    return await page.evaluate(script.source, script.argument)


#: The scripts, called one after the other; a script's error becomes its result instead of
#: ending the others.
_TOGETHER = """async (args) => {
  const results = {};
  for (const [name, run] of [%s]) {
    try { results[name] = {value: await run(args[name])}; }
    catch (e) { results[name] = {error: String((e && e.message) || e)}; }
  }
  return results;
}"""


async def run_together(page: Page, scripts: Mapping[str, PageScript]) -> dict[str, Any]:
    """Each script's value by name, in one round trip; a script that threw has a ScriptFailed
    for its value. An engine error of the round trip itself (the page closed, navigated) is raised."""
    calls = ",\n".join(f"[{json.dumps(name)}, {script.source}]" for name, script in scripts.items())
    answers = await page.evaluate(_TOGETHER % calls, {name: script.argument for name, script in scripts.items()})
    return {name: ScriptFailed(answers[name]["error"]) if "error" in answers[name] else answers[name].get("value")
            for name in scripts}
