"""Survey data: the questionnaire as data, master data, responses and one-time links.

Answers live in fixed score slots on the response row (`s01` ... `s30`); an element of a
questionnaire names its slot. One row per respondent keeps the form's insert, the import
and the database aggregate (one scan, SUM/COUNT per slot) fast, while the questionnaire
stays data: codes, names, questions, labels, weights and order are rows of `Element`.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_ELEMENTS = 30
SCORE_SLOTS = tuple(f"s{i:02d}" for i in range(1, MAX_ELEMENTS + 1))


def slot_field(number: int) -> str:
    return SCORE_SLOTS[number - 1]


class Questionnaire(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("kuesioner")
        verbose_name_plural = _("kuesioner")
        ordering = ["-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_questionnaire")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def active(cls) -> Questionnaire:
        return cls.objects.prefetch_related("elements").get(is_active=True)


class Element(models.Model):
    """One element (unsur) of a questionnaire; scores a=1, b=2, c=3, d=4.

    `source` records where the element comes from, so the report says it truthfully
    ("9 unsur PermenPAN-RB 14/2017 ditambah 2 unsur Survei Penilaian Integritas").
    """

    class Source(models.TextChoices):
        PERMENPAN = "permenpan", _("PermenPAN-RB Nomor 14 Tahun 2017")
        SPI = "spi", _("Survei Penilaian Integritas (SPI)")
        OWN = "own", _("Unsur tambahan unit pelayanan")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField(
        _("kode"),
        max_length=10,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]*$", _("Kode hanya huruf besar dan angka, mis. U1."))],
    )
    name = models.CharField(_("unsur"), max_length=120)
    question = models.TextField(_("pertanyaan"))
    label_1 = models.CharField(_("jawaban a (nilai 1)"), max_length=120)
    label_2 = models.CharField(_("jawaban b (nilai 2)"), max_length=120)
    label_3 = models.CharField(_("jawaban c (nilai 3)"), max_length=120)
    label_4 = models.CharField(_("jawaban d (nilai 4)"), max_length=120)
    weight = models.DecimalField(
        _("bobot relatif"),
        max_digits=8,
        decimal_places=4,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Bobot dinormalkan sehingga jumlahnya tepat 1; bobot sama untuk semua unsur = 1."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    slot = models.PositiveSmallIntegerField(
        _("kolom nilai"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ELEMENTS)]
    )
    source = models.CharField(
        _("sumber unsur"),
        max_length=10,
        choices=Source.choices,
        default=Source.PERMENPAN,
        help_text=_("Dasar unsur ini; laporan menyebutkan jumlah unsur per sumber."),
    )

    class Meta:
        verbose_name = _("unsur")
        verbose_name_plural = _("unsur")
        ordering = ["questionnaire", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_element_code"),
            models.UniqueConstraint(fields=["questionnaire", "slot"], name="unique_element_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def field(self) -> str:
        return slot_field(self.slot)

    @property
    def labels(self) -> list[str]:
        return [self.label_1, self.label_2, self.label_3, self.label_4]


class Service(models.Model):
    """A kind of service (jenis layanan) respondents received."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama layanan"), max_length=200, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    class Kind(models.TextChoices):
        SEMESTER = "semester", _("Semester")
        TRIWULAN = "triwulan", _("Triwulan")
        TAHUN = "tahun", _("Tahun")
        CUSTOM = "custom", _("Lainnya")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Dihitung dari jawaban responden")
        PUBLISHED = "published", _("Agregat terpublikasi (dientri)")

    name = models.CharField(_("nama periode"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    service_users = models.PositiveIntegerField(
        _("jumlah pengguna layanan"),
        null=True,
        blank=True,
        help_text=_("Populasi periode ini untuk cek jumlah sampel."),
    )
    source = models.CharField(_("sumber hasil"), max_length=10, choices=Source.choices, default=Source.COMPUTED)
    published_respondents = models.PositiveIntegerField(_("jumlah responden (agregat)"), null=True, blank=True)
    source_note = models.TextField(_("sumber data agregat"), blank=True)
    is_public = models.BooleanField(_("tampilkan di halaman publik"), default=True)

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["start_date", "end_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published_aggregate(self) -> bool:
        return self.source == self.Source.PUBLISHED

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})


class PublishedElementResult(models.Model):
    """An element index entered from an earlier system's published results."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="published_results")
    code = models.CharField(_("kode unsur"), max_length=10)
    name = models.CharField(_("unsur"), max_length=120)
    index = models.DecimalField(
        _("indeks"), max_digits=6, decimal_places=3, validators=[MinValueValidator(25), MaxValueValidator(100)]
    )
    weight = models.DecimalField(_("bobot relatif"), max_digits=8, decimal_places=4, default=1)
    order = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("indeks unsur terpublikasi")
        verbose_name_plural = _("indeks unsur terpublikasi")
        ordering = ["period", "order"]
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="unique_published_code")]

    def __str__(self) -> str:
        return f"{self.period} {self.code}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_expiry():
    return timezone.now() + timedelta(days=settings.SKM_TOKEN_VALID_DAYS)


class SurveyToken(models.Model):
    """A one-time survey link for one finished service (e.g. a permit file)."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tokens")
    reference = models.CharField(_("nomor berkas"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=token_expiry)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tautan survei sekali pakai")
        verbose_name_plural = _("tautan survei sekali pakai")

    def __str__(self) -> str:
        return self.reference or self.token[:8]


class Response(models.Model):
    """One respondent's answers. Anonymous: no name, no IP address is stored."""

    class Sex(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "SD", "SD"
        SMP = "SMP", "SMP"
        SMA = "SMA", "SMA"
        D1_D3 = "D1-D3", "D1-D3"
        D4_S1 = "D4/S1", "D4/S1"
        S2 = "S2", "S2"
        S3 = "S3", "S3"

    class Occupation(models.TextChoices):
        PNS = "PNS", "PNS"
        TNI = "TNI", "TNI"
        POLRI = "POLRI", "POLRI"
        SWASTA = "SWASTA", _("Swasta")
        WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
        LAINNYA = "LAINNYA", _("Lainnya")

    class Channel(models.TextChoices):
        FORM = "form", _("Formulir publik")
        TOKEN = "token", _("Tautan sekali pakai")
        IMPORT = "import", _("Impor berkas")
        DEMO = "demo", _("Data demo")
        KIOSK = "kiosk", _("Kiosk loket")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="responses")
    survey_date = models.DateField(_("tanggal survei"))
    submitted_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.FORM)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(
        _("usia"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(120)]
    )
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True)
    occupation_other = models.CharField(_("pekerjaan lainnya"), max_length=100, blank=True)
    suggestion = models.TextField(_("saran dan masukan"), blank=True)
    token = models.OneToOneField(SurveyToken, on_delete=models.PROTECT, null=True, blank=True, related_name="response")
    # The source system's own response id, from the optional `id` column of an import:
    # re-importing an overlapping export skips the ids already here. Empty otherwise
    # (two respondents may answer alike: identical rows without an id are both kept).
    source_id = models.CharField(_("id di sistem asal"), max_length=64, blank=True, default="", db_default="")
    # Kiosk answers: the counter they were given at, and the id the tablet made for the
    # answer (a UUID), so an answer sent again after a dropped connection counts once.
    counter = models.ForeignKey(
        "surveys.Counter",
        verbose_name=_("loket"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    client_id = models.UUIDField(_("id jawaban di perangkat"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("jawaban responden")
        verbose_name_plural = _("jawaban responden")
        indexes = [
            models.Index(fields=["survey_date", "service"], name="response_date_service"),
            # The officers' list of responses pages newest first.
            models.Index(fields=["-survey_date", "-id"], name="response_date_desc"),
            # The results pages page through the saran of a date range, oldest first.
            models.Index(fields=["survey_date", "id"], condition=~Q(suggestion=""), name="response_suggestion_date"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source_id"], condition=~Q(source_id=""), name="response_source_id_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.survey_date}"

    def score(self, element: Element) -> int | None:
        return getattr(self, element.field)


_score_validators = [MinValueValidator(1), MaxValueValidator(4)]
for _name in SCORE_SLOTS:
    Response.add_to_class(_name, models.PositiveSmallIntegerField(null=True, blank=True, validators=_score_validators))


class ImportBatch(models.Model):
    """One imported response file. Its content hash (SHA-256) refuses the same file twice."""

    class Source(models.TextChoices):
        PAGE = "page", _("halaman Impor")
        COMMAND = "command", _("perintah skm_import_responses")

    sha256 = models.CharField(_("SHA-256 isi berkas"), max_length=64, unique=True)
    file_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("diimpor pada"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("melalui"), max_length=10, choices=Source.choices, default=Source.PAGE)
    imported = models.PositiveIntegerField(_("baris diimpor"), default=0)
    skipped = models.PositiveIntegerField(_("baris dilewati (id sudah ada)"), default=0)

    class Meta:
        verbose_name = _("impor berkas jawaban")
        verbose_name_plural = _("impor berkas jawaban")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name or self.sha256[:12]} ({self.imported_at:%Y-%m-%d})"


def _column_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


# The respondent profile a tally counts: (dimension, stored value, column). "" is "not
# filled" (also values outside today's choices, as the results pages count them).
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("<20", None, 19),
    ("20-29", 20, 29),
    ("30-39", 30, 39),
    ("40-49", 40, 49),
    ("50-59", 50, 59),
    (">=60", 60, None),
)
PROFILE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    *(("sex", value, f"sex_{_column_key(value)}") for value in Response.Sex.values),
    ("sex", "", "sex_none"),
    *(("age", key, f"age_{n}") for n, (key, _low, _high) in enumerate(AGE_BANDS, start=1)),
    ("age", "", "age_none"),
    *(("education", value, f"edu_{_column_key(value)}") for value in Response.Education.values),
    ("education", "", "edu_none"),
    *(("occupation", value, f"occ_{_column_key(value)}") for value in Response.Occupation.values),
    ("occupation", "", "occ_none"),
)
TALLY_SLOT_SUFFIXES = ("total", "squares", "answers")


def tally_slot_columns(slot: str) -> tuple[str, str, str]:
    """The tally's columns of a score slot: sum of scores, sum of squared scores, answers."""
    return tuple(f"{slot}_{suffix}" for suffix in TALLY_SLOT_SUFFIXES)


class ResponseTally(models.Model):
    """Exact integer sums of the responses of one day, service, questionnaire and channel.

    Every result (pages, trend, profile, command, report) is read from these rows, so a
    year of a million responses is a few thousand rows. They change in the same
    transaction as the responses they count (`surveys.tallies`), never by a trigger;
    `manage.py skm_tallies_rebuild` recomputes them from the responses.
    """

    survey_date = models.DateField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10)
    # Submissions spread over a few rows per bucket, so concurrent ones do not queue on one
    # row lock until commit; imports and the rebuild write shard 0. Reads sum them all.
    shard = models.PositiveSmallIntegerField(default=0, db_default=0)
    respondents = models.BigIntegerField(default=0, db_default=0)
    # Sum and sum of squares of each respondent's weighted total (ikm.Moments).
    resp_total = models.BigIntegerField(default=0, db_default=0)
    resp_squares = models.BigIntegerField(default=0, db_default=0)
    suggestions = models.BigIntegerField(default=0, db_default=0)  # responses with a non-empty saran

    class Meta:
        verbose_name = _("rekap harian jawaban")
        verbose_name_plural = _("rekap harian jawaban")
        constraints = [
            models.UniqueConstraint(
                fields=["survey_date", "service", "questionnaire", "channel", "shard"], name="response_tally_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_date} {self.service_id} {self.channel}"


for _name in SCORE_SLOTS:
    for _column in tally_slot_columns(_name):
        ResponseTally.add_to_class(_column, models.BigIntegerField(default=0, db_default=0))
for _dimension, _value, _column in PROFILE_COLUMNS:
    ResponseTally.add_to_class(_column, models.BigIntegerField(default=0, db_default=0))


class TallyVersion(models.Model):
    """One row: a random token renewed whenever responses land in a past day, so cached
    results of closed periods are read again (a rolled-back test leaves no stale key)."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("versi rekap")
        verbose_name_plural = _("versi rekap")

    def __str__(self) -> str:
        return self.token


# Kiosk models live in their own module; imported here so Django registers them.
from .kiosk_models import Counter, KioskDevice, KioskUnlock  # noqa: E402, F401
from .models_exports import ExportJob  # noqa: E402, F401  (its own module, registered with the app here)
