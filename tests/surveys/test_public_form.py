"""The public survey form: one page, no login, every answer stored in its slot."""

import datetime as dt
import re
import zoneinfo
from xml.etree import ElementTree

import pytest
import segno
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from surveys.models import Questionnaire, Response, Service
from surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate-limit counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service():
    return Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


@pytest.fixture
def elements():
    return sorted(Questionnaire.active().elements.all(), key=lambda e: (e.order, e.code))


def complete_post(elements, **overrides):
    """Answers for every element (cycling 1..4) and a full profile."""
    data = {f"answer_{e.code.lower()}": str((i % 4) + 1) for i, e in enumerate(elements)}
    data |= {
        "sex": "P",
        "age": "34",
        "education": "D4/S1",
        "occupation": "WIRAUSAHA",
        "occupation_other": "",
        "suggestion": "Antrean sudah tertib.",
        "website": "",
    }
    data |= overrides
    return data


def test_service_list_shows_active_services_only(client, service):
    Service.objects.create(code="lama", name="Layanan Lama", is_active=False)
    page = client.get(reverse("surveys:service_list")).content.decode()
    assert service.name in page
    assert reverse("surveys:survey_form", args=[service.code]) in page
    assert "Layanan Lama" not in page


def test_form_shows_every_question_and_label_as_radio_buttons(client, service, elements):
    response = client.get(reverse("surveys:survey_form", args=[service.code]))
    assert response.status_code == 200
    page = response.content.decode()
    for element in elements:
        assert element.question in page
        for label in element.labels:
            assert label in page
        assert page.count(f'type="radio" name="answer_{element.code.lower()}"') == 4
    assert 'class="hp-field" aria-hidden="true"' in page
    assert 'tabindex="-1"' in page
    assert "style=" not in page
    assert "<script>" not in page


def test_inactive_or_unknown_service_is_not_found(client):
    Service.objects.create(code="tutup", name="Layanan Tutup", is_active=False)
    assert client.get(reverse("surveys:survey_form", args=["tutup"])).status_code == 404
    assert client.get(reverse("surveys:survey_form", args=["tidak-ada"])).status_code == 404


def test_complete_submission_stores_one_response_with_slot_scores(client, service, elements):
    data = complete_post(elements)
    response = client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_thanks")
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    for element in elements:
        assert getattr(stored, element.field) == int(data[f"answer_{element.code.lower()}"])
    assert stored.service == service
    assert stored.questionnaire == Questionnaire.active()
    assert stored.channel == Response.Channel.FORM
    assert (stored.sex, stored.age, stored.education, stored.occupation) == ("P", 34, "D4/S1", "WIRAUSAHA")
    assert stored.suggestion == "Antrean sudah tertib."
    assert stored.token is None
    wita = zoneinfo.ZoneInfo("Asia/Makassar")
    assert stored.survey_date == stored.submitted_at.astimezone(wita).date()
    thanks = client.get(response["Location"])
    assert "Terima kasih" in thanks.content.decode()
    assert f'href="{reverse("surveys:public_results")}"' in thanks.content.decode()


def test_missing_answer_is_refused_and_nothing_stored(client, service, elements):
    third = elements[2]
    data = complete_post(elements)
    del data[f"answer_{third.code.lower()}"]
    response = client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert response.status_code == 200
    assert Response.objects.count() == 0
    page = response.content.decode()
    message = "Pilih salah satu jawaban untuk pertanyaan 3."
    # In the summary at the top (linking to the question) and next to the question itself.
    assert f'href="#f-answer_{third.code.lower()}"' in page
    assert page.count(message) == 2
    summary = page.index('id="ringkasan-kesalahan"')
    assert summary < page.index(message) < page.index(third.question)
    # Answers already given stay chosen.
    first = elements[0]
    chosen = data[f"answer_{first.code.lower()}"]
    assert re.search(rf'name="answer_{first.code.lower()}" value="{chosen}"[^>]*checked', page)


def test_profile_errors_are_indonesian_and_store_nothing(client, service, elements):
    data = complete_post(elements, sex="", age="9", occupation="LAINNYA", occupation_other="")
    response = client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert response.status_code == 200
    assert Response.objects.count() == 0
    page = response.content.decode()
    assert "Pilih jenis kelamin." in page
    assert "Usia paling rendah 10 tahun." in page
    assert "Sebutkan pekerjaan Anda." in page


def test_age_must_be_a_whole_number(client, service, elements):
    response = client.post(reverse("surveys:survey_form", args=[service.code]), complete_post(elements, age="3,5"))
    assert "Isi usia dengan angka bulat" in response.content.decode()
    assert Response.objects.count() == 0


def test_optional_fields_may_stay_empty_and_other_occupation_is_kept(client, service, elements):
    data = complete_post(elements, age="", suggestion="", occupation="LAINNYA", occupation_other=" Nelayan ")
    assert client.post(reverse("surveys:survey_form", args=[service.code]), data).status_code == 302
    stored = Response.objects.get()
    assert stored.age is None
    assert stored.suggestion == ""
    assert (stored.occupation, stored.occupation_other) == ("LAINNYA", "Nelayan")


def test_other_occupation_text_is_dropped_for_listed_occupations(client, service, elements):
    data = complete_post(elements, occupation="PNS", occupation_other="sisa isian")
    client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert Response.objects.get().occupation_other == ""


def test_out_of_range_answer_is_refused(client, service, elements):
    data = complete_post(elements, **{f"answer_{elements[0].code.lower()}": "5"})
    response = client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert response.status_code == 200
    assert "Pilih salah satu jawaban untuk pertanyaan 1." in response.content.decode()
    assert Response.objects.count() == 0


def test_empty_post_lists_every_missing_answer(client, service, elements):
    response = client.post(reverse("surveys:survey_form", args=[service.code]), {})
    page = response.content.decode()
    for number in range(1, len(elements) + 1):
        assert f"Pilih salah satu jawaban untuk pertanyaan {number}." in page
    assert Response.objects.count() == 0


def test_csrf_is_enforced(service, elements):
    strict = Client(enforce_csrf_checks=True)
    url = reverse("surveys:survey_form", args=[service.code])
    refused = strict.post(url, complete_post(elements))
    assert refused.status_code == 403
    assert Response.objects.count() == 0
    # The same client with the form's token gets through.
    strict.get(url)
    token = strict.cookies["csrftoken"].value
    accepted = strict.post(url, complete_post(elements, csrfmiddlewaretoken=token))
    assert accepted.status_code == 302
    assert Response.objects.count() == 1


def test_honeypot_looks_like_success_but_stores_nothing(client, service, elements):
    data = complete_post(elements, website="http://spam.example")
    response = client.post(reverse("surveys:survey_form", args=[service.code]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:survey_thanks")
    assert Response.objects.count() == 0


def test_survey_date_is_the_wita_date_of_submission(service, elements):
    # 17:30 UTC on 30 June is 01:30 WITA on 1 July.
    moment = dt.datetime(2024, 6, 30, 17, 30, tzinfo=dt.UTC)
    stored = response_submit(
        questionnaire=Questionnaire.active(),
        service=service,
        scores={e.code: 4 for e in elements},
        sex="L",
        submitted_at=moment,
    )
    assert stored.survey_date == dt.date(2024, 7, 1)


def test_service_refuses_incomplete_scores(service, elements):
    scores = {e.code: 3 for e in elements[1:]}
    with pytest.raises(ValidationError) as refused:
        response_submit(questionnaire=Questionnaire.active(), service=service, scores=scores, sex="L")
    assert f"Pertanyaan {elements[0].name} belum dijawab." in refused.value.messages
    assert Response.objects.count() == 0


# --- the counter poster ---------------------------------------------------------------


def test_poster_page_shows_qr_and_absolute_link(client, service, settings):
    settings.SITE_URL = "https://skm.example.go.id"
    page = client.get(reverse("surveys:service_poster", args=[service.code])).content.decode()
    expected = "https://skm.example.go.id" + reverse("surveys:survey_form", args=[service.code])
    assert expected in page
    assert "<svg" in page
    assert "style=" not in page


def test_poster_qr_svg_encodes_the_open_link(client, service, settings):
    settings.SITE_URL = "https://skm.example.go.id/"
    response = client.get(reverse("surveys:service_poster_qr", args=[service.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the app's own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    expected = "https://skm.example.go.id" + reverse("surveys:survey_form", args=[service.code])
    assert root.find("{http://www.w3.org/2000/svg}title").text == expected
    # The modules drawn are those of a QR code of exactly that address.
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    reference = segno.make(expected, error="m", micro=False).svg_inline(border=4)
    assert f'd="{path}"' in reference


def test_poster_pdf_is_a_pdf(client, service):
    response = client.get(reverse("surveys:service_poster_pdf", args=[service.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_poster_is_only_for_active_services(client):
    Service.objects.create(code="tutup", name="Layanan Tutup", is_active=False)
    for name in ("surveys:service_poster", "surveys:service_poster_qr", "surveys:service_poster_pdf"):
        assert client.get(reverse(name, args=["tutup"])).status_code == 404


def test_form_follows_a_changed_questionnaire(client, service, elements):
    url = reverse("surveys:survey_form", args=[service.code])
    client.get(url)  # the process now remembers the active questionnaire
    first = elements[0]
    first.label_4 = "Sangat sesuai sekali"
    first.save()
    assert "d. Sangat sesuai sekali" in client.get(url).content.decode()


def test_a_refused_form_leaves_nothing_behind_for_the_next_respondent(client, service, elements):
    """The radio fields are built once and shared by every form: showing one respondent's
    errors (and their answers checked) must not mark the next respondent's empty form."""
    url = reverse("surveys:survey_form", args=[service.code])
    bad = complete_post(elements, sex="", age="7", occupation="LAINNYA")
    del bad[f"answer_{elements[0].code.lower()}"]
    refused = client.post(url, bad).content.decode()
    assert 'id="ringkasan-kesalahan"' in refused and "survey-group-error" in refused and "is-invalid" in refused
    assert refused.count("checked") >= len(elements) - 1
    fresh = Client().get(url).content.decode()
    assert 'id="ringkasan-kesalahan"' not in fresh
    assert "survey-group-error" not in fresh and "is-invalid" not in fresh and "checked" not in fresh
    assert Client().post(url, complete_post(elements)).status_code == 302
    assert Response.objects.count() == 1
