"""Every default of a scan, in one place (as Scrapy's default_settings does).

User settings from a scan file or the command line are merged over these; no function hides a
default of its own.
"""

import os
from typing import Any

#: The JSON results contract (README "JSON results"); bumped on any incompatible change.
SCHEMA_VERSION = "accesscheck/results/1"

DEFAULTS: dict[str, object] = {
    # Crawl budget and shape
    "max_pages": None,          # HTML pages visited per site; None = DEFAULT_MAX_PAGES, or
                                # every given URL when --depth is 0 (as pa11y-ci checks every URL)
    "max_documents": 100,       # PDF/DOCX/... links recorded per site (HEAD request only)
    "depth": 3,                 # link hops from a seed; 0 = only the given URLs
    "use_sitemaps": True,       # robots.txt Sitemap: lines and /sitemap.xml
    "max_sitemap_files": 20,
    "max_sitemap_bytes": 50 * 1024 * 1024,  # sitemaps.org protocol limit (uncompressed)
    # Browser
    "browser": "playwright",    # the engine: playwright (local Chromium) | selenium (local chromedriver)
    "grid": None,               # a Selenium Grid 4 (or any WebDriver) URL: implies browser = selenium
    "browser_name": "chrome",   # the browser Selenium asks for: chrome | firefox | edge
    "concurrency": os.cpu_count() or 2,      # pages in flight at once
    "page_timeout": 30.0,       # seconds for one page: load, settle and every gatherer
    "settle_timeout": 2.0,      # seconds to wait after `load` for in-flight requests to finish
    "viewport_width": 1280,
    "viewport_height": 800,
    "user_agent": None,         # None = Chromium's own UA + " accesscheck/<version>"
    "tab_pages": 100,           # pages a worker's warm tab checks before it takes a fresh context
    "contact": None,            # a URL or mailto: for site owners, added as "accesscheck/VERSION (+URL)"
    "memory_limit_mb": 1024,    # a tab whose renderer grows past this is stopped; its page fails
    # Politeness
    "per_host_concurrency": 4,  # pages in flight on one host
    "delay": 0.0,               # seconds between two page starts on one host
    "respect_robots": True,
    # Scope and traps
    "include": [],              # regexes; a URL must match one (if any are given)
    "exclude": [],              # regexes; a URL matching one is not crawled
    "allow_hosts": [],          # more hosts treated as part of the site
    "max_url_length": 2000,
    "max_query_variants": 25,   # distinct query strings for one path before it is a trap
    # Safety
    "loopback_only": False,     # the browser resolves every other host to nothing (tests, demo)
    # Cost of access (bandwidth pillar): the portal's own country is always included
    "countries": [],            # ISO alpha-2 codes; [] = the list in data/bandwidth/cost.toml
    "income_file": None,        # CSV iso2,gni_per_capita_usd,source for countries ITU does not cover
    # Interaction probes (gather/probes.py): "none", "fast" (one evaluate each) or "all"
    "probes": "all",
    # Conformance target: the WCAG criteria checked and scored (accesscheck.conformance)
    "standard": "wcag22aa",     # wcag22aa | wcag21aa (EN 301 549) | wcag20aa (Section 508) | wcag2?aaa
    # Output
    "fail_on": "minor",         # exit 2 when a failing finding has this impact or worse; "none" = never
    "min_score": None,          # exit 2 when a site's overall score is below this (0-100) or not scored
}

#: The page limit per site when none is set (and the scan is a crawl, not a list of URLs).
DEFAULT_MAX_PAGES = 50

#: Query parameters that only track visitors; two URLs differing only in these are one page.
TRACKING_PARAMETERS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "gclid", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "_ga", "_gl", "igshid", "ref_src", "s_kwcid",
})

#: Retries of transient answers (crawl/retry.py). 429/503 are the server asking for patience;
#: 502/504 and dropped connections are usually a blip. Attempts count the first one.
RETRY: dict[str, Any] = {
    "polite_statuses": (429, 503),
    "polite_attempts": 4,
    "gateway_statuses": (502, 504),
    "gateway_attempts": 3,
    "base_delay": 1.0,          # seconds; back-off is uniform(0, base * 2**(n-1)) without Retry-After
    "max_backoff": 30.0,
    "max_retry_after": 120.0,   # a Retry-After above this is cut to it
}

#: The per-host slow-down after a 429 (crawl/throttle.py, after Scrapy's AutoThrottle).
THROTTLE: dict[str, float] = {
    "start_delay": 1.0,         # seconds between page starts after the first 429
    "max_delay": 60.0,
}

#: The circuit breaker of crawl/botwall.py: after this many answers from a host, if more than
#: `refused_share` of them were 403/429 or challenge pages, the host is left alone.
BOT_WALL: dict[str, float] = {
    "min_answers": 4,
    "refused_share": 0.5,
}

#: Limits for archives and compressed files, which are untrusted (zip and gzip bombs): the
#: uncompressed size and the number of entries are checked before anything is read whole.
ARCHIVE_LIMITS: dict[str, int] = {
    "max_uncompressed_bytes": 50 * 1024 * 1024,
    "max_entries": 2000,
    "max_pdf_objects": 500_000,
}

#: Link targets recorded as documents (size and type), never rendered as pages.
DOCUMENT_EXTENSIONS = {
    ".pdf": "pdf", ".doc": "doc", ".docx": "docx", ".odt": "odt", ".rtf": "rtf",
    ".xls": "xls", ".xlsx": "xlsx", ".ods": "ods",
}

#: Documents larger than this are recorded (size, type) but not downloaded and inspected.
DOCUMENT_INSPECT_MAX_BYTES = 10 * 1024 * 1024

#: Flags for a closed network: without the background-networking ones Chromium floods it with
#: connection attempts to Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-quic",
    "--no-first-run",
    "--mute-audio",
    # Media that starts on its own must start here too, as it does for a visitor the site knows
    # (Chromium's media engagement); the motion probe checks what then plays (WCAG 1.4.2).
    "--autoplay-policy=no-user-gesture-required",
]
