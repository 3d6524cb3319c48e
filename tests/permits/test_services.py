"""Both revision loops through the transition service, with the process log's times."""

import datetime as dt
import itertools

import pytest
from django.core import mail

from permits.models import PermitApplication, PermitDocument, ProcessLogEntry
from permits.selectors import permit_clock
from permits.services import TransitionRefused, office_calendar, permit_apply, permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role
from surveys.models import SurveyToken

from .helpers import at, documents_for, pdf

ZERO = dt.timedelta(0)


def entries(permit):
    return list(ProcessLogEntry.objects.filter(application=permit).order_by("at", "pk"))


def assert_log_adds_up(permit):
    log = entries(permit)
    total = sum((e.duration + e.offtime for e in log), ZERO)
    assert total == log[-1].at - permit.submitted_at
    # Consecutive entries: each step starts where the previous one ended.
    for before, after in itertools.pairwise(log):
        assert after.started_at == before.at
    return log


@pytest.mark.django_db
def test_apply_numbers_the_file_and_waits_for_verification(water_permit, people):
    now = at(2025, 7, 7, 9)
    permit = permit_apply(
        applicant=people[Role.PEMOHON],
        permit_type=water_permit,
        documents=documents_for(water_permit),
        declaration=True,
        now=now,
    )
    permit.refresh_from_db()
    assert permit.step == Step.VERIFIKASI_PENDAFTARAN
    assert permit.number == f"IZIN/2025/{permit.pk:06d}"
    assert permit.agency == water_permit.agency
    assert permit.service_days == water_permit.service_days
    assert permit.submitted_at == now
    # Ten working days from Monday 7 July 2025 09.00: Monday 21 July 09.00.
    assert permit.deadline_at == at(2025, 7, 21, 9)
    [entry] = entries(permit)
    assert (entry.step, entry.user, entry.duration, entry.offtime) == (
        Step.PENDAFTARAN,
        people[Role.PEMOHON],
        ZERO,
        ZERO,
    )
    assert PermitDocument.objects.filter(application=permit, is_current=True).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["missing_document", "no_declaration", "bad_extension", "officer"])
def test_bad_applications_change_nothing(water_permit, people, problem):
    documents = documents_for(water_permit)
    applicant, declaration = people[Role.PEMOHON], True
    if problem == "missing_document":
        documents.popitem()
    elif problem == "no_declaration":
        declaration = False
    elif problem == "bad_extension":
        first = next(iter(documents))
        documents[first] = pdf("virus.exe")
    else:
        applicant = people[Role.BACKOFFICE]
    with pytest.raises(TransitionRefused) as refused:
        permit_apply(applicant=applicant, permit_type=water_permit, documents=documents, declaration=declaration)
    assert refused.value.message
    assert PermitApplication.objects.count() == 0
    assert PermitDocument.objects.count() == 0


@pytest.mark.django_db
def test_loop_a_agency_rejects_backoffice_returns_applicant_fixes(water_permit, people, apply, advance):
    submitted = at(2025, 7, 7, 9)
    permit = apply(water_permit, now=submitted)
    permit = advance(permit, Step.PERTIMBANGAN_DINAS_TEKNIS, start=submitted)  # 2 steps, 1 hour each
    assert permit.sent_to_agency_at == at(2025, 7, 7, 11)

    agency_says_no = at(2025, 7, 8, 10)
    permit = permit_transition(
        permit=permit,
        action=Action.AGENCY_REQUEST_REVISION,
        actor=people[Role.DINAS_TEKNIS],
        note="Peta lokasi sumur tidak sesuai koordinat.",
        now=agency_says_no,
    )
    assert permit.step == Step.BACKOFFICE_REVISI_DINAS
    assert permit.agency_note == "Peta lokasi sumur tidak sesuai koordinat."

    returned = at(2025, 7, 8, 14)
    permit = permit_transition(
        permit=permit,
        action=Action.BACKOFFICE_RETURN,
        actor=people[Role.BACKOFFICE],
        note="Silakan lengkapi peta lokasi dengan koordinat.",
        expected_step=Step.BACKOFFICE_REVISI_DINAS,
        now=returned,
    )
    assert permit.step == Step.REVISI
    assert permit.returned_by_step == Step.PERTIMBANGAN_DINAS_TEKNIS
    assert permit.applicant_note == "Silakan lengkapi peta lokasi dengan koordinat."
    assert permit.deadline_at is None  # the clock stops with the applicant
    assert permit.revision_rounds == 1

    # "Simpan Revisi" is not this loop's button; without the declaration nothing moves.
    with pytest.raises(TransitionRefused):
        permit_transition(permit=permit, action=Action.SAVE_REVISION, actor=people[Role.PEMOHON], declaration=True)
    with pytest.raises(TransitionRefused) as refused:
        permit_transition(permit=permit, action=Action.SUBMIT_FIX, actor=people[Role.PEMOHON])
    assert refused.value.code == TransitionRefused.INVALID

    fixed = at(2025, 7, 10, 8)
    map_doc = water_permit.required_documents.get(name="Peta Lokasi Sumur")
    permit = permit_transition(
        permit=permit,
        action=Action.SUBMIT_FIX,
        actor=people[Role.PEMOHON],
        declaration=True,
        documents={map_doc.pk: pdf("peta-baru.pdf")},
        now=fixed,
    )
    assert permit.step == Step.PERTIMBANGAN_DINAS_TEKNIS  # back to the agency's step
    assert permit.returned_by_step == ""
    assert permit.declared_at == fixed
    versions = PermitDocument.objects.filter(application=permit, required_document=map_doc)
    assert versions.count() == 2
    assert versions.get(is_current=True).original_name == "peta-baru.pdf"

    log = assert_log_adds_up(permit)
    revision = log[-1]
    assert (revision.step, revision.duration, revision.offtime) == (Step.REVISI, ZERO, fixed - returned)
    agency_entry = next(e for e in log if e.step == Step.PERTIMBANGAN_DINAS_TEKNIS)
    assert agency_entry.agency_name == "Badan Pertanahan"
    assert agency_entry.duration == agency_says_no - at(2025, 7, 7, 11)

    # Deadline: 10 working days from Mon 7 July 09.00, plus the offtime's working time
    # (Tue 14.00 to Thu 08.00 = 42 hours, all on working days).
    assert permit.deadline_at == at(2025, 7, 21, 9) + (fixed - returned)
    clock = permit_clock(permit, now=fixed)
    assert clock.offtime == fixed - returned
    assert clock.total == clock.duration + clock.offtime == fixed - submitted
    assert clock.working_used == office_calendar().working_time(submitted, returned)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "action", "role"),
    [(Step.VALIDASI_KASI, Action.KASI_RETURN, Role.KASI), (Step.VALIDASI_KABID, Action.KABID_RETURN, Role.KABID)],
)
def test_loop_b_returns_to_the_officer_who_returned_it(water_permit, people, apply, advance, step, action, role):
    submitted = at(2025, 7, 7, 9)
    permit = advance(apply(water_permit, now=submitted), step, start=submitted)
    returned = at(2025, 7, 9, 10)
    permit = permit_transition(
        permit=permit, action=action, actor=people[role], note="NPWP tidak terbaca.", now=returned
    )
    assert permit.step == Step.REVISI and permit.returned_by_step == step
    with pytest.raises(TransitionRefused):
        permit_transition(permit=permit, action=Action.SUBMIT_FIX, actor=people[Role.PEMOHON], declaration=True)
    saved = at(2025, 7, 11, 16, 30)
    permit = permit_transition(
        permit=permit,
        action=Action.SAVE_REVISION,
        actor=people[Role.PEMOHON],
        declaration=True,
        note="NPWP yang terlampir sudah terbaca jelas di halaman 2.",
        now=saved,
    )
    assert permit.step == step
    log = assert_log_adds_up(permit)
    assert log[-1].offtime == saved - returned
    permit = advance(permit, Step.SELESAI, start=saved)
    log = assert_log_adds_up(permit)
    assert permit.completed_at == log[-1].at
    clock = permit_clock(permit)
    assert clock.total == clock.duration + clock.offtime == permit.completed_at - submitted
    assert clock.offtime == saved - returned


@pytest.mark.django_db
def test_wrong_role_wrong_agency_and_missing_note_change_nothing(water_permit, people, apply, advance):
    permit = advance(apply(water_permit), Step.PERTIMBANGAN_DINAS_TEKNIS)
    attempts = [
        (people["other_agency"], Action.AGENCY_APPROVE, "", TransitionRefused.FORBIDDEN),
        (people[Role.KASI], Action.AGENCY_APPROVE, "", TransitionRefused.FORBIDDEN),
        (people[Role.PEMOHON], Action.AGENCY_APPROVE, "", TransitionRefused.FORBIDDEN),
        (people[Role.DINAS_TEKNIS], Action.AGENCY_REQUEST_REVISION, "   ", TransitionRefused.INVALID),
        (people[Role.DINAS_TEKNIS], "no-such-action", "", TransitionRefused.INVALID),
    ]
    before = len(entries(permit))
    for actor, action, note, code in attempts:
        with pytest.raises(TransitionRefused) as refused:
            permit_transition(
                permit=permit, action=action, actor=actor, note=note, expected_step=Step.PERTIMBANGAN_DINAS_TEKNIS
            )
        assert refused.value.code == code, (actor, action)
    permit.refresh_from_db()
    assert permit.step == Step.PERTIMBANGAN_DINAS_TEKNIS
    assert len(entries(permit)) == before


@pytest.mark.django_db
def test_another_applicant_cannot_revise_my_file(simple_permit, people, apply, advance):
    permit = apply(simple_permit)
    permit = permit_transition(permit=permit, action=Action.VERIFY_REGISTRATION, actor=people[Role.BACKOFFICE])
    permit = permit_transition(permit=permit, action=Action.FORWARD_TO_BACKOFFICE, actor=people[Role.BACKOFFICE])
    permit = permit_transition(permit=permit, action=Action.BACKOFFICE_COMPLETE, actor=people[Role.BACKOFFICE])
    permit = permit_transition(permit=permit, action=Action.KASI_RETURN, actor=people[Role.KASI], note="Perbaiki.")
    with pytest.raises(TransitionRefused) as refused:
        permit_transition(permit=permit, action=Action.SAVE_REVISION, actor=people["other_pemohon"], declaration=True)
    assert refused.value.code == TransitionRefused.FORBIDDEN


@pytest.mark.django_db
def test_a_type_without_agency_cannot_be_sent_to_one(simple_permit, people, apply):
    permit = permit_transition(
        permit=apply(simple_permit), action=Action.VERIFY_REGISTRATION, actor=people[Role.BACKOFFICE]
    )
    with pytest.raises(TransitionRefused):
        permit_transition(permit=permit, action=Action.FORWARD_TO_AGENCY, actor=people[Role.BACKOFFICE])


@pytest.mark.django_db
def test_a_stale_action_is_refused_with_a_clear_message(water_permit, people, apply):
    permit = apply(water_permit)
    permit_transition(permit=permit, action=Action.VERIFY_REGISTRATION, actor=people[Role.BACKOFFICE])
    with pytest.raises(TransitionRefused) as refused:
        permit_transition(
            permit=permit,
            action=Action.VERIFY_REGISTRATION,
            actor=people[Role.BACKOFFICE],
            expected_step=Step.VERIFIKASI_PENDAFTARAN,
        )
    assert refused.value.code == TransitionRefused.STALE
    assert "sudah diproses oleh pengguna lain" in refused.value.message
    assert len(entries(permit)) == 2


@pytest.mark.django_db
def test_returned_over_a_holiday_the_clock_stops(water_permit, people, apply, advance):
    # Submitted Thu 13 June 2024; returned Fri 14 June 12.00; back Wed 19 June 08.00:
    # Idul Adha (Mon 17) and cuti bersama (Tue 18) fall inside the offtime.
    submitted = at(2024, 6, 13, 8)
    permit = advance(apply(water_permit, now=submitted), Step.VALIDASI_KASI, start=submitted)
    returned, back = at(2024, 6, 14, 12), at(2024, 6, 19, 8)
    permit = permit_transition(
        permit=permit, action=Action.KASI_RETURN, actor=people[Role.KASI], note="x", now=returned
    )
    permit = permit_transition(
        permit=permit,
        action=Action.SAVE_REVISION,
        actor=people[Role.PEMOHON],
        declaration=True,
        note="Sudah.",
        now=back,
    )
    calendar = office_calendar()
    used = calendar.working_time(submitted, returned)
    assert used == dt.timedelta(hours=28)
    assert permit.office_working_seconds == used.total_seconds()
    assert permit.deadline_at == calendar.add_working_time(back, dt.timedelta(days=10) - used)
    clock = permit_clock(permit, now=at(2024, 6, 19, 20))
    assert clock.working_used == used + dt.timedelta(hours=12)
    assert not clock.is_overdue


@pytest.mark.django_db
def test_completion_creates_exactly_one_survey_token(water_permit, people, apply, advance):
    permit = advance(apply(water_permit), Step.SELESAI)
    permit.refresh_from_db()
    token = permit.survey_token
    assert token is not None and token.used_at is None
    assert token.service == water_permit.survey_service
    assert token.reference == permit.number
    assert SurveyToken.objects.filter(reference=permit.number).count() == 1
    with pytest.raises(TransitionRefused):
        permit_transition(permit=permit, action=Action.ISSUE, actor=people[Role.KEPALA_DINAS])
    assert SurveyToken.objects.count() == 1


@pytest.mark.django_db
def test_no_mail_before_commit_and_exactly_one_after(
    water_permit, people, apply, advance, django_capture_on_commit_callbacks
):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KABID)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        permit_transition(permit=permit, action=Action.KABID_RETURN, actor=people[Role.KABID], note="Lengkapi NIB.")
    assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == ["pemohon@example.com"]
    assert permit.number in message.subject
    assert "Lengkapi NIB." in message.body


@pytest.mark.django_db
def test_a_refused_transition_sends_nothing(water_permit, people, apply, advance, django_capture_on_commit_callbacks):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KASI)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionRefused):
        permit_transition(permit=permit, action=Action.KASI_RETURN, actor=people[Role.KABID], note="x")
    assert callbacks == [] and mail.outbox == []
