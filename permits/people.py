"""The permits app's field on the administrator's person form: a dinas teknis user's agency.

Registered with the shell (`skm_portal.person_extensions`) in `PermitsConfig.ready`, so the
shell's people pages link users to agencies without importing this app.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from skm_portal.person_extensions import PersonExtension
from skm_portal.roles import Role

from .models import Agency, AgencyMembership


def _field() -> forms.Field:
    return forms.ModelChoiceField(
        label=_("Dinas teknis"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="—",
        help_text=_("Hanya untuk peran Dinas Teknis: berkas yang dikirim ke dinas ini yang dapat dilihat."),
    )


def _current(user) -> Agency | None:
    membership = AgencyMembership.objects.filter(user=user).select_related("agency").first()
    return membership.agency if membership else None


def _validate(roles: Sequence[Role], agency: Agency | None) -> None:
    if Role.DINAS_TEKNIS in roles and agency is None:
        raise ValidationError({"agency": _("Pilih dinas teknis tempat pengguna ini bekerja.")})
    if agency is not None and Role.DINAS_TEKNIS not in roles:
        raise ValidationError({"agency": _("Dinas teknis hanya untuk pengguna berperan Dinas Teknis.")})


def _store(user, agency: Agency | None) -> None:
    AgencyMembership.objects.filter(user=user).exclude(agency=agency).delete()
    if agency is not None:
        AgencyMembership.objects.get_or_create(user=user, agency=agency)


def _shown(user) -> list[str]:
    return [membership.agency.name for membership in user.agency_memberships.all()]


AGENCY_FIELD = PersonExtension(
    name="agency",
    label=_("dinas teknis"),
    field=_field,
    current=_current,
    validate=_validate,
    store=_store,
    shown=_shown,
    prefetch=("agency_memberships__agency",),
)
