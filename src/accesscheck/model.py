"""The data every stage shares: what gatherers collect, what checks find, what the store keeps.

Snapshots are plain, JSON-serialisable dataclasses so a page can be saved once and re-checked
offline, with no browser (`PageSnapshot.to_dict` / `from_dict`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Outcome = Literal["scanned", "failed", "skipped"]
FindingOutcome = Literal["fail", "review"]
IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass(frozen=True, slots=True)
class Link:
    """A link in the rendered DOM (`<a href>` or `<link rel=alternate>`), absolute URL."""

    url: str
    text: str = ""
    rel: str = ""
    hreflang: str = ""
    lang: str = ""
    tag: str = "a"


@dataclass(frozen=True, slots=True)
class NetworkRequest:
    """One request of the page load, from the CDP Network domain.

    `encoded_bytes` is `Network.loadingFinished.encodedDataLength`: the bytes that crossed the
    wire, headers included, compressed as sent. (Resource Timing's transferSize is 0 for
    cross-origin resources without Timing-Allow-Origin, so it undercounts.)
    Times are milliseconds from the start of the navigation.
    """

    url: str
    resource_type: str
    method: str = "GET"
    status: int | None = None
    mime_type: str | None = None
    encoded_bytes: int = 0
    start_ms: float = 0.0
    response_ms: float | None = None
    end_ms: float | None = None
    failed: str | None = None
    from_cache: bool = False
    priority: str | None = None
    initiator_type: str | None = None
    initiator_url: str | None = None
    connection_id: int | None = None
    protocol: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PageSnapshot:
    """Everything gathered from one page load, collected once and shared by every check."""

    url: str
    final_url: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    title: str = ""
    lang: str | None = None
    country: str = ""                        # the portal's country (ISO 3166-1), when the scan file gives it
    html: str = ""
    html_bytes: int = 0
    text: str = ""
    links: list[Link] = field(default_factory=list)
    requests: list[NetworkRequest] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    axe: dict[str, Any] | None = None
    vitals: dict[str, Any] | None = None     # web-vitals from PerformanceObservers (bandwidth)
    no_js: dict[str, Any] | None = None      # the JavaScript-off render (bandwidth)
    reflow: dict[str, Any] | None = None     # the 320 CSS px layout probe (bandwidth)
    # Interaction probes (gather/probes.py), each recording what it did so a person can repeat it
    keyboard: dict[str, Any] | None = None         # the Tab walk: stops, trap test, pixel checks
    context_changes: dict[str, Any] | None = None  # each form control focused and changed
    text_spacing: dict[str, Any] | None = None     # text clipped at WCAG 1.4.12 spacing
    text_zoom: dict[str, Any] | None = None        # text clipped at 200 % text size
    motion: dict[str, Any] | None = None           # animations, media, refresh
    orientation: dict[str, Any] | None = None      # turns of the page in both orientations
    contrast: dict[str, Any] | None = None         # text over images: contrast from the pixels
    source: str | None = None                # the HTML as the server sent it (content: 4.1.1)
    text_styles: dict[str, Any] | None = None  # computed text styles of candidates (content)
    styles: dict[str, Any] | None = None     # !important text spacing, orientation locks (gather/styles.py)
    focusable: dict[str, Any] | None = None  # focus in aria-hidden content, frames out of tab order
    gatherer_errors: dict[str, str] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)  # gatherer -> why the engine cannot (also in gatherer_errors)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageSnapshot:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["links"] = [Link(**link) for link in values.get("links", [])]
        values["requests"] = [NetworkRequest(**req) for req in values.get("requests", [])]
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or one thing a person must review) on one element or page."""

    check: str
    pillar: str
    outcome: FindingOutcome
    message: str
    fingerprint: str
    impact: str | None = None
    wcag: tuple[str, ...] = ()
    selector: str | None = None
    snippet: str | None = None
    help_url: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()  # site-level findings: the pages and text that show it

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["wcag"] = list(self.wcag)
        data["evidence"] = list(self.evidence)
        return data


@dataclass(slots=True)
class PageResult:
    """How one URL of the crawl ended, with its findings when it was scanned."""

    url: str
    site: str
    outcome: Outcome
    reason: str | None = None
    final_url: str | None = None
    status: int | None = None
    title: str | None = None
    lang: str | None = None
    depth: int = 0
    found_via: str = "seed"
    metrics: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    check_errors: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)  # per check id, for the site checks


@dataclass(slots=True)
class DocumentResult:
    """A linked document (PDF, DOCX, ...) recorded with its size and type, not rendered."""

    url: str
    site: str
    kind: str
    found_on: str
    status: int | None = None
    content_type: str | None = None
    bytes: int | None = None
    reason: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)  # what document inspectors found
