"""A small static web server on 127.0.0.1 for the demo portal and test sites.

Besides files it knows redirects, files generated when asked for (`generated`: the demo's large
script bundle is not kept in the repository), and fills `{origin}` into sitemaps (their URLs must be
absolute, and the port is chosen at start). Tests add routes that misbehave on purpose (hang,
crash, 500).
"""

from __future__ import annotations

import gzip
import mimetypes
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        self.server.hits.append(self.path)
        if path in self.server.routes:
            self.server.routes[path](self)
            return
        if path in self.server.redirects:
            self.send_response(301)
            self.send_header("Location", self.server.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in self.server.generated:
            self._send(200, self.server.generated[path](), _content_type(path), head)
            return
        file = self._resolve(path)
        if file is None:
            self._send(404, b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1>",
                       "text/html; charset=utf-8", head)
            return
        body = file.read_bytes()
        if file.suffix == ".xml":
            body = body.replace(b"{origin}", self.server.origin.encode())
        elif file.name.endswith(".xml.gz"):
            body = gzip.compress(gzip.decompress(body).replace(b"{origin}", self.server.origin.encode()))
        self._send(200, body, _content_type(file.name), head)

    def _resolve(self, path: str) -> Path | None:
        root = self.server.root
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or root not in candidate.parents:
            return None
        return candidate

    def _send(self, status: int, body: bytes, ctype: str, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=300")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _content_type(name: str) -> str:
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".gz"):
        ctype = "application/gzip"
    if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
        ctype += "; charset=utf-8"
    return ctype


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, redirects: dict[str, str], routes: dict[str, Route], port: int,
                 generated: dict[str, Callable[[], bytes]]) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = root.resolve()
        self.redirects = redirects
        self.routes = routes
        self.generated = generated
        self.hits: list[str] = []
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that stops reading (a media element that gives up on a 404, a page left
        mid-load) closes its connection: that is the browser's right, not a traceback to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, *, redirects: dict[str, str] | None = None, routes: dict[str, Route] | None = None,
          generated: dict[str, Callable[[], bytes]] | None = None, port: int = 0) -> Iterator[SiteServer]:
    """Serve `root` on 127.0.0.1 (a free port unless given) for the duration of the block."""
    server = SiteServer(root, redirects or {}, routes if routes is not None else {}, port, generated or {})
    thread = threading.Thread(target=server.serve_forever, name="accesscheck-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
