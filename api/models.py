"""Client systems of the JSON API and what they reported.

A client's key is shown once when it is issued; only its SHA-256 is stored, with the
first characters (`key_prefix`) to find the row and to tell keys apart on the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    name = models.CharField(_("nama sistem"), max_length=120, unique=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    key_prefix = models.CharField(_("awalan kunci"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("hash kunci (SHA-256)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class FinishedPermit(models.Model):
    """A finished permit an external system reported, and the survey link it received.

    One row per (client, reference): a repeated report returns the same link.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="finished_permits")
    reference = models.CharField(_("nomor berkas"), max_length=120)
    service = models.ForeignKey("surveys.Service", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail pemohon"))
    token = models.OneToOneField("surveys.SurveyToken", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dilaporkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("izin selesai (sistem lain)")
        verbose_name_plural = _("izin selesai (sistem lain)")
        constraints = [models.UniqueConstraint(fields=["client", "reference"], name="finished_permit_once")]

    def __str__(self) -> str:
        return self.reference
