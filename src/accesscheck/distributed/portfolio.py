"""Submitting a portfolio: one run for all its portals, one task a portal."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from accesscheck.checks import all_checks
from accesscheck.config import ScanConfig
from accesscheck.errors import ConfigError, StoreError
from accesscheck.gather.axe import axe_version
from accesscheck.scan import new_run_id, run_versions
from accesscheck.store import Store
from accesscheck.urls import origin


def require_shared_store(db: str) -> None:
    """Refuse SQLite before anything is queued: workers on other machines could not reach it."""
    try:
        backend = make_url(db).get_backend_name()
    except Exception:
        raise StoreError(f"{db!r} is not a database URL; give e.g. postgresql+psycopg://USER@HOST/DB.") from None
    if backend == "sqlite":
        raise ConfigError("A distributed run needs a database every worker can reach, such as PostgreSQL "
                          "(postgresql+psycopg://USER@HOST/DB); SQLite is a file on one machine.")


def portal_origins(config: ScanConfig) -> list[str]:
    return list(dict.fromkeys(origin(site.seeds[0]) for site in config.sites))


def submit(config: ScanConfig, store: Store) -> str:
    """Create the run and queue one task per portal; returns the run id."""
    from accesscheck.distributed.app import scan_portal_task

    require_shared_store(store.url)
    run_id = new_run_id()
    versions = {**run_versions(all_checks()), "axe-core": axe_version(), "chromium": ""}
    notes = [{"origin": origin(s.seeds[0]), "name": s.name, "organisation": s.organisation,
              "country": s.country, "language": s.language} for s in config.sites]
    origins = portal_origins(config)
    store.start_run(run_id, config.to_dict(), versions, sites=notes)
    store.add_portals(run_id, origins)
    try:
        for portal in origins:
            scan_portal_task.apply_async((run_id, portal), retry=False)
    except Exception as exc:  # the broker is unreachable: the run cannot go on
        store.finish_run(run_id, "error", f"the broker refused the tasks: {exc}")
        raise ConfigError(f"Cannot queue the portals on the broker: {exc}.") from None
    return run_id
