"""Rebuilding a frontier from what a run already stored, so `scan --resume` (and a worker that
takes over a killed worker's portal) visits no stored page again and loses none.

Two steps around `prepare()` (robots, seeds, sitemaps): `mark_stored` before it, so every stored
URL counts as seen and every visited page against the budget; `offer_stored_links` after it, so
the links those pages found are queued again exactly as the original crawl queued them. Pages that
were in flight when the process died were never stored: they come back from the seeds, the
sitemaps or these links.
"""

from __future__ import annotations

from accesscheck.config import ScanConfig, config_from_dict
from accesscheck.crawl.frontier import Frontier
from accesscheck.errors import ConfigError
from accesscheck.store import Store, StoredDocument, StoredPage
from accesscheck.urls import dedupe_key


def mark_stored(frontier: Frontier, stored_pages: list[StoredPage], documents: list[StoredDocument]) -> None:
    sites = {site.origin: site for site in frontier.sites}
    for page in stored_pages:
        site = sites.get(page.site)
        if site is None:
            continue
        site.seen.add(dedupe_key(page.url))
        if page.links is not None:  # visited: it used up a page of the budget
            site.pages_taken += 1
            if page.final_url:
                site.seen.add(dedupe_key(page.final_url))
                site.claimed.add(dedupe_key(page.final_url))
    for doc in documents:
        site = sites.get(doc.site)
        if site is not None:
            site.seen.add(dedupe_key(doc.url))
            site.documents_taken += doc.fetched


def offer_stored_links(frontier: Frontier, stored_pages: list[StoredPage]) -> None:
    sites = {site.origin: site for site in frontier.sites}
    for page in stored_pages:
        site = sites.get(page.site)
        if site is None or not page.links:
            continue
        for url, rank in page.links:
            frontier.offer(site, url, depth=page.depth + 1, found_via="link", rank=rank,
                           found_on=page.final_url or page.url)


def resumable_config(store: Store, run_id: str) -> ScanConfig:
    """The settings of a run that can be resumed; a clear error for one that cannot."""
    run = store.load_run(run_id)
    if run.status == "completed":
        raise ConfigError(f"Run {run_id} is already completed; there is nothing to resume.")
    if run.status == "running":
        lease = store.lease(run_id)
        held = f" by {lease.owner}, last heartbeat {lease.age():.0f} s ago" if lease else ""
        raise ConfigError(f"Run {run_id} is still running{held}; resume it only once it is stale or interrupted.")
    return config_from_dict(run.config)
