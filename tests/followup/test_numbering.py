"""Letter numbers: classification / running number of the year / unit / year, without gaps
or duplicates, also when officers number letters at the same moment (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from followup import meeting_services as ms
from followup.models import LetterCounter, Meeting

from .meeting_fixtures import make_fkp


@pytest.fixture
def officer(make_user):
    from skm_portal.roles import Role

    return make_user(Role.PETUGAS_SKM, username="pencatat_surat")


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_year_and_restart_next_year(officer):
    first = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    second = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    next_year = ms.invitation_assign_number(meeting=make_fkp(officer, letter_date=dt.date(2025, 1, 2)), user=officer)
    assert (first.letter_number, second.letter_number, next_year.letter_number) == (1, 2, 1)
    assert first.letter_reference == "000.8.3.2/1/DPMPTSP-SEKR/2024"
    assert next_year.letter_reference.endswith("/1/DPMPTSP-SEKR/2025")


@pytest.mark.django_db
def test_number_from_the_paper_register_moves_the_counter_and_cannot_be_reused(officer):
    paper = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1457)
    assert paper.letter_reference == "000.8.3.2/1457/DPMPTSP-SEKR/2024"
    following = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    assert following.letter_number == 1458
    other = make_fkp(officer)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        ms.invitation_assign_number(meeting=other, user=officer, number=1457)
    other.refresh_from_db()
    assert other.letter_number is None
    assert LetterCounter.objects.get(year=2024).last == 1458


@pytest.mark.django_db
def test_a_numbered_letter_keeps_its_number_and_meeting(officer):
    meeting = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    with pytest.raises(ValidationError, match="sudah bernomor"):
        ms.invitation_assign_number(meeting=meeting, user=officer)
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        ms.meeting_remove(meeting=meeting, user=officer)
    with pytest.raises(ValidationError):
        ms.meeting_update(meeting=meeting, user=officer, letter_date=dt.date(2025, 1, 3))
    meeting.refresh_from_db()
    assert (meeting.letter_number, meeting.letter_date) == (1, dt.date(2024, 10, 28))


@pytest.mark.django_db
def test_numbering_over_http_needs_the_manage_permission(client_as, officer):
    from django.urls import reverse

    from skm_portal.roles import Role

    meeting = make_fkp(officer)
    url = reverse("followup:letter_number", kwargs={"meeting": meeting.pk})
    assert client_as(Role.KEPALA_DINAS).post(url).status_code == 403
    assert client_as(Role.KABID).post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.letter_number == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_numbering_gives_each_letter_its_own_number_without_gaps(officer, make_user):
    """Twelve officers press "beri nomor" at the same moment: twelve parallel HTTP requests."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are tested on PostgreSQL")
    from django.test import Client
    from django.urls import reverse

    from skm_portal.roles import Role

    workers = 12
    meetings = [make_fkp(officer, title=f"Rapat {i}") for i in range(workers)]
    kabid = make_user(Role.KABID, username="kabid_paralel")
    barrier = threading.Barrier(workers)
    errors = []
    statuses = []

    def number(meeting):
        try:
            client = Client()
            client.force_login(kabid)
            barrier.wait()
            url = reverse("followup:letter_number", kwargs={"meeting": meeting.pk})
            statuses.append(client.post(url).status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=number, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [302] * workers
    numbers = sorted(Meeting.objects.filter(letter_year=2024).values_list("letter_number", flat=True))
    assert numbers == list(range(1, workers + 1))
    assert LetterCounter.objects.get(year=2024).last == workers
