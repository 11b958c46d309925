"""demo/generated.py: the demo's large script bundle is made when served, byte for byte the same
each time, and is not a file of the package."""

from __future__ import annotations

import hashlib

import httpx

from accesscheck.demo import serve_demo, site_root
from accesscheck.demo.generated import GENERATED

BUNDLE = "/services/online/centre-finder.bundle.js"
# the bundle as it was committed before it was generated (ground_truth_bandwidth.json counts its bytes)
BUNDLE_SHA256 = "1c57012eaa2fe1ffbe0a893220cd415be47b04bb770d6a70c132cf4c6434b49d"


def test_the_bundle_is_served_but_not_kept():
    assert not (site_root() / BUNDLE.lstrip("/")).exists()
    with serve_demo() as server:
        response = httpx.get(server.origin + BUNDLE)
        head = httpx.head(server.origin + BUNDLE)
    assert response.status_code == 200 and response.headers["content-type"].endswith("javascript; charset=utf-8")
    assert len(response.content) == 710_882 and hashlib.sha256(response.content).hexdigest() == BUNDLE_SHA256
    assert head.headers["content-length"] == "710882" and not head.content
    assert GENERATED[BUNDLE]() == response.content
