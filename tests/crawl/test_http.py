"""accesscheck.crawl.http.get_limited against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest

from accesscheck.crawl.http import get_limited
from accesscheck.demo.server import serve

TEXT = b"".join(b"line %05d of a long robots or sitemap file\n" % i for i in range(2000))


def _plain(handler):
    handler._send(200, TEXT, "text/plain")


def _gzip_encoded(handler):
    body = gzip.compress(TEXT)
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Encoding", "gzip")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _teapot(handler):
    handler._send(418, b"short and stout", "text/plain")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    routes = {"/plain.txt": _plain, "/gzip.txt": _gzip_encoded, "/teapot": _teapot}
    with serve(tmp_path_factory.mktemp("http-site"), routes=routes) as server:
        yield server


def _get(url: str, limit: int):
    async def go():
        async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
            return await get_limited(client, url, limit)
    return asyncio.run(go())


def test_whole_body_under_the_limit(site):
    status, body = _get(f"{site.origin}/plain.txt", len(TEXT) + 1)
    assert status == 200
    assert body == TEXT


def test_body_cut_at_the_limit(site):
    status, body = _get(f"{site.origin}/plain.txt", 1000)
    assert status == 200
    assert body == TEXT[:1000]


def test_status_returned_for_errors(site):
    status, body = _get(f"{site.origin}/teapot", 1000)
    assert status == 418
    assert body == b"short and stout"


def test_content_encoding_is_decoded(site):
    """robots.txt and sitemaps are text; a transfer compression (Content-Encoding) is not part
    of the file and must be undone, and the limit applies to the decoded file
    (RFC 9309 §2.5, sitemaps.org: 50 MB *uncompressed*)."""
    status, body = _get(f"{site.origin}/gzip.txt", len(TEXT) + 1)
    assert status == 200
    assert body == TEXT
    status, body = _get(f"{site.origin}/gzip.txt", 1000)
    assert body == TEXT[:1000]
