"""accesscheck.model.PageSnapshot: saved once as JSON, re-checked offline."""

from __future__ import annotations

import json

from accesscheck.model import Link, NetworkRequest, PageSnapshot


def full_snapshot() -> PageSnapshot:
    return PageSnapshot(
        url="http://127.0.0.1:9/", final_url="http://127.0.0.1:9/home", status=200,
        headers={"content-type": "text/html; charset=utf-8", "content-encoding": "br"},
        title="Home — Ayuntamiento de Éxample", lang="es",
        html="<!doctype html><html lang=es><title>Home</title><p>¡Hola! \u2603</p>", html_bytes=64,
        text="¡Hola! \u2603",
        links=[Link(url="http://127.0.0.1:9/contacto", text="Contacto"),
               Link(url="http://127.0.0.1:9/en/", text="English", rel="alternate", hreflang="en",
                    lang="en", tag="link")],
        requests=[
            NetworkRequest(url="http://127.0.0.1:9/home", resource_type="Document", status=200,
                           mime_type="text/html", encoded_bytes=2048, start_ms=0.0, response_ms=12.5,
                           end_ms=20.25, priority="VeryHigh", connection_id=7, protocol="http/1.1",
                           headers={"content-length": "2048"}),
            NetworkRequest(url="http://127.0.0.1:9/big.js", resource_type="Script", method="GET",
                           failed="net::ERR_ABORTED", from_cache=True, initiator_type="parser",
                           initiator_url="http://127.0.0.1:9/home"),
        ],
        timings={"ttfb": 12.5, "load": 812.0, "lcp": 900.125},
        axe={"violations": [{"id": "image-alt", "nodes": [{"target": ["img"], "html": "<img>"}]}],
             "incomplete": [], "version": "4.12.0"},
        gatherer_errors={"network": "TimeoutError"},
    )


def round_trip(snapshot: PageSnapshot) -> PageSnapshot:
    return PageSnapshot.from_dict(json.loads(json.dumps(snapshot.to_dict())))


def test_round_trip_equals_original():
    original = full_snapshot()
    again = round_trip(original)
    assert again == original
    assert all(isinstance(link, Link) for link in again.links)
    assert all(isinstance(req, NetworkRequest) for req in again.requests)
    assert again.requests[0].headers == {"content-length": "2048"}


def test_round_trip_of_a_minimal_snapshot():
    minimal = PageSnapshot(url="http://127.0.0.1:9/x", final_url="http://127.0.0.1:9/x", status=None)
    assert round_trip(minimal) == minimal


def test_to_dict_is_plain_json_data():
    data = full_snapshot().to_dict()
    assert data["links"][1] == {"url": "http://127.0.0.1:9/en/", "text": "English", "rel": "alternate",
                                "hreflang": "en", "lang": "en", "tag": "link"}
    assert data["requests"][1]["failed"] == "net::ERR_ABORTED"
    assert json.loads(json.dumps(data)) == data


def test_from_dict_ignores_unknown_keys():
    data = full_snapshot().to_dict()
    data["added_in_a_later_version"] = {"x": 1}
    assert PageSnapshot.from_dict(data) == full_snapshot()


def test_changed_field_is_noticed():
    data = full_snapshot().to_dict()
    data["links"][0]["text"] = "Contact"
    assert PageSnapshot.from_dict(data) != full_snapshot()
