"""The one rule for SECRET_KEY at start-up: a process that signs does not start without one.

Settings load without a key outside DEBUG (never with a known one), so commands that sign
nothing still run (`makemigrations --check`, `collectstatic`). The web app (wsgi.py) and the
task workers (`db_worker`, `rqworker`: they send mail with signed links and sign reports)
refuse to start instead, with the same message, rather than fail on their first request or job.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING = "SECRET_KEY wajib diisi (atau DJANGO_DEBUG=1 untuk pengembangan lokal, seperti `make run`)."


def require_secret_key() -> None:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    if not key:
        raise ImproperlyConfigured(MISSING)
