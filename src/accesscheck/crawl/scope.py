"""Scope: the seed's host (with or without `www.`), extra allowed hosts, include/exclude patterns."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from urllib.parse import urlsplit

from accesscheck.urls import is_http, site_host


class Scope:
    def __init__(self, host: str, *, allow_hosts: list[str], include: list[str], exclude: list[str]) -> None:
        self.host = host
        self.allow_hosts = [h.lower().removeprefix("www.") for h in allow_hosts]
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]

    def owns_host(self, url: str) -> bool:
        host = site_host(url)
        bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return host == self.host or any(fnmatch(host, p) or fnmatch(bare, p) for p in self.allow_hosts)

    def reason_to_skip(self, url: str) -> str | None:
        """None when the URL is in scope, else why not."""
        if not is_http(url):
            return f"not an http(s) URL ({urlsplit(url).scheme})"
        if not self.owns_host(url):
            return f"out of scope: host {urlsplit(url).hostname} is not part of the site"
        if self.include and not any(p.search(url) for p in self.include):
            return "out of scope: matches no --include pattern"
        for pattern in self.exclude:
            if pattern.search(url):
                return f"out of scope: matches --exclude pattern {pattern.pattern!r}"
        return None
