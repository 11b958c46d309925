"""What a page weighs, from the network log of its one load.

Bytes are `encodedDataLength` (what crossed the wire, headers included, compressed as sent).
Requests served from the cache, or that failed, cost nothing and are not counted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from accesscheck.bandwidth import load_data
from accesscheck.model import NetworkRequest, PageSnapshot

BYTE_TYPES = ("html", "css", "js", "image", "font", "media", "other")

#: CDP Network.ResourceType -> our type (CDP's names: chromedevtools.github.io/devtools-protocol).
_BY_RESOURCE_TYPE = {"Document": "html", "Stylesheet": "css", "Script": "js", "Image": "image",
                     "Font": "font", "Media": "media"}
_BY_MIME_PREFIX = (("text/html", "html"), ("text/css", "css"), ("application/javascript", "js"),
                   ("text/javascript", "js"), ("image/", "image"), ("font/", "font"),
                   ("video/", "media"), ("audio/", "media"))


@dataclass(frozen=True, slots=True)
class Weight:
    transfer_bytes: int
    requests: int
    bytes_by_type: dict[str, int]
    third_party_bytes: int
    third_party_hosts: list[str]
    uncompressed_text: list[dict[str, Any]] = field(default_factory=list)
    uncached: list[dict[str, Any]] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        return {"bytes_by_type": self.bytes_by_type, "third_party_bytes": self.third_party_bytes,
                "third_party_hosts": self.third_party_hosts,
                "uncompressed_text_bytes": sum(r["bytes"] for r in self.uncompressed_text),
                "uncached_requests": len(self.uncached), "web_fonts": self.bytes_by_type["font"] > 0}


def transferred(snapshot: PageSnapshot) -> list[NetworkRequest]:
    """The requests that cost bytes on this load."""
    return [r for r in snapshot.requests if r.failed is None and not r.from_cache and r.encoded_bytes > 0]


def byte_type(request: NetworkRequest) -> str:
    if request.resource_type in _BY_RESOURCE_TYPE:
        return _BY_RESOURCE_TYPE[request.resource_type]
    mime = (request.mime_type or "").lower()
    return next((kind for prefix, kind in _BY_MIME_PREFIX if mime.startswith(prefix)), "other")


def same_party(host: str, page_host: str) -> bool:
    """Same host, or one is a subdomain of the other once a leading `www.` is dropped
    (cdn.example.gov and www.example.gov are first party; a public-suffix list would be finer)."""
    a, b = host.removeprefix("www."), page_host.removeprefix("www.")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def page_weight(snapshot: PageSnapshot) -> Weight:
    budgets = load_data("budgets.toml")["compression"]
    requests = transferred(snapshot)
    by_type = dict.fromkeys(BYTE_TYPES, 0)
    third_bytes, third_hosts = 0, set()
    page_host = urlsplit(snapshot.final_url).hostname or ""
    uncompressed, uncached = [], []
    for r in requests:
        by_type[byte_type(r)] += r.encoded_bytes
        host = urlsplit(r.url).hostname or ""
        if not same_party(host, page_host):
            third_bytes += r.encoded_bytes
            third_hosts.add(host)
        if (r.resource_type in budgets["text_types"] and not r.headers.get("content-encoding")
                and r.encoded_bytes >= budgets["min_resource_bytes"] and r.status == 200):
            uncompressed.append({"url": r.url, "bytes": r.encoded_bytes})
        if r.status == 200 and not _has_cache_headers(r.headers):
            uncached.append({"url": r.url, "bytes": r.encoded_bytes})
    return Weight(transfer_bytes=sum(by_type.values()), requests=len(requests), bytes_by_type=by_type,
                  third_party_bytes=third_bytes, third_party_hosts=sorted(third_hosts),
                  uncompressed_text=uncompressed, uncached=uncached)


def _has_cache_headers(headers: dict[str, str]) -> bool:
    """Any validator or freshness header lets a browser avoid downloading the file again."""
    return any(headers.get(h) for h in ("cache-control", "expires", "etag", "last-modified"))


def oversized_images(snapshot: PageSnapshot) -> list[dict[str, Any]]:
    """Images whose file is much larger than the size they are shown at (from the vitals
    gatherer's list of images), with the bytes that a right-sized file would save."""
    if not snapshot.vitals:
        return []
    rules = load_data("budgets.toml")["images"]
    sizes = {r.url: r.encoded_bytes for r in transferred(snapshot) if byte_type(r) == "image"}
    found = []
    for image in snapshot.vitals.get("images", []):
        url, bytes_ = image.get("url", ""), sizes.get(image.get("url", ""), 0)
        shown = image["shown_width"] * image["shown_height"] * rules["allowed_density"] ** 2
        natural = image["natural_width"] * image["natural_height"]
        if not bytes_ or not natural or shown <= 0 or url.endswith(".svg") or natural <= shown:
            continue
        wasted = int(bytes_ * (1 - shown / natural))
        if wasted >= rules["min_wasted_bytes"]:
            found.append({**image, "bytes": bytes_, "wasted_bytes": wasted})
    return found
