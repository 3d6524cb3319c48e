"""The one policy that answers "may this user do X (to this object)?", and its view guards.

Actions are strings "<area>.<verb>"; `ACTIONS` maps each to the roles allowed. Object rules
(an applicant sees only their own files, a dinas teknis user only its agency's files) are
registered by the apps that own the objects, from their `AppConfig.ready`:

    register_object_rule("permits.view", PermitApplication, may_see_permit)

`has_permission(user, action, obj)` then asks the role table first and, for an object, the
rule registered for its model. Views use `permission_required(action)` (optionally with
`obj=` to load and check the object) or `get_object_or_403`; templates use
`{% can "permits.process" permit as may_process %}` (`skm_portal.templatetags.permissions`);
services that change data call `has_permission` again with the acting user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .roles import Role

ACTIONS: dict[str, frozenset[Role]] = {
    "portal.dashboard": frozenset(Role),
    "portal.edit_office": frozenset({Role.ADMINISTRATOR}),
    "portal.manage_people": frozenset({Role.ADMINISTRATOR}),
    "portal.audit": frozenset({Role.ADMINISTRATOR, Role.KEPALA_DINAS}),
    "portal.mail_status": frozenset({Role.ADMINISTRATOR}),
    "portal.api_clients": frozenset({Role.ADMINISTRATOR}),
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
    # Complaints carry the complainant's contact data: the office's officers only, not the
    # technical agencies (who process permits too).
    "permits.complaints": frozenset({Role.BACKOFFICE, Role.KASI, Role.KABID, Role.KEPALA_DINAS}),
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


ObjectRule = Callable[[Any, Any], bool]  # (user, obj) -> may this user do the action to obj?

_OBJECT_RULES: dict[tuple[str, type], ObjectRule] = {}


def register_object_rule(action: str, model: type, rule: ObjectRule) -> None:
    """Add the object rule of `action` for instances of `model` (called from an app's ready).

    The rule is asked only after the role table allowed the action, so it decides the
    relation alone (own file, own agency). Registering again for the same pair replaces it.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    _OBJECT_RULES[(action, model)] = rule


def _object_rule(action: str, obj) -> ObjectRule | None:
    for model in type(obj).__mro__:
        rule = _OBJECT_RULES.get((action, model))
        if rule is not None:
            return rule
    return None


def has_permission(user, action: str, obj=None) -> bool:
    """May `user` do `action` (to `obj`)? Roles first; then the object rule registered for
    `obj`'s model, if any (an object without a rule is governed by the role alone)."""
    try:
        allowed = ACTIONS[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}") from None
    if not user_roles(user) & allowed:
        return False
    if obj is None:
        return True
    rule = _object_rule(action, obj)
    return rule is None or bool(rule(user, obj))


def get_object_or_403(user, action: str, queryset, *, conceal: bool = False, **lookup):
    """The object (404 if there is none), if `user` may do `action` to it; else PermissionDenied.

    `conceal=True` answers a refusal with 404 too, so nobody learns that someone else's
    object (an applicant's file) exists.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not has_permission(user, action, obj):
        if conceal:
            raise Http404
        raise PermissionDenied
    return obj


def _check(request, action: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_permission(request.user, action):
        raise PermissionDenied
    return None


def permission_required(action: str, obj: Callable[..., Any] | None = None):
    """Decorator for function views: anonymous -> login page, no role -> 403.

    With `obj=lambda request, **kwargs: get_object_or_404(...)` the object is loaded after
    the role check and checked against the object rule too (403 otherwise); the view finds
    it as `request.permitted_object`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = _check(request, action)
            if refused:
                return refused
            if obj is not None:
                target = obj(request, *args, **kwargs)
                if not has_permission(request.user, action, target):
                    raise PermissionDenied
                request.permitted_object = target
            return view(request, *args, **kwargs)

        wrapped.skm_permission = action
        return wrapped

    return decorator
