"""Benchmark: building the report site for a synthetic portfolio, against a floor measured in the
same run (reading the same runs back from the store, which any report must do).

    PYTHONPATH=src python tests/report/bench_report_site.py [PORTALS PAGES RUNS]

Prints the floor, the build, their ratio, and the largest page written (budget 100 KB).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from accesscheck.model import Finding, PageResult
from accesscheck.report.site import build_site
from accesscheck.score import store_scorecards
from accesscheck.store import Store

RULES = (("image-alt", "critical"), ("label", "critical"), ("link-name", "serious"),
         ("color-contrast", "serious"), ("region", "moderate"), ("list", "serious"),
         ("heading-order", "moderate"), ("button-name", "critical"))


def fill(store: Store, portals: int, pages: int, runs: int) -> None:
    """Each page fails a different number of rules (0-7), three elements each; it varies by run."""
    for r in range(runs):
        run_id = f"run{r:03d}"
        store.start_run(run_id, {}, {"accesscheck": "bench", "checks": {"axe": 1}})
        store.update_run(run_id, started=f"2026-01-{r % 28 + 1:02d}T00:00:00+00:00", sites=[
            {"origin": f"http://portal{i}.example", "name": f"Portal {i}", "robots": "read"} for i in range(portals)])
        for i in range(portals):
            origin = f"http://portal{i}.example"
            for p in range(pages):
                findings = [Finding(check=f"axe/{rule}", pillar="accessibility", outcome="fail", impact=impact,
                                    message=f"Rule {rule}. Fix any of the following:\n  the element",
                                    fingerprint=f"{i}-{p}-{k}-{n}", selector=f"main > div:nth-child({n})",
                                    snippet="<div>" + "x" * 200 + "</div>",
                                    help_url=f"https://dequeuniversity.com/rules/axe/4.12/{rule}")
                            for k, (rule, impact) in enumerate(RULES[: (i + p + r) % len(RULES)]) for n in range(3)]
                store.add_page(run_id, PageResult(url=f"{origin}/p{p}", site=origin, outcome="scanned",
                                                  final_url=f"{origin}/p{p}", status=200, title=f"Page {p}",
                                                  findings=findings, metrics={"transfer_bytes": 1, "requests": 1}))
        run = store.load_run(run_id)
        for i in range(portals):  # scored once, as a scan scores its sites
            store_scorecards(store, run, f"http://portal{i}.example")
        store.finish_run(run_id, "completed")


def main(portals: int = 20, pages: int = 50, runs: int = 5) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="accesscheck-bench-"))
    store = Store(f"sqlite:///{tmp}/bench.db")
    fill(store, portals, pages, runs)
    start = time.perf_counter()
    for run_id in store.run_ids():
        store.load_run(run_id)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    files = build_site(store, tmp / "site")
    build = time.perf_counter() - start
    largest = max(p.stat().st_size for p in (tmp / "site").rglob("*.html"))
    print(f"{portals} portals x {pages} pages x {runs} runs; {len(files.portals)} portal pages, "
          f"{len(files.checks)} check pages")
    print(f"floor (read every run): {floor:.2f} s   build_site: {build:.2f} s   ratio build/floor: {build / floor:.2f}")
    print(f"largest page: {largest} bytes (budget 102400)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
