"""Load times under slow profiles, simulated from the one unthrottled load (Lighthouse's Lantern
idea, in a simpler model of our own).

The model replays the page's request graph under a profile's request-level conditions, the ones
Chrome DevTools applies (so the benchmark can compare it with real CDP throttling):

* Graph: each request depends on the request that initiated it (CDP `initiator.url` or the first
  stack frame), else on the document. A request the parser found while its parent was still
  arriving starts at the same fraction of the parent's (simulated) download; one found after the
  parent finished starts after the same gap as in the real load, with the part of the gap spent
  in long main-thread tasks multiplied by the profile's CPU factor.
* Network: every request waits the profile's latency plus the server's own response time, then
  downloads its bytes; the profile's bandwidth is shared equally by the downloads in flight.
  HTTP/1.x requests queue for one of 6 connections per host, as Chromium does.
* Metrics: load = the last request finished (network quiet). FCP = the document and the
  render-blocking styles and scripts (high priority, finished before the observed FCP) done, plus
  the observed delay to the paint (its long tasks × CPU). LCP = the LCP image (or, for text, the
  last document, style, script or font before the observed LCP) done, plus the observed delay
  (its long tasks × CPU), never before FCP.

Not modelled: TCP slow start and connection set-up (request-level throttling has neither), CPU
work outside long tasks, upload time. The accuracy benchmark (tests/benchmarks/bandwidth_accuracy.py)
measures what these omissions cost against real throttled loads.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from accesscheck.bandwidth import load_data
from accesscheck.bandwidth.weight import transferred
from accesscheck.model import NetworkRequest, PageSnapshot

_BLOCKING_TYPES = ("Stylesheet", "Script")
_BLOCKING_PRIORITIES = ("VeryHigh", "High")
_TEXT_LCP_TYPES = ("Document", "Stylesheet", "Script", "Font", "XHR", "Fetch")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    latency_ms: float
    download_bps: float
    cpu: float


def profiles() -> list[Profile]:
    data = load_data("profiles.toml")
    return [Profile(name=n, title=data[n]["title"], latency_ms=data[n]["latency_ms"],
                    download_bps=data[n]["download_bps"], cpu=data[n]["cpu"]) for n in data["profiles"]]


@dataclass(slots=True)
class _Node:
    request: NetworkRequest
    parent: int | None
    host: str
    http1: bool
    response: float | None = None   # simulated times, ms
    end: float | None = None
    remaining: float = 0.0
    children: list[int] = field(default_factory=list)


def simulate(snapshot: PageSnapshot, profile: Profile) -> dict[str, float] | None:
    """`{"fcp_ms", "lcp_ms", "load_ms"}` estimated under `profile`; None without a document."""
    requests = sorted(transferred(snapshot), key=lambda r: r.start_ms)
    if not requests:
        return None
    nodes = _graph(requests)
    vitals = snapshot.vitals or {}
    long_tasks = vitals.get("long_tasks", [])
    _run(nodes, profile, long_tasks)
    load = max(n.end for n in nodes if n.end is not None)
    fcp = _fcp(nodes, profile, vitals.get("fcp_ms"), long_tasks)
    lcp = _lcp(nodes, profile, vitals, fcp, long_tasks)
    return {"fcp_ms": round(fcp), "lcp_ms": round(lcp), "load_ms": round(max(load, lcp))}


def _graph(requests: list[NetworkRequest]) -> list[_Node]:
    nodes: list[_Node] = []
    latest_by_url: dict[str, int] = {}
    for i, r in enumerate(requests):
        parent = None if i == 0 else latest_by_url.get(r.initiator_url or "", 0)
        http1 = (r.protocol or "http/1.1").lower().startswith("http/1")
        nodes.append(_Node(request=r, parent=parent, host=urlsplit(r.url).netloc, http1=http1))
        if parent is not None:
            nodes[parent].children.append(i)
        latest_by_url[r.url] = i
    return nodes


def _busy(long_tasks: list[dict[str, float]], start: float, end: float) -> float:
    """Milliseconds of long main-thread tasks inside [start, end]."""
    return sum(max(0.0, min(end, t["start_ms"] + t["duration_ms"]) - max(start, t["start_ms"]))
               for t in long_tasks)


def _cpu_scaled(gap_start: float, gap_end: float, profile: Profile, long_tasks: list[dict[str, float]]) -> float:
    gap = max(0.0, gap_end - gap_start)
    return gap + (profile.cpu - 1) * _busy(long_tasks, gap_start, gap_end)


def _run(nodes: list[_Node], profile: Profile, long_tasks: list[dict[str, float]]) -> None:
    """Event-driven replay: starts, per-host connection queues, latency, shared bandwidth."""
    limit = load_data("profiles.toml")["http1_connections_per_host"]
    bandwidth = profile.download_bps / 1000  # bytes per ms
    now = 0.0
    starts: list[tuple[float, int]] = [(0.0, 0)]        # (time, node) ready to be sent
    responses: list[tuple[float, int]] = []              # (time, node) headers arrive
    queued: dict[str, list[int]] = {}
    open_connections: dict[str, int] = {}
    downloading: set[int] = set()

    def send(i: int) -> None:
        node = nodes[i]
        if node.http1 and open_connections.get(node.host, 0) >= limit:
            queued.setdefault(node.host, []).append(i)
            return
        open_connections[node.host] = open_connections.get(node.host, 0) + 1
        r = node.request
        server_ms = max(0.0, min(r.response_ms or r.start_ms, r.end_ms or r.start_ms) - r.start_ms)
        heapq.heappush(responses, (now + profile.latency_ms + server_ms, i))

    def schedule_children(i: int, event: str) -> None:
        parent = nodes[i]
        p = parent.request
        for c in parent.children:
            child = nodes[c].request
            during = p.end_ms is not None and child.start_ms < p.end_ms
            if event == "response" and during:
                span = max(1e-9, (p.end_ms or 0) - (p.response_ms or p.start_ms))
                fraction = min(1.0, max(0.0, (child.start_ms - (p.response_ms or p.start_ms)) / span))
                heapq.heappush(starts, (now + fraction * p.encoded_bytes / bandwidth, c))
            elif event == "end" and not during:
                delay = _cpu_scaled(p.end_ms or 0, child.start_ms, profile, long_tasks)
                heapq.heappush(starts, (now + delay, c))

    while starts or responses or downloading:
        share = bandwidth / len(downloading) if downloading else 0
        next_finish = min((nodes[i].remaining / share for i in downloading), default=float("inf"))
        next_time = min(starts[0][0] if starts else float("inf"),
                        responses[0][0] if responses else float("inf"),
                        now + next_finish)
        for i in downloading:
            nodes[i].remaining -= share * (next_time - now)
        now = next_time
        for i in [i for i in downloading if nodes[i].remaining <= 1e-6]:
            downloading.discard(i)
            nodes[i].end = now
            host = nodes[i].host
            open_connections[host] -= 1
            if queued.get(host):
                send(queued[host].pop(0))
            schedule_children(i, "end")
        while responses and responses[0][0] <= now:
            _, i = heapq.heappop(responses)
            nodes[i].response = now
            nodes[i].remaining = float(nodes[i].request.encoded_bytes)
            downloading.add(i)
            schedule_children(i, "response")
        while starts and starts[0][0] <= now:
            _, i = heapq.heappop(starts)
            send(i)


def _observed_end(node: _Node) -> float:
    return node.request.end_ms or node.request.start_ms


def _fcp(nodes: list[_Node], profile: Profile, observed_fcp: float | None,
         long_tasks: list[dict[str, float]]) -> float:
    blocking = [nodes[0]]
    for node in nodes[1:]:
        r = node.request
        if r.resource_type in _BLOCKING_TYPES and r.priority in _BLOCKING_PRIORITIES:
            if observed_fcp is None or _observed_end(node) <= observed_fcp:
                blocking.append(node)
    last = max(blocking, key=lambda n: n.end or 0)
    if observed_fcp is None:
        return last.end or 0
    return (last.end or 0) + _cpu_scaled(_observed_end(last), observed_fcp, profile, long_tasks)


def _lcp(nodes: list[_Node], profile: Profile, vitals: dict[str, Any], fcp: float,
         long_tasks: list[dict[str, float]]) -> float:
    observed = vitals.get("lcp_ms")
    if observed is None:
        return fcp
    url = vitals.get("lcp_url") or ""
    candidates = [n for n in nodes if n.request.url == url] if url else [
        n for n in nodes if n.request.resource_type in _TEXT_LCP_TYPES and _observed_end(n) <= observed]
    if not candidates:
        return fcp + _cpu_scaled(vitals.get("fcp_ms") or observed, observed, profile, long_tasks)
    last = max(candidates, key=_observed_end)
    return max(fcp, (last.end or 0) + _cpu_scaled(_observed_end(last), observed, profile, long_tasks))


def estimates(snapshot: PageSnapshot) -> dict[str, dict[str, float]]:
    """One entry per profile (`slow-4g`, `3g`, `2g`), the JSON names other tools read."""
    result = {}
    for profile in profiles():
        estimate = simulate(snapshot, profile)
        if estimate is not None:
            result[profile.name] = estimate
    return result
