"""The survey kiosk at a service counter: counters, the tablets paired with them, unlocks.

A tablet is paired with a counter by a one-time code an officer shows in the app; the
tablet then holds a random device key (a cookie) whose SHA-256 only is stored here, so
the table leaks nothing that would let anyone act as the tablet. Unpairing ends the key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Response, Service


class Counter(models.Model):
    """A service counter (loket) with its service and how its kiosk behaves."""

    class Layout(models.TextChoices):
        ONE_PER_SCREEN = "one", _("Satu pertanyaan per layar")
        ALL_ON_ONE = "all", _("Semua pertanyaan dalam satu layar")

    class Unlock(models.TextChoices):
        NONE = "none", _("Tanpa pembukaan (langsung siap untuk responden berikutnya)")
        OFFICER = "officer", _("Dibuka petugas loket dengan tombol di aplikasi")
        TICKET = "ticket", _("Nomor antrean responden (sekali pakai)")

    name = models.CharField(_("nama loket"), max_length=80, unique=True)
    service = models.ForeignKey(Service, verbose_name=_("jenis layanan"), on_delete=models.PROTECT, related_name="+")
    layout = models.CharField(_("tampilan"), max_length=3, choices=Layout.choices, default=Layout.ONE_PER_SCREEN)
    idle_seconds = models.PositiveSmallIntegerField(
        _("kembali ke awal bila diam (detik)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(900)],
        help_text=_("Isian yang belum dikirim dihapus setelah kiosk tidak disentuh selama ini."),
    )
    min_seconds = models.PositiveSmallIntegerField(
        _("waktu isi paling singkat (detik)"),
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(600)],
        help_text=_("Jawaban yang diisi lebih cepat dari ini ditolak (mencegah isian asal-asalan)."),
    )
    unlock_mode = models.CharField(
        _("pembukaan untuk responden berikutnya"), max_length=8, choices=Unlock.choices, default=Unlock.NONE
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("loket kiosk")
        verbose_name_plural = _("loket kiosk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KioskDevice(models.Model):
    """A tablet paired (or waiting to be paired) with a counter."""

    counter = models.ForeignKey(Counter, verbose_name=_("loket"), on_delete=models.CASCADE, related_name="devices")
    pairing_code = models.CharField(_("kode pasangan"), max_length=12, blank=True, db_index=True)
    code_expires_at = models.DateTimeField(_("kode berlaku sampai"), null=True, blank=True)
    key_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    paired_at = models.DateTimeField(_("dipasangkan"), null=True, blank=True)
    unpaired_at = models.DateTimeField(_("dilepas"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("terakhir terhubung"), null=True, blank=True)

    class Meta:
        verbose_name = _("perangkat kiosk")
        verbose_name_plural = _("perangkat kiosk")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], condition=~Q(key_hash=""), name="kiosk_device_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.counter} #{self.pk}"

    @property
    def is_paired(self) -> bool:
        return self.paired_at is not None and self.unpaired_at is None

    def state_label(self) -> str:
        if self.unpaired_at is not None:
            return str(_("dilepas"))
        if self.paired_at is not None:
            return str(_("terpasang"))
        if self.code_expires_at and self.code_expires_at > timezone.now():
            return str(_("menunggu kode dimasukkan"))
        return str(_("kode kedaluwarsa"))


class KioskUnlock(models.Model):
    """One permission to take a response at a counter: an officer's button press or a
    respondent's queue ticket. Used by exactly one response (`response`)."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("Petugas loket")
        TICKET = "ticket", _("Nomor antrean")

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="unlocks")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    ticket = models.CharField(_("nomor antrean"), max_length=20, blank=True)
    day = models.DateField(_("tanggal"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="kiosk_unlock"
    )

    class Meta:
        verbose_name = _("pembukaan kiosk")
        verbose_name_plural = _("pembukaan kiosk")
        ordering = ["created_at", "pk"]
        constraints = [
            # A queue ticket works once a day in the whole office, at any counter.
            models.UniqueConstraint(fields=["day", "ticket"], condition=~Q(ticket=""), name="kiosk_ticket_once_a_day")
        ]

    def __str__(self) -> str:
        return self.ticket or f"{self.counter} {self.created_at:%H:%M}"
