"""Permit files (berkas permohonan izin), their documents and process log.

The step of a file changes only in `permits.services.permit_transition`, which follows
the table in `permits.workflow`.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import complaints, workflow
from .workflow import Step

STEP_CHOICES = [(step.value, workflow.STEP_LABELS[step]) for step in Step]
ACTION_CHOICES = [(action.value, workflow.ACTION_LABELS[action]) for action in workflow.Action]
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class Agency(models.Model):
    """A technical agency (dinas teknis / SKPD teknis) that gives recommendations."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AgencyMembership", related_name="agencies", blank=True
    )

    class Meta:
        verbose_name = _("dinas teknis")
        verbose_name_plural = _("dinas teknis")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("anggota dinas teknis")
        verbose_name_plural = _("anggota dinas teknis")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="unique_agency_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


class PermitType(models.Model):
    """A kind of permit (jenis izin): its steps, service-time standard and documents.

    The steps are the workflow's standard path (`workflow.steps_for`); a type with an
    agency passes through "pertimbangan dinas teknis" of that agency.
    """

    name = models.CharField(_("nama jenis izin"), max_length=255, unique=True)
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    service_days = models.PositiveSmallIntegerField(
        _("standar waktu pelayanan (hari kerja)"), validators=[MinValueValidator(1)]
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permit_types",
        verbose_name=_("dinas teknis pemberi pertimbangan"),
    )
    survey_service = models.ForeignKey(
        "surveys.Service",
        on_delete=models.PROTECT,
        related_name="permit_types",
        verbose_name=_("jenis layanan untuk survei SKM"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def steps(self) -> list[Step]:
        return workflow.steps_for(with_agency=self.agency_id is not None)


class RequiredDocument(models.Model):
    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="required_documents")
    name = models.CharField(_("nama dokumen"), max_length=200)
    help_text = models.CharField(_("petunjuk"), max_length=255, blank=True)
    is_mandatory = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("dokumen persyaratan")
        verbose_name_plural = _("dokumen persyaratan")
        ordering = ["permit_type", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class PermitApplication(models.Model):
    """One file (berkas permohonan izin)."""

    Step = Step  # for templates: {% if permit.step == permit.Step.REVISI %}

    number = models.CharField(_("nomor berkas"), max_length=40, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="permit_applications",
        verbose_name=_("pemohon"),
    )
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.PROTECT, related_name="applications", verbose_name=_("jenis izin")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("dinas teknis"),
    )
    step = models.CharField(_("tahap"), max_length=40, choices=STEP_CHOICES, default=Step.PENDAFTARAN)
    returned_by_step = models.CharField(_("dikembalikan dari tahap"), max_length=40, choices=STEP_CHOICES, blank=True)
    applicant_note = models.TextField(_("catatan untuk pemohon"), blank=True)
    agency_note = models.TextField(_("catatan dinas teknis"), blank=True)
    revision_rounds = models.PositiveSmallIntegerField(_("jumlah revisi"), default=0)
    service_days = models.PositiveSmallIntegerField(_("standar waktu (hari kerja)"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    step_entered_at = models.DateTimeField(_("masuk tahap ini"), null=True, blank=True)
    sent_to_agency_at = models.DateTimeField(_("dikirim ke dinas teknis"), null=True, blank=True)
    declared_at = models.DateTimeField(_("pernyataan kebenaran data"), null=True, blank=True)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    office_working_seconds = models.PositiveBigIntegerField(
        _("waktu kerja kantor terpakai (detik)"),
        default=0,
        help_text=_("Waktu kerja pada tahap yang sudah selesai, tanpa waktu di pemohon."),
    )
    survey_token = models.OneToOneField(
        "surveys.SurveyToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit",
        verbose_name=_("tautan survei SKM"),
    )

    class Meta:
        verbose_name = _("berkas permohonan izin")
        verbose_name_plural = _("berkas permohonan izin")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["step", "deadline_at"], name="permit_step_deadline"),
            models.Index(fields=["agency", "step"], name="permit_agency_step"),
            # Monitoring Izin pages in submission order, whole or by step or permit type.
            models.Index(fields=["-submitted_at", "-id"], name="permit_submitted"),
            models.Index(fields=["step", "-submitted_at", "-id"], name="permit_step_submitted"),
            models.Index(fields=["permit_type", "-submitted_at", "-id"], name="permit_type_submitted"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def current_step(self) -> Step:
        return Step(self.step)

    @property
    def returned_by(self) -> Step | None:
        return Step(self.returned_by_step) if self.returned_by_step else None

    @property
    def step_label(self) -> str:
        label = self.current_step.label
        if self.current_step == Step.PERTIMBANGAN_DINAS_TEKNIS and self.agency_id:
            return f"{label} ({self.agency.name})"
        return label

    @property
    def is_with_applicant(self) -> bool:
        return self.current_step in workflow.APPLICANT_STEPS


def document_upload_to(instance: PermitDocument, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"perizinan/{instance.application_id}/{stamp}{ext}"


class PermitDocument(models.Model):
    """An uploaded document; a revision adds a new current version, the old one stays."""

    application = models.ForeignKey(PermitApplication, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="uploads"
    )
    name = models.CharField(_("nama dokumen"), max_length=200)
    file = models.FileField(
        _("berkas"),
        upload_to=document_upload_to,
        max_length=255,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
    )
    original_name = models.CharField(_("nama file asli"), max_length=255)
    uploaded_at = models.DateTimeField(_("diunggah"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(_("versi terbaru"), default=True)
    revision_round = models.PositiveSmallIntegerField(_("revisi ke"), default=0)

    class Meta:
        verbose_name = _("dokumen berkas")
        verbose_name_plural = _("dokumen berkas")
        ordering = ["application", "required_document__order", "-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class ProcessLogEntry(models.Model):
    """One finished step of a file, written by the transition that ended it.

    `duration` is the time the office held the file in that step, `offtime` the time
    it sat with the applicant (revision); for every file the durations and offtimes of
    its entries add up to the time from submission to the last transition.
    `working_time` is the part of `duration` that fell on working days (SLA clock).
    """

    application = models.ForeignKey(PermitApplication, on_delete=models.CASCADE, related_name="log")
    step = models.CharField(_("proses"), max_length=40, choices=STEP_CHOICES)
    action = models.CharField(_("tindakan"), max_length=40, choices=ACTION_CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengguna")
    )
    note = models.TextField(_("catatan"), blank=True)
    started_at = models.DateTimeField(_("mulai"))
    at = models.DateTimeField(_("tanggal"))
    duration = models.DurationField(_("durasi"), default=dt.timedelta)
    offtime = models.DurationField(_("offtime"), default=dt.timedelta)
    working_time = models.DurationField(_("waktu kerja"), default=dt.timedelta)
    agency_name = models.CharField(_("dinas teknis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("log proses")
        verbose_name_plural = _("log proses")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.step} {self.at:%Y-%m-%d %H:%M}"

    @property
    def step_label(self) -> str:
        label = Step(self.step).label
        return f"{label} ({self.agency_name})" if self.agency_name else label


class OfficeDayOff(models.Model):
    """A day the office is closed besides weekends, national holidays and cuti bersama."""

    date = models.DateField(_("tanggal"), unique=True)
    description = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        verbose_name = _("hari libur kantor")
        verbose_name_plural = _("hari libur kantor")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.description}"


class Complaint(models.Model):
    """A complaint about a permit (pengaduan perizinan), answered by the head of office.

    The status changes only in `permits.complaint_services.complaint_transition`, which follows the
    table in `permits.complaints`. The complainant's name, e-mail and phone are for the
    reply and are shown to the office's officers only; the public status page (reached by
    the secret `token` in the complainant's e-mail) shows none of them.
    """

    Status = complaints.Status  # for templates: {% if complaint.status == complaint.Status.FILED %}
    Action = complaints.Action

    number = models.CharField(_("nomor pengaduan"), max_length=40, unique=True, null=True, blank=True)
    token = models.CharField(_("kode tautan status"), max_length=64, unique=True)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_complaints",
        verbose_name=_("akun pelapor"),
    )
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("surel (e-mail)"))
    phone = models.CharField(_("nomor telepon/WhatsApp"), max_length=30, blank=True)
    permit = models.ForeignKey(
        PermitApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("berkas permohonan"),
    )
    subject = models.CharField(_("pokok pengaduan"), max_length=200)
    description = models.TextField(_("uraian pengaduan"), max_length=4000)
    status = models.CharField(_("status"), max_length=20, choices=complaints.STATUS_CHOICES, default=complaints.FILED)
    filed_at = models.DateTimeField(_("diajukan"))
    deadline_at = models.DateTimeField(_("batas waktu jawaban"))
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijawab oleh"),
    )
    answer_note = models.TextField(_("jawaban"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("pengaduan perizinan")
        verbose_name_plural = _("pengaduan perizinan")
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="complaint_status_deadline"),
            models.Index(fields=["deadline_at", "id"], name="complaint_deadline"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def status_label(self) -> str:
        return complaints.Status(self.status).label

    @property
    def is_open(self) -> bool:
        return complaints.Status(self.status) in complaints.OPEN


class ComplaintConsultation(models.Model):
    """One agency consulted about a complaint (rapat bersama perangkat daerah terkait)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="consultations")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="complaint_consultations", verbose_name=_("perangkat daerah")
    )
    held_at = models.DateTimeField(_("waktu rapat"))
    note = models.TextField(_("hasil pembahasan"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat"))

    class Meta:
        verbose_name = _("pembahasan pengaduan")
        verbose_name_plural = _("pembahasan pengaduan")
        ordering = ["complaint", "held_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "agency", "held_at"], name="unique_complaint_consultation")
        ]

    def __str__(self) -> str:
        return f"{self.complaint} {self.agency} {self.held_at:%Y-%m-%d %H:%M}"


# Process-log events received from other systems (the model lives with its ingestion).
from .external import ExternalProcessEvent  # noqa: E402, F401
