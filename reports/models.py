"""Reports: the yearly Laporan Tindak Lanjut Hasil SKM and the per-period Laporan Hasil SKM.

A `Report` holds the editable narrative of its year (kata pengantar, latar belakang, dasar
hukum, the opening text of 2.1, 2.2 and 3.1, kesimpulan); numbers, tables and appendices come from the data each time a draft is
built. A `ReportBuild` is one draft PDF made by a background task, with its progress.
The head of office signs a finished draft as it is (what was reviewed is what gets
signed): that makes an immutable `SignedVersion` with its own file, SHA-256, version
number, signer and time. Changing the report afterwards needs a new build and a new
version; old versions stay as they were.

Files live under MEDIA_ROOT/reports/ with random names and are served only by the
permission-checked views of this app.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm_portal.jobs import BackgroundJob
from surveys.models import Period


def report_file_name(instance, filename: str) -> str:
    """A random, unguessable name: the stored file never tells what it is."""
    return f"reports/{secrets.token_urlsafe(24)}.pdf"


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)


class Report(models.Model):
    class Kind(models.TextChoices):
        FOLLOWUP = "followup", _("Laporan Tindak Lanjut Hasil SKM (tahunan)")
        RESULTS = "results", _("Laporan Hasil SKM (per periode)")

    kind = models.CharField(_("jenis laporan"), max_length=10, choices=Kind.choices, default=Kind.FOLLOWUP)
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("periode")
    )
    title = models.CharField(_("judul"), max_length=300)
    place = models.CharField(_("tempat penandatanganan"), max_length=80, blank=True)
    document_date = models.DateField(_("tanggal laporan"))
    foreword = models.TextField(_("kata pengantar"), blank=True)
    background = models.TextField(_("latar belakang"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True, help_text=_("Satu peraturan per baris."))
    results_intro = models.TextField(
        _("2.1 Pembahasan hasil SKM"), blank=True, help_text=_("Teks sebelum tabel hasil per periode.")
    )
    plan_intro = models.TextField(
        _("2.2 Rencana tindak lanjut"), blank=True, help_text=_("Teks sebelum tabel rencana tindak lanjut.")
    )
    realisation_intro = models.TextField(
        _("3.1 Implementasi tindak lanjut"), blank=True, help_text=_("Teks sebelum tabel implementasi.")
    )
    conclusion = models.TextField(_("kesimpulan"), blank=True)
    revision = models.PositiveIntegerField(_("revisi isian"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-year", "kind", "period__start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="followup"), name="reports_one_followup_report_per_year"
            ),
            models.UniqueConstraint(
                fields=["period"], condition=Q(kind="results"), name="reports_one_results_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(kind="followup", period__isnull=True) | Q(kind="results", period__isnull=False),
                name="reports_period_only_for_results",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def legal_basis_items(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class ReportBuild(BackgroundJob):
    """One draft PDF of a report, built in the background; signing takes it as it is.

    Its worker (`reports.services.build_run`) beats `heartbeat_at` at each step and every
    REPORT_BUILD_HEARTBEAT_SECONDS; a running build whose beat is older than
    REPORT_BUILD_STALE_SECONDS lost its worker and is shown failed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="builds")
    revision = models.PositiveIntegerField(_("revisi isian"))
    version_number = models.PositiveIntegerField(_("nomor versi bila ditandatangani"))
    verification_code = models.CharField(max_length=40, unique=True, default=new_verification_code, editable=False)
    step = models.CharField(_("tahap"), max_length=200, blank=True)
    file = models.FileField(upload_to=report_file_name, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    html_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("draf laporan")
        verbose_name_plural = _("draf laporan")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} – draf #{self.pk}"


class SignedVersion(models.Model):
    """A signed document: a version of a report, or a letter (a meeting's or the FKP's invitation).

    Never changed after it is written. Both kinds share the PAdES signing
    (`reports.signing`), the verification code and page, and `report_verify`.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="versions")
    meeting = models.ForeignKey(
        "followup.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_invitations",
        verbose_name=_("rapat (surat undangan)"),
    )
    number = models.PositiveIntegerField(_("versi"))
    build = models.OneToOneField(ReportBuild, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verification_code = models.CharField(_("kode verifikasi"), max_length=40, unique=True)
    verification_url = models.URLField(
        _("tautan verifikasi"), max_length=300, blank=True, help_text=_("Terkunci dalam berkas bertanda tangan.")
    )
    file = models.FileField(upload_to=report_file_name, max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    title = models.CharField(_("judul"), max_length=300)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("penandatangan"), max_length=200)
    signer_title = models.CharField(_("jabatan"), max_length=200)
    signer_rank = models.CharField(_("pangkat"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP"), max_length=21, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani"))
    certificate_subject = models.CharField(_("subjek sertifikat"), max_length=500)
    certificate_issuer = models.CharField(_("penerbit sertifikat"), max_length=500)
    certificate_sha256 = models.CharField(max_length=64)
    certificate_pem = models.TextField(help_text=_("Sertifikat penanda tangan dan rantainya (PEM)."))
    certificate_is_bsre = models.BooleanField(_("sertifikat BSrE"), default=False)

    class Meta:
        verbose_name = _("versi bertanda tangan")
        verbose_name_plural = _("versi bertanda tangan")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_unique_version_number"),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(meeting__isnull=False),
                name="reports_unique_letter_version_number",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=False, meeting__isnull=True) | Q(report__isnull=True, meeting__isnull=False),
                name="reports_signed_version_of_one_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – versi {self.number}"

    def siblings(self):
        """All signed versions of the same document (this one included)."""
        if self.report_id:
            return SignedVersion.objects.filter(report_id=self.report_id)
        return SignedVersion.objects.filter(meeting_id=self.meeting_id)
