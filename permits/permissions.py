"""Object-level rules for permit files: who sees a file, who may act on it.

Role-level rules are `skm_portal.permissions.ACTIONS` ("permits.*") and the workflow
table; this module adds the objects: an applicant sees only their own files, a dinas
teknis user only the files sent to their agency, the office's officers every file.
Complaints carry the complainant's personal data: only the office's officers (not the
technical agencies, who process permits too) see them, and the complaint table says who
records a consultation and who answers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from skm_portal.permissions import user_roles
from skm_portal.roles import Role

from . import complaints
from .models import AgencyMembership, PermitApplication
from .workflow import Transition

OFFICE_ROLES = frozenset({Role.BACKOFFICE, Role.KASI, Role.KABID, Role.KEPALA_DINAS})


def agency_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(AgencyMembership.objects.filter(user=user, agency__is_active=True).values_list("agency_id", flat=True))


def visible_permits(user) -> QuerySet[PermitApplication]:
    """Every file `user` may see (the union over the user's roles)."""
    roles = user_roles(user)
    files = PermitApplication.objects.select_related("permit_type", "agency", "applicant")
    if roles & OFFICE_ROLES:
        return files.exclude(submitted_at__isnull=True)
    condition = Q(pk__in=[])
    if Role.PEMOHON in roles:
        condition |= Q(applicant=user)
    if Role.DINAS_TEKNIS in roles:
        condition |= Q(agency_id__in=agency_ids_of(user), sent_to_agency_at__isnull=False)
    return files.filter(condition)


def may_act(user, permit: PermitApplication, row: Transition) -> bool:
    """May `user` do the transition `row` on this file (role and object together)?"""
    for role in user_roles(user) & row.roles:
        if role in OFFICE_ROLES:
            return True
        if role == Role.PEMOHON and permit.applicant_id == user.pk:
            return True
        if role == Role.DINAS_TEKNIS and permit.agency_id in agency_ids_of(user):
            return True
    return False


def may_handle_complaints(user) -> bool:
    """May `user` see the complaints with the complainants' contact data?"""
    return bool(user_roles(user) & OFFICE_ROLES)


def may_act_on_complaint(user, action: complaints.Action) -> bool:
    """May `user` do `action` on a complaint in some status (the table's roles)?"""
    roles = user_roles(user) & OFFICE_ROLES
    return any(row.action == action and row.roles & roles for row in complaints.TRANSITIONS)
