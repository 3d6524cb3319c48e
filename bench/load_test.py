"""Bounded load test: survey submissions and results pages mixed, against gunicorn on loopback.

    .venv/bin/python bench/load_test.py                       # own server (make load)
    .venv/bin/python bench/load_test.py --base-url http://127.0.0.1:8123   # a running one

Without --base-url it creates a throwaway PostgreSQL database (migrated, demo loaded),
collects static files and starts gunicorn from skm_portal/gunicorn.conf.py with
production settings (Redis cache when Redis answers on loopback), and stops it all at the
end. With --base-url the server must use the database in DATABASE_URL (this process
counts the stored responses there) and SKM_TRUSTED_PROXIES=1.

CLIENTS processes each keep one connection alive and, until SECONDS have passed or
MAX_REQUESTS are sent, pick an action at random: submit the survey (one POST, a fresh
client address in X-Forwarded-For as the proxy would send it, so the per-address rate
limit stays on), or read results (the public results page, or the officers' results page
logged in as petugas). It prints throughput and p50/p95/p99 latency per action and
exits non-zero on any error response or if the stored responses differ from the
accepted submissions. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # the local profile, as before DEBUG defaulted off

THANKS_PATH = "/survei/terima-kasih/"
PUBLIC_RESULTS = "/hasil/"
STAFF_RESULTS = "/skm/hasil/"  # this year up to today; a range is added when rows are generated
ACTIONS = ("submit", "public_results", "staff_results")
WEIGHTS = (0.5, 0.25, 0.25)


@dataclass
class ClientResult:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: list[str] = field(default_factory=list)
    accepted: int = 0
    start: float = 0.0
    end: float = 0.0


class Connection:
    """One keep-alive connection with a cookie jar (Secure cookies included: the load
    test plays the proxy that speaks HTTPS to browsers)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, client_ip: str = "") -> tuple[int, dict, str]:
        headers = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if client_ip:
            headers["X-Forwarded-For"] = client_ip
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{self.host}:{self.port}",
                "Referer": f"https://{self.host}:{self.port}{path}",
            }
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed an idle keep-alive connection (worker recycled); retry once.
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _survey_form(conn: Connection, code: str) -> tuple[str, dict[str, list[str]], str]:
    path = f"/survei/{code}/"
    status, _, html = conn.request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    radios: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="radio" name="([^"]+)" value="([^"]*)"', html):
        if value:
            radios.setdefault(name, []).append(value)
    return path, radios, _token(html)


def _client(
    number: int, host: str, port: int, codes: list[str], seconds: float, max_requests: int, queue, staff_path: str
) -> None:
    rng = random.Random(number)
    result = ClientResult()
    try:
        conn = Connection(host, port)
        forms = [_survey_form(conn, code) for code in codes]
        # Log in as petugas for the officers' results page (one session per client).
        status, _, html = conn.request("GET", "/masuk/")
        data = {"username": "petugas", "password": "demo-petugas-2024", "csrfmiddlewaretoken": _token(html)}
        status, _, _ = conn.request("POST", "/masuk/", data)
        if status != 302:
            raise RuntimeError(f"login as petugas answered {status}")
        # The login rotated the CSRF token; take the current one from a fresh form.
        forms = [_survey_form(conn, code) for code in codes]
        result.start = time.perf_counter()
        deadline = result.start + seconds
        sent = 0
        while time.perf_counter() < deadline and sent < max_requests:
            action = rng.choices(ACTIONS, WEIGHTS)[0]
            sent += 1
            began = time.perf_counter()
            if action == "submit":
                path, radios, token = rng.choice(forms)
                answers = {name: rng.choice(values) for name, values in radios.items()}
                answers |= {"age": str(rng.randint(17, 70)), "suggestion": "", "website": ""}
                answers["occupation_other"] = "Petani" if answers.get("occupation") == "LAINNYA" else ""
                answers["csrfmiddlewaretoken"] = token
                # A distinct respondent address per submission, written as a proxy would.
                ip = f"127.{number + 1}.{sent // 250 % 250}.{sent % 250 + 1}"
                status, headers, body = conn.request("POST", path, answers, client_ip=ip)
                ok = status == 302 and headers.get("location", "").endswith(THANKS_PATH)
                result.accepted += ok
            else:
                path = PUBLIC_RESULTS if action == "public_results" else staff_path
                status, _, body = conn.request("GET", path)
                ok = status == 200
            result.latencies[action].append(time.perf_counter() - began)
            if not ok:
                result.errors.append(f"{action} {path}: {status} {body[:200]!r}")
        result.end = time.perf_counter()
    except Exception as error:  # reported, not raised: the parent decides
        result.errors.append(f"client {number}: {error!r}")
        result.end = result.end or time.perf_counter()
    queue.put(result)


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def response_count() -> int:
    import django

    django.setup()
    from django.db import connections

    from surveys.models import Response

    count = Response.objects.count()
    connections.close_all()  # clients are forked next: no shared connection
    return count


@dataclass
class LoadResult:
    requests: int
    seconds: float
    throughput: float
    accepted: int
    stored: int
    errors: list[str]
    latencies: dict[str, list[float]]

    @property
    def ok(self) -> bool:
        return not self.errors and self.stored == self.accepted and self.requests > 0


def run_load(
    base_url: str, seconds: float, clients: int, max_requests: int, staff_path: str = STAFF_RESULTS
) -> LoadResult:
    parts = urllib.parse.urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The load test only targets loopback addresses.")
    status, _, listing = Connection(host, port).request("GET", "/survei/")
    codes = [c for c in re.findall(r'href="/survei/([a-z0-9-]+)/"', listing) if c != "terima-kasih"]
    if status != 200 or not codes:
        raise SystemExit(f"/survei/ answered {status} with no survey forms")
    before = response_count()
    queue = multiprocessing.get_context("fork").Queue()
    procs = [
        multiprocessing.get_context("fork").Process(
            target=_client, args=(n, host, port, codes, seconds, max_requests // clients or 1, queue, staff_path)
        )
        for n in range(clients)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 300) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    stored = response_count() - before
    latencies = {a: [v for r in results for v in r.latencies[a]] for a in ACTIONS}
    requests = sum(len(v) for v in latencies.values())
    span = max(r.end for r in results) - min(r.start for r in results if r.start) if requests else 0.0
    return LoadResult(
        requests=requests,
        seconds=span,
        throughput=requests / span if span else 0.0,
        accepted=sum(r.accepted for r in results),
        stored=stored,
        errors=[e for r in results for e in r.errors],
        latencies=latencies,
    )


def _static_client(host: str, port: int, path: str, seconds: float, queue) -> None:
    conn = Connection(host, port)
    count, failed, start = 0, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        status, _, _ = conn.request("GET", path)
        count += 1
        failed += status != 200
    queue.put((count, failed, start, time.perf_counter()))


def static_throughput(base_url: str, seconds: float, clients: int) -> float:
    """Requests per second for one static file through the same server and clients: the
    floor of what any page can reach (the baseline of bench_load)."""
    parts = urllib.parse.urlsplit(base_url)
    host, port = parts.hostname, parts.port or 80
    _, _, html = Connection(host, port).request("GET", "/")
    path = re.search(r'<link rel="stylesheet" href="([^"]+\.css)"', html).group(1)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    procs = [context.Process(target=_static_client, args=(host, port, path, seconds, queue)) for _ in range(clients)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    if any(r[1] for r in results):
        raise RuntimeError(f"static file {path}: error responses")
    return sum(r[0] for r in results) / (max(r[3] for r in results) - min(r[2] for r in results))


def report(result: LoadResult, clients: int) -> None:
    print(f"  {clients} clients, {result.requests} requests in {result.seconds:.1f} s: {result.throughput:,.1f} req/s")
    print(f"  {'action':<15} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    every = [v for values in result.latencies.values() for v in values]
    for name, values in [*result.latencies.items(), ("all", every)]:
        p50, p95, p99 = (_percentile(values, p) * 1000 for p in (50, 95, 99))
        print(f"  {name:<15} {len(values):>7} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}")
    print(f"  error responses: {len(result.errors)}")
    for error in result.errors[:10]:
        print(f"    {error}")
    print(
        f"  submissions accepted: {result.accepted}, responses stored: {result.stored}, "
        f"lost: {result.accepted - result.stored}"
    )
    print(f"  verdict: {'ok' if result.ok else 'FAILED'}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_clear(url: str, prefix: str) -> None:
    """Delete a benchmark's keys (its own prefix) from the shared Redis."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def _wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            if Connection("127.0.0.1", port).request("GET", "/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def this_year_so_far() -> tuple[str, str, int]:
    """(1 January, yesterday, days in between) of the current year in WITA."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Asia/Makassar")).date()
    first = today.replace(month=1, day=1)
    return first.isoformat(), (today - dt.timedelta(days=1)).isoformat(), max((today - first).days, 1)


def staff_range_path() -> str:
    """The officers' range page over this whole year: it holds the generated rows and today's."""
    year = this_year_so_far()[0][:4]
    return f"{STAFF_RESULTS}?dari={year}-01-01&sampai={year}-12-31"


class own_server:
    """Context manager: a throwaway database with the demo and gunicorn on a free port;
    yields the base URL and sets this process's DATABASE_URL to that database.

    `responses` more responses are generated over this year up to yesterday
    (bench/fill.py) and counted by `manage.py skm_tallies_rebuild` before the server starts.
    """

    def __init__(self, workers: int = 2, threads: int = 4, responses: int = 0):
        self.workers, self.threads, self.responses = workers, threads, responses

    def __enter__(self) -> str:
        from bench.common import kept_postgres, throwaway_postgres

        # BENCH_KEEP_DB=name keeps the filled database between runs (the fill takes
        # minutes): made, loaded and filled once, reused while it holds the same rows.
        keep = os.environ.get("BENCH_KEEP_DB", "")
        marker = f"{self.responses}:{this_year_so_far()[1]}"  # the rows generated: how many, up to which day
        self._db = kept_postgres(keep, marker) if keep else throwaway_postgres()
        url = self._db.__enter__()
        reuse = bool(keep) and self._db.reused
        self._tmp = tempfile.TemporaryDirectory(prefix="skm-load-")
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "skm_portal.settings",
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "load-test-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SKM_TRUSTED_PROXIES": "1",
            "STATIC_ROOT": f"{self._tmp.name}/static",
            "MEDIA_ROOT": f"{self._tmp.name}/media",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        if _redis_answers():
            env |= {"CACHE_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": f"skm-load-{port}-{os.getpid()}"}
        else:
            print("  (Redis not answering on 127.0.0.1:6379: per-process cache)")
        python = str(ROOT / ".venv" / "bin" / "python")
        if not reuse:
            subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        if self.responses and not reuse:
            from bench.bench_results import settle
            from bench.fill import fill_responses, rebuild_tallies

            first, _yesterday, days = this_year_so_far()
            started = time.perf_counter()
            fill_responses(url, self.responses, first_day=first, days=days)
            rebuild_tallies(url, env)
            settle(url)  # autovacuum on the fresh rows would otherwise run during the load
            print(f"  {self.responses:,} responses generated and tallied in {time.perf_counter() - started:.1f} s")
        if keep and not reuse:
            self._db.mark_filled()
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        self.server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "skm_portal/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self._env = env
        os.environ["DATABASE_URL"] = url
        _wait_ready(port, self.server)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        try:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=30)
        finally:
            if "CACHE_URL" in self._env:
                redis_clear(self._env["CACHE_URL"], self._env["CACHE_KEY_PREFIX"])
            self._tmp.cleanup()
            self._db.__exit__(*exc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running server (default: start one on a throwaway database)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to send requests (default 30)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients (default 8)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="upper bound on requests (default 50000)")
    args = parser.parse_args()
    seconds = min(args.seconds, 600.0)  # bounded whatever is asked
    print(f"== load test: {args.clients} clients, {seconds:g} s, mix {dict(zip(ACTIONS, WEIGHTS, strict=True))}")
    if args.base_url:
        result = run_load(args.base_url, seconds, args.clients, args.max_requests)
    else:
        with own_server() as base_url:
            result = run_load(base_url, seconds, args.clients, args.max_requests)
    report(result, args.clients)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
