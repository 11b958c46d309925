"""Bot walls: recognise a challenge page, and stop asking a host that keeps refusing us.

A site behind a wall is *blocked*: what was checked is kept, nothing more is asked of the host
(a circuit breaker, like a polite crawler's), and the scorecard says "blocked" with the evidence
rather than a score, because a score of a wall would be a score of the vendor's challenge page.
Signatures are data (data/challenges.toml), each with the vendor page that documents it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from accesscheck.data import load_toml
from typing import Any

from accesscheck.settings import BOT_WALL

REFUSING_STATUSES = frozenset({403, 429})


@dataclass(frozen=True, slots=True)
class Signature:
    vendor: str
    headers: dict[str, tuple[str, ...]]
    statuses: frozenset[int]
    markers: tuple[str, ...]
    source: str

    def matches(self, status: int, headers: dict[str, str], html: str) -> bool:
        for name, values in self.headers.items():
            if headers.get(name, "").strip().lower() in values:
                return True
        return status in self.statuses and any(marker in html for marker in self.markers)


@cache
def signatures() -> tuple[Signature, ...]:
    data = load_toml("challenges.toml")
    found = []
    for entry in data["signature"]:
        headers = {name.lower(): tuple(v.lower() for v in ([value] if isinstance(value, str) else value))
                   for name, value in entry.get("headers", {}).items()}
        found.append(Signature(entry["vendor"], headers, frozenset(entry.get("statuses", [])),
                               tuple(entry.get("markers", [])), entry["source"]))
    return tuple(found)


def _wall_headers() -> frozenset[str]:
    return frozenset(name for s in signatures() for name in s.headers)


def challenge_vendor(status: int, headers: dict[str, str], html: str) -> Signature | None:
    """The signature a page answer matches, if it is a known challenge page."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return next((s for s in signatures() if s.matches(status, lowered, html)), None)


#: Headers that on their own mark an answer as a challenge page (read before any retry).
WALL_HEADERS = _wall_headers()


@dataclass
class BotWallBreaker:
    """One host's answers. Opens (stop asking) once enough answers came and most refused us."""

    min_answers: int = int(BOT_WALL["min_answers"])
    refused_share: float = float(BOT_WALL["refused_share"])
    answers: int = 0
    evidence: list[dict[str, Any]] = field(default_factory=list)  # the refusals, for the report

    def record(self, url: str, status: int | None, vendor: str | None = None) -> None:
        self.answers += 1
        if vendor or status in REFUSING_STATUSES:
            self.evidence.append({"url": url, "status": status, "challenge": vendor})

    @property
    def refused(self) -> int:
        return len(self.evidence)

    @property
    def is_open(self) -> bool:
        return self.answers >= self.min_answers and self.refused > self.refused_share * self.answers

    @property
    def blocked(self) -> bool:
        """Open, or every answer was a refusal and at least one a recognised challenge page."""
        return self.is_open or (self.answers > 0 and self.refused == self.answers
                                and any(e["challenge"] for e in self.evidence))

    def to_note(self) -> dict[str, Any]:
        vendors = sorted({e["challenge"] for e in self.evidence if e["challenge"]})
        return {"refused": self.refused, "answers": self.answers, "vendors": vendors,
                "evidence": self.evidence[:20]}
