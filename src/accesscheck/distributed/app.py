"""The Celery application and its two tasks: scan one portal of a run, and submit a portfolio
(what `beat` sends on a schedule)."""

from __future__ import annotations

from typing import Any

from celery import Celery

from accesscheck.errors import ConfigError

app = Celery("accesscheck")

#: A killed worker's portal is handed to another worker once its unacknowledged message is this
#: old. It must outlast the longest portal scan (a live worker's copy is then waited for, not lost).
VISIBILITY_TIMEOUT = 3600.0
#: A portal that keeps failing (its worker dies, Chromium will not start) is given up after this
#: many attempts and recorded as failed with the last reason.
MAX_ATTEMPTS = 3
RETRY_SECONDS = 10


def configure(broker: str, *, db: str | None = None, visibility_timeout: float = VISIBILITY_TIMEOUT,
              concurrency: int | None = None) -> Celery:
    """Point the app at `broker`. Tasks are acknowledged late, one at a time: a task killed with
    its worker stays on the broker and is delivered again."""
    if not broker.startswith(("redis://", "rediss://")):
        raise ConfigError(f"{broker!r} is not a Redis URL; give the broker as redis://HOST:PORT/0.")
    app.conf.update(
        broker_url=broker, task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1, task_serializer="json", accept_content=["json"],
        broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
        broker_transport_options={"visibility_timeout": visibility_timeout,
                                  "unacked_restore_interval": max(1, int(visibility_timeout // 4)),
                                  "unacked_restore_throttle": 1},
        accesscheck_db=db, accesscheck_concurrency=concurrency)
    return app


@app.task(name="accesscheck.scan_portal", bind=True, acks_late=True, reject_on_worker_lost=True)
def scan_portal_task(self: Any, run_id: str, origin: str) -> str:
    from accesscheck.distributed.portal import RetryLater, scan_portal
    try:
        return scan_portal(app.conf.accesscheck_db, app.conf.broker_url, run_id, origin,
                           concurrency=app.conf.accesscheck_concurrency)
    except RetryLater as exc:  # bounded by the attempts counted in the store, not by Celery
        raise self.retry(exc=exc, countdown=RETRY_SECONDS, max_retries=None) from None


@app.task(name="accesscheck.submit_portfolio")
def submit_portfolio_task(config: dict[str, Any]) -> str:
    """A scheduled portfolio: the worker that receives it creates the run in its store."""
    from accesscheck.config import config_from_dict
    from accesscheck.distributed.portfolio import submit
    from accesscheck.store import Store
    return submit(config_from_dict(config), Store(app.conf.accesscheck_db))
