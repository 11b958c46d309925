"""Why a page was not checked, in words a user can act on: the one documented list.

Every `reason` the scan records for a failed or skipped page, and every gatherer error it keeps,
is made here from one of the templates in REASONS (README "Why a page was not checked" repeats
them). A raw engine message ("Execution context was destroyed", "net::ERR_...") is never shown:
it is translated, or replaced by the generic reason for its kind. `is_documented()` lets a test
check every reason string in a results file against this list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    template: str      # {placeholders} are filled in; shown in the README as they are here
    meaning: str       # what to do about it, for the README list

    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{[a-z_]+\}", self.template)
        return re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.DOTALL)


#: HTTP statuses a user meets, in words. Others get the generic client/server error wording.
HTTP_MEANINGS = {
    400: "the server rejected the request",
    401: "the page needs a login",
    403: "the server refused access",
    404: "the page was not found",
    405: "the server does not allow this page to be read",
    408: "the server gave up waiting",
    410: "the page has been removed",
    429: "the server is limiting how fast it may be read",
    451: "the page is withheld for legal reasons",
    500: "the server had an internal error",
    502: "a gateway in front of the server got no good answer",
    503: "the server is unavailable or overloaded",
    504: "a gateway in front of the server timed out",
}

#: Chromium network errors (net/base/net_error_list.h), in words.
NETWORK_MEANINGS = {
    "ERR_NAME_NOT_RESOLVED": "the host name does not resolve (DNS)",
    "ERR_NAME_RESOLUTION_FAILED": "the host name does not resolve (DNS)",
    "ERR_CONNECTION_REFUSED": "the server refused the connection",
    "ERR_CONNECTION_RESET": "the server reset the connection",
    "ERR_CONNECTION_CLOSED": "the server closed the connection without an answer",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without an answer",
    "ERR_CONNECTION_TIMED_OUT": "the connection timed out",
    "ERR_TIMED_OUT": "the connection timed out",
    "ERR_ADDRESS_UNREACHABLE": "the server cannot be reached",
    "ERR_INTERNET_DISCONNECTED": "the scanner has no network",
    "ERR_TOO_MANY_REDIRECTS": "the page redirects in a loop",
    "ERR_INVALID_RESPONSE": "the server sent an answer that is not valid HTTP",
    "ERR_INVALID_HTTP_RESPONSE": "the server sent an answer that is not valid HTTP",
    "ERR_CONTENT_DECODING_FAILED": "the server sent a body that cannot be decompressed",
    "ERR_INCOMPLETE_CHUNKED_ENCODING": "the server broke off the page mid-way",
    "ERR_CONTENT_LENGTH_MISMATCH": "the server broke off the page mid-way",
    "ERR_RESPONSE_HEADERS_TOO_BIG": "the server sent headers too big to read",
    "ERR_CERT_AUTHORITY_INVALID": "the site's certificate is not trusted",
    "ERR_CERT_COMMON_NAME_INVALID": "the site's certificate is for another name",
    "ERR_CERT_DATE_INVALID": "the site's certificate has expired or is not yet valid",
    "ERR_SSL_PROTOCOL_ERROR": "the secure connection could not be set up",
    "ERR_UNSAFE_REDIRECT": "the page redirects to an address a browser will not follow",
    "ERR_UNSAFE_PORT": "the address uses a port browsers block",
}

REASONS: dict[str, Reason] = {
    "http": Reason("HTTP {status}: {meaning}", "The server answered with an error status; open the "
                   "page in a browser, or give the scanner access (login pages cannot be checked)."),
    "http_after_retries": Reason(
        "HTTP {status}: {meaning} (still refused after {attempts} attempts over {waited} s)",
        "The server kept answering 429/5xx. Scan again later, slower (--delay, --concurrency), or "
        "ask the site's team to allow the scanner (--contact)."),
    "network": Reason("network error: {meaning}", "The browser could not load the page; check "
                      "the address and that the site is up."),
    "network_after_retries": Reason(
        "network error: {meaning} (after {attempts} attempts)",
        "The connection kept failing; check that the site is up and scan again."),
    "network_other": Reason("network error: the browser could not load the page ({code})",
                            "An uncommon network error; the code is Chromium's name for it."),
    "auth": Reason("HTTP 401: the page needs a login",
                   "Pages behind a login cannot be checked; scan the public pages."),
    "timeout": Reason("timeout: no result within {limit} s ({stage} ran out of time; {load})",
                      "The page took longer than --page-timeout, counting the load and every "
                      "check; raise --page-timeout or look at what makes the page slow."),
    "navigating": Reason("the page kept navigating by itself (meta refresh / script)",
                         "A page that reloads or moves on by itself cannot be checked; a person "
                         "using a screen reader meets the same problem."),
    "memory": Reason("the page used more than {limit} MB of memory and was stopped",
                     "A page that eats memory crashes low-end phones; the scan stops it at "
                     "--memory-limit and goes on."),
    "renderer_crash": Reason("the browser tab crashed while checking the page",
                             "The page crashed Chromium's tab; it was replaced and the scan went on."),
    "browser_crash": Reason("the browser crashed or was closed while checking the page",
                            "Chromium died; it was restarted and the other pages were checked."),
    "page_closed": Reason("the page closed itself while it was being checked",
                          "A script closed the window; the page cannot be checked."),
    "engine": Reason("the browser could not check the page ({stage})",
                     "An unexpected browser failure in the named stage; rerun with --debug and report it."),
    "no_response": Reason("no response from the server", "The server sent nothing; check that it is up."),
    "not_html": Reason("not an HTML page ({content_type})", "A file, not a web page; it is not rendered."),
    "download": Reason("not an HTML page (the browser downloads it)", "A file, not a web page."),
    "axe": Reason("axe-core could not run on the page ({why})",
                  "Without axe-core the page's accessibility is unknown, so the page is not "
                  "counted as scanned."),
    "gatherer": Reason("{stage} could not run on the page ({why})",
                       "That part of the checks is missing for the page; the rest stands."),
    "not_measured": Reason("{stage} not measured with {engine}: {why}",
                           "The browser engine cannot make this measurement (README \"Browser engines\"); "
                           "scan with the default engine to have it."),
    "probe_not_run": Reason("{stage} not run: the page's time budget was spent",
                            "The interaction probes run inside --page-timeout, after the load and "
                            "axe-core; raise it, or use --probes fast, to have them on slow pages."),
    "probe_stopped": Reason("{stage} stopped after {seconds} s: the page's time budget was spent",
                            "As above: the probe started but the page's time ran out."),
    "challenge": Reason("blocked: {vendor} challenge page (bot wall)",
                        "The site's firewall or CDN shows automated visitors a challenge. Ask the "
                        "site's team to allow the scanner's User-Agent (--contact)."),
    "breaker": Reason("not checked: the site is blocking the scanner ({refused} of {answers} answers refused)",
                      "The scan stopped asking a site that refuses it; the site is marked "
                      "blocked, not scored."),
    "out_of_scope_redirect": Reason("redirected out of scope to {url} (not requested)",
                                    "The page sends visitors to another host; add it with "
                                    "--allow-host if it is part of the site."),
    "out_of_scope_navigation": Reason(
        "the page navigated by itself out of scope to {url} (not requested)",
        "A script or refresh leaves the site; add the host with --allow-host if it is part of the site."),
    "document_not_fetched": Reason("not fetched: {why}", "The linked document was not downloaded; "
                                   "the words after the colon say why."),
    "check_crash": Reason("the check itself failed on this page ({error}, a bug in accesscheck)",
                          "Not the page's fault: report it with the page's URL."),
    "check_worker": Reason("the checks could not finish: their worker process died on this page",
                           "A parser or model crashed or ran out of memory on the page; the other "
                           "pages were checked. Report it with the page's URL."),
    "page_limit": Reason("page limit ({limit}) reached", "Raise --max-pages to check more pages."),
    "unreachable": Reason("site unreachable: robots.txt could not be fetched ({why})",
                          "The site did not answer at all; check the address and that it is up."),
}

#: Reasons recorded elsewhere (frontier, robots, scope, traps) that are already in plain words.
CRAWL_PATTERNS = (
    r"out of scope: host .+ is not part of the site",
    r"out of scope: matches no --include pattern",
    r"out of scope: matches --exclude pattern .+",
    r"not an http\(s\) URL \(.*\)",
    r"redirected to .+: disallowed by robots\.txt",
    r"redirects to .+, which is already scanned",
    r"already scanned \(reached earlier through a redirect\)",
    r"disallowed by robots\.txt",
    r"robots\.txt answered HTTP \d+; RFC 9309 says to assume the site is disallowed",
    r"crawler trap: .+",
)


def http_client_error(exc: BaseException) -> str:
    """An httpx error (robots.txt, sitemaps, documents) in words, not the library's message."""
    name = type(exc).__name__
    if "Timeout" in name:
        return "it timed out"
    if name == "ConnectError":
        return "the server could not be reached"
    if name in ("RemoteProtocolError", "ReadError", "WriteError"):
        return "the server broke off the connection"
    if name == "TooManyRedirects":
        return "it redirects in a loop"
    return "the request failed"


def _fill(key: str, **values: object) -> str:
    return REASONS[key].template.format(**values)


def http_status(status: int, *, attempts: int = 1, waited: float = 0.0) -> str:
    meaning = HTTP_MEANINGS.get(status) or ("the server had an error" if status >= 500 else
                                            "the server refused the request")
    if status == 401:
        return _fill("auth")
    if attempts > 1:
        return _fill("http_after_retries", status=status, meaning=meaning, attempts=attempts,
                     waited=f"{waited:.0f}")
    return _fill("http", status=status, meaning=meaning)


def network_error(code: str, *, attempts: int = 1) -> str:
    """`code` is Chromium's name (ERR_...). No credentials are ever sent, so a 401's
    ERR_INVALID_AUTH_CREDENTIALS means the page asks for a login."""
    if code == "ERR_INVALID_AUTH_CREDENTIALS":
        return _fill("auth")
    meaning = NETWORK_MEANINGS.get(code)
    if meaning is None:
        return _fill("network_other", code=code)
    if attempts > 1:
        return _fill("network_after_retries", meaning=meaning, attempts=attempts)
    return _fill("network", meaning=meaning)


def timeout(limit: float, stage: str, load_seconds: float | None) -> str:
    load = f"load took {load_seconds:.1f} s" if load_seconds is not None else "the page never finished loading"
    return _fill("timeout", limit=f"{limit:g}", stage=stage, load=load)


def reason(key: str, **values: object) -> str:
    """Any other documented reason by its key in REASONS."""
    return _fill(key, **values)


_PATTERNS = [r.pattern() for r in REASONS.values()] + [re.compile(f"^{p}$", re.DOTALL) for p in CRAWL_PATTERNS]


def is_documented(text: str) -> bool:
    """True when `text` is one of the documented reasons (a test checks every reason with this)."""
    return any(p.match(text) for p in _PATTERNS)
