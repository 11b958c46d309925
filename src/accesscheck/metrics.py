"""Page metrics every result carries (later pillars add their own keys)."""

from __future__ import annotations

from typing import Any

from accesscheck.model import PageSnapshot


def page_metrics(snapshot: PageSnapshot) -> dict[str, Any]:
    loaded = [r for r in snapshot.requests if r.failed is None]
    return {
        "transfer_bytes": sum(r.encoded_bytes for r in snapshot.requests),
        "requests": len(snapshot.requests),
        "failed_requests": len(snapshot.requests) - len(loaded),
        "html_bytes": snapshot.html_bytes,
        "load_ms": round(snapshot.timings["load_ms"], 1) if snapshot.timings.get("load_ms") else None,
    }
