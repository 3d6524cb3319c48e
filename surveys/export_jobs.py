"""Exports of survey data as background jobs (django-tasks): ask, run, show, retry, download.

A year of responses (a million rows at province scale) takes longer than a proxy lets a
request live, so the officer's click only queues an `ExportJob`; a worker writes the
workbook with the portal's constant-memory writer into a temporary file, beating the job's
heartbeat and progress every couple of seconds, then stores it under a random name. The
page that asked polls the job (progress, then a download link, or the failure with a
retry). A job whose worker died (no beat for EXPORT_JOB_STALE_SECONDS) is shown failed.

An export holds respondents' answers: its file is a download, not an archive. It is kept
EXPORT_FILE_KEEP_DAYS after it was made, then deleted (`files_expire`, at the start of every
export run and by `manage.py export_files_expire`); the job stays listed with what it held,
and the officer makes it again with one click.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.audit import audit_record
from skm_portal.exporting import Sheet, write_xlsx_to
from skm_portal.jobs import claim, fail, fail_dead

from . import exporting, selectors
from .models import ExportJob, Period, Service

logger = logging.getLogger(__name__)
BEAT_SECONDS = 2.0  # progress and heartbeat are written at most this often
RECENT_JOBS = 5  # jobs shown on the page where they were asked for


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "EXPORT_JOB_STALE_SECONDS", 120)))


def export_request(
    *,
    kind: str,
    user,
    date_from: dt.date,
    date_to: dt.date,
    period: Period | None = None,
    service: Service | None = None,
) -> ExportJob:
    """Queue an export; the page shows its progress. A bad scope raises ValidationError."""
    from .tasks import run_export

    if kind not in ExportJob.Kind.values:
        raise ValidationError(_("Jenis ekspor tidak dikenal."))
    if date_from > date_to:
        raise ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, period=period, date_from=date_from, date_to=date_to, service=service, requested_by=user
        )
        audit_record(
            actor=user,
            action="export_requested",
            obj=job,
            summary=_("%(kind)s %(start)s s.d. %(end)s%(service)s diminta")
            % {
                "kind": job.get_kind_display(),
                "start": date_from.strftime("%d-%m-%Y"),
                "end": date_to.strftime("%d-%m-%Y"),
                "service": f" ({service.name})" if service else "",
            },
            links=[period],
        )
    run_export.enqueue(job.pk)
    return job


def export_retry(*, job: ExportJob, user) -> ExportJob:
    """A failed job, or one whose file was deleted after its keeping days, asked again: a new
    job with the same scope."""
    if not job.may_be_made_again:
        raise ValidationError(_("Hanya ekspor yang gagal atau yang berkasnya sudah dihapus yang dapat diulang."))
    return export_request(
        kind=job.kind, user=user, date_from=job.date_from, date_to=job.date_to, period=job.period, service=job.service
    )


def keep_days() -> int:
    return settings.EXPORT_FILE_KEEP_DAYS


def files_expire() -> int:
    """Delete the files of exports made more than `keep_days()` ago; returns how many.

    The job row stays (what, which scope, how many rows, when) without its file, and each
    deletion is in the audit log. The row is changed first and the file deleted after its
    transaction: a deletion that fails leaves a file nothing points at, never a download
    link to a file that is gone.
    """
    cutoff = timezone.now() - dt.timedelta(days=keep_days())
    due = ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff).exclude(file="")
    removed = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=pk).exclude(file="").first()
            if job is None:  # another worker removed it meanwhile
                continue
            stored, storage = job.file.name, job.file.storage
            job.file = ""
            job.save(update_fields=["file"])
            audit_record(
                actor=None,
                action="export_file_removed",
                obj=job,
                summary=_("Berkas %(job)s dihapus: ekspor disimpan paling lama %(days)s hari")
                % {"job": job, "days": keep_days()},
            )
        try:
            storage.delete(stored)
        except OSError:
            logger.warning("Export file %s of job %s could not be deleted", stored, pk, exc_info=True)
        removed += 1
    return removed


def jobs_fail_dead(*, job: ExportJob | None = None) -> int:
    """Mark running jobs whose worker stopped beating failed (one conditional UPDATE)."""
    rows = ExportJob.objects.all() if job is None else ExportJob.objects.filter(pk=job.pk)
    return fail_dead(rows, stale_after=stale_after(), error=_("Pekerja latar berhenti saat membuat berkas ini."))


def recent_jobs(user, limit: int = RECENT_JOBS) -> list[ExportJob]:
    """The user's latest jobs as a page shows them: a job whose worker died shown failed."""
    jobs = list(ExportJob.objects.filter(requested_by=user).select_related("service", "period")[:limit])
    if any(j.status == ExportJob.Status.RUNNING for j in jobs) and jobs_fail_dead():
        return recent_jobs(user, limit)
    return jobs


def job_check_alive(job: ExportJob) -> ExportJob:
    if job.status == ExportJob.Status.RUNNING and jobs_fail_dead(job=job):
        job.refresh_from_db()
    return job


def _sheets(job: ExportJob) -> list[Sheet]:
    if job.kind == ExportJob.Kind.RESPONSES:
        return [exporting.responses_sheet(date_from=job.date_from, date_to=job.date_to, service=job.service)]
    return [
        exporting.recap_sheet(
            **recap_scope(period=job.period, start=job.date_from, end=job.date_to, service=job.service)
        )
    ]


def recap_scope(*, period: Period | None, start: dt.date, end: dt.date, service: Service | None) -> dict:
    """The recap's result and its heading rows (scope, respondents, source)."""
    if period is not None:
        result = selectors.period_results(period, service)
    else:
        result = selectors.response_results(date_from=start, date_to=end, service=service)
    heading: list[tuple[str, object]] = []
    if period is not None:
        heading.append((_("Periode"), period.name))
    heading += [
        (_("Dari tanggal"), start),
        (_("Sampai tanggal"), end),
        (_("Jenis layanan"), service.name if service else _("Semua layanan")),
        (_("Jumlah responden"), result.respondents),
        (
            _("Sumber"),
            _("Agregat terpublikasi: %(note)s") % {"note": period.source_note}
            if result.published and period is not None
            else _("Dihitung dari jawaban responden"),
        ),
    ]
    return {"result": result, "heading": heading}


class _Beat:
    """Called by the writer every few hundred rows; writes progress and heartbeat every BEAT_SECONDS."""

    def __init__(self, job: ExportJob, total: int | None):
        self.job, self.total, self.last = job, total, 0.0

    def __call__(self, rows: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < BEAT_SECONDS:
            return
        self.last = now
        data_rows = max(rows - 1, 0)  # the header row is not a data row
        percent = min(95, 5 + 90 * data_rows // self.total) if self.total else 50
        ExportJob.objects.filter(pk=self.job.pk, status=ExportJob.Status.RUNNING).update(
            rows=data_rows, progress=percent, heartbeat_at=timezone.now()
        )


def export_run(*, job_id: int) -> ExportJob:
    """Write the workbook of job `job_id`; a job done, failed or claimed by a live worker is left alone.

    First gives up jobs whose worker died and deletes the files past their keeping days."""
    jobs_fail_dead()
    files_expire()
    claimed = claim(ExportJob.objects.filter(pk=job_id), progress=1)
    job = ExportJob.objects.select_related("service", "period").get(pk=job_id)
    if not claimed:
        return job
    try:
        total = None
        if job.kind == ExportJob.Kind.RESPONSES:
            total = selectors.responses_between(job.date_from, job.date_to, job.service).count()
            ExportJob.objects.filter(pk=job.pk).update(total_rows=total)
        beat = _Beat(job, total)
        with tempfile.TemporaryFile(dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)) as spool:
            write_xlsx_to(spool, _sheets(job), progress=beat)
            size = spool.tell()
            spool.seek(0)
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job_id)
                if job.status != ExportJob.Status.RUNNING:  # given up as dead meanwhile
                    return job
                job.file.save(job.file_name, File(spool), save=False)
                job.size = size
                if total is not None:
                    job.rows = total
                job.status, job.progress = ExportJob.Status.DONE, 100
                job.finished_at = timezone.now()
                job.save()
    except Exception as error:
        logger.exception("Export job %s failed", job_id)
        fail(ExportJob.objects.filter(pk=job_id), error)
        raise
    return job
