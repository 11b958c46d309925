"""`make bench`: pages per minute of the full scan with each browser engine on the same pages:
Playwright (the default), `--browser selenium` on the local chromedriver, and `--grid` through a
Selenium Grid standalone on 127.0.0.1 (tests/services.py), each next to the reused-tab floor
measured in the same round (one Chromium, each worker keeping its tab, load + axe-core).

The scans are those of scan_throughput.py (a generated portal crawled from its index, interaction
probes off); the order of the phases alternates between rounds, as the machine may be shared.
Selenium does a little less per page by design: it has no JavaScript-off render (README
"Browser engines"), so its figures flatter it by that much.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from accesscheck.config import build_config, sites_from_urls
from accesscheck.scan import scan
from accesscheck.store import Store
from scan_throughput import Phase, SiteProcess, floor, measure  # run as a script (see scan_throughput.py)
from sitegen import generate_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the Grid fixture
from services import selenium_grid  # noqa: E402


def engine_scan(origin: str, pages: int, concurrency: int, db: Path, engine: dict[str, Any]) -> int:
    options: dict[str, Any] = {"max_pages": pages, "depth": 100, "concurrency": concurrency,
                               "per_host_concurrency": concurrency, "loopback_only": True, "probes": "none",
                               **engine}
    store = Store(f"sqlite:///{db}")
    outcome = asyncio.run(scan(build_config(sites_from_urls([origin + "/index.html"]), options), store))
    return sum(1 for p in store.load_run(outcome.run_id).pages if p.outcome == "scanned")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="pages of the generated portal")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name, selenium_grid(max_sessions=args.concurrency) as grid:
        tmp = Path(tmp_name)
        root = tmp / "portal"
        paths = generate_site(root, args.pages)
        engines: dict[str, dict[str, Any]] = {"playwright": {}, "selenium": {"browser": "selenium"},
                                              "grid": {"grid": grid}}
        figures: dict[str, list[Phase]] = {name: [] for name in ["floor", *engines]}
        with SiteProcess(root) as server:
            urls = [server.origin + p for p in paths]
            print(f"portal: {len(paths)} pages on {server.origin}; concurrency {args.concurrency}; "
                  f"{args.rounds} rounds; Grid {grid}", flush=True)
            for round_ in range(1, args.rounds + 1):
                order = list(engines) if round_ % 2 else list(reversed(engines))
                figures["floor"].append(measure("floor", server.pid, lambda: asyncio.run(floor(urls, args.concurrency))))
                for name in order:
                    db = tmp / f"{name}-{round_}.db"
                    figures[name].append(measure(name[:6], server.pid, lambda db=db, name=name: engine_scan(
                        server.origin, len(paths), args.concurrency, db, engines[name])))
    floor_rate = statistics.median(p.rate for p in figures["floor"])
    print(f"\nSummary (interaction probes off; medians of {args.rounds} rounds)")
    print(f"  floor       {floor_rate:6.1f} pages/min")
    for name in engines:
        rate = statistics.median(p.rate for p in figures[name])
        ratios = [p.rate / f.rate for p, f in zip(figures[name], figures["floor"])]
        short = min(p.pages for p in figures[name])
        print(f"  {name:10}  {rate:6.1f} pages/min = {statistics.median(ratios):.2f} × floor "
              f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})" + (f"  warning: {short} pages scanned" if short < len(paths) else ""))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
