"""permits.demo.load(): idempotent, files in every state, a seed-like file that adds up."""

import datetime as dt

import pytest

from permits import demo
from permits.models import AgencyMembership, PermitApplication, PermitType
from permits.workflow import Step
from skm_portal import demo as portal_demo


@pytest.mark.django_db
def test_demo_loads_once_with_files_in_every_state(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    portal_demo.load()
    first = demo.load()
    files = PermitApplication.objects.filter(applicant__username="pemohon")
    count = files.count()
    assert count > 0 and str(count) in first
    assert set(files.values_list("step", flat=True)) == {step.value for step in Step} - {Step.PENDAFTARAN.value}
    demo.load()
    assert files.count() == count  # idempotent
    assert PermitType.objects.filter(name="Izin Pengambilan dan Pemanfaatan Air Tanah").count() == 1
    assert AgencyMembership.objects.filter(user__username="dinasteknis", agency__name="Badan Pertanahan").exists()

    # The seed-like file: returned by Badan Pertanahan, revised, back at the agency.
    seed_like = files.filter(step=Step.PERTIMBANGAN_DINAS_TEKNIS, revision_rounds=1).get()
    log = list(seed_like.log.order_by("at", "pk"))
    assert [e.step for e in log] == [
        Step.PENDAFTARAN,
        Step.VERIFIKASI_PENDAFTARAN,
        Step.VERIFIKASI_IZIN,
        Step.PERTIMBANGAN_DINAS_TEKNIS,
        Step.BACKOFFICE_REVISI_DINAS,
        Step.REVISI,
    ]
    assert sum((e.duration + e.offtime for e in log), dt.timedelta()) == log[-1].at - seed_like.submitted_at
    assert log[-1].offtime > dt.timedelta(0)

    for finished in files.filter(step=Step.SELESAI):
        assert finished.survey_token is not None and finished.survey_token.used_at is None


@pytest.mark.django_db
def test_demo_complaints_in_every_state_once(settings, tmp_path):
    from django.utils import timezone

    from permits.complaints import Status
    from permits.models import Complaint
    from permits.selectors import complaint_overdue_q

    settings.MEDIA_ROOT = tmp_path
    portal_demo.load()
    demo.load()
    demo.load()
    assert set(Complaint.objects.values_list("status", flat=True)) == {s.value for s in Status} - {Status.ACCEPTED}
    assert Complaint.objects.count() == 4
    assert Complaint.objects.filter(complaint_overdue_q(timezone.now())).count() == 1
    answered = Complaint.objects.get(status=Status.REJECTED)
    assert answered.consultations.count() == 2 and answered.answered_at > answered.consultations.first().held_at
