"""One place that answers "may this user do X?", and the view guards that enforce it.

Actions are strings "<area>.<verb>"; the table maps each to the roles allowed. Object-level
rules (an applicant's own files, an agency's files) are added by the apps that own them.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role

ACTIONS: dict[str, frozenset[Role]] = {
    "portal.dashboard": frozenset(Role),
    "portal.edit_office": frozenset({Role.ADMINISTRATOR}),
    "portal.manage_people": frozenset({Role.ADMINISTRATOR}),
    "portal.audit": frozenset({Role.ADMINISTRATOR, Role.KEPALA_DINAS}),
    "portal.mail_status": frozenset({Role.ADMINISTRATOR}),
    "surveys.view_results": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KEPALA_DINAS, Role.KABID, Role.KASI}),
    "surveys.manage": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM}),
    "surveys.export": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KEPALA_DINAS}),
    # The counter officer opens the kiosk for the next respondent.
    "surveys.kiosk": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.BACKOFFICE}),
    "permits.apply": frozenset({Role.PEMOHON}),
    "permits.process": frozenset({Role.BACKOFFICE, Role.KASI, Role.KABID, Role.DINAS_TEKNIS, Role.KEPALA_DINAS}),
    "permits.view": frozenset(
        {Role.PEMOHON, Role.BACKOFFICE, Role.KASI, Role.KABID, Role.DINAS_TEKNIS, Role.KEPALA_DINAS}
    ),
    "permits.analytics": frozenset(
        {Role.BACKOFFICE, Role.KASI, Role.KABID, Role.KEPALA_DINAS, Role.ADMINISTRATOR, Role.PETUGAS_SKM}
    ),
    "permits.admin": frozenset({Role.ADMINISTRATOR}),
    "followup.view": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KASI, Role.KABID, Role.KEPALA_DINAS}),
    "followup.manage": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KABID, Role.KASI}),
    "followup.sign": frozenset({Role.KEPALA_DINAS}),
    "reports.view": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KABID, Role.KASI, Role.KEPALA_DINAS}),
    "reports.edit": frozenset({Role.ADMINISTRATOR, Role.PETUGAS_SKM}),
    "reports.sign": frozenset({Role.KEPALA_DINAS}),
}


def user_roles(user) -> frozenset[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_skm_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR}
        user._skm_roles = cached
    return cached


def has_permission(user, action: str, obj=None) -> bool:
    try:
        allowed = ACTIONS[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}") from None
    return bool(user_roles(user) & allowed)


def _check(request, action: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_permission(request.user, action):
        raise PermissionDenied
    return None


def permission_required(action: str):
    """Decorator for function views: anonymous -> login page, no role -> 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _check(request, action) or view(request, *args, **kwargs)

        wrapped.skm_permission = action
        return wrapped

    return decorator


class PermissionRequiredMixin:
    """Class-based views: set `permission = "area.verb"`."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        return _check(request, self.permission) or super().dispatch(request, *args, **kwargs)
