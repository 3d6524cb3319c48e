"""Roles are Django groups; these are their stable names and the labels people read."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    PETUGAS_SKM = "petugas_skm"
    BACKOFFICE = "backoffice"
    KASI = "kasi"
    KABID = "kabid"
    DINAS_TEKNIS = "dinas_teknis"
    KEPALA_DINAS = "kepala_dinas"
    PEMOHON = "pemohon"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMINISTRATOR: _("Administrator"),
    Role.PETUGAS_SKM: _("Petugas SKM"),
    Role.BACKOFFICE: _("Petugas Backoffice"),
    Role.KASI: _("Kepala Seksi (Kasi)"),
    Role.KABID: _("Kepala Bidang (Kabid)"),
    Role.DINAS_TEKNIS: _("Dinas Teknis"),
    Role.KEPALA_DINAS: _("Kepala Dinas"),
    Role.PEMOHON: _("Pemohon"),
}

OFFICER_ROLES = frozenset(Role) - {Role.PEMOHON}
