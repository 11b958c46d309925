"""A loopback web server that misbehaves on purpose, in the manner of Scrapy's tests/mockserver.py:
each path is one hostile behaviour, and CASES says how a scan must end on it (outcome and reason).

Three servers take part: the hostile site itself, an `elsewhere` host that is out of scope and must
receive no request at all (every redirect, refresh and script navigation to it is stopped in the
browser), and a `cdn` host whose image the site embeds (a page's own subresources from other hosts
stay allowed). Every server binds port 0 on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import os
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC = Path(__file__).parent / "sites" / "hostile"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass(frozen=True, slots=True)
class Case:
    path: str
    behaviour: str
    outcome: str            # scanned / failed / skipped
    reason: str | None      # a regular expression the whole reason must match; None when scanned
    attempts: int = 1       # requests of the page, retries included
    slow: bool = False      # ends only by the page timeout: scanned on its own with a short one


def page(title: str, body: str = "", head: str = "") -> bytes:
    return (f"<!doctype html><html lang=en><head><title>{title}</title>{head}</head>"
            f"<body><main><h1>{title}</h1>{body}</main></body></html>").encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Callable[[_Handler], None]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.hits: list[str] = []
        self.counts: Counter[str] = Counter()
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and drip feeds break connections on purpose


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.hits.append(self.path)
        self.server.counts[path] += 1
        route = self.server.routes.get(path)
        if route is not None:
            route(self)
            return
        file = (STATIC / unquote(path).lstrip("/")).resolve()
        if path == "/robots.txt" or not file.is_file() or STATIC.resolve() not in file.parents:
            self.send(404, page("Not found"))
            return
        self.send(200, file.read_bytes())

    do_HEAD = do_GET

    @property
    def seen(self) -> int:
        """How many times this path was asked for, this request included."""
        return self.server.counts[urlsplit(self.path).path]

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0), as a crashing proxy does."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


def _index(cases: list[Case]) -> Callable[[_Handler], None]:
    links = "".join(f'<li><a href="{c.path}">{c.behaviour}</a></li>' for c in cases if c.path != "/" and not c.slow)
    return lambda h: h.send(200, page("Hostile test site", f"<ul>{links}</ul>"))


def _first_then_ok(first: Callable[[_Handler], None], times: int = 1) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        if h.seen <= times:
            first(h)
        else:
            h.send(200, page("Recovered", "<p>Fine on a later try.</p>"))
    return route


def _drip(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<!doctype html><title>Drip</title><p>")
    try:
        for _ in range(120):  # a byte a second, far longer than the page timeout
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def _huge(h: _Handler) -> None:
    """A 50 MB page: a small document padded with a 50 MB comment, streamed."""
    head = page("A 50 MB page", "<p>Mostly padding.</p>")
    padding = 50 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(len(head) + padding + 7))
    h.end_headers()
    h.wfile.write(head + b"<!--")
    chunk = b"x" * (1024 * 1024)
    try:
        for _ in range(padding // len(chunk)):
            h.wfile.write(chunk)
        h.wfile.write(b"-->")
    except OSError:
        pass


def _calendar(h: _Handler) -> None:
    query = urlsplit(h.path).query
    month = int(query.split("=")[1]) if query.startswith("month=") else 0
    h.send(200, page(f"Calendar month {month}", f'<a href="/calendar?month={month + 1}">Next month</a>'))


def _dom(h: _Handler) -> None:
    script = ("const list = document.querySelector('ul');"
              "for (let i = 0; i < 300000; i++) { list.appendChild(document.createElement('li')); }")
    h.send(200, page("A 300,000-element DOM", "<ul></ul>", f"<script>addEventListener('DOMContentLoaded', () => {{{script}}})</script>"))


def routes(cases: list[Case], elsewhere: str, cdn: str) -> dict[str, Callable[[_Handler], None]]:
    date_soon = lambda: formatdate(time.time() + 2, usegmt=True)  # noqa: E731
    return {
        "/": _index(cases),
        "/rate-limited": _first_then_ok(lambda h: h.send(429, page("Slow down"), headers={"Retry-After": "1"})),
        "/rate-limited-date": _first_then_ok(lambda h: h.send(429, page("Slow down"), headers={"Retry-After": date_soon()})),
        "/unavailable-once": _first_then_ok(lambda h: h.send(503, page("Busy"))),
        "/bad-gateway": lambda h: h.send(502, page("Bad gateway")),
        "/reset-once": _first_then_ok(lambda h: h.reset(), times=2),
        "/empty-reply": lambda h: h.reset(),
        "/login": lambda h: h.send(401, page("Sign in"), headers={"WWW-Authenticate": 'Basic realm="staff"'}),
        "/forbidden": lambda h: h.send(403, page("Forbidden")),
        "/missing": lambda h: h.send(404, page("Not found")),
        "/server-error": lambda h: h.send(500, page("Error")),
        "/hang": lambda h: time.sleep(40),
        "/drip": _drip,
        "/huge": _huge,
        "/redirect-loop": lambda h: h.send(302, b"", headers={"Location": "/redirect-loop-2"}),
        "/redirect-loop-2": lambda h: h.send(302, b"", headers={"Location": "/redirect-loop"}),
        "/calendar": _calendar,
        "/dialogs": lambda h: h.send(200, page("Dialog storm", "<p>Alerts</p>",
                                               "<script>for (let i = 0; i < 50; i++) alert(i); "
                                               "setInterval(() => confirm('again?'), 50)</script>")),
        "/popups": lambda h: h.send(200, page("Popup storm", "<p>Windows</p>",
                                              f"<script>setInterval(() => window.open('{elsewhere}/popup'), 20)</script>")),
        "/refresh-loop": lambda h: h.send(200, page("Refreshes itself", "", '<meta http-equiv="refresh" content="0">')),
        "/script-reload-loop": lambda h: h.send(200, page("Reloads itself", "",
                                                          "<script>setTimeout(() => location.reload(), 10)</script>")),
        "/big-dom": _dom,
        "/garbage": lambda h: h.send(200, os.urandom(64 * 1024), "text/html"),
        "/bad-gzip": lambda h: h.send(200, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 2000,
                                      headers={"Content-Encoding": "gzip"}),
        "/download": lambda h: h.send(200, b"a,b\n1,2\n", "text/csv", headers={"Content-Disposition": "attachment; filename=data.csv"}),
        "/away-redirect": lambda h: h.send(302, b"", headers={"Location": f"{elsewhere}/landing"}),
        "/away-refresh": lambda h: h.send(200, page("Leaves by refresh", "",
                                                    f'<meta http-equiv="refresh" content="0;url={elsewhere}/refreshed">')),
        "/away-script": lambda h: h.send(200, page("Leaves by script", "",
                                                   f"<script>location.href = '{elsewhere}/scripted'</script>")),
        "/away-link": lambda h: h.send(200, page("Links elsewhere", f'<a href="{elsewhere}/linked">Another site</a>'
                                                 f'<img src="{cdn}/logo.png" alt="Logo">')),
        "/challenge": lambda h: h.send(403, page("Just a moment...", "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"),
                                       headers={"cf-mitigated": "challenge"}),
        "/memory-hog": lambda h: h.send(200, page("Eats memory", "<p>Growing</p>",
                                                  "<script>const keep = []; setInterval(() => { for (let i = 0; i < 8; i++) "
                                                  "keep.push(new Uint8Array(16 * 1024 * 1024).fill(1)); }, 50)</script>")),
    }


@contextmanager
def running(*servers: _Server) -> Iterator[None]:
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@contextmanager
def hostile_servers(cases: list[Case]) -> Iterator[tuple[_Server, _Server, _Server]]:
    """(site, elsewhere, cdn), running for the block."""
    elsewhere, cdn = _Server({}), _Server({"/logo.png": lambda h: h.send(200, PNG, "image/png")})
    site = _Server({})
    site.routes.update(routes(cases, elsewhere.origin, cdn.origin))
    with running(site, elsewhere, cdn):
        yield site, elsewhere, cdn


@contextmanager
def serve_routes(table: dict[str, Callable[[_Handler], None]]) -> Iterator[_Server]:
    """One misbehaving server with just these routes (and the static hostile pages)."""
    server = _Server(table)
    with running(server):
        yield server


#: Heavy pages end scanned on a quiet machine and time out on a busy one: either is honest,
#: provided a timeout says which stage ran out.
_TIMED_OUT = r"timeout: no result within \d+ s \(.+ ran out of time; (load took [\d.]+ s|the page never finished loading)\)"
CASES = [
    Case("/", "the site's home page", "scanned", None),
    Case("/rate-limited", "429 with Retry-After: 1, then fine", "scanned", None, attempts=2),
    Case("/rate-limited-date", "429 with Retry-After as an HTTP date, then fine", "scanned", None, attempts=2),
    Case("/unavailable-once", "503 without Retry-After, then fine", "scanned", None, attempts=2),
    Case("/bad-gateway", "502 every time", "failed",
         r"HTTP 502: a gateway in front of the server got no good answer \(still refused after 3 attempts over \d+ s\)", attempts=3),
    Case("/reset-once", "connection reset, then fine", "scanned", None, attempts=2),
    Case("/empty-reply", "connection reset every time", "failed",
         r"network error: the server (reset the connection|closed the connection without an answer) \(after 3 attempts\)", attempts=3),
    Case("/login", "401 asking for a login", "failed", r"HTTP 401: the page needs a login"),
    Case("/forbidden", "403", "failed", r"HTTP 403: the server refused access"),
    Case("/missing", "404", "failed", r"HTTP 404: the page was not found"),
    Case("/server-error", "500", "failed", r"HTTP 500: the server had an internal error"),
    Case("/hang", "a server that never answers", "failed",
         r"timeout: no result within \d+ s \(loading ran out of time; the page never finished loading\)", slow=True),
    Case("/drip", "a drip feed, a byte a second", "failed",
         r"timeout: no result within \d+ s \(loading ran out of time; the page never finished loading\)", slow=True),
    Case("/busy-loop.html", "a script that never ends", "failed",
         r"timeout: no result within \d+ s \(loading ran out of time; the page never finished loading\)", slow=True),
    Case("/huge", "a 50 MB page", "scanned|failed", _TIMED_OUT, slow=True),
    Case("/redirect-loop", "a redirect loop", "failed", r"network error: the page redirects in a loop"),
    Case("/calendar", "an infinite calendar", "scanned", None),
    Case("/dialogs", "a storm of alert() and confirm()", "scanned", None),
    Case("/popups", "window.open() in a loop, to another host", "scanned", None),
    Case("/refresh-loop", "a meta refresh to itself, forever", "failed",
         r"the page kept navigating by itself \(meta refresh / script\)"),
    Case("/script-reload-loop", "location.reload() forever", "failed",
         r"the page kept navigating by itself \(meta refresh / script\)"),
    # With every gatherer on, the tab may pass the memory limit before it runs out of time: both
    # are honest ends for this page, and the rest of the scan goes on either way.
    Case("/big-dom", "a 300,000-element DOM", "scanned|failed",
         rf"{_TIMED_OUT}|the page used more than \d+ MB of memory and was stopped", slow=True),
    Case("/garbage", "64 KB of random bytes as text/html", "scanned", None),
    Case("/bad-gzip", "a body that is not the gzip it claims", "failed",
         r"network error: the server sent a body that cannot be decompressed"),
    Case("/download", "a download (Content-Disposition: attachment)", "skipped",
         r"not an HTML page \(the browser downloads it\)"),
    Case("/%5Bred%5Dmarkup%5Bred%5D.html", "script and markup in the title and URL", "scanned", None),
    Case("/away-redirect", "a redirect to another host", "skipped",
         r"redirected out of scope to {elsewhere}/landing \(not requested\)"),
    Case("/away-refresh", "a meta refresh to another host", "skipped",
         r"(redirected|the page navigated by itself) out of scope to {elsewhere}/refreshed \(not requested\)"),
    Case("/away-script", "a script that sends the page to another host", "skipped",
         r"(redirected|the page navigated by itself) out of scope to {elsewhere}/scripted \(not requested\)"),
    Case("/away-link", "a link to another host and an image from a CDN", "scanned", None),
]
