"""Applicant self-registration that does not reveal which usernames or e-mails exist.

The answer on screen is the same whatever was entered ("check your e-mail"); what differs
goes by e-mail to the address given, i.e. to its owner:
- a new username and e-mail: an inactive account and its activation link;
- an e-mail that already has an account: a note that the account exists (its username)
  and where to log in or reset the password; nothing is created;
- a taken username with a new e-mail: a note to choose another username; nothing created.
The password is hashed in every case so the answer takes the same time.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.mail import mail_queue
from skm_portal.roles import Role
from skm_portal.siteurl import absolute_url


def _absolute(path: str) -> str:
    return absolute_url(path)


def _mail(recipient: str, subject: str, body: str) -> None:
    # The same path as the other permit e-mails: stored now, sent by the task queue after commit.
    mail_queue(to=[recipient], subject=subject, body=body, kind="registration")


def applicant_register(*, username: str, email: str, password: str, first_name: str, last_name: str = "") -> None:
    """Register an applicant (pemohon), or tell the e-mail's owner why not. Returns nothing
    the caller could show: the outcome goes only to the e-mail address."""
    users = get_user_model()
    email = email.strip().lower()
    password_hash = make_password(password)
    with transaction.atomic():
        existing = users.objects.filter(email__iexact=email).first()
        if existing is not None:
            _mail(
                email,
                _("Surel Anda sudah terdaftar di SKM Portal"),
                _(
                    "Yth. %(name)s,\n\n"
                    "Ada permintaan pendaftaran akun baru dengan surel ini, padahal surel ini sudah terdaftar "
                    "dengan nama pengguna %(username)s. Tidak ada akun baru yang dibuat.\n\n"
                    "Masuk: %(login)s\nLupa kata sandi? Hubungi petugas DPMPTSP.\n\n"
                    "Bila Anda tidak meminta pendaftaran ini, abaikan surel ini.\n"
                )
                % {
                    "name": existing.get_full_name() or existing.get_username(),
                    "username": existing.get_username(),
                    "login": _absolute(reverse("login")),
                },
            )
            return
        taken = users.objects.filter(username__iexact=username).exists()
        user = None
        if not taken:
            try:
                with transaction.atomic():
                    user = users.objects.create(
                        username=username,
                        email=email,
                        first_name=first_name,
                        last_name=last_name,
                        password=password_hash,
                        is_active=False,
                    )
            except IntegrityError:  # taken in the meantime
                user = None
        if user is None:
            _mail(
                email,
                _("Pendaftaran SKM Portal belum selesai"),
                _(
                    "Yth. %(name)s,\n\n"
                    "Nama pengguna %(username)s sudah dipakai orang lain, sehingga akun Anda belum dibuat. "
                    "Silakan daftar lagi dengan nama pengguna lain:\n%(url)s\n\n"
                    "Bila Anda tidak meminta pendaftaran ini, abaikan surel ini.\n"
                )
                % {"name": first_name, "username": username, "url": _absolute(reverse("permits:register"))},
            )
            return
        user.groups.add(Group.objects.get(name=Role.PEMOHON.value))
        audit.audit_record(
            actor=None,
            action="user_created",
            obj=user,
            app="auth",
            summary=_("Akun pemohon %(username)s didaftarkan sendiri (menunggu aktivasi surel).")
            % {"username": username},
        )
        link = _absolute(
            reverse(
                "permits:register_activate",
                args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
            )
        )
        _mail(
            email,
            _("Aktifkan akun pemohon SKM Portal"),
            _(
                "Yth. %(name)s,\n\n"
                "Terima kasih telah mendaftar sebagai pemohon izin dengan nama pengguna %(username)s. "
                "Buka tautan berikut untuk mengaktifkan akun Anda:\n%(url)s\n\n"
                "Bila Anda tidak mendaftar, abaikan surel ini; akun tidak akan aktif.\n"
            )
            % {"name": first_name, "username": username, "url": link},
        )


def applicant_activate(*, uidb64: str, token: str):
    """The user the activation link names, now active; None for a wrong or used link."""
    users = get_user_model()
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    with transaction.atomic():
        user = users.objects.select_for_update().filter(pk=pk).first()
        if user is None or user.is_active or not default_token_generator.check_token(user, token):
            return None
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.audit_record(
            actor=user,
            action="user_activated",
            obj=user,
            app="auth",
            summary=_("Akun pemohon %(username)s diaktifkan lewat tautan surel.") % {"username": user.get_username()},
        )
    return user
