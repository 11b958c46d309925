"""`make bench-distributed`: the same portfolio scanned by one local `scan` and through two
Celery workers on this machine, both into one PostgreSQL, both with the same pages in flight.

Prints each wall time, the distributed path's overhead against the local one (target: at most
10% of the local wall time), and the capacity model of docs/distributed.md from the measured rate:
pages per hour per worker core, and workers needed for 26,000 portals x 50 pages a week.
Workers are started and ready before the clock starts: a fleet's workers are long-lived.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/services.py

from accesscheck.demo import serve_demo  # noqa: E402
from accesscheck.store import Store  # noqa: E402
from services import postgres_cluster, redis_server  # noqa: E402

CLI = [sys.executable, "-m", "accesscheck.cli"]
WEEKLY_PAGES = 26_000 * 50
HOURS_A_WEEK = 7 * 24


def _scan_file(path: Path, origins: list[str], pages: int) -> Path:
    portals = "".join(f'[[portal]]\nurl = "{o}/"\nname = "Copy {i}"\n\n' for i, o in enumerate(origins, 1))
    path.write_text(f"[scan]\nloopback_only = true\ndepth = 2\nmax_pages = {pages}\n\n{portals}", encoding="utf-8")
    return path


def _timed(args: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(args[2:4])} failed: {result.stderr.strip()}")
    return time.perf_counter() - start


def _wait_ready(logs: list[Path], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not all("ready." in log.read_text(errors="replace") for log in logs):
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not become ready")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=4)
    parser.add_argument("--pages", type=int, default=6, help="pages per portal")
    parser.add_argument("--concurrency", type=int, default=2, help="pages at once per worker")
    parser.add_argument("--rounds", type=int, default=2, help="local and distributed runs, alternating")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="accesscheck-bench-dist-"))
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(postgres_cluster())
        broker = stack.enter_context(redis_server())
        origins = [stack.enter_context(serve_demo()).origin for _ in range(args.portals)]
        scan_file = _scan_file(tmp / "portfolio.toml", origins, args.pages)
        logs = [tmp / f"worker{i}.log" for i in range(2)]
        workers = [subprocess.Popen([*CLI, "worker", "--broker", broker, "--db", db, "--concurrency", str(args.concurrency),
                                     "--loglevel", "INFO"], stdout=log.open("w"), stderr=subprocess.STDOUT)
                   for log in logs]
        stack.callback(lambda: [w.terminate() or w.wait() for w in workers])
        _wait_ready(logs)
        in_flight = str(2 * args.concurrency)
        local_times, distributed_times = [], []
        for _ in range(args.rounds):  # alternating, the better of each: a noisy neighbour hurts both alike
            local_times.append(_timed([*CLI, "scan", str(scan_file), "--db", db, "--concurrency", in_flight, "--quiet"]))
            distributed_times.append(_timed([*CLI, "submit", str(scan_file), "--broker", broker, "--db", db,
                                             "--wait", "--quiet"]))
        local, distributed = min(local_times), min(distributed_times)
        store = Store(db)
        runs = [store.load_run(run_id) for run_id in store.run_ids()[-2:]]
        pages = [sum(1 for p in run.pages if p.outcome != "skipped") for run in runs]
    overhead = (distributed - local) / local
    cores = os.cpu_count() or 1
    per_hour = pages[1] / distributed * 3600
    per_core = per_hour / cores  # the workers share this machine's cores
    print(f"portfolio: {args.portals} portals x {args.pages} pages; {pages[0]} / {pages[1]} pages checked "
          f"(local / distributed); {in_flight} pages in flight either way; {os.cpu_count()} CPU cores")
    print(f"local scan      {local:7.1f} s  (best of {', '.join(f'{t:.1f}' for t in local_times)})")
    print(f"two workers     {distributed:7.1f} s  (best of {', '.join(f'{t:.1f}' for t in distributed_times)})")
    print(f"overhead        {overhead:+7.1%} of the local wall time (target <= +10%)")
    print(f"capacity        {per_hour:7.0f} pages/hour on {cores} cores = {per_core:.0f} pages/hour per worker core")
    needed = WEEKLY_PAGES / HOURS_A_WEEK / per_core
    print(f"26,000 portals x 50 pages weekly = {WEEKLY_PAGES:,} pages = {WEEKLY_PAGES / HOURS_A_WEEK:,.0f} pages/hour "
          f"around the clock: {math.ceil(needed)} worker cores at this rate, "
          f"{math.ceil(needed / 2)} workers of 2 cores (--concurrency 2)")


if __name__ == "__main__":
    main()
