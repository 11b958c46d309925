"""What each stage of a scan costs, summed over its pages: for `make bench` and the scan's record.

Browser stages are wall time (the page and the browser work while the scan waits); check stages
are CPU time of the process that ran them (the check workers), so a busy machine does not make a
check look slower than it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


class StageCosts:
    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def merge(self, other: Mapping[str, float]) -> None:
        for stage, seconds in other.items():
            self.seconds[stage] += seconds

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start
