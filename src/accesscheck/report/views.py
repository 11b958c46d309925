"""What the report site shows, as plain data: the league table, one view per portal, one per check.

Built from runs read back from the store and the catalogue (accesscheck.catalogue: one entry per
finding id, and the checks that declare them), so pillars that land later appear with no change here. Nothing here escapes or formats HTML: the templates do (autoescaped), and
every string taken from a scanned page stays a plain string until then.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accesscheck.catalogue import Entry, catalogue, criterion_key, lookup
from accesscheck.checks import PILLARS, every_check
from accesscheck.conformance import of_run
from accesscheck.history import TrendPoint
from accesscheck.model import IMPACTS, Finding, PageResult
from accesscheck.score import Scorecard, scoring_model, stored_site_scorecard
from accesscheck.store import RunRecord

#: Limits that keep every report page under its 100 KB budget however big the portal is.
TOP_PROBLEMS = 12          # failing checks shown on a portal page
PAGES_PER_PROBLEM = 6      # affected pages listed under each
FAILED_PAGES = 15          # pages that could not be checked, listed
EVIDENCE_ITEMS = 5         # evidence items of a site-level finding
SNIPPET_CHARS = 240        # an element's HTML, cut
PORTALS_PER_CHECK = 50     # portals listed on a check's page


@dataclass(frozen=True, slots=True)
class Family:
    """A check as the report lists it: the check whose finding ids share one overview page (the
    `axe` check for every axe rule, `channels/documents` for each document problem)."""

    id: str
    pillar: str
    title: str
    explanation: str


@dataclass(slots=True)
class AffectedPage:
    url: str
    title: str
    elements: int
    selector: str | None
    snippet: str | None


@dataclass(slots=True)
class Problem:
    check: str
    title: str
    pillar: str
    impact: str | None
    wcag: tuple[str, ...]
    help_url: str | None
    pages_affected: int
    share: float            # of the portal's scanned pages
    elements: int
    weight: float           # what it costs the score: impact weight x share
    pages: list[AffectedPage] = field(default_factory=list)
    more_pages: int = 0
    evidence: list[str] = field(default_factory=list)  # site-level findings


@dataclass(slots=True)
class PortalView:
    origin: str
    slug: str
    name: str
    organisation: str
    country: str
    language: str
    run_id: str
    run_status: str
    scanned_at: str
    scorecard: Scorecard
    pages: dict[str, int]
    documents: int
    review: int
    problems: list[Problem]
    more_problems: int
    failed_pages: list[tuple[str, str]]
    more_failed: int
    trend: list[TrendPoint]
    standard: str = ""             # the conformance target, e.g. "WCAG 2.1 AA (EN 301 549)"


@dataclass(slots=True)
class CheckView:
    id: str
    slug: str
    pillar: str
    title: str
    explanation: str
    summary: str                   # what the check tests, in one line
    fix: str                       # the catalogue's advice ("" on a family's overview page)
    how_to_fix: list[str]          # axe's failure summaries, or the findings' messages
    help_url: str | None
    wcag: tuple[str, ...]
    act: tuple[str, ...] = ()      # W3C ACT rules the finding id implements
    portals: list[tuple[PortalView, int]] = field(default_factory=list)  # (portal, pages affected)
    related: list[str] = field(default_factory=list)                     # rule ids under a meta check


def slug(text: str) -> str:
    """A file-name-safe, readable slug; a short hash keeps two different texts apart."""
    readable = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^https?://", "", text.lower())).strip("-")[:60] or "x"
    return f"{readable}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"


def families() -> dict[str, Family]:
    return {c.id: Family(c.id, c.pillar, c.title, c.explanation) for c in every_check()}


def fix_summary(finding: Finding) -> str:
    match = re.search(r"Fix (?:any|all) of the following:.*", finding.message, flags=re.S)
    return " ".join(match.group(0).split()) if match else finding.message


def portal_view(run: RunRecord, origin: str, trend: list[TrendPoint]) -> PortalView:
    note = next((s for s in run.sites if s.get("origin") == origin), {})
    pages = [p for p in run.pages if p.site == origin]
    scanned = [p for p in pages if p.outcome == "scanned"]
    problems = _problems(scanned, run.site_findings.get(origin, []))
    failed = [(p.url, p.reason or p.outcome) for p in pages if p.outcome == "failed"]
    return PortalView(
        origin=origin, slug=slug(origin), name=note.get("name") or origin,
        organisation=note.get("organisation", ""), country=note.get("country", ""),
        language=note.get("language", ""), run_id=run.id, run_status=run.status,
        scanned_at=run.finished or run.started, scorecard=_finished_scorecard(run, origin, len(scanned)),
        pages={k: sum(1 for p in pages if p.outcome == k) for k in ("scanned", "failed", "skipped")},
        documents=sum(1 for d in run.documents if d.site == origin),
        review=sum(1 for p in scanned for f in p.findings if f.outcome == "review"),
        problems=problems[:TOP_PROBLEMS], more_problems=max(0, len(problems) - TOP_PROBLEMS),
        failed_pages=failed[:FAILED_PAGES], more_failed=max(0, len(failed) - FAILED_PAGES), trend=trend,
        standard=of_run(run.config).label)


def _finished_scorecard(run: RunRecord, origin: str, scanned: int) -> Scorecard:
    """A score only for a finished run: the pages of a stale or interrupted one are a part of
    the portal, and a score on them would read as the portal's."""
    if run.status == "completed":
        return stored_site_scorecard(run, origin)
    return Scorecard(score=None, grade=None, pillars={},
                     reason=f"incomplete: run {run.id} is {run.status} after {scanned} checked pages; "
                            f"finish it with accesscheck scan --resume {run.id}.")


def _problems(scanned: list[PageResult], site_findings: list[Finding]) -> list[Problem]:
    """Failing checks, costliest first (impact weight x share of pages, as the score counts them)."""
    model = scoring_model()
    by_check: dict[str, list[tuple[PageResult, Finding]]] = {}
    for page in scanned:
        for finding in page.findings:
            if finding.outcome == "fail":
                by_check.setdefault(finding.check, []).append((page, finding))
    problems = []
    for check, hits in by_check.items():
        per_page: dict[str, list[tuple[PageResult, Finding]]] = {}
        for page, finding in hits:
            per_page.setdefault(page.url, []).append((page, finding))
        impact = _worst(f.impact for _, f in hits)
        share = len(per_page) / len(scanned)
        first = hits[0][1]
        listed = [AffectedPage(url=p.final_url or p.url, title=p.title or "", elements=len(items),
                               selector=items[0][1].selector, snippet=_cut(items[0][1].snippet))
                  for p, items in ((items[0][0], items) for items in per_page.values())]
        listed.sort(key=lambda a: (-a.elements, a.url))
        problems.append(Problem(
            check=check, title=_title(check), pillar=first.pillar, impact=impact,
            wcag=first.wcag, help_url=_help_url(first), pages_affected=len(per_page), share=share,
            elements=len(hits), weight=model.impact_weights.get(impact or "", 0.0) * share,
            pages=listed[:PAGES_PER_PROBLEM], more_pages=max(0, len(listed) - PAGES_PER_PROBLEM)))
    for finding in site_findings:
        if finding.outcome != "fail":
            continue
        problems.append(Problem(
            check=finding.check, title=_title(finding.check), pillar=finding.pillar,
            impact=finding.impact, wcag=finding.wcag, help_url=_help_url(finding), pages_affected=0,
            share=1.0, elements=0, weight=model.impact_weights.get(finding.impact or "", 0.0),
            evidence=[finding.message, *(_evidence_text(e) for e in finding.evidence[:EVIDENCE_ITEMS])]))
    problems.sort(key=lambda p: (-p.weight, p.check))
    return problems


def _title(check: str) -> str:
    entry = lookup(check)
    return entry.title if entry is not None else check


def _help_url(finding: Finding) -> str | None:
    """The finding's own guidance link (axe's, per rule), else its catalogue entry's."""
    entry = lookup(finding.check)
    return finding.help_url or (entry.help_url if entry else None)


def _worst(impacts: Iterable[str | None]) -> str | None:
    known = [i for i in impacts if i in IMPACTS]
    return min(known, key=IMPACTS.index) if known else None


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS] + "…"


def _evidence_text(item: Any) -> str:
    if isinstance(item, dict):
        return _cut("; ".join(f"{k}: {v}" for k, v in item.items())) or ""
    return _cut(str(item)) or ""


def check_views(portals: list[PortalView], runs: dict[str, RunRecord],
                entries: dict[str, Family]) -> list[CheckView]:
    """One view per check (family) and one per finding id found in any portal's latest run."""
    views: dict[str, CheckView] = {
        e.id: CheckView(id=e.id, slug=slug(e.id), pillar=e.pillar, title=e.title, explanation=e.explanation,
                        summary=e.title, fix="", how_to_fix=[], help_url=None, wcag=())
        for e in entries.values()}
    for portal in portals:
        run = runs[portal.origin]
        findings = [f for p in run.pages if p.site == portal.origin for f in p.findings] + \
            list(run.site_findings.get(portal.origin, []))
        affected: dict[str, set[str]] = {}
        for page in (p for p in run.pages if p.site == portal.origin):
            for f in page.findings:
                if f.outcome == "fail":
                    affected.setdefault(f.check, set()).add(page.url)
        for f in findings:
            view = views.get(f.check) or views.setdefault(f.check, _finding_check_view(f))
            _describe(view, lookup(f.check))
            if f.outcome == "fail" and f.help_url and not view.help_url:
                view.help_url = f.help_url
            if f.wcag and not view.wcag:
                view.wcag = f.wcag
            fix = fix_summary(f)
            if fix and fix not in view.how_to_fix and len(view.how_to_fix) < 5:
                view.how_to_fix.append(fix)
        for check, urls in affected.items():
            views[check].portals.append((portal, len(urls)))
        for f in run.site_findings.get(portal.origin, []):
            if f.outcome == "fail" and portal not in [p for p, _ in views[f.check].portals]:
                views[f.check].portals.append((portal, 0))
    known = catalogue()
    for view in views.values():
        view.portals.sort(key=lambda item: (-item[1], item[0].name))
        del view.portals[PORTALS_PER_CHECK:]
        family = known.family(view.id)
        if family is not None and family != view.id and family in views:
            views[family].related.append(view.id)
    for view in views.values():
        view.related.sort()
    return sorted(views.values(), key=lambda v: (PILLARS.index(v.pillar) if v.pillar in PILLARS else 9, v.id))


def _describe(view: CheckView, entry: Entry | None) -> None:
    """What the catalogue says of a finding id: its words, criteria, ACT rules and guidance."""
    if entry is None or view.fix:
        return
    view.title = view.summary = entry.title
    view.explanation, view.fix, view.act = entry.explanation, entry.fix, entry.act
    view.wcag = tuple(sorted(set(entry.wcag), key=criterion_key))
    view.help_url = view.help_url or entry.help_url


def _finding_check_view(finding: Finding) -> CheckView:
    """A finding id no catalogue entry describes: shown with what the finding itself says."""
    return CheckView(id=finding.check, slug=slug(finding.check), pillar=finding.pillar, title=finding.check,
                     explanation="", summary=finding.check, fix="", how_to_fix=[],
                     help_url=finding.help_url, wcag=finding.wcag)
