"""Public survey submissions per second over HTTP, against a bare one-INSERT Django view.

gunicorn serves the app (bench.settings = the app's settings plus the bare view) on a
throwaway PostgreSQL database as production runs it: the per-address rate limit on
(its default), counted in the shared Redis cache (CACHE_URL, a prefix of its own), client
addresses taken from X-Forwarded-For (SKM_TRUSTED_PROXIES=1, as behind the proxy).
Client processes on loopback keep their connections alive; each GETs the form once for
the CSRF cookie and token, then POSTs complete answers, each from a new address as many
respondents would. Every submission stores its response and adds it to the day's tally
in one transaction. Only submissions answered with the redirect to the thank-you page
count, and the number of stored rows must equal that count. Bare and form runs alternate
ROUNDS times; each figure is the median of its rounds.

Run alone: `.venv/bin/python bench/bench_submit.py`.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Figure, throwaway_postgres
from bench.load_test import _redis_answers, redis_clear

SUBMISSIONS = 2400  # per measured run, split evenly between the clients
ROUNDS = 5  # bare and form alternate; the median of each counts (a shared machine is noisy)
WARMUP = 200
CLIENTS = 6
WORKERS = max(2, (os.cpu_count() or 2))
THREADS = 2
SERVICE_CODE = "bench-layanan"
ELEMENTS = 11
TARGET_RATE = 200.0
REDIS_URL = "redis://127.0.0.1:6379/0"

FORM_PATH = f"/survei/{SERVICE_CODE}/"
THANKS_PATH = "/survei/terima-kasih/"
BARE_PATH = "/bench/bare-insert/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(token: str, n: int) -> bytes:
    data = {f"answer_u{i}": str((i + n) % 4 + 1) for i in range(1, ELEMENTS + 1)}
    data |= {
        "sex": "LP"[n % 2],
        "age": str(18 + n % 50),
        "education": "SMA",
        "occupation": "SWASTA",
        "occupation_other": "",
        "suggestion": "",
        "website": "",
        "csrfmiddlewaretoken": token,
    }
    return urllib.parse.urlencode(data).encode()


def _client(port: int, path: str, count: int, offset: int, queue) -> None:
    """One keep-alive client: GET the form once, then POST `count` submissions to `path`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", FORM_PATH)
    page = conn.getresponse()
    html = page.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    ok = failed = 0
    start = time.perf_counter()
    for n in range(offset, offset + count):
        # A distinct respondent address per submission (the limit is per address).
        address = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
        conn.request("POST", path, body=_answers(token, n), headers={**headers, "X-Forwarded-For": address})
        answer = conn.getresponse()
        answer.read()
        if path == FORM_PATH:
            success = answer.status == 302 and answer.getheader("Location", "").endswith(THANKS_PATH)
        else:
            success = answer.status == 204
        ok += success
        failed += not success
    queue.put((ok, failed, start, time.perf_counter()))


def _drive(port: int, path: str, total: int, first: int = 0) -> tuple[int, int, float]:
    """(successes, failures, submissions per second) of `total` POSTs from CLIENTS processes."""
    queue = multiprocessing.Queue()
    share = total // CLIENTS
    procs = [
        multiprocessing.Process(target=_client, args=(port, path, share, first + i * share, queue))
        for i in range(CLIENTS)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    seconds = max(r[3] for r in results) - min(r[2] for r in results)
    return ok, failed, ok / seconds


def _rows(url: str) -> int:
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_response")
        return cursor.fetchone()[0]


def _add_service(url: str) -> None:
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            'INSERT INTO surveys_service (code, name, is_active, "order") VALUES (%s, %s, true, 0)',
            [SERVICE_CODE, "Layanan Uji Beban"],
        )


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", FORM_PATH)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _run(path: str, port: int, url: str, first: int) -> tuple[float, int, int]:
    """Warm up, then measure; returns (rate, successes, rows stored by the measured run)."""
    _drive(port, path, WARMUP, first)
    before = _rows(url)
    ok, failed, rate = _drive(port, path, SUBMISSIONS, first + WARMUP)
    stored = _rows(url) - before
    print(f"  {path}: {ok} ok, {failed} failed, {stored} rows stored, {rate:,.0f}/s", flush=True)
    return rate, ok, stored


def measure() -> list[Figure]:
    with throwaway_postgres() as url:
        _add_service(url)
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SKM_TRUSTED_PROXIES": "1",
            "STATIC_MANIFEST": "0",  # no collectstatic in a benchmark run
            "DB_CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
        prefix = f"skm-bench-submit-{port}-{os.getpid()}"
        if not _redis_answers():
            raise RuntimeError("Redis must answer on 127.0.0.1:6379: production counts the rate limit there")
        env |= {"CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "skm_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--worker-class=gthread",
                f"--threads={THREADS}",
                "--keep-alive=30",
                "--log-level=warning",
                f"--chdir={ROOT}",
            ],
            env=env,
            start_new_session=True,
        )
        try:
            _wait_ready(port, server)
            bare_runs, form_runs = [], []
            for number in range(ROUNDS):
                # Fresh addresses every run: none reaches the limit (10 an hour by default).
                bare_runs.append(_run(BARE_PATH, port, url, first=2 * number * (SUBMISSIONS + WARMUP)))
                form_runs.append(_run(FORM_PATH, port, url, first=(2 * number + 1) * (SUBMISSIONS + WARMUP)))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            redis_clear(REDIS_URL, prefix)
    bare_rate = statistics.median(run[0] for run in bare_runs)
    form_rate = statistics.median(run[0] for run in form_runs)
    # Every successful POST stored exactly one row, and every form POST succeeded.
    consistent = all(ok == stored for _, ok, stored in bare_runs + form_runs) and all(
        ok == SUBMISSIONS // CLIENTS * CLIENTS for _, ok, _ in form_runs
    )
    if not consistent:
        print(f"  MISMATCH between successful POSTs and stored rows: bare {bare_runs}, form {form_runs}")
    return [
        Figure(
            name=f"Survey submissions, rate limit + Redis, median of {ROUNDS} ({WORKERS}x{THREADS}, {CLIENTS} clients)",
            value=form_rate,
            unit="/s",
            baseline_name="bare Django view inserting one Response row",
            baseline_value=bare_rate,
            target_ratio=2.0,
            target_absolute=f">= {TARGET_RATE:g}/s",
            absolute_ok=form_rate >= TARGET_RATE and consistent,
        )
    ]


if __name__ == "__main__":
    for figure in measure():
        print(
            f"{figure.name}: {figure.value:,.0f}/s; baseline {figure.baseline_name}: {figure.baseline_value:,.0f}/s; "
            f"ratio {figure.ratio:.2f}x (target <= {figure.target_ratio:g}x: {'ok' if figure.ratio_ok else 'MISSED'}); "
            f"absolute {figure.target_absolute}: {'ok' if figure.absolute_ok else 'MISSED'}"
        )
