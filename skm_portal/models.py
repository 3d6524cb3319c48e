from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .logo import validate_logo
from .nip import format_nip, normalise_nip, validate_nip


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
    def head_nip_display(self) -> str:
        return format_nip(self.head_nip) if self.head_nip else ""

    @property
    def other_phone_lines(self) -> list[str]:
        return [line.strip() for line in self.other_phones.splitlines() if line.strip()]

    @classmethod
    def get(cls) -> OfficeProfile:
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile
