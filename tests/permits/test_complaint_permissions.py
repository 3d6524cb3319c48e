"""Permission matrix of the complaint and days-off screens: roles x actions, 302/403/404."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from permits.complaint_services import complaint_file, complaint_transition
from permits.complaints import Action, Status
from permits.models import Complaint, ComplaintConsultation, OfficeDayOff
from skm_portal.roles import Role

R = Role
ROLES = [None, *Role]
OFFICERS = {R.BACKOFFICE, R.KASI, R.KABID, R.KEPALA_DINAS}
# Written from the seed: the head of office answers; the meeting is recorded by kabid or kadis.
WHO = {Action.CONSULT: {R.KABID, R.KEPALA_DINAS}, Action.ACCEPT: {R.KEPALA_DINAS}, Action.REJECT: {R.KEPALA_DINAS}}


def ids(role):
    return role.value if role else "anonim"


@pytest.fixture
def complaints(people, agency):
    filed = timezone.now() - dt.timedelta(hours=3)

    def new(subject):
        return complaint_file(
            name="Rina", email="rina@example.com", subject=subject, description="Uraian.", now=filed, notify=False
        )

    fresh = new("Belum dibahas")
    discussed = new("Sudah dibahas")
    complaint_transition(
        complaint=discussed, action=Action.CONSULT, actor=people[R.KABID], agencies=[agency], held_at=filed
    )
    return {Status.FILED: fresh, Status.CONSULTING: Complaint.objects.get(pk=discussed.pk)}


def login(client, people, role):
    if role is not None:
        client.force_login(people[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=ids)
def test_who_sees_complaints(client, people, complaints, role):
    login(client, people, role)
    complaint = complaints[Status.FILED]
    for url in (reverse("permits:complaint_list"), reverse("permits:complaint_detail", args=[complaint.pk])):
        status = client.get(url).status_code
        expected = 302 if role is None else 200 if role in OFFICERS else 403
        assert status == expected, (url, role)
    # The public pages answer everyone.
    assert client.get(reverse("permits:complaint_new")).status_code == 200
    assert client.get(reverse("permits:complaint_status", args=[complaint.token])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=ids)
def test_who_may_do_what_on_which_complaint(client, people, complaints, agency, role):
    login(client, people, role)
    held = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for status, complaint in complaints.items():
        for action in Action:
            data = {"action": action.value, "expected_status": status.value, "note": "Jawaban.", "held_at": held}
            data["agencies"] = [agency.pk]
            before = ComplaintConsultation.objects.filter(complaint=complaint).count()
            with transaction.atomic():
                response = client.post(reverse("permits:complaint_act", args=[complaint.pk]), data)
                after = Complaint.objects.get(pk=complaint.pk).status
                meetings = ComplaintConsultation.objects.filter(complaint=complaint).count()
                transaction.set_rollback(True)
            if role is None:
                expected = 302
            elif role not in OFFICERS or role not in WHO[action]:
                expected = 403
            elif action != Action.CONSULT and status == Status.FILED:
                expected = 400  # allowed role, but no meeting yet: the form explains
            else:
                expected = 302
            assert response.status_code == expected, (role, status, action)
            done = expected == 302 and role is not None
            if action == Action.CONSULT:
                assert (meetings == before + 1) == done, (role, status, action)
            else:
                assert (after != status) == done and meetings == before, (role, status, action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=ids)
def test_who_manages_the_office_days_off(client, people, role):
    day = OfficeDayOff.objects.create(date=dt.date(2025, 1, 9), description="Hari Jadi Provinsi")
    login(client, people, role)
    listing = client.get(reverse("permits:days_off")).status_code
    add = client.post(reverse("permits:days_off"), {"date": "2025-03-12", "description": "Rapat kerja"}).status_code
    delete = client.post(reverse("permits:day_off_delete", args=[day.pk])).status_code
    if role is None:
        assert (listing, add, delete) == (302, 302, 302)
    elif role == R.ADMINISTRATOR:
        assert (listing, add, delete) == (200, 302, 302)
    else:
        assert (listing, add, delete) == (403, 403, 403)
    kept = set(OfficeDayOff.objects.values_list("date", flat=True))
    assert kept == ({dt.date(2025, 3, 12)} if role == R.ADMINISTRATOR else {dt.date(2025, 1, 9)})
