"""The shell's rate limiter: one bucket per form, atomic counting on every cache, the
same client for login throttling (IPv6 by /64), and floods against a live server."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from skm_portal import ratelimit
from skm_portal.roles import Role
from surveys.models import Questionnaire, Response, Service

LIMIT = 10
PARALLEL = 50


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _request(address: str = "203.0.113.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def _take_in_parallel(limit: ratelimit.RateLimit, count: int) -> int:
    """How many of `count` simultaneous takes by one client succeed."""
    barrier = threading.Barrier(count)

    def take(_):
        barrier.wait()
        try:
            return limit.take(_request()) is not None
        finally:
            from django.db import connections

            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return sum(pool.map(take, range(count)))


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-test"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": f"skm-test-{uuid.uuid4().hex}",
    },
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "skm_rate_test_cache"},
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", list(CACHES))
def test_parallel_takes_never_exceed_the_limit(backend, settings):
    if backend == "redis" and not _redis_available():
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    if backend == "database" and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The in-memory SQLite test database raises "table is locked" at once instead of
        # waiting; the database cache's atomicity is shown on PostgreSQL.
        pytest.skip("parallel database-cache test needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.CACHES = {"default": CACHES[backend]}
    if backend == "database":
        call_command("createcachetable", verbosity=0)
    settings.SKM_RATE_LIMIT = LIMIT
    taken = _take_in_parallel(ratelimit.SURVEY, PARALLEL)
    assert taken == LIMIT
    later = 0
    while ratelimit.SURVEY.take(_request()) is not None:
        later += 1
    assert taken + later == LIMIT  # never more uses than the limit, however they came
    assert ratelimit.SURVEY.take(_request("203.0.113.8")) is not None  # another client
    cache.clear()


def test_a_use_given_back_can_be_taken_again(settings):
    settings.SKM_RATE_LIMIT = 1
    use = ratelimit.SURVEY.take(_request())
    assert use is not None and ratelimit.SURVEY.take(_request()) is None
    use.give_back()
    assert ratelimit.SURVEY.take(_request()) is not None


def test_a_use_given_back_as_its_window_ends_leaves_no_counter_without_expiry(settings, monkeypatch):
    if not _redis_available():
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    settings.CACHES = {"default": CACHES["redis"]}
    settings.SKM_RATE_LIMIT = 5
    use = ratelimit.SURVEY.take(_request())
    counter = caches["default"].make_and_validate_key(use.key)
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    # The counter expires just as the use is given back: a client that asks EXISTS first still
    # sees it, then it is gone before the decrement.
    exists = redis.Redis.exists

    def exists_then_expire(self, *names):
        found = exists(self, *names)
        raw.delete(*names)
        return found

    monkeypatch.setattr(redis.Redis, "exists", exists_then_expire)
    use.give_back()
    monkeypatch.undo()
    ttl, left = raw.ttl(counter), raw.get(counter)
    cache.clear()
    # Either the counter is gone or it still has its expiry (-1: no expiry, never freed).
    assert ttl != -1
    assert left is None or int(left) == 0


@pytest.mark.django_db
def test_each_form_has_its_own_bucket(client, settings):
    settings.SKM_RATE_LIMIT = 1
    settings.SKM_COMPLAINT_RATE_LIMIT = 1
    service = Service.objects.create(code="oss-rba", name="OSS RBA")
    survey_url = reverse("surveys:survey_form", args=[service.code])
    elements = Questionnaire.active().elements.all()
    answers = {f"answer_{e.code.lower()}": "4" for e in elements} | {
        "sex": "P", "age": "41", "education": "SMA", "occupation": "PNS", "suggestion": "", "website": "",
    }  # fmt: skip
    assert client.post(survey_url, answers).status_code == 302
    assert client.post(survey_url, answers).status_code == 429
    complaint = {
        "name": "Siti", "email": "siti@example.com", "phone": "", "permit_number": "", "subject": "Lambat",
        "description": "Berkas saya lama.", "consent": "on",
    }  # fmt: skip
    # The survey's bucket is used up; the complaint form still takes this client's complaint.
    assert client.post(reverse("permits:complaint_new"), complaint).status_code == 302
    assert client.post(reverse("permits:complaint_new"), complaint | {"subject": "Lagi"}).status_code == 429
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
    ],
)
def test_client_network_counts_ipv6_by_its_64(address, expected):
    assert ratelimit.client_network(_request(address)) == expected


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_login_lockout_counts_an_ipv6_client_by_its_64(client, make_user):
    user = make_user(Role.PETUGAS_SKM, username="petugas1", password="benar-sekali-123")
    # Each wrong password from another address of the same /64 (a phone rotates them).
    for host in range(1, settings.AXES_FAILURE_LIMIT + 1):
        _login(client, user.username, "salah", f"2001:db8:7:8::{host:x}")
    assert _login(client, user.username, "benar-sekali-123", "2001:db8:7:8::ffff").status_code == 429
    # The same user from another network is not locked out.
    assert _login(client, user.username, "benar-sekali-123", "2001:db8:7:9::1").status_code == 302


# --- a flood against a live server ---------------------------------------------------------


def _survey_session(base: str, path: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(base + path, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return opener, token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_survey_posts_from_one_client_store_at_most_the_limit(live_server, settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The live server's threads share the test database's one in-memory SQLite
        # connection: a submission is one transaction (response and tally together), and
        # fifty of them at once on one connection test the test server, not the app.
        pytest.skip("parallel submissions need separate connections: PostgreSQL (DATABASE_URL=postgres://...)")
    settings.SKM_RATE_LIMIT = LIMIT
    service = Service.objects.create(code="e-ptsp", name="Perizinan e-PTSP")
    path = reverse("surveys:survey_form", args=[service.code])
    opener, token = _survey_session(live_server.url, path)
    elements = Questionnaire.active().elements.all()
    answers = {f"answer_{e.code.lower()}": "4" for e in elements} | {
        "sex": "P", "age": "41", "education": "SMA", "occupation": "PNS", "suggestion": "", "website": "",
        "csrfmiddlewaretoken": token,
    }  # fmt: skip
    body = urllib.parse.urlencode(answers).encode()
    barrier = threading.Barrier(PARALLEL)

    def post(_):
        barrier.wait()
        request = urllib.request.Request(  # noqa: S310 - the test's own live server
            live_server.url + path, data=body, headers={"Referer": live_server.url}
        )
        # The test server's listen queue is short: a connection it resets never reached
        # Django, so the client simply tries again (still all at once with the others).
        for _attempt in range(50):
            try:
                return opener.open(request, timeout=60).status
            except urllib.error.HTTPError as error:
                return error.code
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.05)
        raise AssertionError("the live server never accepted the connection")

    with ThreadPoolExecutor(PARALLEL) as pool:
        statuses = list(pool.map(post, range(PARALLEL)))
    stored = Response.objects.count()
    assert stored <= LIMIT
    assert statuses.count(302) == stored
    assert statuses.count(429) == PARALLEL - LIMIT
    assert stored == LIMIT


# --- the deploy check ----------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "test-only-" + "x" * 50,
    "ALLOWED_HOSTS": "skm.example.go.id",
    "SITE_URL": "https://skm.example.go.id",
    "PATH": "/usr/bin:/bin",
}


@pytest.mark.parametrize(
    ("proxies", "bind", "warned"),
    [
        (1, "0.0.0.0:8000", True),
        (1, "[::]:8000", True),
        (1, "127.0.0.1:8000", False),
        (1, "unix:/run/skm/gunicorn.sock", False),
        (0, "0.0.0.0:8000", False),
    ],
)
def test_forwarded_addresses_are_trusted_only_behind_a_closed_port(settings, monkeypatch, proxies, bind, warned):
    from skm_portal.checks import check_forwarded_addresses

    settings.SKM_TRUSTED_PROXIES = proxies
    monkeypatch.setenv("GUNICORN_BIND", bind)
    assert [warning.id for warning in check_forwarded_addresses()] == (["skm_portal.W001"] if warned else [])


def test_deploy_check_fails_when_forwarded_addresses_are_trusted_on_an_open_port():
    """The check above is one of `check --deploy`'s under production settings, read from the environment."""
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env={**PRODUCTION_ENV, "SKM_TRUSTED_PROXIES": "1", "GUNICORN_BIND": "0.0.0.0:8000"},
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert "skm_portal.W001" in output, output
    assert done.returncode != 0
