"""Exports of a year of responses: the xlsx job and the streamed CSV, 100k and 1M rows.

The parent creates a throwaway PostgreSQL database and fills it (one INSERT ... SELECT,
as bench_results does) first with 100,000 responses of 2024, then up to 1,000,000. Each
measurement runs in a fresh child process, so its peak RSS is that of one worker:

- the xlsx job, as the background worker runs it (`export_jobs.export_run`: count, write
  the workbook into a temporary file in constant memory, store it);
- the CSV download, through its view, every streamed chunk consumed;
- the baseline: reading the very same rows and columns from PostgreSQL, nothing else
  (the server-side cursor alone; no writer).

Goals: each 1M export under 60 s (a proxy's timeout; the job runs outside any request,
but an officer should not wait longer), and memory flat: the peak RSS at 1M within
1.25x of the peak at 100k.

Run alone: `.venv/bin/python bench/bench_export.py`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Figure, Timer, throwaway_postgres

SMALL_ROWS = 100_000
ROWS = 1_000_000
YEAR = ("2024-01-01", "2024-12-31")
SECONDS_GOAL = 60.0
MEMORY_RATIO_GOAL = 1.25


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, arg: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.test import RequestFactory, override_settings

    from bench.fill import fill_responses
    from surveys import export_jobs, selectors
    from surveys.models import Element, ExportJob, Response
    from surveys.views.exports import export_responses_csv

    start, end = (dt.date.fromisoformat(d) for d in YEAR)
    user, _ = get_user_model().objects.get_or_create(username="bench-export", defaults={"is_superuser": True})
    if mode == "fill":
        fill_responses(os.environ["DATABASE_URL"], arg, start=Response.objects.count(), first_day=YEAR[0])
        return {"rows": Response.objects.count()}
    rows = 0
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-export-")), Timer() as timer:
        if mode == "xlsx":
            job = ExportJob.objects.create(
                kind=ExportJob.Kind.RESPONSES, date_from=start, date_to=end, requested_by=user
            )
            job = export_jobs.export_run(job_id=job.pk)
            assert job.status == ExportJob.Status.DONE, job.error
            rows, size = job.rows, job.size
        elif mode == "csv":
            request = RequestFactory().get("/skm/ekspor/jawaban.csv", {"dari": YEAR[0], "sampai": YEAR[1]})
            request.user = user
            response = export_responses_csv(request)
            size = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                rows += chunk.count(b"\n")
            rows -= 1  # the header
        else:  # the bare read of the same rows
            fields = ["questionnaire_id", "survey_date", "service_id", "sex", "age", "education", "occupation"]
            slots = sorted({e.field for e in Element.objects.all()})
            queryset = selectors.responses_between(start, end).order_by("survey_date", "pk")
            for _row in queryset.values_list(*fields, *slots, "suggestion").iterator(chunk_size=2000):
                rows += 1
            size = 0
    return {"seconds": timer.seconds, "rows": rows, "size": size, "peak_mb": _peak_mb()}


def _run_child(url: str, mode: str, arg: int = 0) -> dict:
    output = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--child", mode, str(arg)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "SECRET_KEY": "bench-only"},
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise RuntimeError(f"bench_export child {mode} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure(rows: int = ROWS, small_rows: int = SMALL_ROWS) -> list[Figure]:
    results: dict[tuple[str, int], dict] = {}
    with throwaway_postgres() as url:
        for target in (small_rows, rows):
            have = _run_child(url, "fill", target - (small_rows if target == rows else 0))["rows"]
            assert have == target, (have, target)
            for mode in ("read", "xlsx", "csv"):
                results[mode, target] = data = _run_child(url, mode)
                assert data["rows"] == target, (mode, data)
                print(f"   {mode:<5} {target:>9,} rows: {data['seconds']:.1f} s, peak RSS {data['peak_mb']:.0f} MB")
    figures = []
    for mode, label in (("xlsx", "xlsx job (worker)"), ("csv", "CSV streamed (view)")):
        big = results[mode, rows]
        figures.append(
            Figure(
                name=f"export {rows:,} responses, {label}",
                value=big["seconds"],
                unit="s",
                baseline_name=f"reading the same {rows:,} rows from PostgreSQL alone",
                baseline_value=results["read", rows]["seconds"],
                target_absolute=f"< {SECONDS_GOAL:g} s",
                absolute_ok=big["seconds"] < SECONDS_GOAL,
            )
        )
        figures.append(
            Figure(
                name=f"peak RSS of the {label}, {rows:,} rows",
                value=big["peak_mb"],
                unit="MB",
                baseline_name=f"the same at {small_rows:,} rows",
                baseline_value=results[mode, small_rows]["peak_mb"],
                target_ratio=MEMORY_RATIO_GOAL,
            )
        )
    return figures


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]))))
    else:
        for figure in measure():
            print(figure)
