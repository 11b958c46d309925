"""Scan configuration: defaults (settings.py) < scan file `[scan]` table < command-line flags."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

from accesscheck.engine import BROWSER_NAMES, ENGINES, EngineChoice
from accesscheck.errors import ConfigError
from accesscheck.gather.probes import PROBE_LEVELS
from accesscheck.settings import DEFAULT_MAX_PAGES, DEFAULTS
from accesscheck.urls import is_http, normalize, site_host

_IMPACT_LEVELS = ("critical", "serious", "moderate", "minor", "none")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """One portal: where to start and who it belongs to (the portfolio fields feed scorecards)."""

    seeds: tuple[str, ...]
    name: str = ""
    organisation: str = ""
    country: str = ""
    language: str = ""
    max_pages: int | None = None

    @property
    def host(self) -> str:
        return site_host(self.seeds[0])


def _d(key: str) -> Any:
    value = DEFAULTS[key]
    return field(default_factory=lambda: list(value)) if isinstance(value, list) else value


@dataclass(frozen=True, slots=True)
class ScanConfig:
    sites: tuple[SiteConfig, ...]
    max_pages: int | None = _d("max_pages")
    max_documents: int = _d("max_documents")
    depth: int = _d("depth")
    use_sitemaps: bool = _d("use_sitemaps")
    max_sitemap_files: int = _d("max_sitemap_files")
    max_sitemap_bytes: int = _d("max_sitemap_bytes")
    browser: str = _d("browser")
    grid: str | None = _d("grid")
    browser_name: str = _d("browser_name")
    concurrency: int = _d("concurrency")
    page_timeout: float = _d("page_timeout")
    settle_timeout: float = _d("settle_timeout")
    viewport_width: int = _d("viewport_width")
    viewport_height: int = _d("viewport_height")
    user_agent: str | None = _d("user_agent")
    tab_pages: int = _d("tab_pages")
    contact: str | None = _d("contact")
    memory_limit_mb: int = _d("memory_limit_mb")
    per_host_concurrency: int = _d("per_host_concurrency")
    delay: float = _d("delay")
    respect_robots: bool = _d("respect_robots")
    include: list[str] = _d("include")
    exclude: list[str] = _d("exclude")
    allow_hosts: list[str] = _d("allow_hosts")
    max_url_length: int = _d("max_url_length")
    max_query_variants: int = _d("max_query_variants")
    loopback_only: bool = _d("loopback_only")
    countries: list[str] = _d("countries")
    income_file: str | None = _d("income_file")
    probes: str = _d("probes")
    standard: str = _d("standard")
    fail_on: str = _d("fail_on")
    min_score: float | None = _d("min_score")

    def __post_init__(self) -> None:
        _validate(self)

    def pages_budget(self, site: SiteConfig) -> int:
        """The site's page limit: its own, the scan's, else every given URL of a --depth 0 scan
        (a user who lists URLs expects them all checked), else DEFAULT_MAX_PAGES."""
        if site.max_pages is not None:
            return site.max_pages
        if self.max_pages is not None:
            return self.max_pages
        return max(DEFAULT_MAX_PAGES, len(site.seeds)) if self.depth == 0 else DEFAULT_MAX_PAGES

    def cut_seeds(self) -> dict[str, list[str]]:
        """Given URLs a page limit leaves unchecked, by site host: said before the scan starts."""
        cut = {}
        for site in self.sites:
            budget = self.pages_budget(site)
            if len(site.seeds) > budget:
                cut[site.host] = list(site.seeds[budget:])
        return cut

    @property
    def engine(self) -> EngineChoice:
        """The browser engine the scan drives (accesscheck.engine)."""
        return EngineChoice(browser=self.browser, grid=self.grid, browser_name=self.browser_name)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


OPTION_NAMES = frozenset(f.name for f in dataclasses.fields(ScanConfig)) - {"sites"}


def _validate(config: ScanConfig) -> None:
    if not config.sites:
        raise ConfigError("Nothing to scan: give at least one URL, a --urls file or a scan file.")
    for name in ("max_pages", "concurrency", "per_host_concurrency", "max_url_length",
                 "max_query_variants", "memory_limit_mb", "tab_pages"):
        value = getattr(config, name)
        if value is not None and value < 1:
            raise ConfigError(f"{name.replace('_', '-')} must be at least 1.")
    if config.depth < 0 or config.max_documents < 0 or config.delay < 0:
        raise ConfigError("depth, max-documents and delay cannot be negative.")
    if config.page_timeout <= 0:
        raise ConfigError("page-timeout must be a positive number of seconds.")
    if config.browser not in ENGINES:
        raise ConfigError(f"browser must be one of {', '.join(ENGINES)}, not {config.browser!r}.")
    if config.browser_name not in BROWSER_NAMES:
        raise ConfigError(f"browser-name must be one of {', '.join(BROWSER_NAMES)}, not {config.browser_name!r}.")
    if config.grid is not None and not (isinstance(config.grid, str) and is_http(config.grid)):
        raise ConfigError(f"grid must be the http(s) URL of a Selenium Grid, not {config.grid!r}.")
    if config.browser_name != "chrome" and config.engine.engine != "selenium":
        raise ConfigError("browser-name is for Selenium: add --browser selenium or --grid URL.")
    if config.probes not in PROBE_LEVELS:
        raise ConfigError(f"probes must be one of {', '.join(PROBE_LEVELS)}, not {config.probes!r}.")
    from accesscheck.conformance import standard
    standard(config.standard)  # an unknown target is a one-sentence ConfigError
    if config.contact is not None and not re.match(r"^(https?://[^\s()]+|mailto:[^\s()]+@[^\s()]+)$", config.contact):
        raise ConfigError(f"contact must be an http(s) URL or a mailto: address, not {config.contact!r}.")
    if config.fail_on not in _IMPACT_LEVELS:
        raise ConfigError(f"fail-on must be one of {', '.join(_IMPACT_LEVELS)}, not {config.fail_on!r}.")
    if config.min_score is not None and (isinstance(config.min_score, bool) or
                                         not isinstance(config.min_score, int | float) or
                                         not 0 <= config.min_score <= 100):
        raise ConfigError(f"min-score must be a number from 0 to 100, not {config.min_score!r}.")
    for code in config.countries:
        if not (isinstance(code, str) and len(code) == 2 and code.isalpha()):
            raise ConfigError(f"countries takes two-letter ISO codes like GB or KE, not {code!r}.")
    if config.income_file is not None:
        from accesscheck.bandwidth.cost import read_income_file
        read_income_file(Path(config.income_file))  # a bad file stops the scan before it starts
    for pattern in [*config.include, *config.exclude]:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"The pattern {pattern!r} is not a valid regular expression ({exc}).") from None


def check_url(url: object) -> str:
    if not isinstance(url, str) or not is_http(url) or not urlsplit(url).hostname:
        raise ConfigError(f"{url!r} is not an http(s) URL; give URLs like https://www.example.gov/.")
    return normalize(url)


def sites_from_urls(urls: list[str]) -> list[SiteConfig]:
    """Group URLs by host: several URLs of one portal are one site with several seeds."""
    grouped: dict[str, list[str]] = {}
    for url in urls:
        clean = check_url(url)
        grouped.setdefault(site_host(clean), []).append(clean)
    return [SiteConfig(seeds=tuple(seeds)) for seeds in grouped.values()]


def read_url_file(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with # are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the URL file {path}: {exc.strerror}.") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def load_scan_file(path: Path) -> tuple[list[SiteConfig], dict[str, Any]]:
    """Read a scan file: `[scan]` options and one `[[portal]]` table per site."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read the scan file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The scan file {path} is not valid TOML: {exc}.") from None
    unknown = set(data) - {"scan", "portal"}
    if unknown:
        raise ConfigError(f"The scan file {path} has unknown table(s) {sorted(unknown)}; use [scan] and [[portal]].")
    options = {k: v for k, v in data.get("scan", {}).items() if k != "schedule"}  # for `beat`
    bad = set(options) - OPTION_NAMES
    if bad:
        raise ConfigError(f"The scan file {path} has unknown option(s) {sorted(bad)} in [scan].")
    sites = []
    for i, portal in enumerate(data.get("portal", []), start=1):
        if "url" not in portal:
            raise ConfigError(f"Portal {i} in {path} has no url.")
        extra = set(portal) - {"url", "seeds", "name", "organisation", "country", "language", "max_pages", "schedule"}
        if extra:
            raise ConfigError(f"Portal {i} in {path} has unknown key(s) {sorted(extra)}.")
        extra_seeds = portal.get("seeds", [])
        if not isinstance(extra_seeds, list):
            raise ConfigError(f"Portal {i} in {path}: seeds must be a list of URLs.")
        budget = portal.get("max_pages")
        if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool) or budget < 1):
            raise ConfigError(f"Portal {i} in {path}: max_pages must be a whole number of at least 1.")
        seeds = [check_url(portal["url"]), *(check_url(u) for u in extra_seeds)]
        sites.append(SiteConfig(
            seeds=tuple(seeds), name=portal.get("name", ""),
            organisation=portal.get("organisation", ""), country=portal.get("country", ""),
            language=portal.get("language", ""), max_pages=portal.get("max_pages"),
        ))
    if not sites:
        raise ConfigError(f"The scan file {path} lists no [[portal]] to scan.")
    return sites, options


def build_config(sites: list[SiteConfig], options: dict[str, Any]) -> ScanConfig:
    """Merge options (already layered by the caller) over the defaults."""
    try:
        return ScanConfig(sites=tuple(sites), **{k: v for k, v in options.items() if v is not None})
    except TypeError as exc:
        raise ConfigError(f"Invalid scan option: {exc}.") from None


def config_from_dict(data: dict[str, Any]) -> ScanConfig:
    """The ScanConfig a stored run was made with (`ScanConfig.to_dict()`), to resume it or to scan
    one of its portals on a worker. Options this version does not know are left out."""
    site_fields = {f.name for f in dataclasses.fields(SiteConfig)}
    sites = [SiteConfig(**{**{k: v for k, v in site.items() if k in site_fields}, "seeds": tuple(site["seeds"])})
             for site in data["sites"]]
    return build_config(sites, {k: v for k, v in data.items() if k in OPTION_NAMES})
