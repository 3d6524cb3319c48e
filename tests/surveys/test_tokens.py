"""One-time survey links: exactly one response per token, even under concurrency."""

import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys.models import Questionnaire, Response, Service, SurveyToken
from surveys.services import TokenUnavailable, response_submit, survey_token_create


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(db):
    return Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


def answers():
    elements = Questionnaire.active().elements.all()
    data = {f"answer_{e.code.lower()}": "3" for e in elements}
    return data | {"sex": "L", "age": "", "education": "SMA", "occupation": "SWASTA", "suggestion": "", "website": ""}


@pytest.mark.django_db
def test_token_create_gives_a_fresh_unguessable_link(service, settings):
    settings.SKM_TOKEN_VALID_DAYS = 14
    before = timezone.now()
    token = survey_token_create(service=service, reference="503/IZIN/2025")
    other = survey_token_create(service=service, reference="504/IZIN/2025")
    assert token.pk is not None
    assert token.token != other.token
    assert len(token.token) >= 32
    assert token.used_at is None
    assert before + dt.timedelta(days=14) <= token.expires_at <= timezone.now() + dt.timedelta(days=14)
    assert SurveyToken.objects.get(pk=token.pk).reference == "503/IZIN/2025"


@pytest.mark.django_db
def test_token_link_accepts_one_response_under_its_service(client, service):
    token = survey_token_create(service=service, reference="IZIN-1")
    url = reverse("surveys:survey_token", args=[token.token])
    assert client.get(url).status_code == 200
    response = client.post(url, answers())
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_thanks")
    stored = Response.objects.get()
    assert stored.token == token
    assert stored.service == service
    assert stored.channel == Response.Channel.TOKEN
    token.refresh_from_db()
    assert token.used_at is not None


@pytest.mark.django_db
def test_second_submit_is_refused_and_stores_nothing(client, service):
    token = survey_token_create(service=service)
    url = reverse("surveys:survey_token", args=[token.token])
    client.post(url, answers())
    again = client.post(url, answers())
    assert again.status_code == 410
    assert "sudah dipakai" in again.content.decode()
    assert Response.objects.count() == 1
    assert client.get(url).status_code == 410


@pytest.mark.django_db
def test_expired_token_is_refused_with_a_clear_page(client, service):
    token = survey_token_create(service=service)
    SurveyToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    url = reverse("surveys:survey_token", args=[token.token])
    page = client.get(url)
    assert page.status_code == 410
    assert "kedaluwarsa" in page.content.decode()
    refused = client.post(url, answers())
    assert refused.status_code == 410
    assert Response.objects.count() == 0
    token.refresh_from_db()
    assert token.used_at is None


@pytest.mark.django_db
def test_unknown_token_is_not_found(client):
    assert client.get(reverse("surveys:survey_token", args=["tidak-ada"])).status_code == 404


@pytest.mark.django_db
def test_invalid_answers_keep_the_token_unused(client, service):
    token = survey_token_create(service=service)
    data = answers()
    del data["answer_u1"]
    response = client.post(reverse("surveys:survey_token", args=[token.token]), data)
    assert response.status_code == 200
    assert "Pilih salah satu jawaban untuk pertanyaan 1." in response.content.decode()
    token.refresh_from_db()
    assert token.used_at is None
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_token_links_are_not_rate_limited(client, service, settings):
    settings.SKM_RATE_LIMIT = 1
    first, second = survey_token_create(service=service), survey_token_create(service=service)
    assert client.post(reverse("surveys:survey_token", args=[first.token]), answers()).status_code == 302
    assert client.post(reverse("surveys:survey_token", args=[second.token]), answers()).status_code == 302
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_service_refuses_a_stale_token_object(service):
    """A caller holding an old copy of the token still cannot redeem it twice."""
    token = survey_token_create(service=service)
    stale = SurveyToken.objects.get(pk=token.pk)
    scores = {e.code: 4 for e in Questionnaire.active().elements.all()}
    response_submit(questionnaire=Questionnaire.active(), service=service, scores=scores, sex="P", token=token)
    with pytest.raises(TokenUnavailable) as refused:
        response_submit(questionnaire=Questionnaire.active(), service=service, scores=scores, sex="P", token=stale)
    assert refused.value.reason == TokenUnavailable.USED
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemption_stores_exactly_one_response(service):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (DATABASE_URL=postgres://...)")
    token = survey_token_create(service=service)
    url = reverse("surveys:survey_token", args=[token.token])
    data = answers()
    attempts = 6
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def submit():
        try:
            client = Client()
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=submit) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(statuses) == [302] + [410] * (attempts - 1)
    assert Response.objects.filter(token=token).count() == 1
    assert Response.objects.count() == 1
