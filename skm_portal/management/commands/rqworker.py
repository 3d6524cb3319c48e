"""`manage.py rqworker` (TASKS_BACKEND=rq): django-rq's worker, which does not start without SECRET_KEY.

It stands in for django-rq's own command, which comes later in INSTALLED_APPS.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django_rq.management.commands.rqworker import Command as RedisWorker

from skm_portal.secret_key import require_secret_key


class Command(RedisWorker):
    def handle(self, *args, **options):
        if "django_rq" not in settings.INSTALLED_APPS:
            raise CommandError("rqworker hanya dipakai dengan TASKS_BACKEND=rq.")
        require_secret_key()
        return super().handle(*args, **options)
