"""accesscheck.crawl.sitemaps: parse_sitemap on untrusted bytes, discover_sitemap_urls against a
real HTTP server on 127.0.0.1 (accesscheck.demo.server)."""

from __future__ import annotations

import asyncio
import gzip
import socket

import httpx
import pytest

from accesscheck.crawl.sitemaps import Sitemap, SitemapTooLarge, discover_sitemap_urls, parse_sitemap
from accesscheck.demo.server import serve

LIMIT = 10 * 1024 * 1024
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*urls: str, ns: str = NS) -> bytes:
    body = "".join(f"<url><loc>{u}</loc><lastmod>2024-01-01</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {ns}>{body}</urlset>'.encode()


def index(*children: str, ns: str = NS) -> bytes:
    body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {ns}>{body}</sitemapindex>'.encode()


# -- parse_sitemap ----------------------------------------------------------------------------

def test_urlset_namespaced():
    result = parse_sitemap(urlset("https://example.gov/", "https://example.gov/about"), LIMIT)
    assert result.urls == ["https://example.gov/", "https://example.gov/about"]
    assert result.children == []


def test_urlset_without_namespace():
    result = parse_sitemap(urlset("https://example.gov/a", ns=""), LIMIT)
    assert result.urls == ["https://example.gov/a"]


def test_urlset_with_prefixed_namespace():
    body = (b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b'<sm:url><sm:loc>https://example.gov/p</sm:loc></sm:url></sm:urlset>')
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/p"]


def test_loc_whitespace_stripped_and_empty_locs_ignored():
    body = (f"<urlset {NS}><url><loc>\n   https://example.gov/x  \n</loc></url>"
            f"<url><loc>   </loc></url><url><loc/></url></urlset>").encode()
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/x"]


def test_sitemap_index_gives_children_not_pages():
    result = parse_sitemap(index("https://example.gov/s1.xml", "https://example.gov/s2.xml.gz"), LIMIT)
    assert result.children == ["https://example.gov/s1.xml", "https://example.gov/s2.xml.gz"]
    assert result.urls == []


def test_sitemap_index_without_namespace():
    result = parse_sitemap(index("https://example.gov/s1.xml", ns=""), LIMIT)
    assert result.children == ["https://example.gov/s1.xml"]


def test_gzip_compressed_bytes():
    body = gzip.compress(urlset("https://example.gov/a", "https://example.gov/b"))
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/a", "https://example.gov/b"]


def test_gzip_over_the_uncompressed_limit_is_refused_not_truncated():
    """A small .gz that inflates past the limit is not half-read: it is a problem to report."""
    many = [f"https://example.gov/page/{i}" for i in range(50_000)]
    body = gzip.compress(urlset(*many))
    assert len(parse_sitemap(body, LIMIT).urls) == 50_000
    with pytest.raises(SitemapTooLarge, match="more than the 4096 byte limit"):
        parse_sitemap(body, 4096)
    exact = gzip.compress(b"https://example.gov/a\n")
    assert parse_sitemap(exact, len(b"https://example.gov/a\n")).urls == ["https://example.gov/a"]


def test_plain_text_sitemap():
    body = b"https://example.gov/a\n\n   https://example.gov/b   \r\nnot a url\n# comment\nhttp://example.gov/c\n"
    result = parse_sitemap(body, LIMIT)
    assert result.urls == ["https://example.gov/a", "https://example.gov/b", "http://example.gov/c"]
    assert result.children == []


def test_xml_with_leading_whitespace():
    assert parse_sitemap(b"\n\n  " + urlset("https://example.gov/a"), LIMIT).urls == ["https://example.gov/a"]


def test_xml_with_utf8_byte_order_mark():
    """Sitemaps written by many CMSs (and .NET's XmlWriter) start with a UTF-8 BOM; it is valid
    XML and the URLs in it must be read."""
    body = b"\xef\xbb\xbf" + urlset("https://example.gov/a", "https://example.gov/b")
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/a", "https://example.gov/b"]


def test_image_sitemap_extension_locs_are_not_pages():
    """Google's image extension nests <image:loc> inside <url>; those are images, not pages to
    render (Yoast and other CMS plugins emit them in every sitemap)."""
    body = (f'<urlset {NS} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            "<url><loc>https://example.gov/news/flood</loc>"
            "<image:image><image:loc>https://example.gov/media/flood.jpg</image:loc></image:image>"
            "</url></urlset>").encode()
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/news/flood"]


def test_empty_and_broken_input_gives_empty_sitemap():
    for body in (b"", b"   ", b"<", b"<urlset", b"\x00\x01\x02"):
        result = parse_sitemap(body, LIMIT)
        assert isinstance(result, Sitemap)
        assert result.urls == [] and result.children == []


def test_recover_mode_keeps_urls_before_broken_markup():
    body = f"<urlset {NS}><url><loc>https://example.gov/a</loc></url><url><loc>https://exa".encode()
    assert "https://example.gov/a" in parse_sitemap(body, LIMIT).urls


@pytest.mark.parametrize("use_tmp_file", [False, True])
def test_external_entity_is_not_expanded(tmp_path, use_tmp_file):
    if use_tmp_file:
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-MARKER-1234")
        target, marker = secret.as_uri(), "TOP-SECRET-MARKER"
    else:
        target, marker = "file:///etc/passwd", "root:"
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "{target}">]>\n'
            f"<urlset {NS}><url><loc>https://example.gov/&e;</loc></url>"
            f"<url><loc>https://example.gov/ok</loc></url></urlset>").encode()
    result = parse_sitemap(body, LIMIT)
    everything = " ".join(result.urls + result.children)
    assert marker not in everything
    assert "https://example.gov/ok" in result.urls
    assert all(len(u) < 100 for u in result.urls)


def test_billion_laughs_is_not_expanded():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n'
            f"<urlset><url><loc>https://example.gov/ok</loc></url>"
            f"<url><loc>https://example.gov/&lol9;</loc></url></urlset>").encode()
    result = parse_sitemap(body, LIMIT)   # libxml2 may also stop at the bomb: what came before stays
    assert result.urls[0] == "https://example.gov/ok"
    assert all("lollol" not in u for u in result.urls)
    assert sum(len(u) for u in result.urls) < 200


# -- discover_sitemap_urls against a real local server -------------------------------------

def _build_site(root):
    (root / "sitemap.xml").write_bytes(index("{origin}/pages.xml", "{origin}/nested-index.xml",
                                             "{origin}/broken.xml", "{origin}/gone.xml"))
    (root / "pages.xml").write_bytes(urlset("{origin}/a", "{origin}/b"))
    (root / "nested-index.xml").write_bytes(index("{origin}/more.xml.gz"))
    (root / "more.xml.gz").write_bytes(gzip.compress(urlset("{origin}/c")))
    (root / "loop.xml").write_bytes(index("{origin}/loop.xml", "{origin}/pages.xml"))
    (root / "plain.txt").write_bytes(b"https://example.gov/t1\n\nhttps://example.gov/t2\n")


def _server_error(handler):
    handler._send(500, b"<h1>Internal Server Error</h1>", "text/html")


def _gzip_bomb(handler):
    """About 100 KB on the wire, 100 MB unpacked: twice the sitemaps.org limit."""
    handler._send(200, _BOMB, "application/gzip")


_BOMB = gzip.compress(b"<!-- " + b" " * (100 * 1024 * 1024) + b" -->", compresslevel=9)


def _corrupt_gzip(handler):
    handler._send(200, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 64, "application/gzip")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sitemap-site")
    _build_site(root)
    routes = {"/broken.xml": _server_error, "/corrupt.xml.gz": _corrupt_gzip, "/bomb.xml.gz": _gzip_bomb}
    with serve(root, routes=routes) as server:
        yield server


@pytest.fixture
def hits(site):
    """The paths the server was asked for during one test."""
    site.hits.clear()
    return site.hits


def _discover(roots, *, max_files=20, max_bytes=LIMIT):
    async def go():
        async with httpx.AsyncClient(trust_env=False, timeout=5, follow_redirects=True) as client:
            return await discover_sitemap_urls(client, roots, max_files=max_files, max_bytes=max_bytes)
    return asyncio.run(go())


def test_discover_walks_index_nested_index_and_gzip_child(site, hits):
    o = site.origin
    urls, problems = _discover([f"{o}/sitemap.xml"])
    assert urls == [f"{o}/a", f"{o}/b", f"{o}/c"]
    assert problems == [f"{o}/broken.xml: HTTP 500"]      # a 404 child is quietly absent
    assert {"/sitemap.xml", "/pages.xml", "/nested-index.xml", "/more.xml.gz", "/broken.xml",
            "/gone.xml"} <= set(hits)


def test_discover_honours_max_files(site, hits):
    o = site.origin
    urls, problems = _discover([f"{o}/sitemap.xml"], max_files=2)
    assert urls == [f"{o}/a", f"{o}/b"]
    assert problems == []
    assert hits == ["/sitemap.xml", "/pages.xml"]

    hits.clear()
    urls, _ = _discover([f"{o}/sitemap.xml"], max_files=1)
    assert urls == []
    assert hits == ["/sitemap.xml"]


def test_discover_fetches_each_sitemap_once(site, hits):
    o = site.origin
    urls, problems = _discover([f"{o}/loop.xml", f"{o}/loop.xml"])
    assert urls == [f"{o}/a", f"{o}/b"]
    assert hits.count("/loop.xml") == 1 and hits.count("/pages.xml") == 1


def test_discover_missing_root_is_not_a_problem(site, hits):
    urls, problems = _discover([f"{site.origin}/sitemap_index.xml"])
    assert urls == [] and problems == []
    assert hits == ["/sitemap_index.xml"]


def test_discover_plain_text_sitemap(site, hits):
    urls, problems = _discover([f"{site.origin}/plain.txt"])
    assert urls == ["https://example.gov/t1", "https://example.gov/t2"]
    assert problems == []


def test_discover_unreachable_sitemap_reported(site, hits):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/sitemap.xml"
    urls, problems = _discover([dead, f"{site.origin}/pages.xml"])
    assert urls == [f"{site.origin}/a", f"{site.origin}/b"]
    assert problems == [f"{dead}: not fetched, the server could not be reached"]


def test_discover_corrupt_gzip_child_is_a_problem_not_a_crash(site, hits):
    """A sitemap is untrusted input: a corrupt .gz must end as a reported problem, and the other
    sitemaps must still be read."""
    o = site.origin
    urls, problems = _discover([f"{o}/corrupt.xml.gz", f"{o}/pages.xml"])
    assert urls == [f"{o}/a", f"{o}/b"]
    assert len(problems) == 1 and problems[0].startswith(f"{o}/corrupt.xml.gz")


def test_external_dtd_is_not_fetched(site, hits):
    """no_network / load_dtd=False: parsing a sitemap never makes a request of its own."""
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset SYSTEM "{site.origin}/evil.dtd">\n'
            f'<urlset {NS}><url><loc>https://example.gov/a</loc></url></urlset>').encode()
    assert parse_sitemap(body, LIMIT).urls == ["https://example.gov/a"]
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "{site.origin}/entity.txt">]>\n'
            f'<urlset {NS}><url><loc>https://example.gov/&e;</loc></url></urlset>').encode()
    parse_sitemap(body, LIMIT)
    assert hits == []


def test_discover_gzip_bomb_is_a_recorded_problem_and_the_rest_is_read(site, hits):
    o = site.origin
    urls, problems = _discover([f"{o}/bomb.xml.gz", f"{o}/pages.xml"], max_bytes=50 * 1024 * 1024)
    assert urls  # pages.xml still read
    assert problems == [f"{o}/bomb.xml.gz: not read, it unpacks to more than the 52428800 byte limit "
                        "(sitemaps.org allows 50 MB uncompressed)"]
