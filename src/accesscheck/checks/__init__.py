"""The catalogue of checks.

A page check is data plus one pure function of a PageSnapshot; a site check is data plus one pure
function of all the page results of one site. Checks never touch the browser: they are fast,
deterministic and testable on saved snapshots.

    page check  evaluate(snapshot) -> Evaluation(findings, metrics, facts)
                  metrics  merged into the page's `metrics` (their JSON names are a contract)
                  facts    kept with the page (page.facts[check.id]) for the site checks
    site check  evaluate(SiteView) -> SiteEvaluation(findings, data)
                  data     merged into the site's JSON (e.g. `channels`, `statement`, `languages`)

A site check is handed everything it judges by: the site's pages and documents, the scan's date
(an accessibility statement's age is judged against it, never against the clock), and the price
and income tables of the bandwidth pillar. A site check never runs another.

Add a check by adding it to the module of its pillar (checks/<pillar>.py); the module's CHECKS
and SITE_CHECKS lists are collected below (PILLAR_MODULES names the modules). A module's
`page_score` / `site_score` hooks score the pillar named by its `PILLAR` (default: the module's own
name). Callers may pass the pillar modules (`modules`, default `pillar_modules()`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from accesscheck.bandwidth.cost import CostTables, cost_tables
from accesscheck.catalogue import Entry
from accesscheck.model import DocumentResult, Finding, PageResult, PageSnapshot

if TYPE_CHECKING:
    from accesscheck.store import RunRecord

PILLARS = ("accessibility", "bandwidth", "channels", "inclusion")
PILLAR_MODULES = tuple(f"accesscheck.checks.{name}" for name in (
    "accessibility", "interaction", "contrast", "content", "bandwidth", "channels", "inclusion"))
# interaction, contrast and content: checks of the accessibility pillar in modules of their own.
# The modules by their import names: a test may name a small pillar module of its own here.


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
    scan_date: date
    tables: CostTables    # prices of data and incomes by country (the run's income file included)
    crawled: bool = True  # False when only the given URLs were scanned (--depth 0): absence
                          # ("no phone line anywhere") cannot be claimed of a site not crawled
    options: dict[str, Any] = field(default_factory=dict)  # the run's scan options
    data: dict[str, Any] = field(default_factory=dict)     # what the site checks reported (for score hooks)
    findings: list[Finding] = field(default_factory=list)  # what the site checks found (for score hooks)

    @classmethod
    def of(cls, run: RunRecord, origin: str, *, tables: CostTables | None = None) -> SiteView:
        """The site as the run stored it; `tables` default to the packaged ones with the run's
        income file (`--income-file`) over them."""
        note = next((s for s in run.sites if s.get("origin") == origin), {})
        return cls(origin=origin, name=note.get("name") or origin, country=note.get("country", ""),
                   language=note.get("language", ""), pages=[p for p in run.pages if p.site == origin],
                   documents=[d for d in run.documents if d.site == origin], scan_date=scan_date(run),
                   tables=tables if tables is not None else cost_tables(run.config.get("income_file")),
                   crawled=run.config.get("depth", 1) > 0, options=run.config,
                   data=run.site_data.get(origin, {}), findings=run.site_findings.get(origin, []))

    def with_results(self, results: SiteResults) -> SiteView:
        """The view as the score hooks see it: with what the site checks found."""
        return replace(self, data=results.data, findings=results.findings)

    @property
    def scanned(self) -> list[PageResult]:
        """In URL order, not the order the pages were finished in: which page a site check cites
        (a phone number is on several) must not depend on which worker happened to be quicker."""
        return sorted((p for p in self.pages if p.outcome == "scanned"), key=lambda p: (p.final_url or p.url, p.url))


@dataclass(frozen=True, slots=True)
class SiteResults:
    """What the site checks of one site gave: findings, the site's data, and the checks that broke."""

    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # check id -> reason


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


def scan_date(run: RunRecord) -> date:
    """The day the run's pages were fetched: the run's start, or for a rescored run the start of
    the scan it re-checks (`scan_date` in its config)."""
    return date.fromisoformat((run.config.get("scan_date") or run.started)[:10])


Modules = Sequence[ModuleType]


def pillar_modules() -> list[ModuleType]:
    """The check modules of this installation (PILLAR_MODULES), a pillar not landed yet left out."""
    modules = []
    for name in PILLAR_MODULES:
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def score_hook(pillar: str, name: str, modules: Modules | None = None) -> Any:
    """The pillar's `page_score` or `site_score`, or None when no module of the pillar has one."""
    for module in pillar_modules() if modules is None else modules:
        if getattr(module, "PILLAR", module.__name__.rsplit(".", 1)[-1]) == pillar and hasattr(module, name):
            return getattr(module, name)
    return None


def site_finding(view: SiteView, check: str, pillar: str, *, impact: str, outcome: str, message: str,
                 evidence: tuple[dict[str, Any], ...], wcag: tuple[str, ...] = (), identity: str | None = None) -> Finding:
    """A finding about the whole site: fingerprinted on the site's root page, told apart from
    others of the same check by `identity` (e.g. the language it concerns)."""
    from accesscheck.fingerprint import fingerprint
    return Finding(check=check, pillar=pillar, outcome=outcome, impact=impact, message=message,  # type: ignore[arg-type]
                   wcag=wcag, evidence=evidence, fingerprint=fingerprint(check, view.origin + "/", None, identity))


def all_checks(modules: Modules | None = None) -> list[Check]:
    return [check for module in modules or pillar_modules() for check in getattr(module, "CHECKS", [])]


def all_site_checks(modules: Modules | None = None) -> list[SiteCheck]:
    return [check for module in modules or pillar_modules() for check in getattr(module, "SITE_CHECKS", [])]


def every_check(modules: Modules | None = None) -> list[Check | SiteCheck]:
    """Page and site checks together (for versions and pillars by check id)."""
    return [*all_checks(modules), *all_site_checks(modules)]


def run_site_checks(view: SiteView, checks: list[SiteCheck]) -> SiteResults:
    """Every site check on the view (none sees another's result); a check that raises is a
    recorded reason, not a broken scan. `view.with_results` hands the results to the score hooks."""
    from accesscheck import reasons
    results = SiteResults()
    for check in checks:
        try:
            evaluation = check.evaluate(view)
        except Exception as exc:  # a broken check is a recorded error, not a broken scan
            results.errors[check.id] = reasons.reason("check_crash", error=type(exc).__name__)
            continue
        results.findings.extend(evaluation.findings)
        results.data.update(evaluation.data)
    return results


def needed_gatherers(checks: list[Check]) -> frozenset[str]:
    from accesscheck.gather import ALWAYS
    return ALWAYS | {g for check in checks for g in check.requires}
