"""What every background job row of the portal shares: a worker that stopped beating is given up.

A job row (a report's draft, an export) has `status` (queued/running/done/failed),
`heartbeat_at` written by its worker while it runs, `worker_died`, `error` and
`finished_at`. A running job whose heartbeat is older than its stale limit lost its worker
(killed, restarted, out of memory): the page showing it would otherwise wait forever.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone


def fail_dead(running: QuerySet, *, stale_after: dt.timedelta, error: str) -> int:
    """Mark the rows of `running` that are still running with an old heartbeat failed.

    One conditional UPDATE, so a worker that is alive and beating is never overruled;
    returns how many rows were given up.
    """
    now = timezone.now()
    return running.filter(status="running", heartbeat_at__lt=now - stale_after).update(
        status="failed", worker_died=True, error=error, finished_at=now
    )


def fail(rows: QuerySet, error: Exception) -> None:
    """Record why a job failed (outside the job's own transaction, so the page sees it)."""
    rows.update(status="failed", error=f"{type(error).__name__}: {error}", finished_at=timezone.now())
