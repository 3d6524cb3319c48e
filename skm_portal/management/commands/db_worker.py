"""`manage.py db_worker`: django-tasks-db's worker, which does not start without SECRET_KEY.

This command stands in for django-tasks-db's own because skm_portal comes before
django_tasks_db in INSTALLED_APPS (Django takes the first app's command of a name).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from skm_portal.secret_key import require_secret_key


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        require_secret_key()
        return super().handle(*args, **options)
