"""The lobby board and the public "kami bertindak" page, on the demo's data."""

import datetime as dt
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import demo as followup_demo
from followup.meetings.demo import FKP_REPRESENTATIVES
from followup.models import Activity, Recommendation
from surveys.models import Period, Questionnaire, Response, Service
from surveys.services import response_submit


@pytest.fixture
def demo(survey_demo):
    followup_demo.load()


def expected_index(responses) -> str:
    """The IKM by brute force: mean score per element, equal weights, x 25, half-up to 2 dp."""
    elements = list(Questionnaire.active().elements.all())
    nrr = [
        Fraction(sum(r.score(e) for r in responses), sum(1 for r in responses if r.score(e) is not None))
        for e in elements
    ]
    index = sum(nrr, Fraction(0)) / len(nrr) * 25
    hundredths = (index * 100 * 2 + 1) // 2  # half-up
    return f"{hundredths // 100},{hundredths % 100:02d}"


def board_text(client, name="lobby:board"):
    page = client.get(reverse(name))
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.django_db
def test_board_shows_this_periods_figures_computed_independently(client, demo):
    period = Period.objects.filter(is_public=True).order_by("-start_date").first()
    responses = list(Response.objects.filter(survey_date__range=(period.start_date, period.end_date)))
    assert responses, "the demo has responses in its latest period"
    text = board_text(client)
    assert period.name in text
    assert f'id="board-ikm">{expected_index(responses)}<' in text
    assert f'id="board-period-respondents">{len(responses)}<' in text
    service = Service.objects.get(pk=responses[0].service_id)
    mine = [r for r in responses if r.service_id == service.pk]
    assert service.name in text and expected_index(mine) in text


@pytest.mark.django_db
def test_board_shows_the_completed_follow_up_and_fkp_commitments_without_people(client, demo):
    text = board_text(client)
    assert "Anda bertanya, kami bertindak" in text
    done = Activity.objects.filter(status=Activity.Status.DONE).select_related("plan")
    assert done.exists()
    newest = sorted(done, key=lambda a: a.pk)[-1]
    assert newest.plan.element_name in text
    shown = [a for a in done if a.title in text]
    assert 1 <= len(shown) <= 6
    for recommendation in Recommendation.objects.all()[:3]:
        assert recommendation.get_status_display() in text
    for name, phone, _sex, _represents in FKP_REPRESENTATIVES:
        assert name not in text
        if phone:
            assert phone not in text


@pytest.mark.django_db
def test_the_refreshed_part_counts_a_new_response_of_today(client, demo):
    service = Service.objects.filter(is_active=True).first()
    today = timezone.localdate()
    before = Response.objects.filter(survey_date=today).count()
    assert f'id="board-today">{before}<' in board_text(client, "lobby:board_parts")
    scores = {e.code: 4 for e in Questionnaire.active().elements.all()}
    response_submit(questionnaire=Questionnaire.active(), service=service, scores=scores, sex="L")
    parts = board_text(client, "lobby:board_parts")
    assert f'id="board-today">{before + 1}<' in parts
    assert "<html" not in parts  # only the part that is swapped in


@pytest.mark.django_db
def test_board_without_any_period_says_so(client, db):
    assert "Hasil periode ini belum tersedia." in board_text(client)


@pytest.mark.django_db
def test_current_period_is_the_one_running_today(client, survey_demo):
    today = timezone.localdate()
    running = Period.objects.create(
        name="Periode berjalan", kind=Period.Kind.CUSTOM, start_date=today - dt.timedelta(days=3), end_date=today
    )
    from lobby.selectors import current_period

    assert current_period(today) == running


@pytest.mark.django_db
def test_we_act_page_lists_completed_activities_paged_and_the_commitments(client, demo):
    page = client.get(reverse("lobby:we_act"))
    text = page.content.decode()
    done = Activity.objects.filter(status=Activity.Status.DONE)
    assert page.status_code == 200
    assert all(a.title in text for a in done[:20])
    assert "Komitmen Forum Konsultasi Publik" in text
    first = Recommendation.objects.order_by("number").first()
    assert first.recommendation.split("\n")[0][:40] in text
    assert client.get(reverse("lobby:we_act"), {"halaman": "999"}).status_code == 200
