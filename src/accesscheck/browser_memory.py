"""A runaway tab is stopped before it takes the machine with it.

Chromium has no per-tab memory cap, and a V8 heap limit (--max-old-space-size) does not bound
DOM, canvas or ArrayBuffer memory. So a watchdog samples the resident memory of the scan's own
Chromium renderer processes (descendants of this process only) and kills any that grows past the
limit. The page on that renderer then fails like a crash; `killed_since()` lets the visit say
why ("used more than N MB"), and the browser pool replaces nothing: only the tab dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import psutil

SAMPLE_SECONDS = 0.25
#: How often the process tree is walked for new renderers. The walk reads every process's /proc
#: entry and was the watchdog's whole cost (about 2 % of a scan's CPU when done on every sample);
#: between walks only the known renderers' memory is read. A renderer is usually started before its
#: page begins to load (Chromium keeps a spare one), so it is known before the page can grow.
WALK_SECONDS = 1.0


class _Renderers:
    """The scan's Chromium renderer processes (descendants of this process only)."""

    def __init__(self) -> None:
        self._known: list[psutil.Process] = []
        self._checked: set[tuple[int, float]] = set()  # (pid, start time) of the live processes seen
        self._walked = float("-inf")

    def current(self) -> list[psutil.Process]:
        if time.monotonic() - self._walked >= WALK_SECONDS:
            self._walked = time.monotonic()
            self._known = [proc for proc in self._known if proc.is_running()]
            alive: set[tuple[int, float]] = set()
            for proc in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    key = (proc.pid, proc.create_time())
                    if key not in self._checked and "--type=renderer" in proc.cmdline():
                        self._known.append(proc)  # a command line is read once per process
                    alive.add(key)
            self._checked = alive
        return self._known


class RendererWatchdog:
    def __init__(self, limit_mb: int) -> None:
        self.limit_mb = limit_mb
        self.kills: list[tuple[float, int]] = []   # (monotonic time, resident MB) of each kill
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RendererWatchdog:
        self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        limit = self.limit_mb * 1024 * 1024
        renderers = _Renderers()
        while True:
            for proc in await asyncio.to_thread(renderers.current):
                with contextlib.suppress(psutil.Error):
                    rss = proc.memory_info().rss
                    if rss > limit:
                        proc.kill()
                        self.kills.append((time.monotonic(), rss // (1024 * 1024)))
            await asyncio.sleep(SAMPLE_SECONDS)

    def killed_since(self, started: float) -> bool:
        """A renderer was stopped for memory while this page was being checked."""
        return any(when >= started for when, _ in self.kills)
