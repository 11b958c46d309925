"""accesscheck.urls: one page, one spelling."""

from __future__ import annotations

import pytest

from accesscheck.urls import dedupe_key, document_type, is_http, normalize, origin, site_host


# -- normalize ------------------------------------------------------------------------------

def test_fragment_is_dropped():
    assert normalize("https://example.gov/page#section-2") == "https://example.gov/page"


@pytest.mark.parametrize("url, expected", [
    ("http://example.gov:80/a", "http://example.gov/a"),
    ("https://example.gov:443/a", "https://example.gov/a"),
    ("http://example.gov:8080/a", "http://example.gov:8080/a"),
    # a port is only "default" for its own scheme
    ("http://example.gov:443/a", "http://example.gov:443/a"),
    ("https://example.gov:80/a", "https://example.gov:80/a"),
])
def test_default_ports_dropped_other_ports_kept(url, expected):
    assert normalize(url) == expected


def test_scheme_and_host_lower_cased_path_case_kept():
    assert normalize("HTTPS://WWW.Example.GOV/About/Us") == "https://www.example.gov/About/Us"


@pytest.mark.parametrize("param", ["utm_source", "utm_medium", "utm_campaign", "utm_term",
                                   "utm_content", "gclid", "fbclid", "UTM_Source"])
def test_tracking_parameters_removed(param):
    assert normalize(f"https://example.gov/news?id=7&{param}=abc") == "https://example.gov/news?id=7"


@pytest.mark.parametrize("param", ["utm_source_platform", "utm_creative_format", "utm_marketing_tactic"])
def test_every_utm_parameter_is_tracking(param):
    """GA4 added utm_source_platform, utm_creative_format and utm_marketing_tactic; like every
    utm_* parameter they only track visitors, so they must not make a second page."""
    assert normalize(f"https://example.gov/news?id=7&{param}=x") == "https://example.gov/news?id=7"


def test_only_tracking_parameters_removed_not_look_alikes():
    assert normalize("https://example.gov/?utm=1&page=2") == "https://example.gov/?page=2&utm=1"


def test_query_parameters_sorted():
    assert normalize("https://example.gov/s?b=2&a=1&c=3") == "https://example.gov/s?a=1&b=2&c=3"
    assert normalize("https://example.gov/s?b=2&a=1") == normalize("https://example.gov/s?a=1&b=2")


def test_blank_query_values_kept():
    assert normalize("https://example.gov/s?q=&page=1") == "https://example.gov/s?page=1&q="


def test_repeated_parameters_all_kept():
    assert normalize("https://example.gov/s?tag=b&tag=a") == "https://example.gov/s?tag=a&tag=b"


def test_empty_path_becomes_slash():
    assert normalize("https://example.gov") == "https://example.gov/"
    assert normalize("https://example.gov?x=1") == "https://example.gov/?x=1"


def test_surrounding_whitespace_stripped():
    assert normalize("  https://example.gov/a \n") == "https://example.gov/a"


def test_ipv6_host_keeps_brackets_and_port():
    assert normalize("http://[::1]:8080/x") == "http://[::1]:8080/x"


@pytest.mark.parametrize("url", [
    "HTTP://Example.GOV:80/a/?b=2&a=1&utm_source=x#top",
    "https://example.gov",
    "http://example.gov:8080/s?q=&z=1",
])
def test_normalize_is_idempotent(url):
    once = normalize(url)
    assert normalize(once) == once


# -- dedupe_key -----------------------------------------------------------------------------

def test_trailing_slash_is_the_same_page():
    assert dedupe_key("https://example.gov/about/") == dedupe_key("https://example.gov/about")
    assert dedupe_key("https://example.gov/about/") == "https://example.gov/about"


def test_trailing_slash_equivalence_keeps_query():
    assert dedupe_key("https://example.gov/a/?x=1") == "https://example.gov/a?x=1"


def test_root_stays_root():
    assert dedupe_key("https://example.gov/") == "https://example.gov/"
    assert dedupe_key("https://example.gov") == "https://example.gov/"


def test_dedupe_key_applies_normalize():
    assert (dedupe_key("HTTPS://Example.gov:443/a/?utm_campaign=x#f")
            == dedupe_key("https://example.gov/a"))


def test_different_paths_stay_different():
    assert dedupe_key("https://example.gov/a") != dedupe_key("https://example.gov/b")
    assert dedupe_key("https://example.gov/a?x=1") != dedupe_key("https://example.gov/a?x=2")


# -- site_host / origin ---------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://www.example.gov/a", "example.gov"),
    ("https://example.gov/a", "example.gov"),
    ("https://WWW.Example.GOV/", "example.gov"),
    ("http://www.example.gov:8080/", "example.gov:8080"),
    ("https://www.example.gov:443/", "example.gov"),
    ("https://wwwexample.gov/", "wwwexample.gov"),     # only a `www.` label is stripped
    ("https://sub.www.example.gov/", "sub.www.example.gov"),
    ("http://user:secret@www.example.gov/", "example.gov"),
])
def test_site_host(url, expected):
    assert site_host(url) == expected


def test_two_ports_on_one_machine_are_two_sites():
    assert site_host("http://127.0.0.1:8001/") != site_host("http://127.0.0.1:8002/")


@pytest.mark.parametrize("url, expected", [
    ("https://www.example.gov/a/b?c=1#d", "https://www.example.gov"),
    ("HTTPS://Example.GOV:443/x", "https://example.gov"),
    ("http://example.gov:8080/x", "http://example.gov:8080"),
])
def test_origin(url, expected):
    assert origin(url) == expected


# -- document_type / is_http ----------------------------------------------------------------

@pytest.mark.parametrize("url, kind", [
    ("https://example.gov/forms/apply.pdf", "pdf"),
    ("https://example.gov/forms/APPLY.PDF", "pdf"),
    ("https://example.gov/forms/apply.docx", "docx"),
    ("https://example.gov/forms/apply.odt", "odt"),
    ("https://example.gov/forms/apply.rtf", "rtf"),
    ("https://example.gov/forms/apply.pdf?download=1", "pdf"),
    ("https://example.gov/forms/apply.pdf#page=2", "pdf"),
])
def test_document_type_recognised(url, kind):
    assert document_type(url) == kind


@pytest.mark.parametrize("url", [
    "https://example.gov/index.html",
    "https://example.gov/forms/",
    "https://example.gov/pdf",
    "https://example.gov/download?file=apply.pdf",   # the query is not the path
    "https://example.gov/apply.pdf/view",
])
def test_document_type_none_for_pages(url):
    assert document_type(url) is None


@pytest.mark.parametrize("url, expected", [
    ("http://example.gov/", True),
    ("https://example.gov/", True),
    ("HTTPS://example.gov/", True),
    ("mailto:help@example.gov", False),
    ("tel:+31201234567", False),
    ("ftp://example.gov/file", False),
    ("javascript:void(0)", False),
    ("/relative/path", False),
    ("", False),
])
def test_is_http(url, expected):
    assert is_http(url) is expected
