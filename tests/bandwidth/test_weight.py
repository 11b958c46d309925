"""bandwidth/weight.py: what a page weighs, by type and by party."""

from __future__ import annotations

from accesscheck.bandwidth.weight import page_weight
from network_fixtures import doc, req, snap


def test_bytes_by_type_and_third_parties():
    s = snap([doc(10_000), req("https://www.council.example/a.css", "Stylesheet", 5_000),
              req("https://cdn.council.example/app.js", "Script", 20_000),
              req("https://tracker.example.com/t.js", "Script", 7_000),
              req("https://fonts.example.net/f.woff2", "Font", 30_000),
              req("https://www.council.example/x.json", "Fetch", 1_000, mime_type="application/json"),
              req("https://www.council.example/gone.png", "Image", 0, failed="net::ERR_FAILED")])
    w = page_weight(s)
    assert w.bytes_by_type == {"html": 10_000, "css": 5_000, "js": 27_000, "image": 0, "font": 30_000,
                               "media": 0, "other": 1_000}
    assert w.transfer_bytes == 73_000 and w.requests == 6
    assert w.third_party_bytes == 37_000
    assert w.third_party_hosts == ["fonts.example.net", "tracker.example.com"]  # cdn.council.example is ours
