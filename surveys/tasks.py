"""Background tasks of the surveys app (django-tasks): exports of survey data."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(job_id: int) -> int:
    """Write the workbook of ExportJob `job_id`; progress is written on the row as it goes."""
    from .export_jobs import export_run

    return export_run(job_id=job_id).pk
