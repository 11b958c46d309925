"""Hand-built snapshots and network requests for the bandwidth tests (tests/bandwidth/,
tests/checks/test_bandwidth.py): a council page and what it loads."""

from __future__ import annotations

from accesscheck.model import NetworkRequest, PageSnapshot

PAGE = "https://www.council.example/services/"
CACHED = {"cache-control": "max-age=600"}


def req(url: str, kind: str, size: int, start: float = 0, end: float = 10, *, initiator: str | None = PAGE,
        priority: str = "Low", headers: dict[str, str] | None = None, response: float | None = None,
        **extra) -> NetworkRequest:
    return NetworkRequest(url=url, resource_type=kind, status=200, encoded_bytes=size, start_ms=start,
                          response_ms=start if response is None else response, end_ms=end, priority=priority,
                          initiator_type="parser", initiator_url=initiator,
                          headers={**CACHED, "content-encoding": "gzip", **(headers or {})}, **extra)


def snap(requests: list[NetworkRequest], **fields) -> PageSnapshot:
    return PageSnapshot(url=PAGE, final_url=PAGE, status=200, requests=requests, **fields)


def doc(size: int = 10_000, **kw) -> NetworkRequest:
    return req(PAGE, "Document", size, initiator=None, priority="VeryHigh", **kw)
