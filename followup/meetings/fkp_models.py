"""Models of the Forum Konsultasi Publik's berita acara: the agreed problems and
recommendations (tracked until done, shown publicly) and the community representatives
who sign it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm_portal.nip import validate_nip

from ..plans.models import Activity
from . import words
from .models import Meeting, Sex
from .signature import svg

DEFAULT_COMMITMENTS = (
    "Pimpinan Unit Penyelenggara Pelayanan dapat menerima identifikasi masalah, usulan rekomendasi, jangka waktu "
    "dan berkomitmen menindaklanjuti rekomendasi perbaikan tersebut sebagai upaya peningkatan kualitas pelayanan "
    "publik.\n\n"
    "Masyarakat dan stakeholder yang hadir akan melakukan pemantauan dan mengawasi progres tindak lanjut perbaikan "
    "yang dilakukan oleh Unit Penyelenggara Pelayanan sesuai usulan rekomendasi dan jangka waktu penyelesaian yang "
    "telah disepakati bersama."
)


class BeritaAcara(models.Model):
    """The berita acara of an FKP: the agreed problems and recommendations, commitments, signatures."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="berita_acara")
    commitments = models.TextField(
        _("paragraf komitmen"), default=DEFAULT_COMMITMENTS, help_text=_("Pisahkan paragraf dengan baris kosong.")
    )
    place = models.CharField(_("tempat penandatanganan"), max_length=80, default="Samarinda")
    signed_on = models.DateField(_("tanggal penandatanganan"))
    left_title = models.CharField(_("jabatan penanda tangan kiri"), max_length=200)
    left_name = models.CharField(_("nama penanda tangan kiri"), max_length=200)
    left_rank = models.CharField(_("pangkat penanda tangan kiri"), max_length=120, blank=True)
    left_nip = models.CharField(_("NIP penanda tangan kiri"), max_length=21, blank=True, validators=[validate_nip])
    right_title = models.CharField(_("jabatan penanda tangan kanan"), max_length=200)
    right_name = models.CharField(_("nama penanda tangan kanan"), max_length=200)
    right_rank = models.CharField(_("pangkat penanda tangan kanan"), max_length=120, blank=True)
    right_nip = models.CharField(_("NIP penanda tangan kanan"), max_length=21, blank=True, validators=[validate_nip])
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("berita acara FKP")
        verbose_name_plural = _("berita acara FKP")

    def __str__(self) -> str:
        return f"Berita acara {self.meeting}"

    def clean(self) -> None:
        for field in ("left_nip", "right_nip"):
            value = getattr(self, field)
            if value:
                setattr(self, field, "".join(value.split()))

    @property
    def commitment_paragraphs(self) -> list[str]:
        return words.paragraphs(self.commitments)

    @property
    def date_in_words(self) -> words.DateInWords:
        return words.date_in_words(self.meeting.date)


class Recommendation(models.Model):
    """One row of the berita acara table, tracked until it is done; shown publicly."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Belum dimulai")
        IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
        DONE = "done", _("Selesai")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("no."))
    problem = models.TextField(_("identifikasi masalah"))
    recommendation = models.TextField(_("usulan rekomendasi perbaikan"))
    completion_period = models.CharField(_("jangka waktu penyelesaian"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    responsible_unit = models.CharField(_("unit penanggung jawab"), max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fkp_recommendations",
        verbose_name=_("kegiatan RTL"),
    )
    followup_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_recommendations",
        verbose_name=_("rapat tindak lanjut"),
    )
    progress_note = models.TextField(
        _("perkembangan"), blank=True, help_text=_("Tampil di halaman publik. Jangan memuat data pribadi.")
    )
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("rekomendasi FKP")
        verbose_name_plural = _("rekomendasi FKP")
        ordering = ["meeting", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="followup_recommendation_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.recommendation[:60]}"

    def clean(self) -> None:
        if self.followup_meeting_id and self.followup_meeting_id == self.meeting_id:
            raise ValidationError({"followup_meeting": _("Pilih rapat lain, bukan FKP ini sendiri.")})


class Representative(models.Model):
    """A community representative who signs the berita acara. The phone number is personal data."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="representatives")
    number = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("nama"), max_length=200)
    phone = models.CharField(_("no. HP"), max_length=30, blank=True)
    sex = models.CharField(_("jenis kelamin (L/P)"), max_length=1, choices=Sex.choices, blank=True)
    represents = models.CharField(_("perwakilan"), max_length=200)
    signature_path = models.TextField(_("tanda tangan (gambar)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("perwakilan masyarakat")
        verbose_name_plural = _("perwakilan masyarakat")
        ordering = ["meeting", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="followup_representative_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self) -> None:
        if self.phone:
            digits = self.phone.replace(" ", "").replace("-", "").removeprefix("+")
            if not digits.isdigit() or not 8 <= len(digits) <= 15:
                raise ValidationError({"phone": _("Nomor HP hanya berisi angka (8 sampai 15 angka).")})

    @property
    def signature_svg(self) -> str:
        return svg(self.signature_path) if self.signature_path else ""
