"""Per-client limit on submissions through the open survey link."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from skm_portal.ratelimit import client_ip
from surveys.models import Questionnaire, Response, Service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def url():
    service = Service.objects.create(code="oss-rba", name="Perizinan Berusaha Berbasis Risiko (OSS RBA)")
    return reverse("surveys:survey_form", args=[service.code])


@pytest.fixture
def answers():
    elements = Questionnaire.active().elements.all()
    data = {f"answer_{e.code.lower()}": "4" for e in elements}
    return data | {"sex": "P", "age": "41", "education": "SMA", "occupation": "PNS", "suggestion": "", "website": ""}


def test_submissions_over_the_limit_get_429_and_store_nothing(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 3
    settings.SKM_RATE_LIMIT_WINDOW = 3600
    for _ in range(3):
        assert client.post(url, answers).status_code == 302
    refused = client.post(url, answers)
    assert refused.status_code == 429
    assert "Terlalu banyak pengisian survei" in refused.content.decode()
    assert "tidak disimpan" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Response.objects.count() == 3


def test_limit_is_per_client_address(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    assert client.post(url, answers, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, answers, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, answers, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Response.objects.count() == 2


def test_failed_validation_does_not_use_up_the_limit(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    incomplete = {k: v for k, v in answers.items() if k != "sex"}
    for _ in range(3):
        assert client.post(url, incomplete).status_code == 200
    assert client.post(url, answers).status_code == 302
    assert Response.objects.count() == 1


def test_honeypot_hits_count_against_the_limit(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    assert client.post(url, answers | {"website": "spam"}).status_code == 302
    assert client.post(url, answers).status_code == 429
    assert Response.objects.count() == 0


def test_zero_disables_the_limit(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 0
    for _ in range(15):
        assert client.post(url, answers).status_code == 302
    assert Response.objects.count() == 15


def test_the_form_itself_stays_readable_when_limited(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    client.post(url, answers)
    assert client.get(url).status_code == 200


def test_ipv6_clients_count_per_64_block(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    assert client.post(url, answers, REMOTE_ADDR="2001:db8:1:2::10").status_code == 302
    assert client.post(url, answers, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert client.post(url, answers, REMOTE_ADDR="2001:db8:1:3::10").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "192.168.0.2"),  # no proxy trusted: the header is the client's own claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged left part is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        (2, "", "192.168.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.SKM_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_forged_forwarded_header_does_not_escape_the_limit(client, url, answers, settings):
    settings.SKM_RATE_LIMIT = 1
    settings.SKM_TRUSTED_PROXIES = 1
    assert (
        client.post(url, answers, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7").status_code
        == 302
    )
    forged = client.post(url, answers, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7")
    assert forged.status_code == 429
    assert Response.objects.count() == 1


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_refused_take_does_not_hold_a_place_and_a_given_back_use_frees_one(backend, settings):
    """The counting caches: a refused take leaves the count as it was, so giving a use back
    frees its place however many were refused meanwhile; on Redis the counter expires."""
    import uuid

    import redis

    from skm_portal import ratelimit

    if backend == "redis":
        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            pytest.skip("Redis at 127.0.0.1:6379 is not running")
        location, prefix = "redis://127.0.0.1:6379/0", f"skm-test-{uuid.uuid4().hex}"
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": location, "KEY_PREFIX": prefix}}  # fmt: skip
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": f"rate-{uuid.uuid4().hex}"}}  # fmt: skip
    settings.SKM_RATE_LIMIT = 2
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    first, second = ratelimit.SURVEY.take(request), ratelimit.SURVEY.take(request)
    assert first is not None and second is not None
    assert all(ratelimit.SURVEY.take(request) is None for _ in range(5))
    first.give_back()
    assert ratelimit.SURVEY.take(request) is not None
    assert ratelimit.SURVEY.take(request) is None
    if backend == "redis":
        client = redis.Redis.from_url(location)
        keys = client.keys(f"{prefix}:*")
        assert len(keys) == 1 and int(client.get(keys[0])) == 2
        assert 0 < client.ttl(keys[0]) <= ratelimit.SURVEY.window
        client.delete(*keys)
