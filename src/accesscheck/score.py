"""Scorecards: a 0-100 score and an A-F grade per page and per site, per pillar and overall.

The model (docs/scoring.md, weights in data/scoring.toml) is built so that:
- a failing check weighs by its impact *and by the share of pages it affects*, so a 2,000-page site
  and a 20-page one score the same for the same template bug;
- "needs review" never counts as failure;
- a pillar with no checks, or whose checks could not run, is "not assessed", never 100;
- a site with no scanned page is "not scored", with the reason, never 0 and never 100.

A pillar module (checks/<pillar>.py) may define `page_score(page) -> float | None` and
`site_score(view) -> float | None`; when it does, its score is the hook's, otherwise the generic
findings formula below. A hook is a pure function of its argument: the site's view carries what
the site checks found (`view.data`, `view.findings`), so a hook never runs a check again. Pillars
that land later are picked up with no change here; callers may name the pillar modules
(`modules`, default checks.pillar_modules()).

Scorecards are computed once per run, when its sites are evaluated (`store_scorecards`, called by
scan.evaluate_site, so `rescore` scores again too), and stored; reports read them back
(`stored_site_scorecard`, `stored_page_scorecard`) and never recompute them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from accesscheck.checks import PILLARS, Modules, SiteView, all_checks, every_check, score_hook
from accesscheck.data import load_toml
from accesscheck.model import Finding, PageResult
from accesscheck.store import RunRecord, Store


@dataclass(frozen=True, slots=True)
class ScoringModel:
    version: str
    impact_weights: dict[str, float]
    half_penalty: float
    grades: dict[str, float]
    pillar_weights: dict[str, float]
    silence_means_pass: frozenset[str]

    def grade(self, score: float | None) -> str | None:
        if score is None:
            return None
        for letter, floor in sorted(self.grades.items(), key=lambda item: -item[1]):
            if score >= floor:
                return letter
        return "F"

    def from_penalty(self, penalty: float) -> float:
        return round(100 * 0.5 ** (penalty / self.half_penalty), 1)


@cache
def scoring_model() -> ScoringModel:
    """The model in data/scoring.toml (read once)."""
    data = load_toml("scoring.toml")
    return ScoringModel(version=data["version"], impact_weights=dict(data["impact_weights"]),
                        half_penalty=float(data["half_penalty"]), grades=dict(data["grades"]),
                        pillar_weights=dict(data["pillar_weights"]),
                        silence_means_pass=frozenset(data["silence_means_pass"]["pillars"]))


@dataclass(frozen=True, slots=True)
class PillarScore:
    score: float | None
    grade: str | None
    method: str | None            # "hook" (the pillar's own), "findings" (generic) or None
    reason: str | None = None     # why there is no score
    coverage: float | None = None  # share of scanned pages on which the pillar's checks ran


@dataclass(frozen=True, slots=True)
class Scorecard:
    score: float | None
    grade: str | None
    reason: str | None
    pillars: dict[str, PillarScore] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade, "reason": self.reason,
                "pillars": {name: asdict(p) for name, p in self.pillars.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorecard:
        """The scorecard as the store keeps it (`to_dict`)."""
        return cls(data["score"], data["grade"], data["reason"],
                   {name: PillarScore(**p) for name, p in data.get("pillars", {}).items()})


NOT_STORED = ("not scored: this run has no stored scorecard (it ended before its sites were evaluated, "
              "or an older accesscheck stored it); `accesscheck rescore` scores it again")


def stored_site_scorecard(run: RunRecord, origin: str) -> Scorecard:
    """The site's scorecard as computed when the run was scored."""
    card = run.scorecards.get(origin)
    return Scorecard.from_dict(card) if card is not None else Scorecard(None, None, NOT_STORED)


def stored_page_scorecard(run: RunRecord, page: PageResult) -> Scorecard:
    """The page's scorecard as computed when the run was scored."""
    card = run.page_scorecards.get(page.url)
    return Scorecard.from_dict(card) if card is not None else Scorecard(None, None, NOT_STORED)


def store_scorecards(store: Store, run: RunRecord, origin: str, *, modules: Modules | None = None) -> None:
    """Score the site and each of its pages from the run's results (its site checks done: see
    scan.evaluate_site) and store the scorecards; `run` gets them too."""
    run_checks = list(run.versions.get("checks", {}))
    pages = {p.url: page_scorecard(p, run_checks, modules=modules).to_dict() for p in run.pages if p.site == origin}
    run.scorecards[origin] = site_scorecard(run, origin, modules=modules).to_dict()
    run.page_scorecards.update(pages)
    store.add_scorecards(run.id, origin, run.scorecards[origin], pages)


def _pillar_of_check_ids(modules: Modules | None) -> dict[str, str]:
    return {c.id: c.pillar for c in every_check(modules)}


def _pillar_checks_ran(pillar: str, run_checks: Iterable[str], owners: dict[str, str]) -> list[str]:
    return [cid for cid in run_checks if owners.get(cid) == pillar]


def _each_pillar(run_checks: list[str], score: Callable[[str, list[str]], PillarScore],
                 modules: Modules | None) -> dict[str, PillarScore]:
    """`score(pillar, its checks that ran)` for each pillar that had checks in the run."""
    owners = _pillar_of_check_ids(modules)
    pillars: dict[str, PillarScore] = {}
    for pillar in PILLARS:
        ran = _pillar_checks_ran(pillar, run_checks, owners)
        pillars[pillar] = score(pillar, ran) if ran else \
            PillarScore(None, None, None, "no checks for this pillar in this run")
    return pillars


def _penalty(failing: dict[str, tuple[str | None, float]], model: ScoringModel) -> float:
    """failing: check id -> (worst impact, share of pages affected)."""
    return sum(model.impact_weights.get(impact or "", 0.0) * share for impact, share in failing.values())


def _worst(impacts: Iterable[str | None], model: ScoringModel) -> str | None:
    known = [i for i in impacts if i in model.impact_weights]
    return max(known, key=lambda i: model.impact_weights[i]) if known else None


def _from_hook(hook: Any, argument: Any, model: ScoringModel, coverage: float | None) -> PillarScore:
    try:
        value = hook(argument)
    except Exception as exc:  # a broken hook is a recorded reason, not a broken report
        return PillarScore(None, None, None, f"the pillar's score failed: {type(exc).__name__}: {exc}", coverage)
    if value is None:
        return PillarScore(None, None, "hook", "the pillar's checks could not assess this", coverage)
    score = round(min(100.0, max(0.0, float(value))), 1)
    return PillarScore(score, model.grade(score), "hook", None, coverage)


def _generic(pillar: str, failing: dict[str, tuple[str | None, float]], any_findings: bool,
             model: ScoringModel, coverage: float | None) -> PillarScore:
    if not any_findings and pillar not in model.silence_means_pass:
        return PillarScore(None, None, None, "no findings and no score for this pillar yet", coverage)
    score = model.from_penalty(_penalty(failing, model))
    return PillarScore(score, model.grade(score), "findings", None, coverage)


def page_scorecard(page: PageResult, run_checks: Iterable[str], *, modules: Modules | None = None) -> Scorecard:
    """One page's scorecard; every failing check on it counts with share 1."""
    model = scoring_model()
    if page.outcome != "scanned":
        return Scorecard(None, None, f"not scored: {page.reason or page.outcome}")

    def score(pillar: str, ran: list[str]) -> PillarScore:
        if all(_errored(page, cid) for cid in ran):
            return PillarScore(None, None, None, "the pillar's checks failed on this page", 0.0)
        hook = score_hook(pillar, "page_score", modules)
        if hook is not None:
            return _from_hook(hook, page, model, 1.0)
        failing = _site_failing(pillar, [page], [], model)
        return _generic(pillar, failing, any(f.pillar == pillar for f in page.findings), model, 1.0)
    return _overall(_each_pillar(list(run_checks), score, modules), model)


def site_scorecard(run: RunRecord, origin: str, *, modules: Modules | None = None) -> Scorecard:
    """One site's scorecard in one run, from its stored page and site results."""
    model = scoring_model()
    pages = [p for p in run.pages if p.site == origin]
    scanned = [p for p in pages if p.outcome == "scanned"]
    wall = blocked_reason(run, origin)
    if wall:
        return Scorecard(None, None, wall)
    if not scanned:
        return Scorecard(None, None, f"not scored: {_why_not_scanned(run, origin, pages)}")
    run_checks = list(run.versions.get("checks", {}))
    site_findings = run.site_findings.get(origin, [])
    view = SiteView.of(run, origin)
    page_check_ids = {c.id for c in all_checks(modules)}

    def score(pillar: str, ran: list[str]) -> PillarScore:
        page_checks = [cid for cid in ran if cid in page_check_ids]
        working = [p for p in scanned if not page_checks or not all(_errored(p, cid) for cid in page_checks)]
        coverage = round(len(working) / len(scanned), 3)
        if not working:
            return PillarScore(None, None, None, "the pillar's checks failed on every page", 0.0)
        if not page_checks and all(cid in run.site_errors.get(origin, {}) for cid in ran):
            return PillarScore(None, None, None, "the pillar's site checks failed", coverage)
        hook = score_hook(pillar, "site_score", modules)
        if hook is not None:
            return _from_hook(hook, view, model, coverage)
        failing = _site_failing(pillar, working, site_findings, model)
        any_findings = any(f.pillar == pillar for p in working for f in p.findings) or \
            any(f.pillar == pillar for f in site_findings)
        return _generic(pillar, failing, any_findings, model, coverage)
    return _overall(_each_pillar(run_checks, score, modules), model)


def _site_failing(pillar: str, pages: list[PageResult], site_findings: list[Finding],
                  model: ScoringModel) -> dict[str, tuple[str | None, float]]:
    """check id -> (worst impact, share of the pillar's working pages with a failure of it)."""
    affected: dict[str, set[str]] = {}
    impacts: dict[str, list[str | None]] = {}
    for page in pages:
        for f in page.findings:
            if f.pillar == pillar and f.outcome == "fail":
                affected.setdefault(f.check, set()).add(page.url)
                impacts.setdefault(f.check, []).append(f.impact)
    failing = {cid: (_worst(impacts[cid], model), len(urls) / len(pages)) for cid, urls in affected.items()}
    for f in site_findings:
        if f.pillar == pillar and f.outcome == "fail":
            previous = failing.get(f.check, (None, 0.0))[0]
            failing[f.check] = (_worst([previous, f.impact], model), 1.0)
    return failing


def _overall(pillars: dict[str, PillarScore], model: ScoringModel) -> Scorecard:
    scored = {name: p.score for name, p in pillars.items() if p.score is not None}
    if not scored:
        return Scorecard(None, None, "not scored: no pillar could be assessed", pillars)
    weights = {name: model.pillar_weights.get(name, 1.0) for name in scored}
    total = sum(weights.values())
    score = round(sum(scored[n] * weights[n] for n in scored) / total, 1) if total else None
    return Scorecard(score, model.grade(score), None, pillars)


def blocked_reason(run: RunRecord, origin: str) -> str | None:
    """Why a site behind a bot wall is not scored, or None. Scoring what a wall let through would
    score the wall (never 0, never 100: the site was not seen)."""
    note = next((s for s in run.sites if s.get("origin") == origin), {})
    blocked = note.get("blocked")
    if not blocked:
        return None
    vendors = f" ({', '.join(blocked['vendors'])} challenge)" if blocked.get("vendors") else ""
    return (f"blocked: the site refuses automated visits{vendors}; {blocked['refused']} of "
            f"{blocked['answers']} answers refused the scanner")


def _errored(page: PageResult, check_id: str) -> bool:
    return check_id in page.check_errors


def _why_not_scanned(run: RunRecord, origin: str, pages: list[PageResult]) -> str:
    note = next((s for s in run.sites if s.get("origin") == origin), {})
    robots = note.get("robots")
    if robots and robots != "read":
        return str(robots)
    reasons = sorted({p.reason for p in pages if p.reason})
    if reasons:
        return "; ".join(reasons[:3])
    return "no page could be scanned"

