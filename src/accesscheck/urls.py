"""URL normalisation: the same page reached by different spellings is crawled once."""

from posixpath import splitext
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from accesscheck.settings import DOCUMENT_EXTENSIONS, TRACKING_PARAMETERS

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize(url: str) -> str:
    """The URL we fetch: fragment, default port and tracking parameters dropped, host lower-cased,
    query parameters sorted (their order never changes what a server returns in practice)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{parts.port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMETERS and not k.lower().startswith("utm_")]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))


def dedupe_key(url: str) -> str:
    """Identity of a page for de-duplication: `normalize` plus no trailing slash, because sites
    serve `/about` and `/about/` as the same page far more often than as two."""
    parts = urlsplit(normalize(url))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def site_host(url: str) -> str:
    """Host (with its port unless default) without a leading `www.`, so example.gov and
    www.example.gov are one site, and two servers on one machine are two."""
    host = urlsplit(normalize(url)).netloc.rsplit("@", 1)[-1]
    return host[4:] if host.startswith("www.") else host


def origin(url: str) -> str:
    """scheme://host[:port], without credentials: origins end up in reports."""
    parts = urlsplit(normalize(url))
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def document_type(url: str) -> str | None:
    """`pdf`, `docx`, ... when the URL's path names a document format, else None."""
    return DOCUMENT_EXTENSIONS.get(splitext(urlsplit(url).path)[1].lower())


def is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")
