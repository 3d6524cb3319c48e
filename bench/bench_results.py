"""Results pages over HTTP at 1,000,000 and 10,000,000 responses, read from the tallies.

gunicorn (production settings, one worker) serves a throwaway PostgreSQL database. A
child process creates a petugas SKM officer with a session and a public period
"Tahun 2024"; `bench/fill.py` generates the responses of 2024 inside PostgreSQL and the
tallies are built by `manage.py skm_tallies_rebuild`, then VACUUM ANALYZEd (`settle`). Three pages are timed (median of
REQUESTS after WARMUP): the officers' range page over the whole year, the public results
list and the officers' page of the period. At 1M each page stands beside the single
SQL aggregate the old pages ran over the rows (timed in the same run); then the table
grows to 10M, the tallies are rebuilt, and each page stands beside its own 1M figure.
Goals: every page under 100 ms, and 10M within 1.5x of 1M.

Run alone: `.venv/bin/python bench/bench_results.py [rows] [large rows]`.
Environment: BENCH_RESULTS_ROWS (default 1,000,000), BENCH_RESULTS_LARGE (10,000,000).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Figure, Timer, throwaway_postgres
from bench.fill import fill_responses, rebuild_tallies
from bench.web import get, start_gunicorn, wait_ready

ROWS = int(os.environ.get("BENCH_RESULTS_ROWS", 1_000_000))
LARGE = int(os.environ.get("BENCH_RESULTS_LARGE", 10_000_000))
REQUESTS = 15
WARMUP = 3
GOAL_SECONDS = 0.100
SERVER_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-only-not-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_MANIFEST": "0",
    "DB_CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}


def child_setup() -> dict:
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from skm_portal.roles import Role
    from surveys.models import Period

    officer = get_user_model().objects.create_user("bench-petugas")
    officer.groups.add(Group.objects.get(name=Role.PETUGAS_SKM.value))
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    period = Period.objects.create(
        name="Tahun 2024 (uji)", kind=Period.Kind.TAHUN, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31)
    )
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "period": period.pk}


def child_bare() -> dict:
    """The old pages' scan: one COUNT/SUM/COUNT per element over the year's rows (best of 3)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    from django.db import connection

    from surveys.models import Questionnaire

    slots = [e.field for e in Questionnaire.active().elements.all()]
    sql = (
        f"SELECT COUNT(*), {', '.join(f'SUM({s}), COUNT({s})' for s in slots)} FROM surveys_response "
        "WHERE survey_date BETWEEN '2024-01-01' AND '2024-12-31'"
    )
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(3):
            with Timer() as timer:
                cursor.execute(sql)
                count = cursor.fetchone()[0]
            best = min(best, timer.seconds)
    return {"bare_s": best, "rows": count}


def settle(url: str) -> None:
    """VACUUM ANALYZE the responses after a bulk fill, as an operator would after a load.

    Without it autovacuum starts on the freshly filled table while the pages are timed (at
    10M it works for minutes on one of the two cores), and index-only scans still visit
    the heap for every row the visibility map does not yet know.
    """
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) surveys_response")
            cursor.execute("VACUUM (ANALYZE) surveys_responsetally")
    finally:
        conn.close()


def _run_child(url: str, action: str) -> dict:
    output = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--child", action],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _time_page(port: int, path: str, cookie: str, expect: str) -> float:
    for _ in range(WARMUP):
        get(port, path, cookie)
    times = []
    for _ in range(REQUESTS):
        seconds, status, body = get(port, path, cookie)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        if expect not in body:
            raise RuntimeError(f"{path} does not show {expect!r}")
        times.append(seconds)
    return statistics.median(times)


def _pages(period: int) -> dict[str, tuple[str, str]]:
    # The respondent count each page must show at 1M / 10M is checked by the caller.
    return {
        "officers' range page, 1 year": ("/skm/hasil/?dari=2024-01-01&sampai=2024-12-31", 'data-figure="respondents"'),
        "public results list": ("/hasil/", "Tahun 2024 (uji)"),
        "officers' period page, 1 year": (f"/skm/periode/{period}/", "Tahun 2024 (uji)"),
    }


def _shown_count(rows: int) -> str:
    return f"{rows:,}".replace(",", ".")  # Indonesian thousands separator


def measure(rows: int = ROWS, large: int = LARGE) -> list[Figure]:
    from bench.bench_submit import _free_port

    small_times: dict[str, float] = {}
    large_times: dict[str, float] = {}
    with throwaway_postgres() as url:
        setup = _run_child(url, "setup")
        cookie = setup["cookie"]
        with Timer() as fill:
            fill_responses(url, rows)
            rebuild_tallies(url, SERVER_ENV)
            settle(url)
        print(f"  {rows:,} responses generated and tallied in {fill.seconds:.1f} s", flush=True)
        bare = _run_child(url, "bare")
        assert bare["rows"] == rows, bare
        port = _free_port()
        server = start_gunicorn(port, {**os.environ, **SERVER_ENV, "DATABASE_URL": url})
        try:
            wait_ready(port, server, "/hasil/")
            pages = _pages(setup["period"])
            for name, (path, expect) in pages.items():
                small_times[name] = _time_page(port, path, cookie, expect)
                print(f"  {name}, {rows:,}: {small_times[name] * 1000:.1f} ms", flush=True)
            print(f"  the old pages' SQL scan at {rows:,}: {bare['bare_s'] * 1000:.1f} ms", flush=True)
            # The range page must count every row (the tallies are complete).
            if _shown_count(rows) not in get(port, pages["officers' range page, 1 year"][0], cookie)[2]:
                raise RuntimeError(f"the range page does not show {_shown_count(rows)} respondents")
            if large > rows:
                with Timer() as grow:
                    fill_responses(url, large - rows, start=rows)
                    rebuild_tallies(url, SERVER_ENV)
                    settle(url)
                print(f"  grown to {large:,} responses and tallied in {grow.seconds:.1f} s", flush=True)
                for name, (path, expect) in pages.items():
                    large_times[name] = _time_page(port, path, cookie, expect)
                    print(f"  {name}, {large:,}: {large_times[name] * 1000:.1f} ms", flush=True)
                if _shown_count(large) not in get(port, pages["officers' range page, 1 year"][0], cookie)[2]:
                    raise RuntimeError(f"the range page does not show {_shown_count(large)} respondents")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    figures = []
    for name, seconds in small_times.items():
        figures.append(
            Figure(
                name=f"{name}, {rows:,} jawaban (HTTP)",
                value=seconds,
                unit="s",
                baseline_name="the old pages' SQL scan: SUM/COUNT per unsur over the rows",
                baseline_value=bare["bare_s"],
                target_absolute="< 100 ms",
                absolute_ok=seconds < GOAL_SECONDS,
            )
        )
    for name, seconds in large_times.items():
        figures.append(
            Figure(
                name=f"{name}, {large:,} jawaban (HTTP)",
                value=seconds,
                unit="s",
                baseline_name=f"the same page at {rows:,} jawaban",
                baseline_value=small_times[name],
                target_ratio=1.5,
                target_absolute="< 100 ms",
                absolute_ok=seconds < GOAL_SECONDS,
            )
        )
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_setup() if sys.argv[2] == "setup" else child_bare()))
    else:
        arguments = [int(a) for a in sys.argv[1:3]]
        for figure in measure(*arguments):
            print(
                f"{figure.name}: {figure.value * 1000:.1f} ms | {figure.baseline_name}: "
                f"{figure.baseline_value * 1000:.1f} ms | ratio {figure.ratio:.2f} "
                f"(target <= {figure.target_ratio}, ok={figure.ratio_ok}) | {figure.target_absolute} ok={figure.absolute_ok}"
            )
