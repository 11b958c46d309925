"""The command line: `accesscheck scan`, `rescore`, `report`, `diff`, `demo`, `serve-demo`.

Only this module prints. Errors are one sentence on stderr and exit code 1 (a traceback only with
--debug); exit code 2 means failing findings at or above --fail-on (not in the --baseline), or a
site below --min-score; 0 means none.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from accesscheck import __version__
from accesscheck.baseline import gate_failures, load_baseline, write_baseline
from accesscheck.config import ScanConfig, build_config, load_scan_file, read_url_file, sites_from_urls
from accesscheck.conformance import STANDARDS
from accesscheck.crawl.resume import resumable_config
from accesscheck.engine import BROWSER_NAMES, ENGINES
from accesscheck.errors import AccesscheckError, ConfigError
from accesscheck.history import diff_runs
from accesscheck.model import IMPACTS, DocumentResult, PageResult
from accesscheck.report.csv_report import write_csv
from accesscheck.report.earl import write_earl
from accesscheck.report.json_report import write_json
from accesscheck.report.junit import write_junit
from accesscheck.report.sarif import write_sarif
from accesscheck.report.site import build_site
from accesscheck.report.terminal import print_summary
from accesscheck.rescore import rescore
from accesscheck.scan import ScanEvents, new_run_id, scan
from accesscheck.score import stored_site_scorecard
from accesscheck.store import RunRecord, Store

DEFAULT_DB = "sqlite:///reports/accesscheck.db"
err = Console(stderr=True, highlight=False)
# Off a terminal (CI logs, pipes) rich would wrap tables at 80 columns; give them room.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _scan_options(function: Any) -> Any:
    options = [
        click.option("--urls", "url_file", type=click.Path(path_type=Path), help="File with one URL a line."),
        click.option("--max-pages", type=int, help="Pages per site (default 50; with --depth 0, every given URL)."),
        click.option("--max-documents", type=int, help="Linked documents recorded per site (default 100)."),
        click.option("--depth", type=int, help="Link hops from the seeds; 0 = only the given URLs (default 3)."),
        click.option("--concurrency", type=int, help="Pages checked at once (default: CPU count)."),
        click.option("--per-host-concurrency", type=int, help="Pages at once on one host (default 4)."),
        click.option("--delay", type=float, help="Seconds between two page starts on one host (default 0)."),
        click.option("--page-timeout", type=float, help="Seconds allowed for one page (default 30)."),
        click.option("--include", multiple=True, help="Regex a URL must match (repeatable)."),
        click.option("--exclude", multiple=True, help="Regex of URLs not to crawl (repeatable)."),
        click.option("--allow-host", "allow_hosts", multiple=True, help="Another host that is part of the site; *.example.gov works."),
        click.option("--ignore-robots", is_flag=True, default=None, help="Do not honour robots.txt (for a site's own team)."),
        click.option("--no-sitemaps", is_flag=True, default=None, help="Do not read sitemaps."),
        click.option("--countries", help="Countries (ISO codes, comma-separated) to cost a service in, besides the portal's own."),
        click.option("--income-file", type=click.Path(), help="CSV iso2,gni_per_capita_usd,source for incomes ITU does not give."),
        click.option("--probes", type=click.Choice(["none", "fast", "all"]),
                     help="Interaction probes: none, fast (no key presses, no second load) or all (default)."),
        click.option("--user-agent", help="User-Agent header (default: Chromium's, plus accesscheck/VERSION)."),
        click.option("--browser", type=click.Choice(list(ENGINES)),
                     help="Browser engine: playwright (local Chromium, default) or selenium (local chromedriver)."),
        click.option("--grid", metavar="URL", help="Drive the browsers of this Selenium Grid 4 (or any WebDriver endpoint); implies --browser selenium."),
        click.option("--browser-name", type=click.Choice(list(BROWSER_NAMES)), help="The browser Selenium asks for (default chrome)."),
        click.option("--standard", type=click.Choice(list(STANDARDS)), help="Conformance target: the WCAG version and level checked and scored (default wcag22aa; wcag21aa = EN 301 549, wcag20aa = Section 508)."),
        click.option("--contact", help="URL or mailto: where site owners can reach you; sent as accesscheck/VERSION (+URL)."),
        click.option("--memory-limit", "memory_limit_mb", type=int, help="MB one tab may use before it is stopped (default 1024)."),
        click.option("--fail-on", type=click.Choice([*IMPACTS, "none"]), help="Exit 2 on failing findings of this impact or worse (default minor)."),
        click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL)."),
        click.option("--min-score", type=click.FloatRange(0, 100), help="Exit 2 when a site scores below this (0-100) or cannot be scored."),
        click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Fail only on failing findings not in this baseline file."),
        click.option("--update-baseline", is_flag=True, help="Write the run's failing findings to the --baseline file (exit 0)."),
        click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the results JSON here."),
        click.option("--html", "html_dir", type=click.Path(path_type=Path), help="Write the report site (static HTML) into this directory."),
        click.option("--sarif", "sarif_path", type=click.Path(path_type=Path), help="Write SARIF 2.1.0 here (code-scanning dashboards)."),
        click.option("--junit", "junit_path", type=click.Path(path_type=Path), help="Write JUnit XML here (CI test reports)."),
        click.option("--earl", "earl_path", type=click.Path(path_type=Path), help="Write EARL 1.0 JSON-LD here (the format of W3C ACT implementation reports)."),
        click.option("--csv", "csv_dir", type=click.Path(path_type=Path), help="Write pages.csv and findings.csv into this directory."),
        click.option("--save-snapshots", type=click.Path(path_type=Path), help="Keep each page's snapshot (gzipped JSON) here."),
        click.option("--quiet", is_flag=True, help="No progress, only the summary."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group()
@click.version_option(__version__, prog_name="accesscheck")
def main() -> None:
    """Check government portals for the digital divide."""


@main.command("scan")
@click.argument("targets", nargs=-1)
@click.option("--resume", "resume_id", metavar="RUN_ID", help="Continue this stale or interrupted run (in --db) with its own settings.")
@_scan_options
def scan_command(targets: tuple[str, ...], url_file: Path | None, db: str, json_path: Path | None,
                 html_dir: Path | None, sarif_path: Path | None, junit_path: Path | None,
                 csv_dir: Path | None, earl_path: Path | None, baseline_path: Path | None, update_baseline: bool,
                 save_snapshots: Path | None, quiet: bool, debug: bool, resume_id: str | None,
                 **flags: Any) -> None:
    """Scan TARGETS: URLs and/or scan files (TOML, e.g. scans/national.toml)."""
    if resume_id and (targets or url_file or _flag_options(flags)):
        _fail("--resume continues a run with the settings it was started with; give it no URLs, scan files or scan options.")
    def build() -> ScanConfig:
        return _build_config(targets, url_file, flags)
    if update_baseline and baseline_path is None:
        _fail("--update-baseline needs --baseline FILE to say where to write it.")
    outputs = _Outputs(json=json_path, html=html_dir, sarif=sarif_path, junit=junit_path, csv=csv_dir, earl=earl_path)
    _run(build, db=db, outputs=outputs, snapshot_dir=save_snapshots, quiet=quiet, debug=debug,
         baseline=baseline_path, update_baseline=update_baseline, resume_id=resume_id)


def _build_config(targets: tuple[str, ...], url_file: Path | None, flags: dict[str, Any]) -> ScanConfig:
    urls = [t for t in targets if not t.endswith(".toml")]
    files_ = [Path(t) for t in targets if t.endswith(".toml")]
    if url_file:
        urls += read_url_file(url_file)
    sites, options = sites_from_urls(urls), {}
    for path in files_:
        file_sites, file_options = load_scan_file(path)
        sites += file_sites
        options.update(file_options)
    return build_config(sites, {**options, **_flag_options(flags)})


def _flag_options(flags: dict[str, Any]) -> dict[str, Any]:
    options = {k: v for k, v in flags.items() if v not in (None, ())}
    if "countries" in options:
        options["countries"] = [c.strip().upper() for c in options["countries"].split(",") if c.strip()]
    for key in ("include", "exclude", "allow_hosts"):
        if key in options:
            options[key] = list(options[key])
    if options.pop("ignore_robots", None):
        options["respect_robots"] = False
    if options.pop("no_sitemaps", None):
        options["use_sitemaps"] = False
    return options


@main.command("report")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Directory for the report site.")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL).")
@click.option("--run", "run_ids", multiple=True, help="Report these runs (repeatable); default: the newest run of every portal.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def report_command(out: Path, db: str, run_ids: tuple[str, ...], debug: bool) -> None:
    """Write the report site (league table, a page per portal and per check) from the store."""
    def work() -> None:
        files_ = build_site(Store(db), out, run_ids=list(run_ids) or None)
        err.print(Text(f"Report site: {files_.index} ({len(files_.portals)} portals, {len(files_.checks)} checks)"))
    _guarded(work, debug)


@main.command("diff")
@click.argument("run_a")
@click.argument("run_b")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the diff as JSON here.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def diff_command(run_a: str, run_b: str, db: str, json_path: Path | None, debug: bool) -> None:
    """List failing findings new in RUN_B, fixed since RUN_A, and unchanged, by fingerprint."""
    def work() -> None:
        store = Store(db)
        result = diff_runs(store.load_run(run_a), store.load_run(run_b))
        for title, entries in (("New", result.new), ("Fixed", result.fixed)):
            table = Table(title=f"{title} since {run_a}: {len(entries)}", title_justify="left")
            for column in ("impact", "check", "page", "element"):
                table.add_column(column)
            for e in entries:
                table.add_row(e.impact or "", Text(e.check), Text(e.url), Text(e.selector or ""))
            out.print(table)
        out.print(Text(f"Unchanged: {len(result.unchanged)}"))
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    _guarded(work, debug)


@main.command("rescore")
@click.argument("source")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL).")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the new run's results JSON here.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def rescore_command(source: str, db: str, json_path: Path | None, debug: bool) -> None:
    """Re-run today's checks and scoring on the saved snapshots of run SOURCE (or of the snapshot
    folder SOURCE), without a browser; the result is a new run, linked to the old one."""
    def work() -> None:
        store = Store(db)
        run = store.load_run(rescore(store, source))
        print_summary(run, out)
        err.print(Text(f"Run {run.id}: {source} rescored with accesscheck {__version__}"))
        if json_path:
            write_json(run, json_path)
            err.print(Text(f"JSON results: {json_path}"))
    _guarded(work, debug)


@main.command("runs")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def runs_command(db: str, debug: bool) -> None:
    """List the runs in the store, newest last, with their status and page counts. A run whose
    process died shows as `stale`: continue it with `accesscheck scan --resume RUN_ID`."""
    def work() -> None:
        infos = Store(db).list_runs()
        table = Table(title=f"Runs in {Store.display_url(db)}: {len(infos)}", title_justify="left")
        for column in ("run", "status", "started", "finished", "portals", "scanned", "failed", "skipped", "heartbeat"):
            table.add_column(column, justify="right" if column in ("portals", "scanned", "failed", "skipped") else "left")
        for info in infos:
            beat = f"{info.heartbeat_age:.0f} s ago" if info.heartbeat_age is not None and info.status in ("running", "stale") else ""
            table.add_row(info.id, info.status, info.started[:19], (info.finished or "")[:19], str(len(info.origins)),
                          *(str(info.pages.get(k, 0)) for k in ("scanned", "failed", "skipped")), beat)
        out.print(table)
        stale = [i.id for i in infos if i.status in ("stale", "interrupted")]
        if stale:
            err.print(Text(f"Incomplete: {', '.join(stale)}; continue one with: accesscheck scan --resume RUN_ID --db {db}"))
    _guarded(work, debug)


# -- distributed: Celery workers on Redis, one PostgreSQL store (docs/distributed.md) ------------
_BROKER = click.option("--broker", required=True, help="Celery broker: redis://HOST:PORT/0.")


def _celery() -> Any:
    try:
        import accesscheck.distributed as distributed
    except ModuleNotFoundError as exc:
        raise ConfigError(f"Distributed scans need Celery and Redis ({exc.name} is missing): "
                          "pip install 'accesscheck[distributed]'.") from None
    return distributed


def _reach_broker(app: Any) -> None:
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:
        raise ConfigError(f"Cannot reach the broker {app.conf.broker_url}: {exc}.") from None


@main.command("worker")
@_BROKER
@click.option("--db", required=True, help="The shared results store: postgresql+psycopg://USER@HOST/DB.")
@click.option("--concurrency", type=click.IntRange(1), help="Pages checked at once (default: CPU count).")
@click.option("--visibility-timeout", type=click.FloatRange(1), default=3600, show_default=True,
              help="Seconds after which a killed worker's portal goes to another worker; longer than any portal scan.")
@click.option("--loglevel", default="WARNING", show_default=True, help="Celery's log level.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def worker_command(broker: str, db: str, concurrency: int | None, visibility_timeout: float, loglevel: str,
                   debug: bool) -> None:
    """Scan portals submitted to BROKER, one at a time, with this worker's own Chromium."""
    def work() -> None:
        celery = _celery()
        celery.require_shared_store(db)
        Store(db).close()  # a store that cannot be opened stops the worker before it takes a task
        app = celery.configure(broker, db=db, visibility_timeout=visibility_timeout, concurrency=concurrency)
        _reach_broker(app)
        app.worker_main(["worker", "--pool=solo", f"--loglevel={loglevel}", "--without-gossip",
                         "--without-mingle", f"--hostname=accesscheck-{os.getpid()}@%h"])
    _guarded(work, debug)


@main.command("submit")
@click.argument("targets", nargs=-1)
@_BROKER
@click.option("--wait", is_flag=True, help="Show progress until the run ends, then write the outputs and exit as `scan` does.")
@_scan_options
def submit_command(targets: tuple[str, ...], broker: str, wait: bool, url_file: Path | None, db: str,
                   json_path: Path | None, html_dir: Path | None, sarif_path: Path | None,
                   junit_path: Path | None, csv_dir: Path | None, earl_path: Path | None,
                   baseline_path: Path | None, update_baseline: bool, save_snapshots: Path | None,
                   quiet: bool, debug: bool, **flags: Any) -> None:
    """Queue a portfolio (TARGETS as for `scan`) as one run, one task a portal, for the workers."""
    outputs = _Outputs(json=json_path, html=html_dir, sarif=sarif_path, junit=junit_path, csv=csv_dir, earl=earl_path)
    if not wait and any((json_path, html_dir, sarif_path, junit_path, csv_dir, earl_path)):
        _fail("Output files are written when the run ends: add --wait, or use `accesscheck report` later.")
    if save_snapshots:
        _fail("--save-snapshots keeps files on the machine that checks a page; it is for a local `scan` only.")
    state: dict[str, Any] = {}

    def work() -> None:
        config = _build_config(targets, url_file, flags)
        celery = _celery()
        celery.require_shared_store(db)
        store = Store(db)
        app = celery.configure(broker, db=db)
        _reach_broker(app)
        run_id = celery.submit(config, store)
        err.print(Text(f"Submitted run {run_id}: {len(config.sites)} portal(s). "
                       f"Follow it with: accesscheck status {run_id} --db {Store.display_url(db)}"))
        state.update(config=config, store=store, run_id=run_id)
    _guarded(work, debug)
    if not wait:
        return
    store, run_id, config = state["store"], state["run_id"], state["config"]
    accepted = load_baseline(baseline_path) if baseline_path and not update_baseline else frozenset()
    try:
        _follow(store, run_id, config, quiet)
    except KeyboardInterrupt:
        _fail(f"Stopped waiting; run {run_id} goes on on the workers (accesscheck status {run_id}).")
    _conclude(store.load_run(run_id), store, config, [], outputs, debug=debug, accepted=accepted,
              baseline=baseline_path, update_baseline=update_baseline)


def _follow(store: Store, run_id: str, config: ScanConfig, quiet: bool) -> None:
    """Pages done per portal, from the store, until the run is no longer running."""
    budgets = {s.seeds[0]: config.pages_budget(s) for s in config.sites}
    total = sum(budgets.values())
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal, transient=True)
    task = progress.add_task("portals", total=total)
    last = ""
    with progress:
        while True:
            states = store.portal_states(run_id)
            finished = [p for p in states if p.status in ("done", "failed")]
            pages_done = sum(p.pages_done for p in states)
            line = f"portals {len(finished)}/{len(states)} finished, pages {pages_done} checked"
            progress.update(task, completed=min(pages_done, total), description=f"{len(finished)}/{len(states)} portals")
            if line != last and not quiet and not err.is_terminal:
                err.print(Text(line))
                last = line
            if store.run_status(run_id) != "running":
                return
            time.sleep(1)


@main.command("status")
@click.argument("run_id")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def status_command(run_id: str, db: str, debug: bool) -> None:
    """Show how far RUN_ID has got: its status and, for a distributed run, each portal's."""
    def work() -> None:
        store = Store(db)
        info = next((i for i in store.list_runs() if i.id == run_id), None)
        if info is None:
            raise ConfigError(f"There is no run {run_id!r} in {Store.display_url(db)}.")
        out.print(Text(f"Run {run_id}: {info.status}; pages {info.pages.get('scanned', 0)} scanned, "
                       f"{info.pages.get('failed', 0)} failed, {info.pages.get('skipped', 0)} skipped"))
        states = store.portal_states(run_id)
        if not states:
            return
        table = Table(title=f"Portals: {sum(p.status in ('done', 'failed') for p in states)}/{len(states)} finished",
                      title_justify="left")
        for column in ("portal", "status", "pages", "attempts", "worker", "heartbeat", "reason"):
            table.add_column(column)
        for p in states:
            beat = f"{p.heartbeat_age:.0f} s ago" if p.heartbeat_age is not None and p.status in ("running", "stale") else ""
            table.add_row(Text(p.origin), p.status, str(p.pages_done), str(p.attempts), p.owner or "", beat, Text(p.reason or ""))
        out.print(table)
    _guarded(work, debug)


@main.command("beat")
@click.argument("scan_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_BROKER
@click.option("--state", "state_file", type=click.Path(path_type=Path), default=Path("reports/celerybeat-schedule"),
              show_default=True, help="Where Celery beat keeps when each schedule last ran.")
@click.option("--loglevel", default="WARNING", show_default=True, help="Celery's log level.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def beat_command(scan_files: tuple[Path, ...], broker: str, state_file: Path, loglevel: str, debug: bool) -> None:
    """Submit the scan files' portfolios on their `schedule` (cron), through the workers, until stopped."""
    def work() -> None:
        celery = _celery()
        from accesscheck.distributed.schedule import scheduled_scans
        entries = [entry for path in scan_files for entry in scheduled_scans(path)]
        if not entries:
            raise ConfigError("None of these scan files has a schedule; add schedule = \"0 2 * * 1\" to [scan] or a [[portal]].")
        app = celery.configure(broker)
        _reach_broker(app)
        app.conf.beat_schedule = {e.name: {"task": "accesscheck.submit_portfolio", "schedule": e.schedule,
                                           "args": (e.config.to_dict(),)} for e in entries}
        state_file.parent.mkdir(parents=True, exist_ok=True)
        for e in entries:
            err.print(Text(f"Scheduled: {e.name} ({len(e.config.sites)} portal(s)) {e.schedule}"))
        app.Beat(schedule=str(state_file), loglevel=loglevel, quiet=True).run()
    _guarded(work, debug)


def _guarded(work: Any, debug: bool) -> None:
    """Run a command body: one-sentence errors, a traceback only with --debug."""
    try:
        work()
    except AccesscheckError as exc:
        if debug:
            raise
        _fail(str(exc))
    except Exception as exc:  # the tool's own bug
        if debug:
            raise
        _fail(f"accesscheck stopped on an unexpected error ({type(exc).__name__}: {exc}); rerun with --debug and report it.")


@main.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports/demo"), show_default=True)
@click.option("--quiet", is_flag=True)
@click.option("--debug", is_flag=True)
def demo_command(out: Path, quiet: bool, debug: bool) -> None:
    """Serve the bundled sample portal on 127.0.0.1 and scan it, with no network at all."""
    from accesscheck.demo import serve_demo

    with serve_demo() as server:
        err.print(f"Serving the demo portal at {server.origin}/")
        code = _run(lambda: build_config(sites_from_urls([server.origin + "/"]),
                                         {"max_pages": 60, "depth": 5, "loopback_only": True}),
                    db=f"sqlite:///{out}/accesscheck.db",
                    outputs=_Outputs(json=out / "results.json", html=out / "site"),
                    snapshot_dir=None, quiet=quiet, debug=debug, exit_on_findings=False)
    err.print(f"Results: {out}/results.json, {out}/accesscheck.db and the report site {out}/site/index.html")
    sys.exit(code)


@main.command("serve-demo")
@click.option("--port", type=int, default=8000, show_default=True)
def serve_demo_command(port: int) -> None:
    """Serve the demo portal on 127.0.0.1 until Ctrl-C (scan it with scans/demo.toml)."""
    from accesscheck.demo import serve_demo

    try:
        with serve_demo(port=port) as server:
            err.print(f"Serving the demo portal at {server.origin}/ (Ctrl-C stops)")
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except OSError as exc:
        _fail(f"Cannot listen on 127.0.0.1:{port}: {exc.strerror}.")


@dataclass(frozen=True, slots=True)
class _Outputs:
    json: Path | None = None
    html: Path | None = None
    sarif: Path | None = None
    junit: Path | None = None
    csv: Path | None = None
    earl: Path | None = None


def _run(build: Any, *, db: str, outputs: _Outputs, snapshot_dir: Path | None, quiet: bool,
         debug: bool, exit_on_findings: bool = True, baseline: Path | None = None,
         update_baseline: bool = False, resume_id: str | None = None) -> int:
    try:
        if resume_id:
            store = Store(db)
            config, run_id = resumable_config(store, resume_id), resume_id
        else:
            config = build()
            store = Store(db)
            run_id = new_run_id()
        _announce_cuts(config)
        accepted = load_baseline(baseline) if baseline and not update_baseline else frozenset()
        events = _ConsoleEvents(quiet)
        try:
            with events.progress:
                outcome = asyncio.run(_scan_main(config, store, events, snapshot_dir, run_id, bool(resume_id)))
        except KeyboardInterrupt:
            run = store.load_run(run_id)
            kept = sum(1 for p in run.pages if p.outcome != "skipped")
            _fail(f"Interrupted: {kept} checked pages are kept in run {run_id} in {db}; "
                  f"continue it with: accesscheck scan --resume {run_id} --db {db}")
        run = store.load_run(outcome.run_id)
    except AccesscheckError as exc:
        if debug:
            raise
        _fail(str(exc))
    except Exception as exc:  # the tool's own bug: one sentence, traceback with --debug
        if debug:
            raise
        _fail(f"accesscheck stopped on an unexpected error ({type(exc).__name__}: {exc}); rerun with --debug and report it.")
    return _conclude(run, store, config, outcome.notes, outputs, debug=debug, accepted=accepted,
                     baseline=baseline, update_baseline=update_baseline, exit_on_findings=exit_on_findings)


def _conclude(run: RunRecord, store: Store, config: ScanConfig, notes: list[str], outputs: _Outputs, *,
              debug: bool, accepted: frozenset[str], baseline: Path | None, update_baseline: bool,
              exit_on_findings: bool = True) -> int:
    """The end of `scan` and `submit --wait`: summary, output files, baseline, the gate's exit code."""
    print_summary(run, out)
    for note in notes:
        err.print(Text(f"Note: {note}"), soft_wrap=True)
    _guarded(lambda: _write_outputs(run, outputs, store), debug)
    if not any(p.outcome == "scanned" for p in run.pages):
        _fail(_nothing_scanned(run))
    if update_baseline and baseline:
        count = write_baseline(run, baseline)
        err.print(Text(f"Baseline: {count} failing findings written to {baseline}"))
        return 0
    code = _exit_code(run, config.fail_on, config.min_score, accepted)
    if exit_on_findings:
        sys.exit(code)
    return 0


def _announce_cuts(config: ScanConfig) -> None:
    """Before the scan: which given URLs a page limit leaves out (they are recorded as skipped)."""
    for host, urls in config.cut_seeds().items():
        shown = ", ".join(urls[:20]) + (f" and {len(urls) - 20} more" if len(urls) > 20 else "")
        err.print(Text(f"Note: the page limit leaves {len(urls)} given URL(s) of {host} unchecked "
                       f"(raise --max-pages to check them): {shown}"), soft_wrap=True)


def _write_outputs(run: RunRecord, outputs: _Outputs, store: Store) -> None:
    writers = ((outputs.json, write_json, "JSON results"), (outputs.sarif, write_sarif, "SARIF"),
               (outputs.junit, write_junit, "JUnit XML"), (outputs.csv, write_csv, "CSV"),
               (outputs.earl, write_earl, "EARL (JSON-LD)"))
    for path, write, label in writers:
        if path:
            write(run, path)
            err.print(Text(f"{label}: {path}"))
    if outputs.html:
        files_ = build_site(store, outputs.html, run_ids=[run.id])
        err.print(Text(f"Report site: {files_.index}"))


async def _scan_main(config: ScanConfig, store: Store, events: ScanEvents, snapshot_dir: Path | None,
                     run_id: str, resume: bool) -> Any:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    return await scan(config, store, events=events, snapshot_dir=snapshot_dir, run_id=run_id, resume=resume)


def _nothing_scanned(run: RunRecord) -> str:
    reasons = sorted({p.reason or "" for p in run.pages})
    if not run.pages:
        return "No page could be scanned: nothing was in scope or allowed by robots.txt."
    return f"No page could be scanned ({'; '.join(reasons[:3])})."


def _exit_code(run: RunRecord, fail_on: str, min_score: float | None, baseline: frozenset[str]) -> int:
    """2 when a failing finding at or above `fail_on` is not in the baseline, or a site scores
    below `min_score` (a site that could not be scored fails it too: the gate cannot pass what it
    could not measure); otherwise 0. Says why on stderr."""
    failing = gate_failures(run, fail_on, baseline)
    low = []
    if min_score is not None:
        for origin in dict.fromkeys([*(s["origin"] for s in run.sites), *(p.site for p in run.pages)]):
            card = stored_site_scorecard(run, origin)
            if card.score is None or card.score < min_score:
                low.append(f"{origin} {card.score if card.score is not None else card.reason}")
    if failing:
        new = "new " if baseline else ""
        err.print(Text(f"Gate: {len(failing)} {new}failing finding(s) at {fail_on} or worse."))
    if low:
        err.print(Text(f"Gate: below --min-score {min_score:g}: {'; '.join(low)}."))
    return 2 if failing or low else 0


def _fail(message: str) -> None:
    err.print(Text(f"accesscheck: {message}"), style="red", soft_wrap=True)
    sys.exit(1)


class _ConsoleEvents(ScanEvents):
    """A progress bar on a terminal; one line a page otherwise (CI logs, pipes)."""

    def __init__(self, quiet: bool) -> None:
        super().__init__(page_done=self._page_done, document_done=self._document_done, queued=self._queued)
        self.quiet = quiet
        self.live = err.is_terminal and not quiet
        self.progress = Progress(TextColumn("[bold]scanning"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=err, disable=not self.live, transient=True)
        self.task = self.progress.add_task("", total=None)

    def _queued(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def _page_done(self, result: PageResult) -> None:
        if result.outcome != "skipped" or result.reason and "limit" not in result.reason:
            self.progress.advance(self.task)
        if self.live:
            self.progress.update(self.task, description=Text(result.url[-60:]).plain)
        elif not self.quiet:
            fails = sum(1 for f in result.findings if f.outcome == "fail")
            detail = f"{fails} failing" if result.outcome == "scanned" else result.reason or ""
            err.print(Text(f"{result.outcome:8} {result.url}  {detail}"), soft_wrap=True)

    def _document_done(self, result: DocumentResult) -> None:
        if not self.live and not self.quiet:
            size = f"{result.bytes} bytes" if result.bytes is not None else result.reason or ""
            err.print(Text(f"document {result.url}  {result.kind} {size}"), soft_wrap=True)


if __name__ == "__main__":
    main()
