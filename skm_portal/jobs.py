"""What every background job row of the portal shares: its fields, its claim, a dead worker given up.

A job row (a report's draft, an export) is a `BackgroundJob`: `status` (queued, running,
done, failed), `progress`, `heartbeat_at` written by its worker while it runs,
`worker_died`, `error` and the times it was asked for, started and finished. A worker
claims a queued row (`claim`); a running row whose heartbeat is older than its stale limit
lost its worker (killed, restarted, out of memory) and is given up (`fail_dead`): the page
showing it would otherwise wait forever.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """The fields of a row a background worker fills in while a page polls it (abstract)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu antrean")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("diminta"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup pekerja"), null=True, blank=True)
    worker_died = models.BooleanField(_("pekerja berhenti"), default=False)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


Status = BackgroundJob.Status


def claim(rows: QuerySet, **changes) -> bool:
    """Take the one queued row of `rows` for this worker: running, started and beating now (and
    `changes`). False when it is not queued (done, failed, or another worker has it)."""
    now = timezone.now()
    return bool(
        rows.filter(status=Status.QUEUED).update(status=Status.RUNNING, started_at=now, heartbeat_at=now, **changes)
    )


def fail_dead(running: QuerySet, *, stale_after: dt.timedelta, error: str) -> int:
    """Mark the rows of `running` that are still running with an old heartbeat failed.

    One conditional UPDATE, so a worker that is alive and beating is never overruled;
    returns how many rows were given up.
    """
    now = timezone.now()
    return running.filter(status=Status.RUNNING, heartbeat_at__lt=now - stale_after).update(
        status=Status.FAILED, worker_died=True, error=error, finished_at=now
    )


def fail(rows: QuerySet, error: Exception) -> None:
    """Record why a job failed (outside the job's own transaction, so the page sees it)."""
    rows.update(status=Status.FAILED, error=f"{type(error).__name__}: {error}", finished_at=timezone.now())
