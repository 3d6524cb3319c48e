"""An export of survey data made in the background (a year of responses takes ~30 s)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skm_portal.jobs import BackgroundJob


def export_file_name(instance, filename: str) -> str:
    """A random, unguessable name: the stored file never tells what it holds."""
    return f"exports/{secrets.token_urlsafe(24)}.xlsx"


class ExportJob(BackgroundJob):
    """One xlsx export an officer asked for: its scope, its progress, then its file.

    A worker (`surveys.export_jobs.export_run`) writes the workbook in constant memory and
    beats `heartbeat_at` while it writes; a running job whose beat is older than
    EXPORT_JOB_STALE_SECONDS lost its worker and is shown failed, with a retry.
    """

    class Kind(models.TextChoices):
        RESPONSES = "responses", _("Data jawaban")
        RECAP = "recap", _("Olah data")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    period = models.ForeignKey(
        "surveys.Period", verbose_name=_("periode"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    date_from = models.DateField(_("dari tanggal"))
    date_to = models.DateField(_("sampai tanggal"))
    service = models.ForeignKey(
        "surveys.Service", verbose_name=_("layanan"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(_("baris ditulis"), default=0)
    total_rows = models.PositiveIntegerField(_("baris seluruhnya"), null=True, blank=True)
    file = models.FileField(upload_to=export_file_name, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran berkas"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("ekspor data")
        verbose_name_plural = _("ekspor data")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="surveys_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def file_removed(self) -> bool:
        """Made, then its file deleted after EXPORT_FILE_KEEP_DAYS (surveys.export_jobs.files_expire)."""
        return self.status == self.Status.DONE and not self.file

    @property
    def may_be_made_again(self) -> bool:
        """Failed, or its file deleted: the officer asks for the same export again (export_retry)."""
        return self.status == self.Status.FAILED or self.file_removed

    @property
    def file_name(self) -> str:
        """The name the download gets: what and which scope, not the stored name."""
        kind = "jawaban" if self.kind == self.Kind.RESPONSES else "olah-data"
        scope = f"periode-{self.period_id}" if self.period_id else f"{self.date_from}_{self.date_to}"
        if self.service_id:
            scope += f"-{self.service.code}"
        return f"skm-{kind}-{scope}.xlsx"
