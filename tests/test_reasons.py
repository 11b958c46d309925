"""reasons.py: every reason a page can end with is words a user understands, and documented."""

from __future__ import annotations



from accesscheck import reasons


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
