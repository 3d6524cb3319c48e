"""Models of the meetings half: meetings and Forum Konsultasi Publik (FKP) with their
invitation letter and its number, invitees, minutes, attendance (QR check-in and paper
lists), and the FKP's berita acara, recommendations and representatives.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm_portal.nip import validate_nip

from ..plans.models import http_url
from ..storage import evidence_storage, evidence_upload_to
from . import words
from .signature import svg


def new_checkin_token() -> str:
    return secrets.token_urlsafe(16)


class LetterCounter(models.Model):
    """The office's running letter number of a year (nomor agenda surat keluar).

    Numbers are taken only inside `letter_numbers` (called by
    `services.invitation_assign_number`), with this row locked
    (select_for_update): every numbering of a year, by hand, from a reserved range or by
    the app, queues on it, so two officers never get the same number."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)
    first_number = models.PositiveIntegerField(
        _("nomor pertama"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Nomor pertama yang diberikan aplikasi pada tahun ini, mis. bila tahun sudah berjalan."),
    )

    class Meta:
        verbose_name = _("penghitung nomor surat")
        verbose_name_plural = _("penghitung nomor surat")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class LetterNumberRange(models.Model):
    """A block of running numbers the central agenda book reserved for letters made in
    the app (e.g. 1490-1499 of 2024). Numbers are drawn in order by `letter_numbers`."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    first = models.PositiveIntegerField(_("nomor awal"), validators=[MinValueValidator(1)])
    last = models.PositiveIntegerField(_("nomor akhir"), validators=[MinValueValidator(1)])
    next_number = models.PositiveIntegerField(_("nomor berikutnya"), editable=False)
    note = models.CharField(
        _("keterangan"), max_length=200, blank=True, help_text=_("Mis. dicadangkan oleh Subbagian Umum.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("rentang nomor surat")
        verbose_name_plural = _("rentang nomor surat")
        ordering = ["year", "first"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")),
                name="followup_letter_range_ordered",
                violation_error_message=_("Nomor akhir harus sama dengan atau lebih besar dari nomor awal."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first}\u2013{self.last}/{self.year}"

    @property
    def remaining(self) -> int:
        return max(self.last - self.next_number + 1, 0)

    @property
    def is_exhausted(self) -> bool:
        return self.next_number > self.last

    @property
    def is_untouched(self) -> bool:
        return self.next_number == self.first


class LetterNumberSource(models.TextChoices):
    AGENDA = "agenda", _("buku agenda")
    RANGE = "rentang", _("rentang nomor cadangan")
    APP = "aplikasi", _("aplikasi")


class Meeting(models.Model):
    """A meeting (rapat) or a Forum Konsultasi Publik, with its invitation letter."""

    class Kind(models.TextChoices):
        RAPAT = "rapat", _("Rapat")
        FKP = "fkp", _("Forum Konsultasi Publik")

    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices, default=Kind.RAPAT)
    title = models.CharField(
        _("nama kegiatan"),
        max_length=300,
        help_text=_("Mis. Forum Konsultasi Publik (FKP) Penyusunan Standar Pelayanan DPMPTSP Tahun 2024."),
    )
    agenda = models.TextField(_("agenda"))
    date = models.DateField(_("hari/tanggal"))
    start_time = models.TimeField(_("pukul"), null=True, blank=True)
    until_finished = models.BooleanField(_("s/d selesai"), default=True)
    end_time = models.TimeField(_("sampai pukul"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=300)
    place_detail = models.CharField(
        _("tempat lengkap (notula)"), max_length=300, blank=True, help_text=_("Mis. dengan alamat gedung.")
    )
    chair_position = models.CharField(_("jabatan pimpinan rapat"), max_length=300, blank=True)
    chair_name = models.CharField(_("nama pimpinan rapat"), max_length=200, blank=True)
    chair_nip = models.CharField(_("NIP pimpinan rapat"), max_length=21, blank=True, validators=[validate_nip])
    minute_taker_name = models.CharField(_("nama notulis"), max_length=200, blank=True)
    minute_taker_nip = models.CharField(_("NIP notulis"), max_length=21, blank=True, validators=[validate_nip])
    material_url = models.URLField(_("tautan bahan"), max_length=500, blank=True, validators=[http_url])

    # The invitation letter.
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    classification_code = models.CharField(_("kode klasifikasi"), max_length=30, help_text=_("Mis. 500.16.7.2."))
    unit_code = models.CharField(_("kode unit pengolah"), max_length=40, help_text=_("Mis. DPMPTSP-IV."))
    letter_year = models.PositiveSmallIntegerField(_("tahun nomor surat"), null=True, blank=True, editable=False)
    letter_number = models.PositiveIntegerField(_("nomor urut surat"), null=True, blank=True, editable=False)
    letter_number_source = models.CharField(
        _("asal nomor surat"), max_length=10, choices=LetterNumberSource.choices, blank=True, editable=False
    )
    nature = models.CharField(_("sifat"), max_length=40, default="Penting")
    attachment_sheets = models.PositiveSmallIntegerField(
        _("lampiran (lembar)"), default=1, validators=[MaxValueValidator(99)]
    )
    subject = models.CharField(_("perihal"), max_length=300, default="Undangan")
    invitees_attached = models.BooleanField(
        _("Yth. Daftar Terlampir"),
        default=True,
        help_text=_("Daftar undangan dilampirkan; bila tidak, undangan ditulis pada alamat surat."),
    )
    addressee_place = models.CharField(_("di (alamat)"), max_length=100, default="Tempat")
    opening = models.TextField(_("kalimat pembuka"))
    closing = models.TextField(
        _("kalimat penutup"),
        default="Demikian kami sampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
        help_text=_("Pisahkan paragraf dengan baris kosong."),
    )
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signer_rank = models.CharField(_("pangkat penanda tangan"), max_length=120, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=21, blank=True, validators=[validate_nip])
    carbon_copy = models.TextField(_("tembusan"), blank=True, help_text=_("Satu per baris."))

    checkin_token = models.CharField(max_length=40, unique=True, default=new_checkin_token, editable=False)
    checkin_closed = models.BooleanField(_("daftar hadir QR ditutup"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_year", "classification_code", "letter_number"],
                name="followup_letter_number_unique_per_code",
                violation_error_message=_(
                    "Nomor surat ini sudah dipakai surat lain dengan kode klasifikasi yang sama."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({words.date_plain(self.date)})"

    def clean(self) -> None:
        for field in ("chair_nip", "minute_taker_nip", "signer_nip"):
            value = getattr(self, field)
            if value:
                setattr(self, field, "".join(value.split()))
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Jam selesai harus setelah jam mulai.")})
        if self.letter_number and self.letter_date and self.letter_date.year != self.letter_year:
            raise ValidationError(
                {
                    "letter_date": _("Surat sudah bernomor tahun %(year)s; tanggal surat harus tetap di tahun itu.")
                    % {"year": self.letter_year}
                }
            )

    @property
    def is_fkp(self) -> bool:
        return self.kind == self.Kind.FKP

    @property
    def is_planned(self) -> bool:
        """Not held yet: its day (and start time, WITA) is still ahead."""
        now = timezone.localtime()
        if self.date != now.date():
            return self.date > now.date()
        return self.start_time is not None and self.start_time > now.time()

    @property
    def held_status(self) -> str:
        return str(_("Direncanakan")) if self.is_planned else str(_("Terlaksana"))

    @property
    def letter_reference(self) -> str:
        """ "500.16.7.2/1493/DPMPTSP-IV/2024", or "" before the number is given."""
        if not self.letter_number:
            return ""
        return f"{self.classification_code}/{self.letter_number}/{self.unit_code}/{self.letter_year}"

    @property
    def time_display(self) -> str:
        return words.time_label(self.start_time, self.until_finished, self.end_time)

    @property
    def attachment_display(self) -> str:
        return words.count_with_words(self.attachment_sheets, "lembar")

    @property
    def carbon_copy_lines(self) -> list[str]:
        return words.lines(self.carbon_copy)

    @property
    def opening_paragraphs(self) -> list[str]:
        return words.paragraphs(self.opening)

    @property
    def closing_paragraphs(self) -> list[str]:
        return words.paragraphs(self.closing)

    @property
    def last_attendee_number(self) -> int:
        """Highest number on the attendance list (uses prefetched attendees when present)."""
        return max((a.number for a in self.attendees.all()), default=0)

    @property
    def printed_attendees(self) -> list:
        """The attendance list as printed: struck (bogus) rows left out."""
        return [a for a in self.attendees.all() if not a.struck]

    @property
    def invitation_signed(self) -> bool:
        """A signed version of the invitation exists (reports.SignedVersion): from then on the
        letter (its number, text and signer) is what was signed and is no longer a draft."""
        return self.signed_invitations.exists()


class InviteeGroup(models.Model):
    """A group of the invitee list, e.g. "I. UNSUR AKADEMISI"; a plain meeting has one without heading."""

    class Unsur(models.TextChoices):
        PEMERINTAH = "pemerintah", _("Unsur pemerintah")
        AKADEMISI = "akademisi", _("Unsur akademisi")
        ASOSIASI = "asosiasi_lsm", _("Unsur asosiasi dan LSM")
        MEDIA = "media", _("Media massa")
        INTERNAL = "internal", _("Internal (pegawai instansi)")
        LAIN = "lainnya", _("Lainnya")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitee_groups")
    position = models.PositiveSmallIntegerField(_("urutan"))
    heading = models.CharField(_("judul kelompok"), max_length=200, blank=True)
    unsur = models.CharField(_("unsur"), max_length=20, choices=Unsur.choices, blank=True)

    class Meta:
        verbose_name = _("kelompok undangan")
        verbose_name_plural = _("kelompok undangan")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.heading or str(_("Undangan"))

    @property
    def roman(self) -> str:
        return words.roman(self.position)


class Invitee(models.Model):
    """One line of the invitee list: an official by position or a named person."""

    group = models.ForeignKey(InviteeGroup, on_delete=models.CASCADE, related_name="invitees")
    position = models.PositiveSmallIntegerField(_("urutan"))
    text = models.CharField(_("yang diundang"), max_length=300)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Minutes(models.Model):
    """Notula rapat: I dasar, II waktu dan tempat, III agenda, IV pimpinan dan peserta, V hasil."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    basis = models.TextField(_("dasar pelaksanaan"), help_text=_("Biasanya surat undangan rapat."))
    start_time = models.TimeField(
        _("waktu pelaksanaan"), null=True, blank=True, help_text=_("Kosongkan bila sama dengan undangan.")
    )
    participants = models.TextField(_("peserta rapat yang hadir"), blank=True, help_text=_("Satu per baris."))
    results = models.TextField(
        _("hasil rapat"), blank=True, help_text=_("Satu butir per paragraf; pisahkan butir dengan baris kosong.")
    )
    updated_at = models.DateTimeField(_("diubah"), default=timezone.now)

    class Meta:
        verbose_name = _("notula")
        verbose_name_plural = _("notula")

    def __str__(self) -> str:
        return f"Notula {self.meeting}"

    @property
    def participant_lines(self) -> list[str]:
        return words.lines(self.participants)

    @property
    def points(self) -> list[str]:
        return words.numbered_points(self.results)

    @property
    def time_display(self) -> str:
        meeting = self.meeting
        return words.time_label(self.start_time or meeting.start_time, meeting.until_finished, meeting.end_time)


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Attendee(models.Model):
    """One line of the attendance list, signed on the QR page or typed from a paper list."""

    class Source(models.TextChoices):
        QR = "qr", _("Isi sendiri (QR)")
        MANUAL = "manual", _("Dicatat petugas")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    number = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("nama"), max_length=200)
    institution = models.CharField(_("instansi/jabatan"), max_length=200, blank=True)
    sex = models.CharField(_("L/P"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(
        _("usia"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(100)]
    )
    signature_path = models.TextField(_("tanda tangan (gambar)"), blank=True, editable=False)
    signature_typed = models.CharField(_("tanda tangan (nama diketik)"), max_length=200, blank=True)
    source = models.CharField(_("sumber"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    # Name and institution normalised (checkin.person_key): one row per person per meeting.
    person_key = models.CharField(max_length=420, blank=True, editable=False)
    # A bogus row is struck by an officer, not deleted: kept with the reason, not printed.
    struck = models.BooleanField(_("dicoret"), default=False)
    struck_reason = models.CharField(_("alasan dicoret"), max_length=300, blank=True)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    struck_at = models.DateTimeField(_("dicoret pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("peserta hadir")
        verbose_name_plural = _("daftar hadir")
        ordering = ["meeting", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="followup_attendee_number"),
            models.UniqueConstraint(
                fields=["meeting", "person_key"],
                condition=models.Q(struck=False) & ~models.Q(person_key=""),
                name="followup_attendee_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def signature_svg(self) -> str:
        return svg(self.signature_path) if self.signature_path else ""


class AttendanceScan(models.Model):
    """The scanned paper attendance list (PDF, JPEG or PNG), kept privately."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance_scans")
    title = models.CharField(_("keterangan"), max_length=200)
    file = models.FileField(_("berkas"), storage=evidence_storage, upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=60)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("pindaian daftar hadir")
        verbose_name_plural = _("pindaian daftar hadir")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title
