"""The permits app's object rules, registered with the one policy (`skm_portal.permissions`).

Role-level rules are `skm_portal.permissions.ACTIONS` ("permits.*") and the workflow table;
this module adds the objects: an applicant sees only their own files, a dinas teknis user
only the files sent to their agency, the office's officers every submitted file. Complaints
carry the complainant's personal data: only the office's officers see them
("permits.complaints"), and the complaint table says who records a consultation and who
answers. `register()` runs from `PermitsConfig.ready`; afterwards
`has_permission(user, "permits.view", permit)` answers for one file, `visible_permits(user)`
is the same rule as a query for lists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from skm_portal.permissions import register_object_rule, user_roles
from skm_portal.roles import Role

from . import complaints
from .models import AgencyMembership, PermitApplication
from .workflow import Transition

OFFICE_ROLES = frozenset({Role.BACKOFFICE, Role.KASI, Role.KABID, Role.KEPALA_DINAS})


def agency_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(AgencyMembership.objects.filter(user=user, agency__is_active=True).values_list("agency_id", flat=True))


def _relates(role: Role, user, permit: PermitApplication, *, sent_only: bool = True) -> bool:
    """Does `user`, in `role`, stand in a relation to this file that lets the role act on it?"""
    if role in OFFICE_ROLES:
        return True
    if role == Role.PEMOHON:
        return permit.applicant_id == user.pk
    if role == Role.DINAS_TEKNIS:
        sent = permit.sent_to_agency_at is not None or not sent_only
        return sent and permit.agency_id in agency_ids_of(user)
    return False


def visible_permits(user) -> QuerySet[PermitApplication]:
    """Every file `user` may see (the union over the user's roles): "permits.view" as a query."""
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


def may_see_permit(user, permit: PermitApplication) -> bool:
    """ "permits.view" on one file: the same answer as `visible_permits` for that file."""
    roles = user_roles(user)
    if roles & OFFICE_ROLES:
        return permit.submitted_at is not None
    return any(_relates(role, user, permit) for role in roles & {Role.PEMOHON, Role.DINAS_TEKNIS})


def may_process_permit(user, permit: PermitApplication) -> bool:
    """ "permits.process" on one file: the office on submitted files, an agency on its own."""
    roles = user_roles(user)
    if roles & OFFICE_ROLES:
        return permit.submitted_at is not None
    return Role.DINAS_TEKNIS in roles and _relates(Role.DINAS_TEKNIS, user, permit)


def may_apply_to_permit(user, permit: PermitApplication) -> bool:
    """ "permits.apply" on one file (revise, resubmit): the applicant's own file only."""
    return permit.applicant_id == user.pk


def may_act(user, permit: PermitApplication, row: Transition) -> bool:
    """May `user` do the transition `row` on this file (the row's roles and the object together)?"""
    return any(_relates(role, user, permit, sent_only=False) for role in user_roles(user) & row.roles)


def may_act_on_complaint(user, action: complaints.Action) -> bool:
    """May `user` do `action` on a complaint in some status (the complaint table's roles)?"""
    roles = user_roles(user) & OFFICE_ROLES
    return any(row.action == action and row.roles & roles for row in complaints.TRANSITIONS)


def register() -> None:
    register_object_rule("permits.view", PermitApplication, may_see_permit)
    register_object_rule("permits.process", PermitApplication, may_process_permit)
    register_object_rule("permits.apply", PermitApplication, may_apply_to_permit)
