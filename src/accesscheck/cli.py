"""The command line: `accesscheck scan`, `accesscheck demo`, `accesscheck serve-demo`.

Only this module prints. Errors are one sentence on stderr and exit code 1 (a traceback only with
--debug); exit code 2 means failing findings at or above --fail-on; 0 means none.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from accesscheck import __version__
from accesscheck.config import ScanConfig, build_config, load_scan_file, read_url_file, sites_from_urls
from accesscheck.errors import AccesscheckError
from accesscheck.model import IMPACTS, DocumentResult, PageResult
from accesscheck.report.json_report import write_json
from accesscheck.report.terminal import print_summary
from accesscheck.scan import ScanEvents, new_run_id, scan
from accesscheck.store import RunRecord, Store

DEFAULT_DB = "sqlite:///reports/accesscheck.db"
err = Console(stderr=True, highlight=False)
# Off a terminal (CI logs, pipes) rich would wrap tables at 80 columns; give them room.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _scan_options(function: Any) -> Any:
    options = [
        click.option("--urls", "url_file", type=click.Path(path_type=Path), help="File with one URL a line."),
        click.option("--max-pages", type=int, help="Pages per site (default 50)."),
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
        click.option("--user-agent", help="User-Agent header (default: Chromium's, plus accesscheck/VERSION)."),
        click.option("--fail-on", type=click.Choice([*IMPACTS, "none"]), help="Exit 2 on failing findings of this impact or worse (default minor)."),
        click.option("--db", default=DEFAULT_DB, show_default=True, help="Results store (SQLAlchemy URL)."),
        click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write the results JSON here."),
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
@_scan_options
def scan_command(targets: tuple[str, ...], url_file: Path | None, db: str, json_path: Path | None,
                 save_snapshots: Path | None, quiet: bool, debug: bool, **flags: Any) -> None:
    """Scan TARGETS: URLs and/or scan files (TOML, e.g. scans/national.toml)."""
    def build() -> ScanConfig:
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
    _run(build, db=db, json_path=json_path, snapshot_dir=save_snapshots, quiet=quiet, debug=debug)


def _flag_options(flags: dict[str, Any]) -> dict[str, Any]:
    options = {k: v for k, v in flags.items() if v not in (None, ())}
    for key in ("include", "exclude", "allow_hosts"):
        if key in options:
            options[key] = list(options[key])
    if options.pop("ignore_robots", None):
        options["respect_robots"] = False
    if options.pop("no_sitemaps", None):
        options["use_sitemaps"] = False
    return options


@main.command("demo")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports/demo"), show_default=True)
@click.option("--quiet", is_flag=True)
@click.option("--debug", is_flag=True)
def demo_command(out: Path, quiet: bool, debug: bool) -> None:
    """Serve the bundled sample portal on 127.0.0.1 and scan it, with no network at all."""
    from accesscheck.demo import redirects, site_root
    from accesscheck.demo.server import serve

    with serve(site_root(), redirects=redirects()) as server:
        err.print(f"Serving the demo portal at {server.origin}/")
        code = _run(lambda: build_config(sites_from_urls([server.origin + "/"]),
                                         {"max_pages": 60, "depth": 5, "loopback_only": True}),
                    db=f"sqlite:///{out}/accesscheck.db", json_path=out / "results.json",
                    snapshot_dir=None, quiet=quiet, debug=debug, exit_on_findings=False)
    err.print(f"Results: {out}/results.json and {out}/accesscheck.db")
    sys.exit(code)


@main.command("serve-demo")
@click.option("--port", type=int, default=8000, show_default=True)
def serve_demo_command(port: int) -> None:
    """Serve the demo portal on 127.0.0.1 until Ctrl-C (scan it with scans/demo.toml)."""
    from accesscheck.demo import redirects, site_root
    from accesscheck.demo.server import serve

    try:
        with serve(site_root(), redirects=redirects(), port=port) as server:
            err.print(f"Serving the demo portal at {server.origin}/ (Ctrl-C stops)")
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except OSError as exc:
        _fail(f"Cannot listen on 127.0.0.1:{port}: {exc.strerror}.")


def _run(build: Any, *, db: str, json_path: Path | None, snapshot_dir: Path | None, quiet: bool,
         debug: bool, exit_on_findings: bool = True) -> int:
    try:
        config = build()
        store = Store(db)
        run_id = new_run_id()
        events = _ConsoleEvents(quiet)
        try:
            with events.progress:
                outcome = asyncio.run(_scan_main(config, store, events, snapshot_dir, run_id))
        except KeyboardInterrupt:
            run = store.load_run(run_id)
            kept = sum(1 for p in run.pages if p.outcome != "skipped")
            _fail(f"Interrupted: {kept} checked pages are kept in run {run_id} in {db}.")
        run = store.load_run(outcome.run_id)
    except AccesscheckError as exc:
        if debug:
            raise
        _fail(str(exc))
    except Exception as exc:  # the tool's own bug: one sentence, traceback with --debug
        if debug:
            raise
        _fail(f"accesscheck stopped on an unexpected error ({type(exc).__name__}: {exc}); rerun with --debug and report it.")
    print_summary(run, out)
    for note in outcome.notes:
        err.print(Text(f"Note: {note}"), soft_wrap=True)
    if json_path:
        write_json(run, json_path)
        err.print(Text(f"JSON results: {json_path}"))
    if not any(p.outcome == "scanned" for p in run.pages):
        _fail(_nothing_scanned(run))
    code = _exit_code(run, config.fail_on)
    if exit_on_findings:
        sys.exit(code)
    return 0


async def _scan_main(config: ScanConfig, store: Store, events: ScanEvents, snapshot_dir: Path | None,
                     run_id: str) -> Any:
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    return await scan(config, store, events=events, snapshot_dir=snapshot_dir, run_id=run_id)


def _nothing_scanned(run: RunRecord) -> str:
    reasons = sorted({p.reason or "" for p in run.pages})
    if not run.pages:
        return "No page could be scanned: nothing was in scope or allowed by robots.txt."
    return f"No page could be scanned ({'; '.join(reasons[:3])})."


def _exit_code(run: RunRecord, fail_on: str) -> int:
    if fail_on == "none":
        return 0
    worst = IMPACTS.index(fail_on)
    failing = any(f.outcome == "fail" and f.impact in IMPACTS[: worst + 1]
                  for p in run.pages for f in p.findings)
    return 2 if failing else 0


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
