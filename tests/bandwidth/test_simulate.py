"""bandwidth/simulate.py: load times under slow profiles, simulated from one unthrottled load;
every figure worked out by hand."""

from __future__ import annotations

import pytest

from accesscheck.bandwidth.simulate import Profile, simulate
from network_fixtures import doc, req, snap

FAST = Profile(name="t", title="test", latency_ms=1000, download_bps=10_000, cpu=1)


def test_simulation_of_one_request_is_latency_plus_transfer():
    # 1000 ms latency + 10 000 bytes at 10 000 B/s
    assert simulate(snap([doc(10_000, end=5)]), FAST) == {"fcp_ms": 2000, "lcp_ms": 2000, "load_ms": 2000}


def test_simulation_chains_and_shares_bandwidth():
    css = req("https://www.council.example/a.css", "Stylesheet", 10_000, start=15, end=30, priority="VeryHigh")
    img = req("https://www.council.example/b.png", "Image", 10_000, start=15, end=35)
    estimate = simulate(snap([doc(10_000, end=15), css, img]), FAST)
    # document done at 2000; both children wait 1000 ms latency, then share 10 000 B/s: 2 s more
    assert estimate["load_ms"] == 5000
    assert estimate["fcp_ms"] == 5000  # the render-blocking stylesheet ends with the image


def test_simulation_respects_http1_connection_limit():
    images = [req(f"https://www.council.example/{i}.png", "Image", 1, start=15, end=25, protocol="http/1.1")
              for i in range(12)]
    many = simulate(snap([doc(10_000, end=15), *images]), FAST)
    h2 = [req(f"https://www.council.example/{i}.png", "Image", 1, start=15, end=25, protocol="h2")
          for i in range(12)]
    multiplexed = simulate(snap([doc(10_000, end=15), *h2]), FAST)
    assert multiplexed["load_ms"] == pytest.approx(3000, abs=5)
    assert many["load_ms"] == pytest.approx(4000, abs=5)  # 12 requests on 6 connections: two rounds


def test_simulation_uses_observed_lcp_image_and_cpu():
    hero = req("https://www.council.example/hero.jpg", "Image", 20_000, start=15, end=60)
    # a 30 ms long task between the hero's arrival (60) and the LCP (80): x4 CPU makes it 120 ms
    vitals = {"fcp_ms": 40, "lcp_ms": 80, "lcp_url": hero.url,
              "long_tasks": [{"start_ms": 65, "duration_ms": 10}]}
    slow_cpu = Profile(name="t", title="t", latency_ms=1000, download_bps=10_000, cpu=4)
    estimate = simulate(snap([doc(10_000, end=15), hero], vitals=vitals), slow_cpu)
    # hero: starts at 2000, 1000 latency, 20 000 bytes = 2 s -> 5000; + 20 ms delay + 3 x 10 ms task
    assert estimate["lcp_ms"] == 5050
    # FCP: the document at 2000 + the 25 ms idle delay before the paint (no long task in it)
    assert estimate["fcp_ms"] == 2025
