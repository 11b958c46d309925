"""`accesscheck rescore`: today's checks and scoring on the snapshots of an earlier scan, without a
browser. New checks apply to old scans in seconds; the result is a new run in the store, with
its scorecards scored again, linked to the old one (its config records `rescore_of`, the snapshot
folder and `scan_date`, the day the pages were fetched: what the site checks judge dates by).

From a run id, the run's own record gives each page's place in the crawl (depth, how it was
found) and keeps the pages that were not scanned as they were; a scanned page whose snapshot is
missing is recorded as failed, with that reason. From a folder alone, every snapshot in it is one
scanned page, grouped into sites by origin.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from accesscheck.checks import Check, all_checks, scan_date
from accesscheck.conformance import Standard, in_target, of_run
from accesscheck.errors import ConfigError
from accesscheck.evaluate import evaluate_page, snapshot_name
from accesscheck.model import PageResult, PageSnapshot
from accesscheck.scan import evaluate_site, new_run_id, run_versions
from accesscheck.store import RunRecord, Store


def rescore(store: Store, source: str) -> str:
    """Rescore a run id or a snapshot folder; return the new run's id."""
    folder = Path(source)
    if folder.is_dir():
        old: RunRecord | None = None
    else:
        old = store.load_run(source)
        if not old.config.get("snapshot_dir"):
            raise ConfigError(f"Run {source} kept no snapshots; scan with --save-snapshots DIR to rescore it later.")
        folder = Path(old.config["snapshot_dir"])
        if not folder.is_dir():
            raise ConfigError(f"The snapshots of run {source} were kept in {folder}, which no longer exists.")
    snapshots = _read_snapshots(folder)
    if old is None and not snapshots:
        raise ConfigError(f"{folder} holds no snapshots (*.json.gz files written by scan --save-snapshots).")
    checks = all_checks()
    run_id = new_run_id()
    base = dict(old.config) if old else {"depth": 1}
    fetched = scan_date(old).isoformat() if old else _fetched_on(folder)
    store.start_run(run_id, {**base, "snapshot_dir": str(folder.resolve()), "rescore_of": old.id if old else None,
                             "scan_date": fetched},
                    {**run_versions(checks), **({"chromium": old.versions.get("chromium"), "axe-core": old.versions.get("axe-core")} if old else {})})
    try:
        pages = _pages_of(old, snapshots)
        target = of_run(base)
        store.update_run(run_id, sites=old.sites if old else [{"origin": o, "name": o} for o in dict.fromkeys(p.site for p in pages)])
        for page in pages:
            snapshot = snapshots.get(page.final_url or page.url) if page.outcome == "scanned" else None
            if snapshot is not None:
                page = _checked(page, snapshot, checks, target)
            elif page.outcome == "scanned":
                page = replace(page, outcome="failed", reason="no snapshot of this page was kept to re-check",
                               findings=[], facts={}, check_errors={})
            store.add_page(run_id, page)
        for document in old.documents if old else []:
            store.add_document(run_id, document)
        run = store.load_run(run_id)
        for origin in dict.fromkeys(p.site for p in run.pages):
            evaluate_site(store, run, origin)
    except BaseException as exc:
        store.finish_run(run_id, "error", str(exc) or type(exc).__name__)
        raise
    store.finish_run(run_id, "completed")
    return run_id


def _read_snapshots(folder: Path) -> dict[str, PageSnapshot]:
    """Snapshots by final URL; an unreadable file is an error that names it."""
    found = {}
    for path in sorted(folder.glob("*.json.gz")):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                snapshot = PageSnapshot.from_dict(json.load(fh))
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError(f"The snapshot {path} cannot be read ({type(exc).__name__}: {exc}).") from None
        if path.name != snapshot_name(snapshot):
            continue  # not one of ours
        found[snapshot.final_url] = snapshot
    return found


def _fetched_on(folder: Path) -> str:
    """The day the snapshots of a folder were written (the oldest file's), as the scan's date."""
    oldest = min(path.stat().st_mtime for path in folder.glob("*.json.gz"))
    return datetime.fromtimestamp(oldest, UTC).date().isoformat()


def _pages_of(old: RunRecord | None, snapshots: dict[str, PageSnapshot]) -> list[PageResult]:
    if old is not None:
        return list(old.pages)
    return [PageResult(url=s.url, site=_origin(s.final_url), outcome="scanned", final_url=s.final_url)
            for s in snapshots.values()]


#: Page metrics of the visit itself, not of the checks: kept from the old run.
_VISIT_METRICS = ("attempts", "retry_waits_s")


def _checked(page: PageResult, snapshot: PageSnapshot, checks: list[Check], target: Standard) -> PageResult:
    """The page as today's checks see its snapshot, for the run's conformance target."""
    evaluation = evaluate_page(snapshot, checks)
    visit = {k: page.metrics[k] for k in _VISIT_METRICS if k in page.metrics}
    return replace(page, final_url=snapshot.final_url, status=snapshot.status, title=snapshot.title,
                   lang=snapshot.lang, findings=in_target(evaluation.findings, target),
                   metrics={**evaluation.metrics, **visit},
                   facts=evaluation.facts, check_errors={**snapshot.gatherer_errors, **evaluation.errors})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
