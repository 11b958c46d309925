"""Leases: how a run shows that a live process is still working on it.

A process scanning a run writes a heartbeat into the store every HEARTBEAT_SECONDS. A run still
marked `running` whose lease has lapsed is shown as `stale`: its process died (kill -9, a lost
machine) and nothing will finish it unless someone resumes it. The owner is `host:pid`, so on the
same machine a dead process is recognised at once instead of after the timeout.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass

HEARTBEAT_SECONDS = 10.0
#: Several missed heartbeats: a page that blocks the event loop for a while is not a dead process.
STALE_AFTER_SECONDS = 120.0


def this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class Lease:
    owner: str
    heartbeat: float  # Unix time

    def lapsed(self, at: float | None = None) -> bool:
        host, _, pid = self.owner.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            return True
        return (at if at is not None else time.time()) - self.heartbeat > STALE_AFTER_SECONDS

    def age(self) -> float:
        return max(0.0, time.time() - self.heartbeat)


def effective_status(status: str, lease: Lease | None) -> str:
    """`stale` for a run marked running whose process is gone; the stored status otherwise."""
    if status == "running" and lease is not None and lease.lapsed():
        return "stale"
    return status


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


@asynccontextmanager
async def heartbeat(beat: Callable[[], None]) -> AsyncIterator[None]:
    """Call `beat` every HEARTBEAT_SECONDS while the block runs (and once at once)."""
    beat()

    async def beat_forever() -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            beat()

    task = asyncio.create_task(beat_forever())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
