"""History across runs: a portal's score over time, and what changed between two runs.

Every run stays in the store. A trend reads each run's scorecard as it was stored when the run
was scored (its model is the run's `score_model` version; `accesscheck rescore` scores an old scan
with today's model); `diff` compares failing findings by fingerprint, so a problem
keeps its identity through harmless changes to the page (see fingerprint.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accesscheck.model import IMPACTS, Finding
from accesscheck.score import Scorecard, stored_site_scorecard
from accesscheck.store import RunRecord, Store

#: How many runs a trend shows: enough for a year of monthly scans, small enough for a page chart.
TREND_RUNS = 24


@dataclass(frozen=True, slots=True)
class TrendPoint:
    run_id: str
    started: str
    scorecard: Scorecard


def site_trend(store: Store, origin: str, *, limit: int = TREND_RUNS) -> list[TrendPoint]:
    """The portal's scorecard in each of its last `limit` completed runs, oldest first."""
    return site_trends(store, [origin], limit=limit)[origin]


def site_trends(store: Store, origins: list[str], *, limit: int = TREND_RUNS,
                load: Callable[[str], RunRecord] | None = None) -> dict[str, list[TrendPoint]]:
    """Trends of many portals, loading each run once (a portfolio run covers them all); `load`
    lets a caller that already holds some runs hand them over."""
    load = load or store.load_run
    completed = [info for info in store.list_runs() if info.status == "completed"]
    wanted = {o: [info for info in completed if o in info.origins][-limit:] for o in origins}
    needed = sorted({info.id: info for infos in wanted.values() for info in infos}.values(),
                    key=lambda i: (i.started, i.id))
    cards: dict[tuple[str, str], Scorecard] = {}
    for info in needed:
        run = load(info.id)
        for origin in origins:
            if origin in info.origins:
                cards[(info.id, origin)] = stored_site_scorecard(run, origin)
    return {o: [TrendPoint(i.id, i.started, cards[(i.id, o)]) for i in infos] for o, infos in wanted.items()}


def latest_runs(store: Store) -> dict[str, str]:
    """origin -> id of the newest run that covered it (completed ones first, so an interrupted
    rerun does not hide a complete picture; a portal only ever scanned in unfinished runs still
    appears, from its newest one)."""
    latest: dict[str, str] = {}
    infos = store.list_runs()
    for info in [i for i in infos if i.status != "completed"] + [i for i in infos if i.status == "completed"]:
        for origin in info.origins:
            latest[origin] = info.id
    return latest


@dataclass(frozen=True, slots=True)
class DiffEntry:
    fingerprint: str
    check: str
    impact: str | None
    url: str             # the page, or the site's origin for a site-level finding
    selector: str | None
    message: str


@dataclass(slots=True)
class RunDiff:
    run_a: str
    run_b: str
    new: list[DiffEntry] = field(default_factory=list)
    fixed: list[DiffEntry] = field(default_factory=list)
    unchanged: list[DiffEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        def rows(entries: list[DiffEntry]) -> list[dict[str, object]]:
            return [{"fingerprint": e.fingerprint, "check": e.check, "impact": e.impact, "url": e.url,
                     "selector": e.selector, "message": e.message} for e in entries]
        return {"run_a": self.run_a, "run_b": self.run_b, "new": rows(self.new),
                "fixed": rows(self.fixed), "unchanged": rows(self.unchanged)}


def failing_by_fingerprint(run: RunRecord) -> dict[str, DiffEntry]:
    """Every failing finding of a run (page and site level), keyed by fingerprint. "Needs review"
    items are left out: they are not failures."""
    entries: dict[str, DiffEntry] = {}

    def add(finding: Finding, url: str) -> None:
        if finding.outcome == "fail":
            entries.setdefault(finding.fingerprint, DiffEntry(
                finding.fingerprint, finding.check, finding.impact, url, finding.selector, finding.message))

    for page in run.pages:
        for finding in page.findings:
            add(finding, page.final_url or page.url)
    for origin, found in run.site_findings.items():
        for finding in found:
            add(finding, origin)
    return entries


def diff_runs(run_a: RunRecord, run_b: RunRecord) -> RunDiff:
    """What is new in B, fixed since A, and in both, by fingerprint; worst impact first."""
    before, after = failing_by_fingerprint(run_a), failing_by_fingerprint(run_b)

    def ordered(entries: list[DiffEntry]) -> list[DiffEntry]:
        return sorted(entries, key=lambda e: (IMPACTS.index(e.impact) if e.impact in IMPACTS else len(IMPACTS),
                                              e.check, e.url, e.fingerprint))

    return RunDiff(run_a=run_a.id, run_b=run_b.id,
                   new=ordered([after[k] for k in after.keys() - before.keys()]),
                   fixed=ordered([before[k] for k in before.keys() - after.keys()]),
                   unchanged=ordered([after[k] for k in after.keys() & before.keys()]))
