"""`make bench-bandwidth`: the bandwidth pillar's two targets, measured in one run.

1. Accuracy: for a varied page set (light, heavy, many small requests, render-blocking scripts,
   late-loaded images, a CSS @import chain, large HTML) the simulated 3G load time, from one
   unthrottled load, against the median of real loads under CDP throttling with the same profile
   (DevTools "3G": 2000 ms, 50 000 B/s, CPU 6x). Target: median absolute error <= 25%.
2. Cost: a full scan of a generated site with and without the bandwidth checks (so without the
   vitals, no-JS and reflow gatherers), same run, alternating, the best of N rounds each; wall
   time and CPU time per page.
   Target: the pillar adds <= 25% to the time per page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import importlib
from accesscheck.bandwidth.simulate import profiles, simulate
from accesscheck.bandwidth.throttle import measure_throttled
from accesscheck.engine.playwright import BrowserPool
from accesscheck.checks import all_checks
from accesscheck.config import build_config, sites_from_urls
from accesscheck.demo.server import serve
from accesscheck.gather.visit import VisitOptions, visit_page
from accesscheck.store import Store
from sitegen import generate_site  # run as a script: textstat ships a top-level `tests` package that shadows ours

_HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
_TEXT = "<p>" + "Council tax, housing benefit and bin collection information for residents. " * 8 + "</p>"


def _blob(n: int, seed: int) -> str:
    """n bytes of text that does not compress away (the server sends files as they are anyway)."""
    import random
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def _png(width: int, height: int, seed: int) -> bytes:
    """A noisy PNG (Pillow): a real photo-sized image of predictable weight."""
    import io
    import random

    from PIL import Image
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def generate_varied_pages(root: Path) -> list[str]:
    """The accuracy benchmark's pages; returns their paths."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "a.css").write_text("body{font-family:sans-serif}/*" + _blob(6000, 1) + "*/")
    (root / "b.css").write_text("@import url(c.css);main{margin:1em}/*" + _blob(3000, 2) + "*/")
    (root / "c.css").write_text("h1{color:#333}/*" + _blob(12000, 3) + "*/")
    for i in range(3):
        (root / f"s{i}.js").write_text(f"var s{i}='{_blob(15000, 10 + i)}';")
    (root / "app.js").write_text("var big='" + _blob(150000, 20) + "';")
    (root / "late.js").write_text(
        "setTimeout(()=>{for(const n of [1,2]){const i=new Image();i.alt='';i.src='img'+n+'.png';"
        "document.querySelector('main').appendChild(i);}},400);")
    for n in range(1, 3):
        (root / f"img{n}.png").write_bytes(_png(120, 80, n))
    (root / "hero.png").write_bytes(_png(300, 200, 9))
    for n in range(24):
        (root / f"icon{n}.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><!--{_blob(900, 100 + n)}-->'
            f'<rect width="24" height="24" fill="#0{n % 10}6"/></svg>')
    pages = {
        "light.html": _HEAD.format(title="Light") + '<link rel="stylesheet" href="a.css"></head><body><main><h1>Light</h1>' + _TEXT + "</main></body></html>",
        "heavy.html": _HEAD.format(title="Heavy") + '<link rel="stylesheet" href="a.css"><script src="app.js"></script></head><body><main><h1>Heavy</h1><img src="hero.png" alt="" width="300" height="200">' + _TEXT + "</main></body></html>",
        "many.html": _HEAD.format(title="Many") + '<link rel="stylesheet" href="a.css"></head><body><main><h1>Many small files</h1>' + "".join(f'<img src="icon{n}.svg" alt="" width="24" height="24">' for n in range(24)) + _TEXT + "</main></body></html>",
        "blocking.html": _HEAD.format(title="Blocking") + '<link rel="stylesheet" href="a.css">' + "".join(f'<script src="s{i}.js"></script>' for i in range(3)) + "</head><body><main><h1>Blocking scripts</h1>" + _TEXT + "</main></body></html>",
        "late.html": _HEAD.format(title="Late") + '<link rel="stylesheet" href="a.css"><script src="late.js" defer></script></head><body><main><h1>Late images</h1>' + _TEXT + "</main></body></html>",
        "chain.html": _HEAD.format(title="Chain") + '<link rel="stylesheet" href="b.css"></head><body><main><h1>CSS import chain</h1>' + _TEXT + "</main></body></html>",
        "bightml.html": _HEAD.format(title="Big HTML") + '<link rel="stylesheet" href="a.css"></head><body><main><h1>Big HTML</h1>' + _TEXT * 60 + '<img src="img1.png" alt="" width="120" height="80"></main></body></html>',
    }
    for name, html in pages.items():
        (root / name).write_text(html)
    return ["/" + name for name in pages]


async def accuracy(origin: str, paths: list[str], runs: int) -> list[tuple[str, float, float]]:
    profile = next(p for p in profiles() if p.name == "3g")
    options = VisitOptions(timeout=60, settle_timeout=5, viewport=(1280, 800), user_agent=None,
                           gatherers=frozenset({"network", "dom", "vitals"}))
    rows = []
    async with BrowserPool(loopback_only=True) as pool:
        for path in paths:
            snapshot = await visit_page(pool, origin + path, options, lambda final: None)
            estimate = simulate(snapshot, profile)
            assert estimate is not None
            real = [await measure_throttled(pool, origin + path, profile) for _ in range(runs)]
            measured = statistics.median(r["load_ms"] for r in real)
            real_fcp = statistics.median(r["fcp_ms"] or 0 for r in real)
            error = (estimate["load_ms"] - measured) / measured
            print(f"  {path:15} simulated {estimate['load_ms'] / 1000:6.2f} s  measured {measured / 1000:6.2f} s "
                  f"({real[0]['method'].split('.')[-1]}, median of {runs})  error {error:+6.1%}   "
                  f"FCP sim {estimate['fcp_ms'] / 1000:5.2f} s real {real_fcp / 1000:5.2f} s", flush=True)
            rows.append((path, estimate["load_ms"], measured))
    return rows


def timed_scan(origin: str, pages: int, concurrency: int, db: Path, *, bandwidth: bool) -> tuple[float, float]:
    """Wall and CPU seconds per scanned page of a full scan, with or without the bandwidth checks.
    CPU time (this process, the Playwright driver and Chromium, all waited-for children) is what
    the pillar costs the machine; it is far less disturbed than wall time by other work on a
    shared machine."""
    checks = all_checks() if bandwidth else [c for c in all_checks() if c.pillar != "bandwidth"]
    scan_module = importlib.import_module("accesscheck.scan")  # `accesscheck.scan` is also a function
    original = scan_module.all_checks
    scan_module.all_checks = lambda: checks  # the scan runs the gatherers its checks need
    try:
        config = build_config(sites_from_urls([origin + "/index.html"]),
                              {"max_pages": pages, "depth": 100, "concurrency": concurrency,
                               "per_host_concurrency": concurrency, "loopback_only": True})
        store = Store(f"sqlite:///{db}")
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        outcome = asyncio.run(scan_module.scan(config, store))
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    finally:
        scan_module.all_checks = original
    scanned = sum(1 for p in store.load_run(outcome.run_id).pages if p.outcome == "scanned")
    print(f"  {'with' if bandwidth else 'without':7} bandwidth: {scanned} pages in {seconds:6.1f} s = "
          f"{seconds / scanned * 1000:6.0f} ms/page wall, {cpu / scanned * 1000:6.0f} ms/page CPU", flush=True)
    return seconds / scanned, cpu / scanned


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="real throttled loads per page (median)")
    parser.add_argument("--pages", type=int, default=60, help="pages of the generated site for the cost figure")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the cost figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_accuracy:
            varied = Path(tmp) / "varied"
            paths = generate_varied_pages(varied)
            with serve(varied) as server:
                print(f"Accuracy: simulated vs CDP-throttled 3G load time, {len(paths)} pages")
                rows = asyncio.run(accuracy(server.origin, paths, args.runs))
            errors = [abs(sim - real) / real for _, sim, real in rows]
            mae = statistics.median(errors)
        if not args.skip_cost:
            site = Path(tmp) / "site"
            generate_site(site, args.pages)
            with serve(site) as server:
                print(f"\nCost: full scan of a generated {args.pages}-page site, concurrency {args.concurrency}")
                without, with_ = [], []
                for round_ in range(1, args.rounds + 1):
                    without.append(timed_scan(server.origin, args.pages, args.concurrency,
                                              Path(tmp) / f"a{round_}.db", bandwidth=False))
                    with_.append(timed_scan(server.origin, args.pages, args.concurrency,
                                            Path(tmp) / f"b{round_}.db", bandwidth=True))
            added = min(w for w, _ in with_) / min(w for w, _ in without) - 1
            added_cpu = min(c for _, c in with_) / min(c for _, c in without) - 1
    if not args.skip_accuracy:
        print(f"\nsimulation error (3G load time): median absolute {mae:.1%} (target <= 25%: "
              f"{'met' if mae <= 0.25 else 'NOT met'}); worst {max(errors):.1%}")
    if not args.skip_cost:
        print(f"pillar cost: +{added:.1%} wall time per page, +{added_cpu:.1%} CPU time per page with the "
              f"bandwidth checks (target <= 25%: wall {'met' if added <= 0.25 else 'NOT met'}, "
              f"CPU {'met' if added_cpu <= 0.25 else 'NOT met'}; best of {args.rounds} rounds each)")


if __name__ == "__main__":
    main()
