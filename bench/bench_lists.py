"""Monitoring Izin, filtered and paged over HTTP, at 100 and at 100,000 files.

gunicorn serves the app on a throwaway PostgreSQL database. A child process (Django set
up with DATABASE_URL) creates a backoffice officer with a session, a permit type and an
applicant, and fills `permits_permitapplication` with one INSERT ... SELECT from
generate_series: files spread over steps, most of them past their deadline. The same
filtered, sorted page is timed at 100 files (the baseline), then the table is filled up
to 100,000 files, ANALYZEd, and the page is timed again; each figure is the median of
several requests after a warm-up. Both answers must list a full page of files.

Run alone: `.venv/bin/python bench/bench_lists.py`.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Figure, Timer, throwaway_postgres
from bench.web import get, start_gunicorn

SMALL = 100
LARGE = 100_000
REQUESTS = 25
WARMUP = 5
# Office steps the files cycle through; the filter picks one of them, overdue only, page 1.
STEPS = ["verifikasi_pendaftaran", "verifikasi_izin", "proses_backoffice", "validasi_kasi"]
QUERY = "/perizinan/monitoring/?step=validasi_kasi&overdue=on&sort=-submitted"
ROWS_PER_PAGE = 25
# The server's settings; the child that signs the session must share its SECRET_KEY.
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-only-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",  # no collectstatic in a benchmark run
    "DB_CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}


def _fill(rows: int, start: int) -> None:
    """Files start+1 .. start+rows: numbered, spread over STEPS, 9 of 10 past the deadline."""
    from django.db import connection

    from permits.models import PermitType

    kind = PermitType.objects.get(code="bench-reklame")
    applicant_id = (
        kind.applications.model._meta.get_field("applicant").related_model.objects.get(username="bench-pemohon").pk
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO permits_permitapplication (
                number, applicant_id, permit_type_id, agency_id, step, returned_by_step,
                applicant_note, agency_note, revision_rounds, service_days, created_at,
                submitted_at, step_entered_at, declared_at, deadline_at, office_working_seconds
            )
            SELECT 'BENCH-' || lpad(g::text, 7, '0'), %s, %s, NULL,
                   (%s::text[])[1 + (g %% %s)::int], '', '', '', 0, 3,
                   now() - (g * INTERVAL '5 minutes') - INTERVAL '1 day',
                   now() - (g * INTERVAL '5 minutes') - INTERVAL '1 day',
                   now() - (g * INTERVAL '5 minutes') - INTERVAL '1 day',
                   now() - (g * INTERVAL '5 minutes') - INTERVAL '1 day',
                   CASE WHEN g %% 10 = 0 THEN now() + INTERVAL '3 days' ELSE now() - INTERVAL '1 hour' END,
                   0
            FROM generate_series(%s, %s) AS g
            """,
            [applicant_id, kind.pk, STEPS, len(STEPS), start + 1, start + rows],
        )
        cursor.execute("ANALYZE permits_permitapplication")


def child(action: str, rows: int, start: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from permits.models import PermitType
    from skm_portal.roles import Role
    from surveys.models import Service

    if action == "setup":
        users = get_user_model()
        officer = users.objects.create_user("bench-backoffice")  # no password: the session below logs in
        officer.groups.add(Group.objects.get(name=Role.BACKOFFICE.value))
        applicant = users.objects.create_user("bench-pemohon", first_name="Pemohon", last_name="Uji")
        applicant.groups.add(Group.objects.get(name=Role.PEMOHON.value))
        service, _ = Service.objects.get_or_create(code="bench-eptsp", defaults={"name": "e-PTSP (uji beban)"})
        PermitType.objects.create(
            name="Izin Reklame (uji beban)", code="bench-reklame", service_days=3, survey_service=service
        )
        session = SessionStore()
        session[SESSION_KEY] = str(officer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
        session.create()
        _fill(rows, start)
        return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
    with Timer() as fill:
        _fill(rows, start)
    return {"fill_s": fill.seconds}


def _run_child(url: str, *args: object) -> dict:
    output = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--child", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _get(port: int, cookie: str) -> tuple[float, int, str]:
    return get(port, QUERY, cookie)


def _time_page(port: int, cookie: str) -> tuple[float, str]:
    for _ in range(WARMUP):
        _get(port, cookie)
    times, body = [], ""
    for _ in range(REQUESTS):
        seconds, status, body = _get(port, cookie)
        if status != 200:
            raise RuntimeError(f"Monitoring Izin answered {status}")
        times.append(seconds)
    return statistics.median(times), body


def _probe(port: int, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", QUERY, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def _wait_ready(port: int, server: subprocess.Popen, cookie: str) -> None:
    deadline, last = time.monotonic() + 60, None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            status, location = _probe(port, cookie)
            if status == 200:
                return
            last = (status, location)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Monitoring Izin did not answer 200 within 60 s (last answer: {last})")


def _files_listed(body: str) -> int:
    return len(re.findall(r">BENCH-\d{7}<", body))


def measure(small: int = SMALL, large: int = LARGE) -> list[Figure]:
    from bench.bench_submit import _free_port

    with throwaway_postgres() as url:
        cookie = _run_child(url, "setup", small, 0)["cookie"]
        port = _free_port()
        env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url}
        server = start_gunicorn(port, env)
        try:
            _wait_ready(port, server, cookie)
            small_s, small_body = _time_page(port, cookie)
            fill = _run_child(url, "fill", large - small, small)
            print(f"  filled {large - small:,} files in {fill['fill_s']:.1f} s", flush=True)
            large_s, large_body = _time_page(port, cookie)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    # Same page both times: a full page of files (the small table has exactly 25 in that step).
    listed = (_files_listed(small_body), _files_listed(large_body))
    print(f"  {small:,} files: {small_s * 1000:.1f} ms, {large:,} files: {large_s * 1000:.1f} ms, rows {listed}")
    complete = listed == (ROWS_PER_PAGE, ROWS_PER_PAGE)
    return [
        Figure(
            name=f"Monitoring Izin filtered, page 1, {large:,} files (HTTP)",
            value=large_s,
            unit="s",
            baseline_name=f"the same page over {small:,} files",
            baseline_value=small_s,
            target_ratio=1.5,
            target_absolute="full page both times",
            absolute_ok=complete,
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        for figure in measure():
            print(
                f"{figure.name}: {figure.value:.4f} {figure.unit} | {figure.baseline_name}: "
                f"{figure.baseline_value:.4f} {figure.unit} | rasio {figure.ratio:.2f} "
                f"(target <= {figure.target_ratio}, ok={figure.ratio_ok}) | {figure.target_absolute} ok={figure.absolute_ok}"
            )
