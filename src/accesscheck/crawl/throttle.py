"""A per-host delay that grows when the host says "slow down" and decays while it is happy.

After Scrapy's AutoThrottle (scrapy/extensions/throttle.py): the delay moves towards a target
rather than jumping, and it never drops below the user's own `--delay` or robots.txt's
Crawl-delay. Here the signal is the server's own: a 429 (or a 503 with Retry-After) doubles the
delay, up to a ceiling; each good answer halves the distance back to the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

from accesscheck.settings import THROTTLE


@dataclass
class HostThrottle:
    floor: float = 0.0                                      # the user's --delay / Crawl-delay
    delay: float = 0.0
    start: float = float(THROTTLE["start_delay"])           # first delay after a 429
    ceiling: float = float(THROTTLE["max_delay"])
    slowdowns: int = 0

    def __post_init__(self) -> None:
        self.delay = max(self.delay, self.floor)

    def slow_down(self, asked: float | None = None) -> None:
        """The host refused us for going too fast; `asked` is its Retry-After, if any."""
        self.slowdowns += 1
        grown = max(self.start, self.delay * 2, asked or 0.0)
        self.delay = max(self.floor, min(self.ceiling, grown))

    def answered(self) -> None:
        """A normal answer: decay half-way back to the floor (AutoThrottle averages the same way)."""
        self.delay = max(self.floor, (self.delay + self.floor) / 2)
        if self.delay - self.floor < 0.05:
            self.delay = self.floor
