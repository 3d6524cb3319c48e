"""People and roles: the administrator creates officers, gives them roles (Django groups
named in `roles.Role`), sets the fields apps add (`person_extensions`: permits links a
dinas teknis user to its agency), deactivates accounts and sends password-reset links;
anyone can ask for a reset link for a forgotten password.

Services are keyword-only, check the acting user's permission again (defence in depth),
run in one transaction, refuse with an Indonesian `ValidationError` (nothing written) and
record every change with `skm_portal.audit.audit_record`. Mail leaves only after the
transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import audit
from .mail import mail_queue
from .permissions import has_permission
from .person_extensions import person_extensions
from .roles import OFFICER_ROLES, Role
from .siteurl import absolute_url

MANAGE_PEOPLE = "portal.manage_people"
User = get_user_model()


def _audit(*, actor, user, action: str, summary: str, changes: dict | None = None) -> None:
    audit.audit_record(actor=actor, action=action, obj=user, summary=summary, changes=changes, app="auth")


def _require(actor) -> None:
    if not has_permission(actor, MANAGE_PEOPLE):
        raise PermissionDenied(_("Hanya administrator yang dapat mengelola pengguna."))


def display_name(user) -> str:
    return user.get_full_name() or user.username


def role_labels(roles: Iterable[str]) -> str:
    return ", ".join(Role(r).label for r in sorted(roles)) or "–"


# --- password reset mail --------------------------------------------------------------------


def password_reset_mail_send(*, user) -> None:
    """Mail `user` a one-time link to set a new password (valid PASSWORD_RESET_TIMEOUT),
    through the outbox (`mail_queue`: sent by a task after the current transaction commits,
    retried; a mail server that is down never fails the request). The link is built on SITE_URL, never on the
    request's Host header."""
    from .models import OfficeProfile

    context = {
        "office": OfficeProfile.get(),
        "user": user,
        "name": display_name(user),
        "username": user.get_username(),
        "link": absolute_url(
            reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        ),
        "days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.txt", context)
    mail_queue(to=[user.email], subject=subject, body=body, kind="password", reference=user.get_username())


def password_reset_request(*, email: str) -> None:
    """Someone forgot their password: mail every active account with that address that can
    log in with a password. Says nothing about whether such an account exists."""
    email = (email or "").strip()
    if not email:
        return
    # Accounts made by the administrator have no password yet: they may use this too.
    for user in User._default_manager.filter(email__iexact=email, is_active=True):
        password_reset_mail_send(user=user)


@transaction.atomic
def user_send_password_reset(*, actor, user) -> None:
    """The administrator sends a person a link to set a (new) password."""
    _require(actor)
    user = User._default_manager.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("Akun %(name)s nonaktif; aktifkan dahulu.") % {"name": display_name(user)})
    if not user.email:
        raise ValidationError(
            _("Akun %(name)s belum memiliki alamat email; isi email dahulu.") % {"name": display_name(user)}
        )
    password_reset_mail_send(user=user)
    _audit(
        actor=actor,
        user=user,
        action="user_password_link",
        summary=_("Tautan atur sandi dikirim ke %(name)s (%(email)s).")
        % {"name": display_name(user), "email": user.email},
    )


# --- people ----------------------------------------------------------------------------------


def _clean_roles(roles: Iterable[str], extras: dict) -> list[Role]:
    try:
        chosen = sorted({Role(r) for r in roles})
    except ValueError as error:
        raise ValidationError({"roles": _("Peran tidak dikenal.")}) from error
    if not chosen:
        raise ValidationError({"roles": _("Pilih sekurang-kurangnya satu peran.")})
    if Role.PEMOHON in chosen and set(chosen) & OFFICER_ROLES:
        raise ValidationError({"roles": _("Pemohon tidak dapat sekaligus memegang peran petugas.")})
    for extension in person_extensions():
        extension.validate(chosen, extras.get(extension.name))
    return chosen


def _extras(given: dict) -> dict:
    """The apps' extra values (see `person_extensions`); a missing one means none."""
    known = {extension.name for extension in person_extensions()}
    unknown = set(given) - known
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    return {name: given.get(name) for name in known}


def _check_email(email: str, user=None) -> str:
    email = (email or "").strip()
    if email:
        others = User._default_manager.filter(email__iexact=email)
        if user is not None:
            others = others.exclude(pk=user.pk)
        if others.exists():
            raise ValidationError({"email": _("Alamat email ini sudah dipakai akun lain.")})
    return email


def _roles_of(user) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return sorted(r.value for r in Role if r.value in names)


def person_extras(user) -> dict:
    """The apps' extra values of `user` now (e.g. {"agency": <Agency>}), for the edit form."""
    return {extension.name: extension.current(user) for extension in person_extensions()}


def _set_roles_and_extras(user, roles: list[Role], extras: dict) -> None:
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    for extension in person_extensions():
        extension.store(user, extras.get(extension.name))


def _active_administrators(exclude=None):
    admins = User._default_manager.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR.value)
    )
    if exclude is not None:
        admins = admins.exclude(pk=exclude.pk)
    return admins.distinct()


@transaction.atomic
def user_create(
    *, actor, username: str, full_name: str, email: str, roles: Iterable[str], send_link: bool = True, **extras
):
    """A new account with the given roles, without a password: the person sets their own
    through the link mailed to them (`send_link`, needs an email address). `extras` are
    the apps' person fields (`person_extensions`), e.g. `agency=` for a dinas teknis user."""
    _require(actor)
    extras = _extras(extras)
    chosen = _clean_roles(roles, extras)
    email = _check_email(email)
    if send_link and not email:
        raise ValidationError({"email": _("Isi alamat email agar tautan atur sandi dapat dikirim.")})
    user = User(username=(username or "").strip(), first_name=(full_name or "").strip(), email=email, is_active=True)
    user.set_unusable_password()
    if User._default_manager.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles_and_extras(user, chosen, extras)
    _audit(
        actor=actor,
        user=user,
        action="user_created",
        summary=_("Pengguna %(username)s (%(name)s) dibuat dengan peran %(roles)s.")
        % {"username": user.username, "name": display_name(user), "roles": role_labels(chosen)},
    )
    if send_link:
        user_send_password_reset(actor=actor, user=user)
    return user


@transaction.atomic
def user_update(*, actor, user, full_name: str, email: str, roles: Iterable[str], **extras):
    """Change a person's name, email, roles and the apps' extra fields (e.g. `agency`; a
    missing one is cleared). The last active administrator keeps the Administrator role."""
    _require(actor)
    extras = _extras(extras)
    user = User._default_manager.select_for_update().get(pk=user.pk)
    chosen = _clean_roles(roles, extras)
    email = _check_email(email, user)
    old_roles, old_extras = _roles_of(user), person_extras(user)
    if (
        Role.ADMINISTRATOR.value in old_roles
        and Role.ADMINISTRATOR not in chosen
        and not user.is_superuser
        and not _active_administrators(exclude=user).exists()
    ):
        raise ValidationError({"roles": _("Harus tetap ada sekurang-kurangnya satu administrator aktif.")})
    changes = {}
    for label, old, new in (
        (_("nama lengkap"), user.first_name, (full_name or "").strip()),
        (_("email"), user.email, email),
        (_("peran"), role_labels(old_roles), role_labels(chosen)),
        *((ext.label, str(old_extras[ext.name] or ""), str(extras[ext.name] or "")) for ext in person_extensions()),
    ):
        if old != new:
            changes[str(label)] = [old, new]
    if not changes:
        return user
    user.first_name, user.email = (full_name or "").strip(), email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "email"])
    _set_roles_and_extras(user, chosen, extras)
    _audit(
        actor=actor,
        user=user,
        action="user_updated",
        summary=_("Data pengguna %(username)s diubah.") % {"username": user.username},
        changes=changes,
    )
    return user


@transaction.atomic
def user_set_active(*, actor, user, active: bool):
    """Deactivate (no login, no mail, history kept) or reactivate an account."""
    _require(actor)
    user = User._default_manager.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    if not active:
        if user.pk == actor.pk:
            raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        is_admin = user.is_superuser or user.groups.filter(name=Role.ADMINISTRATOR.value).exists()
        if is_admin and not _active_administrators(exclude=user).exists():
            raise ValidationError(_("Harus tetap ada sekurang-kurangnya satu administrator aktif."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(
        actor=actor,
        user=user,
        action="user_activated" if active else "user_deactivated",
        summary=(_("Akun %(username)s diaktifkan kembali.") if active else _("Akun %(username)s dinonaktifkan."))
        % {"username": user.username},
    )
    return user


# --- reads -----------------------------------------------------------------------------------


def user_list(*, search: str = "", role: str = "", status: str = ""):
    """People for the administrator's list, newest first, filtered by a search text (user
    name, name, email), a role and active/inactive. Groups and agencies are prefetched."""
    lookups = [lookup for extension in person_extensions() for lookup in extension.prefetch]
    people = User._default_manager.prefetch_related("groups", *lookups).order_by("-is_active", "username")
    search = (search or "").strip()
    if search:
        people = people.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role in Role._value2member_map_:
        people = people.filter(groups__name=role)
    if status == "aktif":
        people = people.filter(is_active=True)
    elif status == "nonaktif":
        people = people.filter(is_active=False)
    return people.distinct()


def person_audit(user, limit: int = 50):
    """Changes made to this person's account, newest first."""
    return audit.audit_for(user, limit)


def person_roles(user) -> list[str]:
    """Role labels of a user from prefetched groups."""
    names = {g.name for g in user.groups.all()}
    return [r.label for r in Role if r.value in names]


def person_extra_texts(user) -> list[str]:
    """What the apps' extra fields show in the people list (e.g. the agency's name)."""
    return [text for extension in person_extensions() for text in extension.shown(user)]
