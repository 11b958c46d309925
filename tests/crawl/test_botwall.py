"""crawl/botwall.py: the challenge signatures and the breaker that stops a scan of a site that refuses automated visits."""

from __future__ import annotations

from accesscheck.crawl.botwall import BotWallBreaker, challenge_vendor, signatures


def test_every_challenge_signature_has_a_source_and_matches_its_own_header():
    assert {s.vendor for s in signatures()} >= {"Cloudflare", "AWS WAF"}
    for signature in signatures():
        assert signature.source.startswith("https://")
    assert challenge_vendor(403, {"CF-Mitigated": "challenge"}, "").vendor == "Cloudflare"
    assert challenge_vendor(202, {"x-amzn-waf-action": "challenge"}, "").vendor == "AWS WAF"
    assert challenge_vendor(403, {}, "<p>Forbidden</p>") is None
    assert challenge_vendor(200, {}, "a page that links /cdn-cgi/challenge-platform/ in its text") is None


def test_the_breaker_opens_when_most_answers_refuse():
    breaker = BotWallBreaker(min_answers=4, refused_share=0.5)
    for i in range(3):
        breaker.record(f"/p{i}", 403)
    assert not breaker.is_open            # too few answers to judge
    breaker.record("/ok", 200)
    assert breaker.is_open and breaker.blocked   # 3 refusals of 4 answers: most
    assert breaker.to_note()["refused"] == 3 and breaker.to_note()["answers"] == 4
    half = BotWallBreaker(min_answers=4, refused_share=0.5)
    for status in (403, 429, 200, 200):
        half.record("/x", status)
    assert not half.is_open               # half is not most
    healthy = BotWallBreaker(min_answers=4)
    for status in (200, 200, 403, 200, 404):
        healthy.record("/x", status)
    assert not healthy.is_open and not healthy.blocked
