"""Models of the plans half: priority elements' plans (RTL), their activities, realisation
steps and evidence (bukti dukung).

A `FollowUpPlan` is one confirmed priority element of a period; its activities are the
plan's programs (a., b., ...) with a status each; realisation steps say what was done
(ordered descriptions with dates); evidence hangs on an activity (optionally on one
step): a private file, a link, or a reference to another record of the app (a meeting,
an FKP) through a generic relation, so the plans need not know the meetings' models.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys.models import Period

from ..ordering import letter
from ..storage import evidence_storage, evidence_upload_to
from .progress import Progress


class FollowUpPlan(models.Model):
    """Rencana Tindak Lanjut for one priority element of one period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="followup_plans")
    element_code = models.CharField(_("kode unsur"), max_length=10)
    element_name = models.CharField(
        _("prioritas unsur"), max_length=120, help_text=_("Sebutan unsur dalam laporan, mis. Produk Pelayanan.")
    )
    rank = models.PositiveSmallIntegerField(_("nomor urut"), default=1)
    index_at_confirmation = models.DecimalField(
        _("indeks saat ditetapkan"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grade_at_confirmation = models.CharField(_("mutu saat ditetapkan"), max_length=1, blank=True)
    was_proposed = models.BooleanField(_("diusulkan aplikasi"), default=False)
    proposal_reason = models.CharField(_("alasan usulan"), max_length=300, blank=True)
    time_frame = models.CharField(
        _("waktu pelaksanaan"), max_length=120, blank=True, help_text=_("Mis. Oktober - November.")
    )
    person_in_charge = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["period__start_date", "period_id", "rank", "element_code"]
        constraints = [models.UniqueConstraint(fields=["period", "element_code"], name="followup_one_plan_per_element")]

    def __str__(self) -> str:
        return f"{self.period} – {self.element_code} {self.element_name}"

    def progress(self) -> Progress:
        statuses = [a.status for a in self.activities.all()]
        done = sum(1 for s in statuses if s == Activity.Status.DONE)
        return Progress(done, len(statuses), empty=0 if statuses else 1)


class Activity(models.Model):
    """One program/activity (kegiatan) of a plan, in the plan's order a., b., c. ..."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang berjalan")
        DONE = "done", _("Selesai")

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("program/kegiatan"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("kegiatan tindak lanjut")
        verbose_name_plural = _("kegiatan tindak lanjut")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.letter}. {self.title}"

    @property
    def letter(self) -> str:
        return letter(self.position)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class RealisationStep(models.Model):
    """What was done for an activity: one description (a., b., ...) with its dates."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("urutan"))
    description = models.TextField(_("deskripsi tindak lanjut"))
    started_on = models.DateField(_("tanggal pelaksanaan"), null=True, blank=True)
    ended_on = models.DateField(_("sampai tanggal"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["activity", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.letter}. {self.description[:60]}"

    @property
    def letter(self) -> str:
        return letter(self.position)

    def clean(self) -> None:
        if self.ended_on and not self.started_on:
            raise ValidationError({"started_on": _("Isi tanggal pelaksanaan bila tanggal selesai diisi.")})
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Tanggal selesai tidak boleh sebelum tanggal pelaksanaan.")})


http_url = URLValidator(
    schemes=["http", "https"], message=_("Masukkan alamat tautan yang diawali http:// atau https://.")
)


class Evidence(models.Model):
    """Bukti dukung of an activity: a private file, a link, or a record of the app."""

    class Kind(models.TextChoices):
        FILE = "file", _("Berkas")
        LINK = "link", _("Tautan")
        RECORD = "record", _("Catatan di aplikasi")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    step = models.ForeignKey(
        RealisationStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("untuk realisasi"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("keterangan"), max_length=200)
    file = models.FileField(
        _("berkas"), storage=evidence_storage, upload_to=evidence_upload_to, max_length=200, blank=True
    )
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(_("jenis isi"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("ukuran (byte)"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True, validators=[http_url])
    # A meeting or FKP of the meetings half: generic, so the plans need not know its models.
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ditambahkan"), default=timezone.now)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["activity", "created_at", "pk"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="followup_evidence_record")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="file", url="", record_id__isnull=True)
                    | models.Q(kind="link", file="", record_id__isnull=True)
                    | models.Q(kind="record", file="", url="", record_id__isnull=False)
                ),
                name="followup_evidence_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind == self.Kind.FILE and not self.file:
            raise ValidationError({"file": _("Pilih berkas yang akan diunggah.")})
        if self.kind == self.Kind.LINK and not self.url:
            raise ValidationError({"url": _("Isi alamat tautan.")})
        if self.kind == self.Kind.RECORD and (self.record_type_id is None or self.record_id is None):
            raise ValidationError(_("Pilih catatan yang dirujuk."))
        if self.step_id and self.step.activity_id != self.activity_id:
            raise ValidationError({"step": _("Realisasi ini milik kegiatan lain.")})

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE

    @property
    def is_link(self) -> bool:
        return self.kind == self.Kind.LINK

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def record_meeting(self):
        """The meeting or FKP this evidence refers to, if it refers to one."""
        record = self.record if self.kind == self.Kind.RECORD else None
        return record if record is not None and record._meta.model_name == "meeting" else None
