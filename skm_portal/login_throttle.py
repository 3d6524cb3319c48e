"""Login throttling with django-axes: the backend that checks for a lockout, and what a
locked-out visitor sees. The rules (how many failures, for how long, counted where) are
settings; see AXES_* in settings.py."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for logins that come through a web request.

    Code that authenticates without a request (a management command, a test, a signing
    step that re-checks a password it already has) is not a login form anyone can hammer
    from outside; axes would refuse it outright, so it passes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again with the reason in Indonesian, answered 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    messages.error(
        request,
        _(
            "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dikunci sementara "
            "untuk perangkat Anda; coba lagi dalam %(minutes)d menit."
        )
        % {"minutes": minutes},
    )
    context = {"form": AuthenticationForm(request), "next": ""}
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
