"""Portfolio scans across machines: Celery workers on a Redis broker, one shared PostgreSQL store.

The portal is the unit of work (one task each, as in the US federal site scanner): a worker takes
a portal, holds its host's lock in Redis so no two workers crawl one host, scans it into the
shared run with the same code as `scan`, and resumes whatever a killed worker left stored.
"""

from accesscheck.distributed.app import configure
from accesscheck.distributed.portfolio import require_shared_store, submit

__all__ = ["configure", "require_shared_store", "submit"]
