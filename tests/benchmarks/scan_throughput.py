"""`make bench`: the full scan's pages per minute against a floor measured in the same run.

The floor is the same Chromium, flags and concurrency doing only "fresh context, load the page,
run axe-core" in a bare loop: the least any axe-based scanner must do. The full scan adds the
crawl (robots, sitemaps, link discovery), the CDP network log, DOM gathering, checks and a
committed store write per page. Target: full ≥ 0.6 × floor. Phases alternate (floor, scan,
floor, scan) and each figure is the better of its two, so a noisy neighbour hurts both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
from pathlib import Path

import psutil

from accesscheck.browser import find_chromium
from accesscheck.config import build_config, sites_from_urls
from accesscheck.demo.server import serve
from accesscheck.gather.axe import AXE_OPTIONS, axe_script
from accesscheck.scan import scan
from accesscheck.settings import CHROMIUM_ARGS
from accesscheck.store import Store
from sitegen import generate_site  # run as a script: textstat ships a top-level `tests` package that shadows ours


class PeakMemory:
    """Peak resident memory of this process and all its children (the browser), sampled."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)


async def floor(urls: list[str], concurrency: int) -> int:
    from playwright.async_api import async_playwright
    queue = list(urls)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)

        async def worker() -> int:
            done = 0
            while queue:
                url = queue.pop()
                context = await browser.new_context(viewport={"width": 1280, "height": 800})
                page = await context.new_page()
                await page.goto(url, wait_until="load")
                await page.evaluate(axe_script())
                await page.evaluate("(o) => axe.run(document, o)", AXE_OPTIONS)
                await context.close()
                done += 1
            return done

        counts = await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
    return sum(counts)


def full_scan(origin: str, pages: int, concurrency: int, db: Path) -> int:
    config = build_config(sites_from_urls([origin + "/index.html"]),
                          {"max_pages": pages, "depth": 100, "concurrency": concurrency,
                           "per_host_concurrency": concurrency, "loopback_only": True})
    store = Store(f"sqlite:///{db}")
    outcome = asyncio.run(scan(config, store))
    run = store.load_run(outcome.run_id)
    return sum(1 for p in run.pages if p.outcome == "scanned")


def measure(label: str, action) -> tuple[float, int, int]:
    with PeakMemory() as memory:
        start = time.perf_counter()
        count = action()
        seconds = time.perf_counter() - start
    rate = count / seconds * 60
    print(f"  {label:6} {count:4d} pages in {seconds:6.1f} s = {rate:6.1f} pages/min, peak memory {memory.peak / 2**20:6.0f} MiB",
          flush=True)
    return rate, count, memory.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        paths = generate_site(root, args.pages)
        with serve(root) as server:
            urls = [server.origin + p for p in paths]
            print(f"Generated site: {len(paths)} pages on {server.origin}; concurrency {args.concurrency}")
            floors, scans = [], []
            for round_ in (1, 2):
                floors.append(measure("floor", lambda: asyncio.run(floor(urls, args.concurrency))))
                db = Path(tmp) / f"bench{round_}.db"
                scans.append(measure("scan", lambda db=db: full_scan(server.origin, args.pages, args.concurrency, db)))
    best_floor = max(floors)
    best_scan = max(scans)
    ratio = best_scan[0] / best_floor[0]
    print(f"\nfloor  {best_floor[0]:6.1f} pages/min  (peak {best_floor[2] / 2**20:.0f} MiB)")
    print(f"scan   {best_scan[0]:6.1f} pages/min  (peak {best_scan[2] / 2**20:.0f} MiB)")
    print(f"ratio  {ratio:.2f} × floor  (target ≥ 0.60: {'met' if ratio >= 0.6 else 'NOT met'})")
    if best_scan[1] < args.pages:
        print(f"warning: the scan reached only {best_scan[1]} of {args.pages} pages")


if __name__ == "__main__":
    main()
