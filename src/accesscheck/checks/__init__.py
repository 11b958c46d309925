"""The catalogue of checks.

A page check is data plus one pure function of a PageSnapshot; a site check is data plus one pure
function of all the page results of one site. Checks never touch the browser: they are fast,
deterministic and testable on saved snapshots.

    page check  evaluate(snapshot) -> Evaluation(findings, metrics, facts)
                  metrics  merged into the page's `metrics` (their JSON names are a contract)
                  facts    kept with the page (page.facts[check.id]) for the site checks
    site check  evaluate(SiteView) -> SiteEvaluation(findings, data)
                  data     merged into the site's JSON (e.g. `channels`, `statement`, `languages`)

Add a check by adding it to the module of its pillar (checks/<pillar>.py); the module's CHECKS
and SITE_CHECKS lists are collected below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from accesscheck.catalogue import Entry
from accesscheck.model import DocumentResult, Finding, PageResult, PageSnapshot

if TYPE_CHECKING:
    from accesscheck.store import RunRecord

PILLARS = ("accessibility", "bandwidth", "channels", "inclusion")
_PILLAR_MODULES = ("accessibility", "interaction", "contrast", "content", "bandwidth", "channels", "inclusion")
# interaction, contrast and content: checks of the accessibility pillar in modules of their own


@dataclass(slots=True)
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SiteEvaluation:
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SiteView:
    """What a site check sees: the site's portfolio fields and its finished pages and documents."""

    origin: str
    name: str
    country: str
    language: str
    pages: list[PageResult]
    documents: list[DocumentResult]
    crawled: bool = True  # False when only the given URLs were scanned (--depth 0): absence
                          # ("no phone line anywhere") cannot be claimed of a site not crawled
    options: dict[str, Any] = field(default_factory=dict)  # the run's scan options

    @classmethod
    def of(cls, run: RunRecord, origin: str) -> SiteView:
        note = next((s for s in run.sites if s.get("origin") == origin), {})
        return cls(origin=origin, name=note.get("name") or origin, country=note.get("country", ""),
                   language=note.get("language", ""), pages=[p for p in run.pages if p.site == origin],
                   documents=[d for d in run.documents if d.site == origin],
                   crawled=run.config.get("depth", 1) > 0, options=run.config)

    @property
    def scanned(self) -> list[PageResult]:
        return [p for p in self.pages if p.outcome == "scanned"]


@dataclass(frozen=True, slots=True)
class Check:
    id: str                      # "axe" emits "axe/<rule>"; others emit ids under their pillar
    pillar: str
    version: int                 # bumped whenever the same snapshot could give a different result
    requires: tuple[str, ...]    # gatherers (see accesscheck.gather)
    title: str
    explanation: str             # what it means for people, for the report
    evaluate: Callable[[PageSnapshot], Evaluation]
    entries: tuple[Entry, ...] = ()  # the catalogue entry of every finding id it can emit


@dataclass(frozen=True, slots=True)
class SiteCheck:
    id: str
    pillar: str
    version: int
    title: str
    explanation: str
    evaluate: Callable[[SiteView], SiteEvaluation]
    entries: tuple[Entry, ...] = ()  # the catalogue entry of every finding id it can emit


def _modules() -> list[Any]:
    modules = []
    for name in _PILLAR_MODULES:
        try:
            modules.append(import_module(f"accesscheck.checks.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"accesscheck.checks.{name}":
                raise
    return modules


def site_finding(view: SiteView, check: str, pillar: str, *, impact: str, outcome: str, message: str,
                 evidence: tuple[dict[str, Any], ...], wcag: tuple[str, ...] = (), identity: str | None = None) -> Finding:
    """A finding about the whole site: fingerprinted on the site's root page, told apart from
    others of the same check by `identity` (e.g. the language it concerns)."""
    from accesscheck.fingerprint import fingerprint
    return Finding(check=check, pillar=pillar, outcome=outcome, impact=impact, message=message,  # type: ignore[arg-type]
                   wcag=wcag, evidence=evidence, fingerprint=fingerprint(check, view.origin + "/", None, identity))


def all_checks() -> list[Check]:
    return [check for module in _modules() for check in getattr(module, "CHECKS", [])]


def all_site_checks() -> list[SiteCheck]:
    return [check for module in _modules() for check in getattr(module, "SITE_CHECKS", [])]


def every_check() -> list[Check | SiteCheck]:
    """Page and site checks together (for versions and pillars by check id)."""
    return [*all_checks(), *all_site_checks()]


def needed_gatherers(checks: list[Check]) -> frozenset[str]:
    from accesscheck.gather import ALWAYS
    return ALWAYS | {g for check in checks for g in check.requires}
