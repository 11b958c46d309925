"""The published report site (`accesscheck report --out DIR`, `scan --html DIR`): static HTML.

An index with the league table, one page per portal, one page per check; Jinja2 templates under
report/templates/ with autoescaping on, so every value from a scanned page is escaped, and links to
scanned URLs only when they are http(s). No JavaScript, CSS inline, charts as inline SVG with text
alternatives: each page is one small request that works printed and on a 320 px screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from accesscheck import __version__
from accesscheck.checks import PILLARS
from accesscheck.history import latest_runs, site_trends
from accesscheck.report.views import CheckView, PortalView, check_views, families, portal_view, slug
from accesscheck.score import scoring_model
from accesscheck.store import Store


@dataclass(frozen=True, slots=True)
class SiteFiles:
    index: Path
    portals: list[Path]
    checks: list[Path]


def _http_url(url: str | None) -> str | None:
    """A scanned URL is a link only when it is http(s); anything else (javascript:, data:) is text."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("accesscheck.report", "templates"),
                      autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["http_url"] = _http_url
    env.filters["slug"] = slug
    env.filters["percent"] = lambda share: f"{share * 100:.0f}%"
    env.globals.update(PILLARS=PILLARS, tool_version=__version__,
                       score_version=scoring_model().version)
    return env


def build_site(store: Store, out: Path, *, run_ids: list[str] | None = None) -> SiteFiles:
    """Write the report site for the newest run of every portal in the store (or of the portals
    in `run_ids`, from those runs) into `out`, with each portal's trend across all its runs."""
    chosen = _chosen_runs(store, run_ids)
    loaded = {run_id: store.load_run(run_id) for run_id in set(chosen.values())}
    runs = {origin: loaded[run_id] for origin, run_id in chosen.items()}
    trends = site_trends(store, list(chosen), load=lambda run_id: loaded.get(run_id) or store.load_run(run_id))
    portals = [portal_view(runs[o], o, trends[o]) for o in chosen]
    portals.sort(key=lambda p: (p.scorecard.score is None, -(p.scorecard.score or 0), p.name.lower()))
    checks = check_views(portals, runs, families())
    return write_site(out, portals, checks)


def _chosen_runs(store: Store, run_ids: list[str] | None) -> dict[str, str]:
    if not run_ids:
        return latest_runs(store)
    chosen: dict[str, str] = {}
    infos = {info.id: info for info in store.list_runs()}
    for run_id in run_ids:
        if run_id not in infos:
            store.load_run(run_id)  # raises the one-sentence StoreError
        for origin in infos[run_id].origins:
            chosen[origin] = run_id
    return chosen


def write_site(out: Path, portals: list[PortalView], checks: list[CheckView]) -> SiteFiles:
    env = _environment()
    (out / "portals").mkdir(parents=True, exist_ok=True)
    (out / "checks").mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(env.get_template("index.html").render(portals=portals, root=""), encoding="utf-8")
    portal_files = []
    for portal in portals:
        path = out / "portals" / f"{portal.slug}.html"
        path.write_text(env.get_template("portal.html").render(portal=portal, root="../"), encoding="utf-8")
        portal_files.append(path)
    check_files = []
    known = {c.id: c for c in checks}
    for check in checks:
        path = out / "checks" / f"{check.slug}.html"
        path.write_text(env.get_template("check.html").render(check=check, known=known, root="../"),
                        encoding="utf-8")
        check_files.append(path)
    (out / "checks" / "index.html").write_text(
        env.get_template("checks.html").render(checks=checks, root="../"), encoding="utf-8")
    return SiteFiles(index=index, portals=portal_files, checks=check_files)
