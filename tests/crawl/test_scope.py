"""accesscheck.crawl.scope.Scope: what belongs to the site being scanned."""

from __future__ import annotations

import pytest

from accesscheck.crawl.scope import Scope
from accesscheck.urls import site_host


def make_scope(seed="https://www.example.gov/", *, allow_hosts=(), include=(), exclude=()):
    return Scope(site_host(seed), allow_hosts=list(allow_hosts), include=list(include), exclude=list(exclude))


@pytest.mark.parametrize("url", [
    "https://www.example.gov/services",
    "https://example.gov/services",
    "http://example.gov/",                  # the scheme does not change the site
    "https://WWW.EXAMPLE.GOV/About",
])
def test_same_host_and_www_variant_in_scope(url):
    scope = make_scope()
    assert scope.reason_to_skip(url) is None
    assert scope.owns_host(url)


@pytest.mark.parametrize("url", [
    "https://other.gov/",
    "https://sub.example.gov/",             # subdomains are not the site unless allowed
    "https://example.gov.evil.com/",
    "https://notexample.gov/",
    "https://example.gov:8443/",            # another port is another server
])
def test_other_hosts_out_of_scope_with_reason(url):
    reason = make_scope().reason_to_skip(url)
    assert reason is not None
    assert reason.startswith("out of scope: host ")
    assert "is not part of the site" in reason


def test_out_of_scope_reason_names_the_host():
    assert "other.gov" in make_scope().reason_to_skip("https://other.gov/page")


def test_allow_hosts_exact():
    scope = make_scope(allow_hosts=["services.other.gov"])
    assert scope.reason_to_skip("https://services.other.gov/apply") is None
    assert scope.reason_to_skip("https://www.services.other.gov/apply") is None
    assert scope.reason_to_skip("https://x.services.other.gov/apply") is not None
    assert scope.reason_to_skip("https://other.gov/") is not None


def test_allow_hosts_given_with_www_and_upper_case():
    scope = make_scope(allow_hosts=["WWW.Forms.Example.org"])
    assert scope.reason_to_skip("https://forms.example.org/") is None


def test_allow_hosts_wildcard():
    scope = make_scope(allow_hosts=["*.example.gov"])
    assert scope.reason_to_skip("https://forms.example.gov/apply") is None
    assert scope.reason_to_skip("https://a.b.example.gov/") is None
    assert scope.reason_to_skip("https://forms.example.gov:8443/") is None   # pattern is on the host
    assert scope.reason_to_skip("https://example.gov.evil.com/") is not None
    assert scope.reason_to_skip("https://badexample.gov/") is not None


def test_include_patterns():
    scope = make_scope(include=[r"/services/", r"/contact$"])
    assert scope.reason_to_skip("https://example.gov/services/permits") is None
    assert scope.reason_to_skip("https://example.gov/contact") is None
    assert scope.reason_to_skip("https://example.gov/news/1") == "out of scope: matches no --include pattern"


def test_exclude_patterns_name_the_pattern():
    scope = make_scope(exclude=[r"/search", r"\.aspx$"])
    assert scope.reason_to_skip("https://example.gov/about") is None
    reason = scope.reason_to_skip("https://example.gov/search?q=tax")
    assert reason == "out of scope: matches --exclude pattern '/search'"
    assert "\\.aspx$" in scope.reason_to_skip("https://example.gov/page.aspx")


def test_exclude_wins_over_include():
    scope = make_scope(include=[r"/services/"], exclude=[r"/services/archive/"])
    assert scope.reason_to_skip("https://example.gov/services/permits") is None
    assert "exclude" in scope.reason_to_skip("https://example.gov/services/archive/2001")


def test_host_checked_before_patterns():
    scope = make_scope(include=[r"/services/"])
    assert "host" in scope.reason_to_skip("https://other.gov/services/x")


@pytest.mark.parametrize("url, scheme", [
    ("mailto:help@example.gov", "mailto"),
    ("ftp://example.gov/file.txt", "ftp"),
    ("javascript:void(0)", "javascript"),
    ("tel:+31201234567", "tel"),
])
def test_non_http_schemes(url, scheme):
    assert make_scope().reason_to_skip(url) == f"not an http(s) URL ({scheme})"
