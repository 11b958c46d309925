"""The plain HTTP client for what is not rendered: robots.txt, sitemaps and document HEADs."""

from __future__ import annotations

import httpx


def make_client(user_agent: str, timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"User-Agent": user_agent},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=10,
    )


async def get_limited(client: httpx.AsyncClient, url: str, limit: int) -> tuple[int, bytes]:
    """GET at most `limit` bytes of the decoded body (robots.txt and sitemaps have size limits,
    which apply to the content, not to its transfer encoding)."""
    async with client.stream("GET", url) as response:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > limit:
                break
        return response.status_code, bytes(body[:limit])
