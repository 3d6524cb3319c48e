"""Public survey submissions per second over HTTP, against a bare one-INSERT Django view.

gunicorn serves the app (bench.settings = the app's settings plus the bare view) on a
throwaway PostgreSQL database with the rate limit off. Client processes on loopback keep
their connections alive; each GETs the form once for the CSRF cookie and token, then
POSTs complete answers. Only submissions answered with the redirect to the thank-you
page count, and the number of stored rows must equal that count.

Run alone: `.venv/bin/python bench/bench_submit.py`.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Figure, throwaway_postgres

SUBMISSIONS = 2400  # per measured run, split evenly between the clients
ROUNDS = 2  # bare and form alternate; the best of each counts (a shared machine is noisy)
WARMUP = 200
CLIENTS = 6
WORKERS = max(2, (os.cpu_count() or 2))
THREADS = 2
SERVICE_CODE = "bench-layanan"
ELEMENTS = 11
TARGET_RATE = 200.0

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
        conn.request("POST", path, body=_answers(token, n), headers=headers)
        answer = conn.getresponse()
        answer.read()
        if path == FORM_PATH:
            success = answer.status == 302 and answer.getheader("Location", "").endswith(THANKS_PATH)
        else:
            success = answer.status == 204
        ok += success
        failed += not success
    queue.put((ok, failed, start, time.perf_counter()))


def _drive(port: int, path: str, total: int) -> tuple[int, int, float]:
    """(successes, failures, submissions per second) of `total` POSTs from CLIENTS processes."""
    queue = multiprocessing.Queue()
    share = total // CLIENTS
    procs = [
        multiprocessing.Process(target=_client, args=(port, path, share, i * share, queue)) for i in range(CLIENTS)
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


def _run(path: str, port: int, url: str) -> tuple[float, int, int]:
    """Warm up, then measure; returns (rate, successes, rows stored by the measured run)."""
    _drive(port, path, WARMUP)
    before = _rows(url)
    ok, failed, rate = _drive(port, path, SUBMISSIONS)
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
            "SKM_RATE_LIMIT": "0",
            "STATIC_MANIFEST": "0",  # no collectstatic in a benchmark run
            "DB_CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",
        }
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
            for _ in range(ROUNDS):
                bare_runs.append(_run(BARE_PATH, port, url))
                form_runs.append(_run(FORM_PATH, port, url))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    bare_rate = max(run[0] for run in bare_runs)
    form_rate = max(run[0] for run in form_runs)
    # Every successful POST stored exactly one row, and every form POST succeeded.
    consistent = all(ok == stored for _, ok, stored in bare_runs + form_runs) and all(
        ok == SUBMISSIONS // CLIENTS * CLIENTS for _, ok, _ in form_runs
    )
    if not consistent:
        print(f"  MISMATCH between successful POSTs and stored rows: bare {bare_runs}, form {form_runs}")
    return [
        Figure(
            name=f"Survey form submissions, best of {ROUNDS} (gunicorn {WORKERS}x{THREADS}, {CLIENTS} clients)",
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
