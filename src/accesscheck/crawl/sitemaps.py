"""Sitemaps: from robots.txt `Sitemap:` lines and /sitemap.xml, with indexes and gzip.

Sitemaps are untrusted input: XML is parsed without entities, DTDs or network access, and sizes are
capped (the sitemaps.org protocol allows 50 MB uncompressed and 50,000 URLs a file).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import httpx
from lxml import etree

from accesscheck import reasons
from accesscheck.crawl.http import get_limited

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          recover=True)


@dataclass
class Sitemap:
    urls: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def parse_sitemap(body: bytes, limit: int) -> Sitemap:
    """Page URLs and child sitemaps from a sitemap, sitemap index or plain-text sitemap."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, limit)
    stripped = body.lstrip().removeprefix(b"\xef\xbb\xbf")
    if not stripped.startswith(b"<"):
        lines = body.decode("utf-8", errors="replace").splitlines()
        return Sitemap(urls=[line.strip() for line in lines if line.strip().startswith("http")])
    root = etree.fromstring(stripped, parser=_PARSER)
    result = Sitemap()
    if root is None:
        return result
    # Only <url><loc> and <sitemap><loc>: image and video extensions have <loc>s of their own.
    is_index = etree.QName(root).localname == "sitemapindex"
    for loc in root.iterfind("{*}sitemap/{*}loc" if is_index else "{*}url/{*}loc"):
        if loc.text and loc.text.strip():
            (result.children if is_index else result.urls).append(loc.text.strip())
    return result


class SitemapTooLarge(ValueError):
    """A gzipped sitemap that unpacks past the limit (a decompression bomb, or just too big)."""


def _gunzip(body: bytes, limit: int) -> bytes:
    """Decompress at most `limit` bytes, never more (the rest is not even unpacked); a file
    that has more raises SitemapTooLarge, a corrupt one zlib.error."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = unpacker.decompress(body, limit)
    if unpacker.unconsumed_tail and unpacker.decompress(unpacker.unconsumed_tail, 1):
        raise SitemapTooLarge(f"it unpacks to more than the {limit} byte limit")
    return data


async def discover_sitemap_urls(client: httpx.AsyncClient, roots: list[str], *, max_files: int,
                                max_bytes: int) -> tuple[list[str], list[str]]:
    """Walk sitemap indexes breadth-first. Returns (page URLs, problems met on the way)."""
    queue, urls, problems = list(roots), [], []
    seen: set[str] = set()
    while queue and len(seen) < max_files:
        location = queue.pop(0)
        if location in seen:
            continue
        seen.add(location)
        try:
            status, body = await get_limited(client, location, max_bytes)
        except httpx.HTTPError as exc:
            problems.append(f"{location}: not fetched, {reasons.http_client_error(exc)}")
            continue
        if status != 200:
            if status != 404:
                problems.append(f"{location}: HTTP {status}")
            continue
        try:
            sitemap = parse_sitemap(body, max_bytes)
        except SitemapTooLarge as exc:
            problems.append(f"{location}: not read, {exc} (sitemaps.org allows 50 MB uncompressed)")
            continue
        except (zlib.error, EOFError, etree.LxmlError, ValueError) as exc:
            problems.append(f"{location}: not a readable sitemap ({type(exc).__name__})")
            continue
        urls.extend(sitemap.urls)
        queue.extend(sitemap.children)
    return urls, problems
