"""Public QR check-in: one row per person per meeting, a per-client limit, a configurable
window, and officers strike bogus rows (kept, audited, not printed)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.meetings import attendance_services, checkin
from followup.models import Attendee
from skm_portal.audit import audit_for
from skm_portal.roles import Role

from .meeting_fixtures import make_fkp

STROKE = "M10 10 L20 20"


def test_the_same_person_whatever_the_spelling_of_case_spaces_and_punctuation():
    same = {
        checkin.person_key("Ani Ratna Sari", "DPMPTSP"),
        checkin.person_key("  ani  RATNA-sari ", "dpmptsp."),
        checkin.person_key("Ani Ratna Sari,", " DPMPTSP "),
        checkin.person_key("Aní Ratna Sari", "DPMPTSP"),
    }
    assert len(same) == 1
    assert checkin.person_key("Ani Ratna Sari", "Bappeda") not in same
    assert checkin.person_key("Ani Ratna", "DPMPTSP") not in same


@pytest.fixture
def officer(make_user):
    return make_user(Role.PETUGAS_SKM, username="petugas_rapat")


@pytest.fixture
def today_meeting(officer):
    return make_fkp(officer, date=timezone.localdate(), start_time=None)


def url(meeting):
    return reverse("followup:checkin", kwargs={"checkin": meeting.checkin_token})


def form(**extra):
    return {"name": "Ani Ratna Sari", "institution": "DPMPTSP", "sex": "P", "age": "50", "signature": STROKE, **extra}


@pytest.mark.django_db
def test_two_check_ins_of_one_person_store_one_row_and_the_second_is_told_kindly(client, today_meeting):
    first = client.post(url(today_meeting), form())
    again = client.post(url(today_meeting), form(name="ANI  ratna sari.", institution="dpmptsp"))
    assert first.status_code == 200 and again.status_code == 200
    assert "sudah tercatat" in again.content.decode() and "Nomor 1" in again.content.decode()
    assert list(today_meeting.attendees.values_list("number", "name")) == [(1, "Ani Ratna Sari")]
    other = client.post(url(today_meeting), form(name="Budi Santoso", sex="L"))
    assert "kehadiran Anda tercatat" in other.content.decode()
    assert today_meeting.attendees.count() == 2


@pytest.mark.django_db
def test_an_officer_cannot_type_someone_already_on_the_list(today_meeting, officer):
    attendance_services.attendee_checkin(
        meeting=today_meeting, name="Ani Ratna Sari", institution="DPMPTSP", sex="P", age=50, signature=STROKE
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="sudah tercatat pada nomor 1"):
        attendance_services.attendee_add(
            meeting=today_meeting, user=officer, name="ani ratna sari", institution="DPMPTSP", sex="P", age=50
        )
    assert today_meeting.attendees.count() == 1


@pytest.mark.django_db
def test_one_client_is_limited_and_extra_posts_store_nothing(client, today_meeting, settings):
    settings.SKM_CHECKIN_RATE_LIMIT = 3
    for i in range(3):
        assert client.post(url(today_meeting), form(name=f"Peserta {i}")).status_code == 200
    limited = client.post(url(today_meeting), form(name="Peserta banjir"))
    assert limited.status_code == 429 and "Terlalu banyak pengisian" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    assert today_meeting.attendees.count() == 3
    # Another client (another address) is not affected.
    other = client.post(url(today_meeting), form(name="Tamu lain"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200 and today_meeting.attendees.count() == 4


@pytest.mark.django_db
def test_the_window_opens_a_configurable_time_before_the_start(client, officer, settings):
    start = (timezone.localtime() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    if start.date() != timezone.localdate():
        pytest.skip("the meeting would start tomorrow; the window test needs a start later today")
    meeting = make_fkp(officer, date=start.date(), start_time=start.time())
    settings.FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES = 120
    early = client.post(url(meeting), form())
    opens = (start - dt.timedelta(hours=2)).strftime("%H.%M")
    assert early.status_code == 409 and not meeting.attendees.exists()
    assert attendance_services.checkin_state(meeting) == checkin.CheckinState.NOT_YET
    with pytest.raises(Exception, match=f"dibuka pukul {opens} WITA"):
        attendance_services.attendee_checkin(
            meeting=meeting, name="Ani", institution="", sex="P", age=None, signature=STROKE
        )
    settings.FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES = 240
    assert client.post(url(meeting), form()).status_code == 200 and meeting.attendees.count() == 1


@pytest.mark.django_db
def test_an_officer_strikes_a_bogus_row_kept_audited_and_not_printed(client, client_as, today_meeting):
    client.post(url(today_meeting), form())
    client.post(url(today_meeting), form(name="Mickey Mouse", institution="Disneyland"))
    bogus = Attendee.objects.get(name="Mickey Mouse")
    officer = client_as(Role.PETUGAS_SKM)
    strike_url = reverse("followup:attendee_strike", kwargs={"attendee": bogus.pk})
    officer.post(strike_url, {"reason": ""})
    assert not Attendee.objects.get(pk=bogus.pk).struck  # a reason is required
    officer.post(strike_url, {"reason": "Nama palsu, tidak hadir."})
    bogus.refresh_from_db()
    assert bogus.struck and bogus.struck_reason == "Nama palsu, tidak hadir." and bogus.struck_at is not None
    [line] = [e for e in audit_for(today_meeting) if e.action == "attendee_struck"]
    assert "Mickey Mouse" in line.summary and "Nama palsu" in line.summary
    printed = officer.get(reverse("followup:attendance", kwargs={"meeting": today_meeting.pk})).content.decode()
    assert "Ani Ratna Sari" in printed and "Mickey Mouse" not in printed
    detail = officer.get(reverse("followup:meeting", kwargs={"meeting": today_meeting.pk})).content.decode()
    assert "Mickey Mouse" in detail and "Dicoret, tidak dicetak: Nama palsu, tidak hadir." in detail
    assert Attendee.objects.count() == 2  # kept
    kadis = client_as(Role.KEPALA_DINAS)
    assert kadis.post(strike_url, {"reason": "x"}).status_code == 403
