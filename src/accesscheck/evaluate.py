"""The page checks of a scan, run off its event loop in a pool of worker processes.

Language detection, readability, the HTML detectors and the load-time simulation are CPU-bound
Python. Run on the scan's event loop they would stop it for the length of each page's checks, and
with it every browser tab waiting to be told what to do next. In worker processes (as many as the
machine has cores) they run beside the browser. Each worker loads the language models once, when
it starts, and keeps its checks for every page it is given.

The snapshot is saved (when asked) by the worker too: compressing it is CPU work as well.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import multiprocessing
import os
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accesscheck import reasons
from accesscheck.checks import Check, all_checks
from accesscheck.metrics import page_metrics
from accesscheck.model import Finding, PageSnapshot


@dataclass
class PageEvaluation:
    """What the checks found on one page, with the CPU seconds each check took."""

    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)


def evaluate_page(snapshot: PageSnapshot, checks: list[Check]) -> PageEvaluation:
    """Every check on one snapshot; a check that raises is a recorded error, not a broken scan."""
    result = PageEvaluation(metrics=page_metrics(snapshot))
    cpu: defaultdict[str, float] = defaultdict(float)
    for check in checks:
        missing = [snapshot.not_measured[g] for g in check.requires if g in snapshot.not_measured]
        if missing:  # what it needs the engine could not measure: no result rather than a guess
            result.errors[check.id] = missing[0]
            continue
        start = time.process_time()
        try:
            evaluation = check.evaluate(snapshot)
        except Exception as exc:  # a broken check is a recorded error, not a broken scan
            result.errors[check.id] = reasons.reason("check_crash", error=type(exc).__name__)
            continue
        finally:
            cpu[f"check/{check.pillar}/{check.id}"] += time.process_time() - start
        result.findings.extend(evaluation.findings)
        result.metrics.update(evaluation.metrics)
        if evaluation.facts:
            result.facts[check.id] = evaluation.facts
    result.cpu = dict(cpu)
    return result


def snapshot_name(snapshot: PageSnapshot) -> str:
    return hashlib.sha1(snapshot.final_url.encode()).hexdigest()[:16] + ".json.gz"


def save_snapshot(directory: Path, snapshot: PageSnapshot) -> None:
    """The snapshot as gzipped JSON, named after its final URL (what `rescore` reads back)."""
    directory.mkdir(parents=True, exist_ok=True)
    with gzip.open(directory / snapshot_name(snapshot), "wt", encoding="utf-8") as fh:
        json.dump(snapshot.to_dict(), fh)


_checks_by_ids: dict[tuple[str, ...], list[Check]] = {}


def _evaluate_in_worker(snapshot: PageSnapshot, check_ids: tuple[str, ...],
                        snapshot_dir: str | None) -> PageEvaluation:
    checks = _checks_by_ids.get(check_ids)
    if checks is None:
        checks = _checks_by_ids[check_ids] = [c for c in all_checks() if c.id in check_ids]
    result = evaluate_page(snapshot, checks)
    if snapshot_dir is not None:
        start = time.process_time()
        save_snapshot(Path(snapshot_dir), snapshot)
        result.cpu["store/snapshot"] = time.process_time() - start
    return result


def _start_worker(scan_pid: int) -> None:
    """Load the models, and leave with the scan: a worker outliving a killed scan (kill -9)
    would hold its terminal or pipe open for ever."""
    import threading

    def watch() -> None:
        while os.getppid() == scan_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="accesscheck-parent-watch", daemon=True).start()
    from accesscheck.detect.warm_up import load_models
    load_models()


def pool_size() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CheckWorkers:
    """The process pool, shared by the scans of one process (a test session runs many): starting
    workers and loading their models costs seconds, so it is done once."""

    _shared: CheckWorkers | None = None

    def __init__(self, size: int) -> None:
        self._size = size
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def shared(cls) -> CheckWorkers:
        if cls._shared is None:
            cls._shared = cls(pool_size())
        return cls._shared

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the workers are not forks of a process running the browser's threads.
            self._executor = ProcessPoolExecutor(self._size, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_worker, initargs=(os.getpid(),))
        return self._executor

    async def evaluate(self, snapshot: PageSnapshot, checks: list[Check],
                       snapshot_dir: Path | None) -> PageEvaluation:
        """The checks on `snapshot` in a worker. A worker that dies (out of memory, a crash in a
        parser) fails this page with a reason and the pool is replaced for the next one."""
        ids = tuple(c.id for c in checks)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool(), _evaluate_in_worker, snapshot, ids,
                                              str(snapshot_dir) if snapshot_dir is not None else None)
        except BrokenProcessPool:
            self.shutdown()
            return PageEvaluation(metrics=page_metrics(snapshot),
                                  errors={"checks": reasons.reason("check_worker")})

    def shutdown(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
