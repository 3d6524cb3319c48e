"""Follow-up of SKM results: priority elements, their plans (RTL), activities,
realisation steps, evidence and the audit log; meetings and Forum Konsultasi Publik
(FKP) with their letters, minutes, attendance and berita acara.

A `FollowUpPlan` is one confirmed priority element of a period; its activities are the
plan's programs (a., b., ...) with a status each; realisation steps say what was done
(ordered descriptions with dates); evidence hangs on an activity (optionally on one
step): a private file, a link, or a reference to another record of the app (a meeting,
an FKP) through a generic relation, so those apps can be linked without a migration here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm_portal.nip import validate_nip
from surveys.models import Period

from . import words
from .ordering import letter
from .progress import Progress
from .storage import evidence_storage, evidence_upload_to


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
    # A meeting, letter or FKP record once those apps exist (generic, so no migration here).
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
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def record_meeting(self):
        """The meeting or FKP this evidence refers to, if it refers to one."""
        record = self.record if self.kind == self.Kind.RECORD else None
        return record if record is not None and record._meta.model_name == "meeting" else None


# --- meetings and Forum Konsultasi Publik --------------------------------------------


def new_checkin_token() -> str:
    import secrets

    return secrets.token_urlsafe(16)


class LetterCounter(models.Model):
    """The office's running letter number of a year (nomor agenda surat keluar).

    Numbers are taken only inside `letter_numbers` (called by
    `meeting_services.invitation_assign_number`), with this row locked
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
        from .signature import svg

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
        from .signature import svg

        return svg(self.signature_path) if self.signature_path else ""
