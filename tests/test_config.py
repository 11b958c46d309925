"""accesscheck.config: scan files, URL lists and option validation."""

from __future__ import annotations

import pytest

from accesscheck.config import (ScanConfig, SiteConfig, build_config, load_scan_file, read_url_file,
                                sites_from_urls)
from accesscheck.errors import ConfigError
from accesscheck.settings import DEFAULTS

SITE = SiteConfig(seeds=("http://127.0.0.1:9/",))

PORTFOLIO = """\
# Two municipal portals
[scan]
max_pages = 12
depth = 2
respect_robots = false
exclude = ['/search', '\\.aspx$']
fail_on = "serious"

[[portal]]
url = "https://www.Example.gov/"
seeds = ["https://www.example.gov/contact?utm_source=x", "https://www.example.gov/help/"]
name = "Example City"
organisation = "City of Example"
country = "NL"
language = "nl"
max_pages = 5

[[portal]]
url = "https://services.other.gov"
"""


def write(tmp_path, text, name="scan.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- load_scan_file -------------------------------------------------------------------------

def test_valid_portfolio(tmp_path):
    sites, options = load_scan_file(write(tmp_path, PORTFOLIO))
    assert options == {"max_pages": 12, "depth": 2, "respect_robots": False,
                       "exclude": ["/search", "\\.aspx$"], "fail_on": "serious"}
    assert len(sites) == 2
    first, second = sites
    assert first.seeds == ("https://www.example.gov/", "https://www.example.gov/contact",
                           "https://www.example.gov/help/")
    assert (first.name, first.organisation, first.country, first.language, first.max_pages) == (
        "Example City", "City of Example", "NL", "nl", 5)
    assert first.host == "example.gov"
    assert second.seeds == ("https://services.other.gov/",)
    assert (second.name, second.max_pages) == ("", None)


def test_portfolio_builds_a_config_with_defaults_underneath(tmp_path):
    sites, options = load_scan_file(write(tmp_path, PORTFOLIO))
    config = build_config(sites, options)
    assert config.max_pages == 12 and config.depth == 2 and config.respect_robots is False
    assert config.exclude == ["/search", "\\.aspx$"] and config.fail_on == "serious"
    assert config.max_documents == DEFAULTS["max_documents"]
    assert config.pages_budget(config.sites[0]) == 5
    assert config.pages_budget(config.sites[1]) == 12


def test_malformed_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[scan\nmax_pages = 3\n", name="broken-portfolio.toml")
    with pytest.raises(ConfigError) as excinfo:
        load_scan_file(path)
    assert str(path) in str(excinfo.value)
    assert "not valid TOML" in str(excinfo.value)


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="nowhere.toml"):
        load_scan_file(path)


def test_unknown_option(tmp_path):
    path = write(tmp_path, '[scan]\nmax_pagez = 3\n\n[[portal]]\nurl = "https://example.gov/"\n')
    with pytest.raises(ConfigError) as excinfo:
        load_scan_file(path)
    assert "max_pagez" in str(excinfo.value) and str(path) in str(excinfo.value)


def test_unknown_table(tmp_path):
    path = write(tmp_path, '[scna]\ndepth = 1\n\n[[portal]]\nurl = "https://example.gov/"\n')
    with pytest.raises(ConfigError, match="scna"):
        load_scan_file(path)


def test_unknown_portal_key(tmp_path):
    path = write(tmp_path, '[[portal]]\nurl = "https://example.gov/"\nnmae = "typo"\n')
    with pytest.raises(ConfigError, match="nmae"):
        load_scan_file(path)


def test_portal_without_url(tmp_path):
    path = write(tmp_path, '[[portal]]\nurl = "https://a.gov/"\n\n[[portal]]\nname = "No URL"\n')
    with pytest.raises(ConfigError) as excinfo:
        load_scan_file(path)
    assert "Portal 2" in str(excinfo.value) and "no url" in str(excinfo.value)


def test_portal_with_bad_url(tmp_path):
    path = write(tmp_path, '[[portal]]\nurl = "ftp://example.gov/"\n')
    with pytest.raises(ConfigError, match="ftp://example.gov/"):
        load_scan_file(path)


def test_portal_with_non_string_url_is_a_config_error(tmp_path):
    """`url = 5` is a typo in the user's file: it must be a ConfigError, not an AttributeError
    from deep inside urllib."""
    path = write(tmp_path, "[[portal]]\nurl = 5\n")
    with pytest.raises(ConfigError):
        load_scan_file(path)


@pytest.mark.parametrize("value", ["0", "-3", '"ten"'])
def test_portal_max_pages_is_validated(tmp_path, value):
    """A portal's max_pages overrides the scan's, which must be at least 1; the same rule holds
    per portal (0 would skip every page, a string breaks the crawl later)."""
    path = write(tmp_path, f'[[portal]]\nurl = "https://example.gov/"\nmax_pages = {value}\n')
    with pytest.raises(ConfigError):
        sites, options = load_scan_file(path)
        build_config(sites, options)


def test_scan_file_without_portals(tmp_path):
    with pytest.raises(ConfigError, match="no \\[\\[portal\\]\\]"):
        load_scan_file(write(tmp_path, "[scan]\ndepth = 1\n"))


# -- sites_from_urls / check_url ------------------------------------------------------------

def test_sites_from_urls_groups_same_host():
    sites = sites_from_urls(["https://www.example.gov/a", "https://example.gov/b#x",
                             "https://other.gov", "https://example.gov:8443/"])
    assert [s.seeds for s in sites] == [
        ("https://www.example.gov/a", "https://example.gov/b"),
        ("https://other.gov/",),
        ("https://example.gov:8443/",),
    ]
    assert [s.host for s in sites] == ["example.gov", "other.gov", "example.gov:8443"]


@pytest.mark.parametrize("url", ["not a url", "example.gov", "ftp://example.gov/", "mailto:x@example.gov",
                                 "https://", "https:///"])
def test_bad_url_is_a_config_error(url):
    with pytest.raises(ConfigError) as excinfo:
        sites_from_urls([url])
    assert repr(url) in str(excinfo.value)


@pytest.mark.parametrize("url", ["http:///path/only", "https://:443/", "https://user@/x"])
def test_url_without_a_host_is_a_config_error(url):
    """A URL with a path but no host names no site (its site_host is ""); it must be refused
    like "https://" is, not become a site with an empty host."""
    with pytest.raises(ConfigError):
        sites_from_urls([url])


# -- ScanConfig validation ------------------------------------------------------------------

@pytest.mark.parametrize("options, words", [
    ({"max_pages": 0}, "max-pages"),
    ({"concurrency": 0}, "concurrency"),
    ({"per_host_concurrency": 0}, "per-host-concurrency"),
    ({"max_query_variants": 0}, "max-query-variants"),
    ({"depth": -1}, "depth"),
    ({"max_documents": -1}, "max-documents"),
    ({"delay": -0.5}, "delay"),
    ({"page_timeout": 0}, "page-timeout"),
    ({"include": ["("]}, "'('"),
    ({"exclude": ["[a-"]}, "'[a-'"),
    ({"fail_on": "severe"}, "fail-on"),
])
def test_scan_config_validation(options, words):
    with pytest.raises(ConfigError) as excinfo:
        ScanConfig(sites=(SITE,), **options)
    assert words in str(excinfo.value)


def test_scan_config_needs_a_site():
    with pytest.raises(ConfigError, match="Nothing to scan"):
        ScanConfig(sites=())


@pytest.mark.parametrize("level", ["critical", "serious", "moderate", "minor", "none"])
def test_every_fail_on_level_accepted(level):
    assert ScanConfig(sites=(SITE,), fail_on=level).fail_on == level


def test_scan_config_defaults_come_from_settings():
    config = ScanConfig(sites=(SITE,))
    for name in ("max_pages", "depth", "max_documents", "per_host_concurrency", "fail_on", "include"):
        assert getattr(config, name) == DEFAULTS[name]


def test_list_defaults_are_not_shared():
    a, b = ScanConfig(sites=(SITE,)), ScanConfig(sites=(SITE,))
    a.include.append("x")
    assert b.include == [] and DEFAULTS["include"] == []


def test_build_config_unknown_or_mistyped_option():
    with pytest.raises(ConfigError, match="bogus"):
        build_config([SITE], {"bogus": 1})
    with pytest.raises(ConfigError):
        build_config([SITE], {"max_pages": "ten"})


def test_build_config_ignores_none_options():
    assert build_config([SITE], {"max_pages": None, "depth": 1}).max_pages == DEFAULTS["max_pages"]


# -- read_url_file --------------------------------------------------------------------------

def test_read_url_file_ignores_blanks_and_comments(tmp_path):
    path = write(tmp_path, "# portals\n\nhttps://a.gov/\n   \n  # indented comment\n"
                           "  https://b.gov/x  \r\nhttps://c.gov/#frag\n", name="urls.txt")
    assert read_url_file(path) == ["https://a.gov/", "https://b.gov/x", "https://c.gov/#frag"]


def test_read_url_file_missing(tmp_path):
    with pytest.raises(ConfigError, match="urls.txt"):
        read_url_file(tmp_path / "urls.txt")


def test_given_urls_are_all_checked_at_depth_zero_unless_a_limit_is_set():
    seeds = tuple(f"http://127.0.0.1:9/p{i}" for i in range(143))
    listed = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=0)
    assert listed.pages_budget(listed.sites[0]) == 143 and listed.cut_seeds() == {}
    crawl = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=2)
    assert crawl.pages_budget(crawl.sites[0]) == 50
    limited = ScanConfig(sites=(SiteConfig(seeds=seeds),), depth=0, max_pages=10)
    assert limited.cut_seeds() == {"127.0.0.1:9": list(seeds[10:])}
