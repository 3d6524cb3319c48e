"""A respondent fills the survey on a phone in a real (headless) Chromium."""

import pytest
from django.urls import reverse

from surveys.models import Questionnaire, Response, Service

from .chromium import PHONE, routine_screenshot


@pytest.fixture
def screenshot_on_failure(browser):
    """A page in a phone-sized, touch-enabled browser context (a failure keeps its screenshot)."""
    chromium, pages = browser
    context = chromium.new_context(**PHONE)
    pages["phone"] = context.new_page()
    return pages["phone"]


@pytest.mark.django_db(transaction=True)
def test_survey_on_a_phone(live_server, screenshot_on_failure):
    service = Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")
    elements = sorted(Questionnaire.active().elements.all(), key=lambda e: (e.order, e.code))
    page = screenshot_on_failure
    page.goto(live_server.url + reverse("surveys:survey_form", args=[service.code]))

    # Bootstrap is really served and applied (the button is styled, not the browser default).
    bootstrap = page.request.get(live_server.url + "/static/vendor/bootstrap/css/bootstrap.min.css")
    assert bootstrap.ok
    submit = page.get_by_role("button", name="Kirim Jawaban")
    assert submit.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    routine_screenshot(page, "survey-phone-top", full_page=False)

    chosen = {}
    for number, element in enumerate(elements):
        score = number % 4 + 1
        group = page.locator(f"#f-answer_{element.code.lower()}")
        group.get_by_text(f"{'abcd'[score - 1]}. {element.labels[score - 1]}", exact=True).tap()
        chosen[element.field] = score
    page.locator("#f-sex").get_by_text("Perempuan", exact=True).tap()
    page.get_by_label("Usia (tahun)").fill("29")
    page.locator("#f-education").get_by_text("D4/S1", exact=True).tap()
    other = page.get_by_label("Pekerjaan lainnya, sebutkan")
    page.locator("#f-occupation").get_by_text("Lainnya", exact=True).tap()
    assert other.is_visible()
    other.fill("Petani")
    page.get_by_label("Saran dan masukan").fill("Petugas sangat membantu.")
    for element in elements:
        checked = page.locator(f"#f-answer_{element.code.lower()} input:checked")
        assert checked.get_attribute("value") == str(chosen[element.field])

    routine_screenshot(page, "survey-phone-filled")
    routine_screenshot(page, "survey-phone-profile", full_page=False)

    submit.tap()
    page.wait_for_url(live_server.url + reverse("surveys:survey_thanks"))
    assert page.get_by_role("heading", name="Terima kasih!").is_visible()

    stored = Response.objects.get()
    assert stored.service == service
    assert {field: getattr(stored, field) for field in chosen} == chosen
    assert (stored.sex, stored.age, stored.education) == ("P", 29, "D4/S1")
    assert (stored.occupation, stored.occupation_other) == ("LAINNYA", "Petani")
    assert stored.suggestion == "Petugas sangat membantu."
