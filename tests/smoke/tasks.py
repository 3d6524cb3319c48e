"""Background tasks the production smoke test enqueues, run by the real task worker.

They live here (not in an app) because only the smoke test uses them; the worker finds
them by module path from the project folder.
"""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import task


@task()
def smoke_ping(marker: str) -> str:
    """Proves a worker process picked the task up from the shared queue."""
    return f"pong:{marker}"


@task()
def smoke_report_build(year: int, output: str) -> int:
    """Builds the year's follow-up report through its public command; returns the size."""
    from pathlib import Path

    call_command("report_build", "--year", str(year), "--output", output)
    return Path(output).stat().st_size
