"""reasons.py (the documented list), the bot-wall breaker, the given-URL budget, and documents
that unpack past the limits."""

from __future__ import annotations

import io
import zipfile

import pikepdf

from accesscheck import reasons
from accesscheck.config import ScanConfig, SiteConfig
from accesscheck.crawl.botwall import BotWallBreaker, challenge_vendor, signatures
from accesscheck.gather.documents import MAX_ENTRIES, MAX_UNPACKED, inspect_document


def test_reasons_are_words_and_documented():
    assert reasons.http_status(401) == "HTTP 401: the page needs a login"
    assert reasons.network_error("ERR_INVALID_AUTH_CREDENTIALS") == "HTTP 401: the page needs a login"
    assert reasons.timeout(20, "axe-core", 26.84) == "timeout: no result within 20 s (axe-core ran out of time; load took 26.8 s)"
    assert reasons.http_status(429, attempts=4, waited=6.2) == (
        "HTTP 429: the server is limiting how fast it may be read (still refused after 4 attempts over 6 s)")
    for text in (reasons.http_status(418), reasons.network_error("ERR_SOMETHING_NEW"),
                 reasons.reason("navigating"), reasons.reason("memory", limit=1024)):
        assert reasons.is_documented(text), text
    for raw in ("Execution context was destroyed, most likely because of a navigation",
                "net::ERR_CONNECTION_RESET at http://x/", "TypeError: 'NoneType' object is not subscriptable"):
        assert not reasons.is_documented(raw)


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


def test_given_urls_are_all_checked_at_depth_zero_unless_a_limit_is_set():
    seeds = tuple(f"http://127.0.0.1:9/p{i}" for i in range(143))
    listed = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=0)
    assert listed.pages_budget(listed.sites[0]) == 143 and listed.cut_seeds() == {}
    crawl = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=2)
    assert crawl.pages_budget(crawl.sites[0]) == 50
    limited = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=0, max_pages=10)
    assert limited.cut_seeds() == {"127.0.0.1:9": list(seeds[10:])}


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_office_zip_bombs_are_a_finding_not_a_crash():
    many = _zip({f"word/part{i}.xml": b"<x/>" for i in range(MAX_ENTRIES + 1)})
    assert inspect_document(many, "docx") == {
        "error": f"not inspected: the archive has more than {MAX_ENTRIES} entries", "limit_exceeded": True}
    huge = _zip({"meta.xml": b"<x>" + b" " * (MAX_UNPACKED + 1) + b"</x>"})
    assert len(huge) < 1024 * 1024          # about 50 KB on the wire
    assert inspect_document(huge, "odt")["limit_exceeded"] is True


def test_pdf_flate_bomb_is_a_finding_not_a_crash():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    import zlib
    packed = zlib.compress(b" " * (MAX_UNPACKED + 1024), 9)
    pdf.pages[0].Contents = pdf.make_stream(packed, Filter=pikepdf.Name.FlateDecode)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    assert len(out.getvalue()) < 1024 * 1024
    result = inspect_document(out.getvalue(), "pdf")
    assert result == {"error": "not inspected: a page's content unpacks to more than 50 MB", "limit_exceeded": True}
