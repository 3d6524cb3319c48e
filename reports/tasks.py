"""Background tasks (django-tasks): building a report's draft PDF.

With the database backend a `manage.py db_worker` process runs them; with
TASKS_BACKEND=immediate (tests, tiny installs) they run inside the request.
"""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(build_id: int) -> int:
    """Build the draft of ReportBuild `build_id`; progress is written on the row as it goes."""
    from .services import build_run

    return build_run(build_id=build_id).pk
