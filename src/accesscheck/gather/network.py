"""The network log from CDP `Network.*` events.

Byte counts come from `Network.loadingFinished.encodedDataLength` (what crossed the wire), not
from Resource Timing, which reports 0 for cross-origin resources without Timing-Allow-Origin.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from accesscheck.engine import CdpEvents

from accesscheck.model import NetworkRequest

_KEPT_HEADERS = ("content-type", "content-encoding", "content-length", "cache-control", "expires",
                 "etag", "last-modified", "timing-allow-origin")


@dataclass
class _Pending:
    url: str
    method: str
    resource_type: str
    start: float
    priority: str | None
    initiator_type: str | None
    initiator_url: str | None
    status: int | None = None
    mime_type: str | None = None
    response: float | None = None
    connection_id: int | None = None
    protocol: str | None = None
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def is_main_document(event: dict[str, Any], main_frame: str | None) -> bool:
    """A `Network.requestWillBeSent` of the main frame's own document (a navigation, or one of its
    redirect hops): the request whose answer is the page the checks read."""
    return (event.get("type") == "Document" and main_frame is not None and event.get("frameId") == main_frame
            and event.get("requestId") == event.get("loaderId"))


def response_body(answer: dict[str, Any]) -> bytes:
    """The bytes of a `Network.getResponseBody` answer (text, or base64 for binary bodies). A page's
    text can carry a lone surrogate through JSON, which UTF-8 cannot hold: it becomes "?"."""
    text = answer.get("body", "")
    return base64.b64decode(text) if answer.get("base64Encoded") else text.encode("utf-8", errors="replace")


class NetworkRecorder:
    """Listens to a tab's CDP session; `start()` before each navigation begins a new log, so a
    kept tab's recorder reports only the page being checked."""

    def __init__(self) -> None:
        self._pending: dict[str, _Pending] = {}
        self._done: list[NetworkRequest] = []
        self._t0: float | None = None

    def start(self) -> None:
        self._pending, self._done, self._t0 = {}, [], None

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {"Network.requestWillBeSent": self._on_request, "Network.responseReceived": self._on_response,
                "Network.requestServedFromCache": self._on_cache, "Network.loadingFinished": self._on_finished,
                "Network.loadingFailed": self._on_failed}

    async def attach(self, cdp: CdpEvents) -> None:
        """Listen to a CDP session's Network events as they come (Playwright)."""
        for event, handler in self._handlers().items():
            cdp.on(event, handler)
        await cdp.send("Network.enable")

    def feed(self, method: str, params: dict[str, Any]) -> None:
        """One DevTools event read afterwards (Chromium's performance log, through WebDriver)."""
        handler = self._handlers().get(method)
        if handler is not None:
            handler(params)

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    def requests(self) -> list[NetworkRequest]:
        """Finished and failed requests, then any still pending (marked unfinished)."""
        unfinished = [self._finish(p, None, 0, "unfinished when the page was checked")
                      for p in self._pending.values()]
        return sorted(self._done + unfinished, key=lambda r: r.start_ms)

    def _ms(self, timestamp: float) -> float:
        if self._t0 is None:
            self._t0 = timestamp
        return round((timestamp - self._t0) * 1000, 1)

    def _on_request(self, event: dict[str, Any]) -> None:
        request = event["request"]
        if request["url"].startswith("data:"):
            return
        request_id = event["requestId"]
        redirect = event.get("redirectResponse")
        previous = self._pending.pop(request_id, None)
        if previous is not None and redirect is not None:
            self._record_response(previous, redirect, event["timestamp"])
            self._done.append(self._finish(previous, event["timestamp"], redirect.get("encodedDataLength", 0), None))
        initiator = event.get("initiator", {})
        frames = initiator.get("stack", {}).get("callFrames", [])
        self._pending[request_id] = _Pending(
            url=request["url"], method=request.get("method", "GET"),
            resource_type=event.get("type", "Other"), start=self._ms(event["timestamp"]),
            priority=request.get("initialPriority"), initiator_type=initiator.get("type"),
            initiator_url=initiator.get("url") or (frames[0]["url"] if frames else None),
        )

    def _record_response(self, pending: _Pending, response: dict[str, Any], timestamp: float) -> None:
        pending.status = response.get("status")
        pending.mime_type = response.get("mimeType")
        pending.response = self._ms(timestamp)
        pending.connection_id = response.get("connectionId")
        pending.protocol = response.get("protocol")
        pending.from_cache = pending.from_cache or bool(response.get("fromDiskCache") or response.get("fromServiceWorker"))
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        pending.headers = {k: headers[k] for k in _KEPT_HEADERS if k in headers}

    def _on_response(self, event: dict[str, Any]) -> None:
        pending = self._pending.get(event["requestId"])
        if pending is not None:
            pending.resource_type = event.get("type", pending.resource_type)
            self._record_response(pending, event["response"], event["timestamp"])

    def _on_cache(self, event: dict[str, Any]) -> None:
        pending = self._pending.get(event["requestId"])
        if pending is not None:
            pending.from_cache = True

    def _on_finished(self, event: dict[str, Any]) -> None:
        pending = self._pending.pop(event["requestId"], None)
        if pending is not None:
            self._done.append(self._finish(pending, event["timestamp"], event.get("encodedDataLength", 0), None))

    def _on_failed(self, event: dict[str, Any]) -> None:
        pending = self._pending.pop(event["requestId"], None)
        if pending is not None:
            error = "canceled" if event.get("canceled") else event.get("errorText", "failed")
            self._done.append(self._finish(pending, event["timestamp"], 0, error))

    def _finish(self, p: _Pending, timestamp: float | None, encoded: int, failed: str | None) -> NetworkRequest:
        return NetworkRequest(
            url=p.url, resource_type=p.resource_type, method=p.method, status=p.status,
            mime_type=p.mime_type, encoded_bytes=int(encoded or 0), start_ms=p.start,
            response_ms=p.response, end_ms=self._ms(timestamp) if timestamp is not None else None,
            failed=failed, from_cache=p.from_cache, priority=p.priority,
            initiator_type=p.initiator_type, initiator_url=p.initiator_url,
            connection_id=p.connection_id, protocol=p.protocol, headers=p.headers,
        )
