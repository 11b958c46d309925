"""`make bench`: what each interaction probe adds per page, and the whole scan with every probe on
against the floor, measured in the same run on the demo portal (its pages have forms, selects,
banners and the probe barriers, so every probe has work to do).

1. Per probe: each page loaded once as the floor loads it (load + axe-core), then every probe run
   on it in the scan's order and timed on its own; printed as mean ms per page and as a share of
   the floor's own time per page.
2. Whole scan: `scan --probes all` and `--probes none` against the floor (scan_throughput.floor:
   one Chromium, the same flags and concurrency, load + axe-core only), phases alternating
   (floor, none, all, twice) and each figure the better of its two. Target: all ≥ 0.5 × floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from accesscheck.engine.playwright import BrowserPool
from accesscheck.config import build_config, sites_from_urls
from accesscheck.demo import serve_demo
from accesscheck.gather import GatherEnv
from accesscheck.gather.axe import gather_axe
from accesscheck.gather.probes import PROBES
from accesscheck.gather.visit import OPTIONAL_GATHERERS
from accesscheck.scan import scan
from accesscheck.store import Store
from scan_throughput import floor  # run as a script: textstat ships a top-level `tests` package that shadows ours

VIEWPORT = (1280, 800)


async def probe_times(urls: list[str]) -> tuple[float, dict[str, list[float]]]:
    """Mean floor seconds per page (load + axe) and each probe's seconds on every page."""
    times: dict[str, list[float]] = {name: [] for name in OPTIONAL_GATHERERS if name in PROBES}
    floors = []
    async with BrowserPool(loopback_only=True) as pool:
        for url in urls:
            context = await pool.new_context(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
            for name in times:
                await OPTIONAL_GATHERERS[name].prepare(context)
            page = await context.new_page()
            start = time.perf_counter()
            await page.goto(url, wait_until="load")
            await gather_axe(page)
            floors.append(time.perf_counter() - start)
            env = GatherEnv(pool=pool, url=page.url, viewport=VIEWPORT, user_agent=None)
            for name in times:
                start = time.perf_counter()
                await OPTIONAL_GATHERERS[name].collect(page, env)
                times[name].append(time.perf_counter() - start)
            await context.close()
    return statistics.fmean(floors), times


def demo_scan(origin: str, probes: str, concurrency: int, db: Path, stages: dict[str, float]) -> int:
    """Pages scanned; each stage's seconds (costs.py) are added to `stages`."""
    config = build_config(sites_from_urls([origin + "/"]),
                          {"max_pages": 60, "depth": 5, "concurrency": concurrency, "probes": probes,
                           "per_host_concurrency": concurrency, "loopback_only": True})
    store = Store(f"sqlite:///{db}")
    outcome = asyncio.run(scan(config, store))
    for stage, seconds in outcome.stages.items():
        stages[stage] = stages.get(stage, 0.0) + seconds
    run = store.load_run(outcome.run_id)
    return sum(1 for p in run.pages if p.outcome == "scanned")


async def scanned_urls(origin: str, db: Path) -> list[str]:
    """The demo pages a scan reaches (the floor loads exactly these)."""
    config = build_config(sites_from_urls([origin + "/"]), {"max_pages": 60, "depth": 5, "probes": "none",
                                                            "loopback_only": True})
    store = Store(f"sqlite:///{db}")
    run = store.load_run((await scan(config, store)).run_id)
    return [p.final_url or p.url for p in run.pages if p.outcome == "scanned"]


def rate(label: str, action) -> float:
    start = time.perf_counter()
    count = action()
    seconds = time.perf_counter() - start
    print(f"  {label:10} {count:3d} pages in {seconds:6.1f} s = {count / seconds * 60:6.1f} pages/min", flush=True)
    return count / seconds * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve_demo() as server:
        urls = asyncio.run(scanned_urls(server.origin, Path(tmp) / "urls.db"))
        print(f"Demo portal: {len(urls)} pages on {server.origin}; concurrency {args.concurrency}\n")
        print("Per probe, one page at a time (mean over the pages):")
        floor_s, times = asyncio.run(probe_times(urls))
        print(f"  {'floor':16} {floor_s * 1000:7.0f} ms/page  (load + axe-core)")
        for name, seconds in times.items():
            mean = statistics.fmean(seconds)
            print(f"  {name:16} {mean * 1000:7.0f} ms/page  = {mean / floor_s:5.2f} × floor   "
                  f"(max {max(seconds) * 1000:.0f} ms, level {PROBES[name]})")
        total = sum(statistics.fmean(s) for s in times.values())
        print(f"  {'all probes':16} {total * 1000:7.0f} ms/page  = {total / floor_s:5.2f} × floor\n")
        print("Whole scan against the floor:")
        figures: dict[str, list[float]] = {"floor": [], "none": [], "all": []}
        stages: dict[str, float] = {}
        for round_ in (1, 2):
            figures["floor"].append(rate("floor", lambda: asyncio.run(floor(urls, args.concurrency))))
            for level in ("none", "all"):
                db = Path(tmp) / f"{level}{round_}.db"
                figures[level].append(rate(f"probes={level}", lambda db=db, level=level: demo_scan(
                    server.origin, level, args.concurrency, db, stages if level == "all" else {})))
    print("\nEach probe inside the scan (--probes all, wall ms per page, both rounds; the scan runs "
          f"{args.concurrency} pages at once, so these overlap):")
    scanned = 2 * len(urls)
    for name in times:
        print(f"  {name:16} {stages.get(f'gather/{name}', 0.0) * 1000 / scanned:7.0f} ms/page")
    best = {k: max(v) for k, v in figures.items()}
    for level in ("none", "all"):
        print(f"\nscan --probes {level:4}  {best[level]:6.1f} pages/min = {best[level] / best['floor']:.2f} × floor")
    ratio = best["all"] / best["floor"]
    print(f"target: --probes all ≥ 0.50 × floor: {'met' if ratio >= 0.5 else 'NOT met'} ({ratio:.2f})")


if __name__ == "__main__":
    main()
