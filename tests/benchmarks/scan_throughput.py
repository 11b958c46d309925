"""`make bench`: the full scan's pages per minute against the reused-tab floor, measured in the same run.

The floor is the least any axe-based scanner must do: one Chromium, the same flags and
concurrency, each worker keeping one tab and doing only "load the page, run axe-core" in a bare
loop. The full scan adds everything accesscheck does: the crawl (robots, sitemaps, link discovery),
the cleared state and disabled cache between pages, the CDP network log, DOM gathering, vitals,
the JavaScript-off render, the reflow probe, every check of every pillar and a committed store
write per page. Target: scan ≥ 0.6 × floor on both page sets.

Two page sets: a generated portal (pages with shared assets, discovered through links) and many
small standalone pages (the kind a test suite is made of: forms, tables, frames, media, widgets).
The machine may be shared, so floor and scan alternate (floor, scan, floor, scan, ...); each round's
ratio is the scan against the floor measured next to it, and the report gives the median ratio and
its range over the rounds. The test site is served from a separate process, so serving it costs
the floor and the scan the same and is not counted in either's memory.

    --scale 500,5000   memory only: full scans of the portal at those sizes, peak memory of each.
    --visit 1500       with --scale: each crawl stops after 1,500 pages (the rest recorded as skipped).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from accesscheck.engine.playwright import find_chromium
from accesscheck.config import build_config, sites_from_urls
from accesscheck.gather.axe import AXE_OPTIONS, axe_script
from accesscheck.scan import scan
from accesscheck.settings import CHROMIUM_ARGS, DEFAULTS
from accesscheck.store import Store
from sitegen import generate_site, generate_small_pages  # run as a script: textstat ships a top-level `tests` package


class PeakMemory:
    """Peak resident memory of this process and its children (the browser, the check workers),
    sampled every 100 ms; the site server's process is left out. It also adds up the CPU time each
    kind of process used (the last sample of each), to show what is busy: a scan that leaves the
    cores idle waits on round trips, one that fills them must do less work. The number of Chromium
    processes seen shows renderer churn (a process started per navigation costs as much as a load)."""

    def __init__(self, exclude: int | None) -> None:
        self.peak = 0
        self._exclude = exclude
        self._cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        # This process and any kept child (the check workers outlive a scan) ran before: count
        # only what they use from here.
        me = psutil.Process()
        self._start: dict[int, float] = {}
        for proc in [me, *me.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                self._start[proc.pid] = times.user + times.system
            except psutil.Error:
                pass
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used while measuring, by kind of process."""
        used: dict[str, float] = {}
        for pid, (kind, seconds) in self._cpu.items():
            used[kind] = used.get(kind, 0.0) + seconds - self._start.get(pid, 0.0)
        return {kind: seconds for kind, seconds in used.items() if seconds >= 0.05}

    def chromium_processes(self) -> int:
        return sum(1 for kind, _ in self._cpu.values() if kind == "chromium")

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                if proc.pid == self._exclude:
                    continue
                try:
                    total += proc.memory_info().rss
                    times = proc.cpu_times()
                    self._cpu[proc.pid] = (_kind(proc, me), times.user + times.system)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)


_SCANNER = "scanner (this process)"


def _kind(proc: psutil.Process, me: psutil.Process) -> str:
    if proc.pid == me.pid:
        return _SCANNER
    name = proc.name().lower()
    if "chrom" in name or any(arg.startswith("--type=") for arg in proc.cmdline()):  # zygotes are named "exe"
        return "chromium"
    if "node" in name:
        return "playwright driver"
    return "python children (check workers)" if "python" in name else name


def _serve_forever(root: str, pipe: Any) -> None:
    from accesscheck.demo.server import serve
    with serve(Path(root)) as server:
        pipe.send(server.origin)
        pipe.recv()  # until the benchmark says stop


class SiteProcess:
    """The test site served by a process of its own."""

    def __init__(self, root: Path) -> None:
        self._parent, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve_forever, args=(str(root), child), daemon=True)

    def __enter__(self) -> SiteProcess:
        self._process.start()
        self.origin: str = self._parent.recv()
        self.pid = self._process.pid
        return self

    def __exit__(self, *exc: object) -> None:
        self._parent.send("stop")
        self._process.join(10)


async def floor(urls: list[str], concurrency: int) -> int:
    """The reused-tab floor: each worker keeps one tab; load, axe-core, next."""
    from playwright.async_api import async_playwright
    queue = list(reversed(urls))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)

        async def worker() -> int:
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            page = await context.new_page()
            done = 0
            while queue:
                await page.goto(queue.pop(), wait_until="load")
                await page.evaluate(axe_script())
                await page.evaluate("(o) => axe.run(document, o)", AXE_OPTIONS)
                done += 1
            await context.close()
            return done

        counts = await asyncio.gather(*(worker() for _ in range(concurrency)))
        await browser.close()
    return sum(counts)


@dataclass
class ScanFigures:
    pages: int
    stages: dict[str, Any]


def full_scan(origin: str, pages: int, concurrency: int, db: Path) -> ScanFigures:
    options: dict[str, Any] = {"max_pages": pages, "depth": 100, "concurrency": concurrency,
                               "per_host_concurrency": concurrency, "loopback_only": True}
    if "probes" in DEFAULTS:
        options["probes"] = "none"  # the interaction probes are budgeted separately (their own benchmark)
    config = build_config(sites_from_urls([origin + "/index.html"]), options)
    store = Store(f"sqlite:///{db}")
    outcome = asyncio.run(scan(config, store))
    run = store.load_run(outcome.run_id)
    return ScanFigures(sum(1 for p in run.pages if p.outcome == "scanned"), getattr(outcome, "stages", {}))


@dataclass
class Phase:
    rate: float
    pages: int
    seconds: float
    peak: int
    result: Any


def measure(label: str, server_pid: int | None, action: Callable[[], Any]) -> Phase:
    with PeakMemory(server_pid) as memory:
        start = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - start
    count = result if isinstance(result, int) else result.pages
    rate = count / seconds * 60
    print(f"    {label:6} {count:5d} pages in {seconds:6.1f} s = {rate:6.1f} pages/min, "
          f"peak memory {memory.peak / 2**20:6.0f} MiB", flush=True)
    cpu = memory.cpu_seconds()
    busy = sum(cpu.values()) / (seconds * (os.cpu_count() or 1))
    print(f"           CPU {busy:4.0%} of the machine: " + ", ".join(
        f"{kind} {used:.1f} s" for kind, used in sorted(cpu.items(), key=lambda kv: -kv[1]) if used >= 0.05)
        + f"; {memory.chromium_processes()} Chromium processes", flush=True)
    return Phase(rate, count, seconds, memory.peak, result)


def bench_set(name: str, root: Path, paths: list[str], rounds: int, concurrency: int, tmp: Path) -> dict[str, Any]:
    with SiteProcess(root) as server:
        urls = [server.origin + p for p in paths]
        print(f"\n{name}: {len(paths)} pages on {server.origin}; concurrency {concurrency}; {rounds} rounds", flush=True)
        floors, scans = [], []
        for round_ in range(1, rounds + 1):
            floors.append(measure("floor", server.pid, lambda: asyncio.run(floor(urls, concurrency))))
            db = tmp / f"{name}-{round_}.db"
            scans.append(measure("scan", server.pid,
                                 lambda db=db: full_scan(server.origin, len(paths), concurrency, db)))
    ratios = [s.rate / f.rate for f, s in zip(floors, scans)]
    if min(s.pages for s in scans) < len(paths):
        print(f"    warning: a scan reached only {min(s.pages for s in scans)} of {len(paths)} pages")
    return {"name": name, "floors": floors, "scans": scans, "ratios": ratios}


def print_stages(stages: dict[str, Any], pages: int) -> None:
    """Milliseconds per page of each stage: wall time for browser work, CPU time for checks."""
    if not stages:
        return
    print("    per-page cost (ms/page; gather = wall time in the browser, check = CPU time in a worker):")
    for key, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"      {key:28} {seconds * 1000 / max(pages, 1):8.1f}")


def summary(result: dict[str, Any]) -> None:
    ratios = result["ratios"]
    floor_rate = statistics.median(f.rate for f in result["floors"])
    scan_rate = statistics.median(s.rate for s in result["scans"])
    median = statistics.median(ratios)
    print(f"\n  {result['name']}: floor {floor_rate:6.1f} pages/min, scan {scan_rate:6.1f} pages/min (medians)")
    print(f"    ratio {median:.2f} × floor (rounds {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"range {min(ratios):.2f}-{max(ratios):.2f})  target ≥ 0.60: {'met' if median >= 0.6 else 'NOT met'}")
    print(f"    peak memory: floor {max(f.peak for f in result['floors']) / 2**20:.0f} MiB, "
          f"scan {max(s.peak for s in result['scans']) / 2**20:.0f} MiB")
    last = result["scans"][-1]
    print_stages(last.result.stages, last.pages)


def scale(sizes: list[int], concurrency: int, tmp: Path, visit: int | None) -> None:
    """Peak memory of full scans of growing portals: it must stay flat with the crawl's size
    (within 10% of the first). With `visit`, each crawl stops after that many pages, the rest
    of the portal recorded as skipped: the quicker equivalent of crawling it all (what could
    grow with the crawl, the frontier, the discovered links and the store, is as large)."""
    peaks = []
    for size in sizes:
        root = tmp / f"scale-{size}"
        paths = generate_site(root, size)
        pages = min(len(paths), visit or len(paths))
        with SiteProcess(root) as server:
            print(f"\nportal of {size} pages, {pages} visited", flush=True)
            phase = measure("scan", server.pid, lambda: full_scan(server.origin, pages, concurrency, tmp / f"scale-{size}.db"))
        peaks.append(phase.peak)
    print()
    for size, peak in zip(sizes, peaks):
        verdict = "within 10%" if peak <= 1.1 * peaks[0] else "NOT within 10%"
        print(f"  {size:6d} pages: peak {peak / 2**20:6.0f} MiB ({peak / peaks[0]:.2f} × the first, {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the generated portal")
    parser.add_argument("--small", type=int, default=300, help="number of small pages")
    parser.add_argument("--rounds", type=int, default=3, help="floor/scan alternations per page set")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sets", default="portal,small", help="page sets to run (portal, small)")
    parser.add_argument("--scale", help="comma-separated portal sizes: peak memory of full scans only")
    parser.add_argument("--visit", type=int, help="with --scale: each crawl stops after this many pages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.scale:
            scale([int(s) for s in args.scale.split(",")], args.concurrency, tmp, args.visit)
            return
        results = []
        if "portal" in args.sets:
            root = tmp / "portal"
            results.append(bench_set("portal", root, generate_site(root, args.pages), args.rounds, args.concurrency, tmp))
        if "small" in args.sets:
            root = tmp / "small"
            results.append(bench_set("small", root, generate_small_pages(root, args.small),
                                     args.rounds, args.concurrency, tmp))
    print("\nSummary" + (" (interaction probes off: --probes none)" if "probes" in DEFAULTS else ""))
    for result in results:
        summary(result)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
