"""Real throttling over CDP, for measured numbers (the accuracy benchmark, and users who want a
page loaded for real under a profile rather than simulated).

`Network.emulateNetworkConditionsByRule` is the current CDP method; `emulateNetworkConditions`
(deprecated, same request-level effect) is the fallback for Chromium builds without it. CPU is
slowed with `Emulation.setCPUThrottlingRate`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from accesscheck.engine import ENGINE_ERRORS, CdpSession

from accesscheck.bandwidth.simulate import Profile
from accesscheck.engine import Engine
from accesscheck.gather.network import NetworkRecorder
from accesscheck.gather.vitals import VitalsGatherer, read_vitals

#: Lighthouse's network quiet window under simulated throttling (1000 ms, checks-methodology.md
#: 1.1): the load is over when no request has been in flight for this long.
QUIET_MS = 1000


async def apply_profile(cdp: CdpSession, profile: Profile) -> str:
    """Throttle the page's network and CPU; returns the CDP method used for the network."""
    conditions = {"latency": profile.latency_ms, "downloadThroughput": profile.download_bps,
                  "uploadThroughput": profile.download_bps}
    try:
        await cdp.send("Network.emulateNetworkConditionsByRule",
                       {"offline": False, "matchedNetworkConditions": [{"urlPattern": "", **conditions}]})
        method = "Network.emulateNetworkConditionsByRule"
    except ENGINE_ERRORS:
        await cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
        method = "Network.emulateNetworkConditions"
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu})
    return method


async def measure_throttled(pool: Engine, url: str, profile: Profile, *, timeout: float = 120.0,
                            viewport: tuple[int, int] = (1280, 800)) -> dict[str, Any]:
    """One cold load of `url` under `profile`: `fcp_ms`, `lcp_ms` (from the page's observers) and
    `load_ms` (the last request finished, as the simulation defines it), ms from the first request."""
    vitals = VitalsGatherer()
    context = await pool.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                     service_workers="block")
    try:
        await vitals.prepare(context)
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        recorder = NetworkRecorder()
        await recorder.attach(cdp)
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        method = await apply_profile(cdp, profile)
        await page.goto(url, wait_until="load", timeout=timeout * 1000)
        await _network_quiet(recorder, timeout)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        observed = await read_vitals(page)
        ends = [r.end_ms for r in recorder.requests() if r.end_ms is not None and r.failed is None]
        return {"fcp_ms": observed.get("fcp_ms"), "lcp_ms": observed.get("lcp_ms"),
                "load_ms": max(ends) if ends else None, "method": method}
    finally:
        await context.close()


async def _network_quiet(recorder: NetworkRecorder, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        if recorder.in_flight:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
            return
        await asyncio.sleep(0.05)
