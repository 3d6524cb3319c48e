from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .logo import validate_logo
from .nip import normalise_nip, validate_nip


class OfficeProfile(models.Model):
    """The office whose letterheads, reports and pages the portal produces. One row."""

    government = models.CharField(_("pemerintah daerah"), max_length=200, default="Pemerintah Provinsi")
    name = models.CharField(
        _("nama instansi"), max_length=200, default="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    )
    short_name = models.CharField(_("singkatan"), max_length=60, default="DPMPTSP")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    city = models.CharField(_("kota (tempat surat)"), max_length=80, blank=True)
    phone = models.CharField(_("telepon"), max_length=120, blank=True)
    other_phones = models.TextField(
        _("nomor layanan lain"), blank=True, help_text=_('Satu per baris, mis. "Konsultasi Pengaduan +6285173066557".')
    )
    email = models.EmailField(_("pos-el"), blank=True)
    website = models.URLField(_("laman"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="office/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"]), validate_logo],
        help_text=_("PNG, JPEG atau SVG tanpa skrip, paling besar 1 MB; dicetak pada kop surat dan sampul laporan."),
    )
    head_title = models.CharField(_("jabatan kepala"), max_length=200, default="Kepala Dinas")
    head_name = models.CharField(_("nama kepala"), max_length=200, blank=True)
    head_rank = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    head_nip = models.CharField(_("NIP kepala"), max_length=21, blank=True, validators=[validate_nip])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil instansi")
        verbose_name_plural = _("profil instansi")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.head_nip:
            self.head_nip = normalise_nip(self.head_nip)

    @property
    def other_phone_lines(self) -> list[str]:
        return [line.strip() for line in self.other_phones.splitlines() if line.strip()]

    @classmethod
    def get(cls) -> OfficeProfile:
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile


class AuditEntry(models.Model):
    """One line of the portal's audit log: who changed what, when, in any app.

    Written only through `skm_portal.audit.audit_record`, inside the transaction of the
    change it describes, so a change and its audit line are saved together or not at all.
    The changed object is named by type and id (not a foreign key) so the line outlives it.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_display = models.CharField(_("nama pengguna"), max_length=200, blank=True)
    app = models.CharField(_("bagian"), max_length=40, db_index=True)
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    object_type = models.CharField(_("jenis data"), max_length=80)
    object_id = models.CharField(_("id data"), max_length=64, blank=True)
    object_repr = models.CharField(_("data"), max_length=200, blank=True)
    summary = models.CharField(_("ringkasan"), max_length=500)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("log audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_display}: {self.summary}"

    @property
    def app_display(self) -> str:
        from .audit import app_label

        return app_label(self.app)

    @property
    def action_display(self) -> str:
        from .audit import action_label

        return action_label(self.action)

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """[(field label, old, new)] for templates."""
        rows = []
        for name, values in (self.changes or {}).items():
            if isinstance(values, list | tuple) and len(values) == 2:
                rows.append((name, values[0], values[1]))
            else:
                rows.append((name, "", str(values)))
        return rows


class AuditLink(models.Model):
    """An object an audit line belongs to besides its own (a plan's period, a meeting...).

    Lets each app show the history of one of its records (`audit_for`) from the one log."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="links")
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditlink_object_idx")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "object_type", "object_id"], name="auditlink_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class OutboundMail(models.Model):
    """One e-mail the portal must send, sent by a task after the change that caused it.

    Created in the transaction of the change (so a rolled-back change sends nothing) and
    sent by `skm_portal.tasks.send_outbound_mail`, which marks it sent under a row lock:
    running the task twice sends it once. Failed attempts keep the last error for the
    administrators' dashboard.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")

    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    kind = models.CharField(_("jenis"), max_length=60, blank=True)
    reference = models.CharField(_("rujukan"), max_length=100, blank=True)
    subject = models.CharField(_("subjek"), max_length=300)
    body = models.TextField(_("isi"))
    from_email = models.CharField(_("pengirim"), max_length=254)
    to = models.JSONField(_("penerima"), default=list)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail keluar")
        verbose_name_plural = _("e-mail keluar")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
