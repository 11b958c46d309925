"""The results store: SQLAlchemy Core over SQLite by default; a PostgreSQL URL works the same.

Every page is committed as soon as it is checked and the run keeps its status, so Ctrl-C or a
crash loses at most the pages in flight, and an unfinished run is visible as such.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (JSON, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text,
                        create_engine, delete, event, func, insert, inspect, select, text, update)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from accesscheck.errors import StoreError
from accesscheck.lease import Lease, effective_status
from accesscheck.model import DocumentResult, Finding, PageResult

metadata = MetaData()
STORE_VERSION = "2"  # bumped on any change to the tables below

store_meta = Table(
    "accesscheck_meta", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", String(40), primary_key=True),
    Column("started", String(40), nullable=False),
    Column("finished", String(40)),
    Column("status", String(20), nullable=False),   # running | completed | interrupted | error
    Column("error", Text),
    Column("config", JSON, nullable=False),
    Column("versions", JSON, nullable=False),
    Column("sites", JSON, nullable=False),          # per-site config and notes (robots, sitemaps)
)

pages = Table(
    "pages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("site", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("status", Integer),
    Column("outcome", String(10), nullable=False),
    Column("reason", Text),
    Column("title", Text),
    Column("lang", String(40)),
    Column("depth", Integer, nullable=False),
    Column("found_via", String(20), nullable=False),
    Column("metrics", JSON, nullable=False),
    Column("check_errors", JSON, nullable=False),
    Column("facts", JSON, nullable=False),
    Column("checked_at", String(40), nullable=False),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("site", Text, nullable=False),
    Column("page_id", Integer, ForeignKey("pages.id"), nullable=True, index=True),  # null: site-level
    Column("check_id", String(120), nullable=False),
    Column("pillar", String(20), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("impact", String(10)),
    Column("wcag", JSON, nullable=False),
    Column("selector", Text),
    Column("snippet", Text),
    Column("message", Text, nullable=False),
    Column("help_url", Text),
    Column("fingerprint", String(64), nullable=False, index=True),
    Column("evidence", JSON, nullable=False),
)

site_results = Table(
    "site_results", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("site", Text, nullable=False),
    Column("data", JSON, nullable=False),           # what site checks report (channels, statement…)
    Column("check_errors", JSON, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("site", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("found_on", Text, nullable=False),
    Column("status", Integer),
    Column("content_type", Text),
    Column("bytes", Integer),
    Column("reason", Text),
    Column("properties", JSON, nullable=False),
)

# Added tables are created in older stores by create_all, so they need no store version bump.
leases = Table(
    "run_leases", metadata,
    Column("run_id", String(40), ForeignKey("runs.id"), primary_key=True),
    Column("owner", Text, nullable=False),          # host:pid of the process scanning the run
    Column("heartbeat", Float, nullable=False),     # Unix time of its last sign of life
)

visits = Table(
    "page_visits", metadata,
    Column("page_id", Integer, ForeignKey("pages.id"), primary_key=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("links", JSON, nullable=False),          # [[url, rank], ...]: rebuilds the frontier on resume
)

scorecards = Table(
    "scorecards", metadata,                         # computed once per run (score.py), read by every report
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), ForeignKey("runs.id"), nullable=False, index=True),
    Column("site", Text, nullable=False),
    Column("url", Text),                            # the page's URL; null: the site's scorecard
    Column("scorecard", JSON, nullable=False),
)

portals = Table(
    "run_portals", metadata,                        # the units of work of a distributed run
    Column("run_id", String(40), ForeignKey("runs.id"), primary_key=True),
    Column("origin", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("status", String(20), nullable=False),   # queued | running | done | failed
    Column("attempts", Integer, nullable=False),
    Column("reason", Text),
    Column("owner", Text),
    Column("heartbeat", Float),
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class RunRecord:
    """A run as read back from the store, for reports."""

    id: str
    started: str
    finished: str | None
    status: str
    error: str | None
    config: dict[str, Any]
    versions: dict[str, Any]
    sites: list[dict[str, Any]]
    pages: list[PageResult] = field(default_factory=list)
    documents: list[DocumentResult] = field(default_factory=list)
    site_findings: dict[str, list[Finding]] = field(default_factory=dict)   # by site origin
    site_data: dict[str, dict[str, Any]] = field(default_factory=dict)      # by site origin
    site_errors: dict[str, dict[str, str]] = field(default_factory=dict)    # by site origin
    scorecards: dict[str, dict[str, Any]] = field(default_factory=dict)     # the site's, by site origin
    page_scorecards: dict[str, dict[str, Any]] = field(default_factory=dict)  # by page URL


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run without its pages: enough to list history."""

    id: str
    started: str
    finished: str | None
    status: str
    origins: tuple[str, ...]
    pages: dict[str, int] = field(default_factory=dict)  # outcome -> count
    heartbeat_age: float | None = None                    # seconds since the last sign of life


@dataclass(frozen=True, slots=True)
class StoredPage:
    """What resuming a run needs of a page already stored: its keys, and its links if visited."""

    site: str
    url: str
    final_url: str | None
    depth: int
    links: list[tuple[str, int]] | None  # None: recorded without a visit (skipped by the frontier)


@dataclass(frozen=True, slots=True)
class PortalState:
    """One portal of a distributed run: its unit of work."""

    origin: str
    status: str          # queued | running | done | failed; running with a lapsed lease reads stale
    attempts: int
    reason: str | None
    owner: str | None
    heartbeat_age: float | None
    pages_done: int      # pages visited (scanned or failed) so far


@dataclass(frozen=True, slots=True)
class StoredDocument:
    site: str
    url: str
    fetched: bool


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"{url!r} is not a database URL; use e.g. sqlite:///reports/accesscheck.db.") from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url)
            if parsed.get_backend_name() == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.begin() as conn:
                if parsed.get_backend_name() == "postgresql":  # workers starting together create the tables once
                    conn.execute(text("SELECT pg_advisory_xact_lock(7318201)"))
                metadata.create_all(conn)
            self._check_version()
        except StoreError:
            raise
        except (SQLAlchemyError, ModuleNotFoundError) as exc:
            raise StoreError(f"Cannot open the results store {parsed.render_as_string(hide_password=True)}: "
                             f"{_short(exc)}.") from None

    def _check_version(self) -> None:
        """Refuse a store written by another version instead of failing mid-scan on a missing column."""
        inspector = inspect(self.engine)
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            if not {c.name for c in table.columns} <= present:
                raise StoreError(f"The results store {self.url} was written by an older version of accesscheck; "
                                 "use a new --db.")
        with self.engine.begin() as conn:
            row = conn.execute(select(store_meta.c.value).where(store_meta.c.key == "store_version")).first()
            if row is None:
                conn.execute(insert(store_meta).values(key="store_version", value=STORE_VERSION))
            elif row.value != STORE_VERSION:
                raise StoreError(f"The results store {self.url} was written by another version of accesscheck "
                                 f"(store version {row.value}, this one needs {STORE_VERSION}); use a new --db.")

    @staticmethod
    def display_url(url: str) -> str:
        """The URL without its password, for messages."""
        try:
            return make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            return url

    def close(self) -> None:
        self.engine.dispose()

    def _write(self, *statements: Any) -> Any:
        try:
            with self.engine.begin() as conn:
                result = None
                for statement in statements:
                    result = conn.execute(statement)
                return result
        except SQLAlchemyError as exc:
            raise StoreError(f"Cannot write to the results store: {_short(exc)}.") from None

    def start_run(self, run_id: str, config: dict[str, Any], versions: dict[str, Any],
                  sites: list[dict[str, Any]] | None = None) -> None:
        self._write(insert(runs).values(id=run_id, started=now(), status="running", config=config,
                                        versions=versions, sites=sites or []))

    def reopen_run(self, run_id: str) -> None:
        """Mark a stale or interrupted run as running again, for `scan --resume`."""
        self.update_run(run_id, status="running", error=None, finished=None)

    def beat(self, run_id: str, owner: str) -> None:
        """The heartbeat of the process working on `run_id` (lease.py)."""
        stamp = time.time()
        with self.engine.begin() as conn:
            if not conn.execute(update(leases).where(leases.c.run_id == run_id)
                                .values(owner=owner, heartbeat=stamp)).rowcount:
                conn.execute(insert(leases).values(run_id=run_id, owner=owner, heartbeat=stamp))

    def lease(self, run_id: str) -> Lease | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(leases).where(leases.c.run_id == run_id)).first()
        return Lease(row.owner, row.heartbeat) if row else None

    def merge_site_notes(self, run_id: str, notes: list[dict[str, Any]]) -> None:
        """Replace the notes of these sites, keep the others (workers of one run each add theirs)."""
        try:
            with self.engine.begin() as conn:
                current = conn.execute(select(runs.c.sites).where(runs.c.id == run_id).with_for_update()).scalar_one()
                by_origin = {n["origin"]: n for n in notes}
                merged = [by_origin.pop(n["origin"], n) for n in current or []] + list(by_origin.values())
                conn.execute(update(runs).where(runs.c.id == run_id).values(sites=merged))
        except SQLAlchemyError as exc:
            raise StoreError(f"Cannot write to the results store: {_short(exc)}.") from None

    def update_run(self, run_id: str, **values: Any) -> None:
        self._write(update(runs).where(runs.c.id == run_id).values(**values))

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        self.update_run(run_id, status=status, error=error, finished=now())

    def add_page(self, run_id: str, page: PageResult, links: list[tuple[str, int]] | None = None) -> None:
        """Commit one page with its findings (and, for a visited page, the links it offered to the
        frontier) in one transaction: a resumed run sees a page entirely or not at all."""
        try:
            with self.engine.begin() as conn:
                page_id = conn.execute(insert(pages).values(
                    run_id=run_id, site=page.site, url=page.url, final_url=page.final_url,
                    status=page.status, outcome=page.outcome, reason=page.reason, title=page.title,
                    lang=page.lang, depth=page.depth, found_via=page.found_via, metrics=page.metrics,
                    check_errors=page.check_errors, facts=page.facts, checked_at=now(),
                )).inserted_primary_key
                assert page_id is not None
                page_id = page_id[0]
                if page.findings:
                    conn.execute(insert(findings), _finding_rows(run_id, page.site, page_id, page.findings))
                if links is not None:
                    conn.execute(insert(visits).values(page_id=page_id, run_id=run_id,
                                                       links=[list(link) for link in links]))
        except SQLAlchemyError as exc:
            raise StoreError(f"Cannot write to the results store: {_short(exc)}.") from None

    def add_site_result(self, run_id: str, site: str, site_findings: list[Finding], data: dict[str, Any],
                        check_errors: dict[str, str]) -> None:
        """Replaces what an earlier evaluation of this site in this run stored (a resumed or
        redelivered portal is evaluated again)."""
        statements: list[Any] = [
            delete(site_results).where(site_results.c.run_id == run_id, site_results.c.site == site),
            delete(findings).where(findings.c.run_id == run_id, findings.c.site == site, findings.c.page_id.is_(None)),
            insert(site_results).values(run_id=run_id, site=site, data=data, check_errors=check_errors)]
        if site_findings:
            statements.append(insert(findings).values(_finding_rows(run_id, site, None, site_findings)))
        self._write(*statements)

    def add_scorecards(self, run_id: str, site: str, site_card: dict[str, Any],
                       page_cards: dict[str, dict[str, Any]]) -> None:
        """The site's scorecard and its pages', as score.py computed them once for this run;
        replaces an earlier scoring of the site in this run (a resumed or rescored site)."""
        rows = [{"run_id": run_id, "site": site, "url": None, "scorecard": site_card},
                *({"run_id": run_id, "site": site, "url": url, "scorecard": card} for url, card in page_cards.items())]
        self._write(delete(scorecards).where(scorecards.c.run_id == run_id, scorecards.c.site == site),
                    insert(scorecards).values(rows))

    def add_document(self, run_id: str, doc: DocumentResult) -> None:
        self._write(insert(documents).values(
            run_id=run_id, site=doc.site, url=doc.url, kind=doc.kind, found_on=doc.found_on,
            status=doc.status, content_type=doc.content_type, bytes=doc.bytes, reason=doc.reason,
            properties=doc.properties))

    # -- distributed runs: one row a portal ----------------------------------------------------
    def add_portals(self, run_id: str, origins: list[str]) -> None:
        self._write(insert(portals).values([{"run_id": run_id, "origin": o, "position": i, "status": "queued",
                                             "attempts": 0} for i, o in enumerate(origins)]))

    def start_portal(self, run_id: str, origin: str, owner: str) -> int:
        """Mark the portal taken by `owner`; returns how many times it has been taken, this one included."""
        where = (portals.c.run_id == run_id, portals.c.origin == origin)
        with self.engine.begin() as conn:
            conn.execute(update(portals).where(*where).values(
                status="running", attempts=portals.c.attempts + 1, owner=owner, heartbeat=time.time()))
            return conn.execute(select(portals.c.attempts).where(*where)).scalar_one()

    def beat_portal(self, run_id: str, origin: str, owner: str) -> None:
        self._write(update(portals).where(portals.c.run_id == run_id, portals.c.origin == origin)
                    .values(owner=owner, heartbeat=time.time()))

    def end_portal(self, run_id: str, origin: str, status: str, reason: str | None = None) -> None:
        self._write(update(portals).where(portals.c.run_id == run_id, portals.c.origin == origin)
                    .values(status=status, reason=reason, heartbeat=time.time()))

    def complete_if_done(self, run_id: str) -> bool:
        """Finish a distributed run once every portal is done or failed (whichever worker ends last)."""
        unfinished = (select(portals.c.origin).where(portals.c.run_id == run_id,
                                                     portals.c.status.not_in(("done", "failed"))).exists())
        result = self._write(update(runs).where(runs.c.id == run_id, runs.c.status == "running", ~unfinished)
                             .values(status="completed", finished=now()))
        return bool(result.rowcount)

    def portal_states(self, run_id: str) -> list[PortalState]:
        with self.engine.connect() as conn:
            done: dict[str, int] = dict(conn.execute(select(pages.c.site, func.count())
                                     .select_from(pages.join(visits, visits.c.page_id == pages.c.id))
                                     .where(pages.c.run_id == run_id).group_by(pages.c.site)).all())
            rows = conn.execute(select(portals).where(portals.c.run_id == run_id).order_by(portals.c.position)).all()
        states = []
        for r in rows:
            lease = Lease(r.owner, r.heartbeat) if r.owner and r.heartbeat else None
            status = "stale" if r.status == "running" and lease and lease.lapsed() else r.status
            states.append(PortalState(r.origin, status, r.attempts, r.reason, r.owner,
                                      lease.age() if lease else None, done.get(r.origin, 0)))
        return states

    def run_status(self, run_id: str) -> str:
        """The run's status without loading its pages (stale for a dead local run)."""
        with self.engine.connect() as conn:
            status = conn.execute(select(runs.c.status).where(runs.c.id == run_id)).scalar_one()
            lease_row = conn.execute(select(leases).where(leases.c.run_id == run_id)).first()
        return effective_status(status, Lease(lease_row.owner, lease_row.heartbeat) if lease_row else None)

    def run_config(self, run_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            config = conn.execute(select(runs.c.config).where(runs.c.id == run_id)).scalar()
        if config is None:
            raise StoreError(f"There is no run {run_id!r} in {self.display_url(self.url)}.")
        return config

    def run_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [row.id for row in conn.execute(select(runs.c.id).order_by(runs.c.started, runs.c.id))]

    def list_runs(self) -> list[RunInfo]:
        """Every run, oldest first, with the sites it covered and its page counts, without its
        pages (for history and `accesscheck runs`); a run whose process is gone is `stale`."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs.c.id, runs.c.started, runs.c.finished, runs.c.status, runs.c.sites)
                                .order_by(runs.c.started, runs.c.id)).all()
            page_sites: dict[str, set[str]] = {}
            for row in conn.execute(select(pages.c.run_id, pages.c.site).distinct()):
                page_sites.setdefault(row.run_id, set()).add(row.site)
            counts: dict[str, dict[str, int]] = {}
            for row in conn.execute(select(pages.c.run_id, pages.c.outcome, func.count().label("n"))
                                    .group_by(pages.c.run_id, pages.c.outcome)):
                counts.setdefault(row.run_id, {})[row.outcome] = row.n
            run_leases = {r.run_id: Lease(r.owner, r.heartbeat) for r in conn.execute(select(leases))}
        return [RunInfo(id=r.id, started=r.started, finished=r.finished,
                        status=effective_status(r.status, run_leases.get(r.id)),
                        origins=tuple(dict.fromkeys([*(s["origin"] for s in r.sites or []),
                                                     *sorted(page_sites.get(r.id, ()))])),
                        pages=counts.get(r.id, {}),
                        heartbeat_age=run_leases[r.id].age() if r.id in run_leases else None)
                for r in rows]

    def stored_pages(self, run_id: str, sites: list[str]) -> tuple[list[StoredPage], list[StoredDocument]]:
        """The pages and documents of these sites of a run so far, in the order they were stored (for resume)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(pages.c.site, pages.c.url, pages.c.final_url, pages.c.depth, visits.c.links)
                                .select_from(pages.outerjoin(visits, visits.c.page_id == pages.c.id))
                                .where(pages.c.run_id == run_id, pages.c.site.in_(sites)).order_by(pages.c.id)).all()
            docs = conn.execute(select(documents.c.site, documents.c.url, documents.c.reason)
                                .where(documents.c.run_id == run_id, documents.c.site.in_(sites))
                                .order_by(documents.c.id)).all()
        return ([StoredPage(r.site, r.url, r.final_url, r.depth,
                            None if r.links is None else [(u, int(rank)) for u, rank in r.links]) for r in rows],
                [StoredDocument(d.site, d.url, not (d.reason or "").startswith("not fetched:")) for d in docs])

    def load_run(self, run_id: str, sites: list[str] | None = None) -> RunRecord:
        """The run with its results; only those of `sites` (origins) when given, so a worker
        evaluating one portal of a large distributed run does not read all the others."""
        def of(table: Table) -> Any:
            return (table.c.run_id == run_id) if sites is None else ((table.c.run_id == run_id) & table.c.site.in_(sites))
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
            if row is None:
                raise StoreError(f"There is no run {run_id!r} in {self.url}.")
            lease_row = conn.execute(select(leases).where(leases.c.run_id == run_id)).first()
            status = effective_status(row.status, Lease(lease_row.owner, lease_row.heartbeat) if lease_row else None)
            record = RunRecord(id=row.id, started=row.started, finished=row.finished, status=status,
                               error=row.error, config=row.config, versions=row.versions, sites=row.sites)
            by_page: dict[int, list[Finding]] = {}
            for f in conn.execute(select(findings).where(of(findings)).order_by(findings.c.id)):
                finding = Finding(
                    check=f.check_id, pillar=f.pillar, outcome=f.outcome, message=f.message,
                    fingerprint=f.fingerprint, impact=f.impact, wcag=tuple(f.wcag), selector=f.selector,
                    snippet=f.snippet, help_url=f.help_url, evidence=tuple(f.evidence))
                if f.page_id is None:
                    record.site_findings.setdefault(f.site, []).append(finding)
                else:
                    by_page.setdefault(f.page_id, []).append(finding)
            for s in conn.execute(select(site_results).where(of(site_results)).order_by(site_results.c.id)):
                record.site_data[s.site] = s.data
                record.site_errors[s.site] = s.check_errors
            for c in conn.execute(select(scorecards).where(of(scorecards)).order_by(scorecards.c.id)):
                if c.url is None:
                    record.scorecards[c.site] = c.scorecard
                else:
                    record.page_scorecards[c.url] = c.scorecard
            for p in conn.execute(select(pages).where(of(pages)).order_by(pages.c.id)):
                record.pages.append(PageResult(
                    url=p.url, site=p.site, outcome=p.outcome, reason=p.reason, final_url=p.final_url,
                    status=p.status, title=p.title, lang=p.lang, depth=p.depth, found_via=p.found_via,
                    metrics=p.metrics, findings=by_page.get(p.id, []), check_errors=p.check_errors,
                    facts=p.facts))
            for d in conn.execute(select(documents).where(of(documents)).order_by(documents.c.id)):
                record.documents.append(DocumentResult(
                    url=d.url, site=d.site, kind=d.kind, found_on=d.found_on, status=d.status,
                    content_type=d.content_type, bytes=d.bytes, reason=d.reason, properties=d.properties))
        return record


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")   # readers (reports, tests) while a scan writes
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    cursor.close()


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _finding_rows(run_id: str, site: str, page_id: int | None, items: list[Finding]) -> list[dict[str, Any]]:
    return [{"run_id": run_id, "site": site, "page_id": page_id, "check_id": f.check, "pillar": f.pillar,
             "outcome": f.outcome, "impact": f.impact, "wcag": list(f.wcag), "selector": f.selector,
             "snippet": f.snippet, "message": f.message, "help_url": f.help_url,
             "fingerprint": f.fingerprint, "evidence": list(f.evidence)} for f in items]
