"""accesscheck.crawl.robots: parse_robots with the real protego, fetch_robots against a real
HTTP server on 127.0.0.1 (accesscheck.demo.server)."""

from __future__ import annotations

import asyncio
import gzip
import socket

import httpx
import pytest

from accesscheck.crawl.robots import ALLOW_ALL, fetch_robots, parse_robots
from accesscheck.demo.server import serve

SITE = "https://example.gov"

ROBOTS = """\
User-agent: *
Disallow: /private/
Crawl-delay: 7

Sitemap: https://example.gov/sitemap.xml
Sitemap: https://example.gov/news-sitemap.xml.gz
"""


# -- parse_robots ----------------------------------------------------------------------------

def test_disallow_for_everyone():
    policy = parse_robots(ROBOTS)
    assert policy.reason_to_skip(f"{SITE}/private/report") == "disallowed by robots.txt"
    assert policy.reason_to_skip(f"{SITE}/private/") == "disallowed by robots.txt"
    assert policy.reason_to_skip(f"{SITE}/public/report") is None
    assert policy.reason_to_skip(f"{SITE}/") is None


def test_group_for_the_accesscheck_token_replaces_the_star_group():
    policy = parse_robots(
        "User-agent: *\nDisallow: /private/\n\n"
        "User-agent: accesscheck\nDisallow: /no-audits/\n"
    )
    assert policy.reason_to_skip(f"{SITE}/no-audits/page") == "disallowed by robots.txt"
    # RFC 9309 §2.2.1: the most specific group applies, the `*` group is not merged in
    assert policy.reason_to_skip(f"{SITE}/private/page") is None


def test_user_agent_token_matched_case_insensitively():
    policy = parse_robots("User-agent: AccessCheck\nDisallow: /x\n")
    assert policy.reason_to_skip(f"{SITE}/x") == "disallowed by robots.txt"


def test_groups_for_other_bots_do_not_apply():
    policy = parse_robots("User-agent: Googlebot\nDisallow: /\n")
    assert policy.reason_to_skip(f"{SITE}/anything") is None


def test_allow_overrides_a_shorter_disallow():
    policy = parse_robots("User-agent: *\nDisallow: /docs/\nAllow: /docs/public/\n")
    assert policy.reason_to_skip(f"{SITE}/docs/internal.html") == "disallowed by robots.txt"
    assert policy.reason_to_skip(f"{SITE}/docs/public/guide.html") is None


def test_disallow_everything():
    policy = parse_robots("User-agent: *\nDisallow: /\n")
    assert policy.reason_to_skip(f"{SITE}/") == "disallowed by robots.txt"
    assert policy.reason_to_skip(f"{SITE}/any/page?x=1") == "disallowed by robots.txt"


def test_empty_disallow_allows_everything():
    policy = parse_robots("User-agent: *\nDisallow:\n")
    assert policy.reason_to_skip(f"{SITE}/private/") is None


def test_sitemaps_exposed():
    assert parse_robots(ROBOTS).sitemaps == ["https://example.gov/sitemap.xml",
                                             "https://example.gov/news-sitemap.xml.gz"]
    assert parse_robots("User-agent: *\nDisallow: /x\n").sitemaps == []


def test_crawl_delay():
    assert parse_robots(ROBOTS).crawl_delay == 7
    assert parse_robots("User-agent: accesscheck\nCrawl-delay: 1.5\n").crawl_delay == 1.5
    assert parse_robots("User-agent: *\nDisallow: /x\n").crawl_delay is None


def test_allow_all_policy():
    assert ALLOW_ALL.reason_to_skip(f"{SITE}/private/") is None
    assert ALLOW_ALL.sitemaps == []
    assert ALLOW_ALL.crawl_delay is None


# -- fetch_robots against a real local server -------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("robots-site")) as server:
        yield server


@pytest.fixture
def robots_route(site):
    """Set what /robots.txt answers for one test."""
    calls = []

    def set_route(route):
        def counted(handler):
            calls.append(handler.path)
            route(handler)
        site.routes["/robots.txt"] = counted   # the server looks its routes up on each request
    yield set_route
    site.routes.pop("/robots.txt", None)
    assert calls, "the test's /robots.txt route was never requested"


def _answer(status: int, body: bytes = b"", ctype: str = "text/plain; charset=utf-8"):
    def route(handler):
        handler._send(status, body, ctype)
    return route


def _fetch(origin: str):
    async def go():
        # trust_env=False: no proxy from the environment, the request stays on 127.0.0.1
        async with httpx.AsyncClient(trust_env=False, timeout=5, follow_redirects=True) as client:
            return await fetch_robots(client, origin)
    return asyncio.run(go())


def test_fetch_200_is_parsed(site, robots_route):
    robots_route(_answer(200, ROBOTS.encode()))
    policy = _fetch(site.origin)
    assert policy.disallow_all_reason is None
    assert policy.reason_to_skip(f"{site.origin}/private/x") == "disallowed by robots.txt"
    assert policy.reason_to_skip(f"{site.origin}/public/x") is None
    assert policy.sitemaps == ["https://example.gov/sitemap.xml", "https://example.gov/news-sitemap.xml.gz"]
    assert "/robots.txt" in site.hits


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_fetch_4xx_allows_everything(site, robots_route, status):
    robots_route(_answer(status, b"User-agent: *\nDisallow: /\n"))   # a 4xx body is not robots.txt
    policy = _fetch(site.origin)
    assert policy.disallow_all_reason is None
    assert policy.reason_to_skip(f"{site.origin}/private/x") is None
    assert policy.reason_to_skip(f"{site.origin}/") is None


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fetch_5xx_disallows_everything(site, robots_route, status):
    robots_route(_answer(status, b"oops"))
    policy = _fetch(site.origin)
    reason = policy.reason_to_skip(f"{site.origin}/")
    assert reason is not None
    assert "RFC 9309" in reason
    assert str(status) in reason
    assert policy.reason_to_skip(f"{site.origin}/any/other/page") == reason


def test_fetch_unreachable_disallows_everything_with_reason():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = _fetch(f"http://127.0.0.1:{port}")   # nothing listens there any more
    reason = policy.reason_to_skip(f"http://127.0.0.1:{port}/")
    assert reason is not None and reason.startswith("site unreachable: robots.txt could not be fetched")
    assert "the server could not be reached" in reason  # words, not the library's exception name


def test_fetch_robots_with_invalid_utf8_does_not_fail(site, robots_route):
    robots_route(_answer(200, b"User-agent: *\nDisallow: /priv\xe9/\nDisallow: /x/\n"))
    policy = _fetch(site.origin)
    assert policy.reason_to_skip(f"{site.origin}/x/page") == "disallowed by robots.txt"


def test_fetch_gzip_content_encoded_robots_is_honoured(site, robots_route):
    """Many servers gzip text/plain on the fly (Content-Encoding: gzip). The rules inside must
    still be read; an unreadable file must not turn into "everything allowed"."""
    body = gzip.compress(b"User-agent: *\nDisallow: /private/\n")

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain; charset=utf-8")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    robots_route(route)
    policy = _fetch(site.origin)
    assert policy.reason_to_skip(f"{site.origin}/private/report") == "disallowed by robots.txt"
