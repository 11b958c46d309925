"""One portal of a distributed run, on a worker: its host's lock, its lease, its scan.

The scan itself is `scan_sites` with `resume`: a portal redelivered after its worker was killed
continues from what that worker stored, so no page is lost and none is stored twice.
"""

from __future__ import annotations

import asyncio
import dataclasses

import redis
from redis.exceptions import LockError

from accesscheck.engine import make_engine
from accesscheck.browser_memory import RendererWatchdog
from accesscheck.checks import all_checks
from accesscheck.config import ScanConfig, config_from_dict
from accesscheck.distributed.app import MAX_ATTEMPTS
from accesscheck.errors import AccesscheckError
from accesscheck.lease import heartbeat, this_owner
from accesscheck.scan import ScanEvents, _default_user_agent, scan_sites
from accesscheck.settings import DEFAULTS
from accesscheck.store import Store
from accesscheck.urls import origin as origin_of

#: The host lock lapses this long after its worker stopped renewing it (a killed worker).
LOCK_SECONDS = 60
#: How long a second copy of a portal waits for the host lock before looking again.
LOCK_POLL_SECONDS = 5


class RetryLater(Exception):
    """The portal could not be scanned this time (the last reason in the message); try again."""


def scan_portal(db: str, broker: str, run_id: str, origin: str, *, concurrency: int | None) -> str:
    store = Store(db)
    config = config_from_dict(store.run_config(run_id))
    site = next((s for s in config.sites if origin_of(s.seeds[0]) == origin), None)
    if site is None:
        return f"{origin} is not a portal of run {run_id}"
    lock = redis.Redis.from_url(broker).lock(f"accesscheck:host:{site.host}", timeout=LOCK_SECONDS)
    while not lock.acquire(blocking_timeout=LOCK_POLL_SECONDS):
        if _finished(store, run_id, origin):  # a copy delivered while its first worker was alive
            return "already finished"
    try:
        if _finished(store, run_id, origin):
            return "already finished"
        owner = this_owner()
        attempts = store.start_portal(run_id, origin, owner)
        if attempts > MAX_ATTEMPTS:
            return _give_up(store, run_id, origin, f"gave up after {MAX_ATTEMPTS} attempts: its worker stopped each time")
        portal = dataclasses.replace(config, sites=(site,), concurrency=concurrency or int(str(DEFAULTS["concurrency"])))
        try:
            asyncio.run(_scan(portal, store, run_id, owner, lambda: lock.reacquire()))
        except (AccesscheckError, LockError) as exc:
            if attempts >= MAX_ATTEMPTS:
                return _give_up(store, run_id, origin, f"gave up after {attempts} attempts: {exc}")
            store.end_portal(run_id, origin, "queued", str(exc))
            raise RetryLater(str(exc)) from exc
        store.end_portal(run_id, origin, "done")
        store.complete_if_done(run_id)
        return "done"
    finally:
        try:
            lock.release()
        except LockError:
            pass  # lapsed: nothing to give back


def _finished(store: Store, run_id: str, origin: str) -> bool:
    return any(p.origin == origin and p.status in ("done", "failed") for p in store.portal_states(run_id))


def _give_up(store: Store, run_id: str, origin: str, reason: str) -> str:
    store.end_portal(run_id, origin, "failed", reason)
    store.complete_if_done(run_id)
    return reason


async def _scan(config: ScanConfig, store: Store, run_id: str, owner: str, renew_lock: object) -> None:
    checks = all_checks()
    origin = origin_of(config.sites[0].seeds[0])

    def beat() -> None:
        renew_lock()  # type: ignore[operator]
        store.beat_portal(run_id, origin, owner)

    async with make_engine(config.engine, loopback_only=config.loopback_only) as pool, \
            RendererWatchdog(config.memory_limit_mb) as watchdog:
        user_agent = config.user_agent or _default_user_agent(await pool.default_user_agent(), config.contact)
        async with heartbeat(beat):
            await scan_sites(config, store, pool, run_id, user_agent, ScanEvents(), None, [],
                             checks=checks, resume=True, watchdog=watchdog)
