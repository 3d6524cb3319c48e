"""Services check the acting user themselves (not only the views): a user without
"followup.manage" is refused with PermissionDenied by every kind of follow-up write, and
nothing is written, whoever calls (a view, a command, a task)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from followup.meetings import attendance_services, fkp_services, letter_numbers
from followup.meetings import services as meeting_services
from followup.models import Activity, Attendee, FollowUpPlan, Meeting, Recommendation
from followup.plans import evidence, services
from skm_portal.models import AuditEntry
from skm_portal.roles import Role

from .helpers import PDF_BYTES
from .meeting_fixtures import make_fkp

pytestmark = pytest.mark.django_db


@pytest.fixture
def fkp(officer):
    return make_fkp(officer)


def writes(tw3, plan, activity, fkp):
    """One call of each write family, as (label, call(user))."""
    return [
        ("priorities", lambda user: services.priorities_confirm(period=tw3, codes=["U3"], user=user)),
        ("plan", lambda user: services.plan_update(
            plan=plan, user=user, element_name="X", time_frame="Y", person_in_charge="Z")),
        ("activity", lambda user: services.activity_add(plan=plan, user=user, title="Monitoring")),
        ("step", lambda user: services.step_add(activity=activity, user=user, description="Rapat")),
        ("evidence", lambda user: evidence.evidence_upload(
            activity=activity, user=user, upload=SimpleUploadedFile("a.pdf", PDF_BYTES))),
        ("meeting", lambda user: meeting_services.meeting_update(meeting=fkp, user=user, title="Diam-diam")),
        ("letter number", lambda user: meeting_services.invitation_assign_number(meeting=fkp, user=user)),
        ("numbering", lambda user: letter_numbers.letter_counter_set_first(user=user, year=2030, first_number=5)),
        ("attendance", lambda user: attendance_services.attendee_add(
            meeting=fkp, user=user, name="Ani", institution="DPMPTSP", sex="P", age=40)),
        ("fkp", lambda user: fkp_services.recommendation_add(
            meeting=fkp, user=user, problem="Masalah", recommendation="Perbaikan")),
    ]  # fmt: skip


def state():
    return (
        list(FollowUpPlan.objects.values_list("element_code", "element_name", "time_frame")),
        Activity.objects.count(),
        list(Meeting.objects.values_list("title", "letter_number")),
        Attendee.objects.count(),
        Recommendation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", [None, Role.KEPALA_DINAS, Role.PEMOHON], ids=lambda r: r.value if r else "tanpa-peran")
def test_a_user_without_manage_is_refused_by_every_service_and_nothing_is_written(
    make_user, tw3, plan, activity, fkp, role
):
    user = make_user(role) if role else make_user()
    before = state()
    for label, call in writes(tw3, plan, activity, fkp):
        with pytest.raises(PermissionDenied):
            call(user)
        assert state() == before, label


def test_an_officer_passes_the_same_checks(officer, tw3, plan, activity, fkp):
    for _label, call in writes(tw3, plan, activity, fkp):
        call(officer)
    meeting = Meeting.objects.get(pk=fkp.pk)
    assert meeting.title == "Diam-diam" and meeting.letter_number is not None
    assert list(FollowUpPlan.objects.values_list("element_code", "element_name")) == [("U3", "X")]
    assert Attendee.objects.filter(meeting=fkp).count() == 1
    assert Recommendation.objects.filter(meeting=fkp).count() == 1
    assert activity.evidence.count() == 1 and activity.steps.count() == 1


def test_the_public_check_in_needs_no_user(fkp):
    """The QR page has no login: its guard is the meeting's token and check-in window."""
    began = dt.datetime.combine(fkp.date, fkp.start_time, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    attendee = attendance_services.attendee_checkin(
        meeting=fkp, name="Budi", institution="Unmul", sex="L", age=30, typed_signature="Budi", now=began
    )
    assert attendee.source == Attendee.Source.QR and attendee.number == 1
