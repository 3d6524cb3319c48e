"""Complaints: filing (public), consultations, the answer, deadlines and e-mail."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from permits.complaint_services import complaint_file, complaint_transition
from permits.complaints import Action, Status
from permits.days_off import office_day_off_create, office_day_off_delete
from permits.models import Complaint, ComplaintConsultation, OfficeDayOff
from permits.refusals import TransitionRefused
from permits.selectors import complaint_clock, complaint_list
from skm_portal.roles import Role

from .helpers import at

R = Role
FILED = at(2025, 5, 27, 9)  # Tuesday; Thu 29 May holiday, Fri 30 May cuti bersama


def file(**extra):
    data = {
        "name": "Siti Rahma",
        "email": "siti@example.com",
        "phone": "0812 3456 7890",
        "subject": "Berkas tidak kunjung diproses",
        "description": "Sudah dua minggu belum ada kabar.",
        "now": FILED,
        "notify": False,
    }
    return complaint_file(**(data | extra))


@pytest.mark.django_db
def test_filing_numbers_and_counts_five_working_days(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(notify=True)
    assert re.fullmatch(r"ADU/2025/\d{6}", complaint.number)
    assert complaint.status == Status.FILED
    # Wed 28, (Thu holiday, Fri cuti bersama, weekend), Mon 2, Tue 3, Wed 4, Thu 5 June 09.00.
    assert complaint.deadline_at == at(2025, 6, 5, 9)
    [receipt] = mail.outbox
    assert receipt.to == ["siti@example.com"]
    status_url = "https://skm.example.go.id" + reverse("permits:complaint_status", args=[complaint.token])
    assert status_url in receipt.body and complaint.number in receipt.subject


@pytest.mark.django_db
def test_a_file_number_from_the_public_never_tells_whether_the_file_exists(people, apply, water_permit):
    permit = apply(water_permit, notify=False)
    linked = file(permit_number=permit.number.lower())
    assert linked.permit == permit  # for the officers
    unknown = file(permit_number="IZIN/1999/000001")
    assert unknown.permit is None
    assert unknown.description.endswith("Nomor berkas yang disebut pengadu (tidak ditemukan): IZIN/1999/000001")
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_a_signed_in_applicant_may_name_only_their_own_files(people, apply, water_permit, django_user_model):
    permit = apply(water_permit, notify=False)
    assert file(permit_number=permit.number, user=permit.applicant).permit == permit
    stranger = django_user_model.objects.create_user(username="orang-lain", password="x")
    refusals = []
    for number in (permit.number, "IZIN/1999/000001"):  # someone else's file, and none
        with pytest.raises(TransitionRefused) as refused:
            file(permit_number=number, user=stranger)
        refusals.append(refused.value.message.replace(number, "N"))
    assert refusals[0] == refusals[1]
    assert "tidak ditemukan di antara berkas Anda" in refusals[0]


@pytest.mark.django_db
def test_consult_then_answer_e_mails_the_complainant_once(
    people, agency, other_agency, django_capture_on_commit_callbacks
):
    complaint = file()
    meeting = at(2025, 5, 28, 14)
    complaint = complaint_transition(
        complaint=complaint,
        action=Action.CONSULT,
        actor=people[R.KABID],
        agencies=[agency, other_agency],
        held_at=meeting,
        note="Berkas menunggu pertimbangan teknis.",
        now=at(2025, 5, 28, 16),
    )
    assert complaint.status == Status.CONSULTING
    rows = ComplaintConsultation.objects.filter(complaint=complaint)
    assert {(c.agency, c.held_at, c.recorded_by) for c in rows} == {
        (agency, meeting, people[R.KABID]),
        (other_agency, meeting, people[R.KABID]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        answered = complaint_transition(
            complaint=complaint,
            action=Action.REJECT,
            actor=people[R.KEPALA_DINAS],
            note="Berkas masih dalam standar waktu pelayanan.",
            now=at(2025, 6, 2, 10),
        )
    assert (answered.status, answered.answered_by) == (Status.REJECTED, people[R.KEPALA_DINAS])
    assert answered.answered_at == at(2025, 6, 2, 10)
    [answer] = mail.outbox
    assert answer.to == ["siti@example.com"]
    assert "DITOLAK" in answer.body and "Berkas masih dalam standar waktu pelayanan." in answer.body
    assert agency.name in answer.body and other_agency.name in answer.body
    # A second answer (double click, or the other button) changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused) as refused:
        complaint_transition(complaint=complaint, action=Action.ACCEPT, actor=people[R.KEPALA_DINAS], note="Ya.")
    assert refused.value.code == TransitionRefused.STALE
    assert Complaint.objects.get().status == Status.REJECTED and len(mail.outbox) == 1
    clock = complaint_clock(answered)
    assert not clock.is_overdue
    # Tue 27 from 09.00 (15 h), Wed 28 (24 h), Thu-Sun closed, Mon 2 June until 10.00 (10 h).
    assert clock.working_used == dt.timedelta(hours=49)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, action, extra, code, message",
    [
        (R.KEPALA_DINAS, Action.ACCEPT, {"note": "Diterima."}, "invalid", "Catat rapatnya terlebih dahulu"),
        (R.KABID, Action.ACCEPT, {"note": "Diterima."}, "forbidden", "tidak berwenang"),
        (R.BACKOFFICE, Action.CONSULT, {"held_at": at(2025, 5, 28, 9)}, "forbidden", "tidak berwenang"),
        (R.DINAS_TEKNIS, Action.CONSULT, {"held_at": at(2025, 5, 28, 9)}, "forbidden", "tidak berwenang"),
        (R.KABID, Action.CONSULT, {"held_at": at(2025, 5, 28, 9), "agencies": []}, "invalid", "Pilih perangkat"),
        (R.KABID, Action.CONSULT, {"held_at": None}, "invalid", "Isi tanggal dan jam rapat"),
        (R.KABID, Action.CONSULT, {"held_at": at(2025, 5, 29, 9)}, "invalid", "masa depan"),
        (R.KABID, Action.CONSULT, {"held_at": at(2025, 5, 26, 9)}, "invalid", "sebelum pengaduan diajukan"),
    ],
)
def test_refusals_change_nothing(people, agency, role, action, extra, code, message):
    complaint = file()
    arguments = {"agencies": [agency], "now": at(2025, 5, 28, 12)} | extra
    with pytest.raises(TransitionRefused, match=message) as refused:
        complaint_transition(complaint=complaint, action=action, actor=people[role], **arguments)
    assert refused.value.code == code
    complaint.refresh_from_db()
    assert complaint.status == Status.FILED and complaint.answered_at is None
    assert not ComplaintConsultation.objects.exists()


@pytest.mark.django_db
def test_an_answer_on_a_stale_page_is_refused(people, agency):
    complaint = file()
    complaint_transition(
        complaint=complaint, action=Action.CONSULT, actor=people[R.KABID], agencies=[agency], held_at=FILED
    )
    with pytest.raises(TransitionRefused) as refused:
        complaint_transition(
            complaint=complaint,
            action=Action.CONSULT,
            actor=people[R.KEPALA_DINAS],
            agencies=[agency],
            held_at=at(2025, 5, 28, 9),
            expected_status=Status.FILED,
        )
    assert refused.value.code == TransitionRefused.STALE
    assert ComplaintConsultation.objects.count() == 1


@pytest.mark.django_db
def test_overdue_like_the_sla(people, agency):
    now = timezone.now()
    waiting = file(now=now - dt.timedelta(days=30))
    fresh = file(now=now - dt.timedelta(hours=1))
    late = file()
    complaint_transition(complaint=late, action=Action.CONSULT, actor=people[R.KABID], agencies=[agency], held_at=FILED)
    complaint_transition(
        complaint=late, action=Action.ACCEPT, actor=people[R.KEPALA_DINAS], note="Ya.", now=at(2025, 6, 10, 9)
    )
    overdue = set(complaint_list(people[R.KASI], overdue=True, now=now))
    assert overdue == {waiting, Complaint.objects.get(pk=late.pk)}
    assert complaint_clock(waiting, now=now).is_overdue and not complaint_clock(fresh, now=now).is_overdue
    assert complaint_list(people[R.DINAS_TEKNIS]).count() == 0  # personal data: office officers only


@pytest.mark.django_db
def test_office_days_off_move_open_deadlines(people, apply, simple_permit, make_user):
    complaint = file()
    permit = apply(simple_permit, now=FILED, notify=False)  # 3 working days: Tue 3 June 09.00
    assert permit.deadline_at == at(2025, 6, 3, 9)
    admin = people[R.ADMINISTRATOR]
    day = office_day_off_create(date=dt.date(2025, 6, 2), description="Rapat kerja kantor", actor=admin)
    complaint.refresh_from_db()
    permit.refresh_from_db()
    assert permit.deadline_at == at(2025, 6, 4, 9)
    # Thu 5 June, then Fri Idul Adha, weekend, Mon cuti bersama: Tue 10 June.
    assert complaint.deadline_at == at(2025, 6, 10, 9)
    office_day_off_delete(day_off=day, actor=admin)
    complaint.refresh_from_db()
    permit.refresh_from_db()
    assert (permit.deadline_at, complaint.deadline_at) == (at(2025, 6, 3, 9), at(2025, 6, 5, 9))
    assert not OfficeDayOff.objects.exists()


# --- screens ------------------------------------------------------------------------


def form_data(**extra):
    data = {
        "name": "Budi",
        "email": "budi@example.com",
        "phone": "+62 811-555-0101",
        "permit_number": "",
        "subject": "Petugas tidak menjawab",
        "description": "Sudah menelepon tiga kali.",
        "consent": "on",
    }
    return data | extra


@pytest.mark.django_db
def test_the_public_files_without_login_and_the_status_page_hides_personal_data(
    client, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("permits:complaint_new"), form_data())
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("permits:complaint_status", args=[complaint.token])
    assert complaint.complainant is None and complaint.phone == "+62 811-555-0101"
    assert len(mail.outbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert complaint.number in page and "Petugas tidak menjawab" in page and "menunggu pembahasan" in page
    assert "Budi" not in page and "budi@example.com" not in page and "555" not in page
    assert client.get(reverse("permits:complaint_status", args=["bukan-kode"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"consent": ""}, "Centang persetujuan penggunaan data"),
        ({"phone": "halo"}, "Nomor telepon terdiri dari 8 sampai 15 angka"),
        ({"email": "bukan-surel"}, "surel"),
        ({"subject": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_bad_complaints_explain_and_store_nothing(client, changes, message):
    cache.clear()
    response = client.post(reverse("permits:complaint_new"), form_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_applicant_is_linked_and_prefilled(client, people):
    cache.clear()
    client.force_login(people[R.PEMOHON])
    page = client.get(reverse("permits:complaint_new")).content.decode()
    assert 'value="Test Dev"' in page and 'value="pemohon@example.com"' in page
    client.post(reverse("permits:complaint_new"), form_data(name="Test Dev", email="pemohon@example.com"))
    assert Complaint.objects.get().complainant == people[R.PEMOHON]


@pytest.mark.django_db
def test_public_filing_is_rate_limited(client, settings):
    cache.clear()
    settings.SKM_COMPLAINT_RATE_LIMIT = 1
    assert client.post(reverse("permits:complaint_new"), form_data()).status_code == 302
    second = client.post(reverse("permits:complaint_new"), form_data(subject="Lagi"))
    assert second.status_code == 429 and "Retry-After" in second
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_officer_screens_walk_the_complaint(client, people, agency, django_capture_on_commit_callbacks):
    complaint = file(now=timezone.now() - dt.timedelta(hours=2))
    client.force_login(people[R.KABID])
    listing = client.get(reverse("permits:complaint_list")).content.decode()
    assert complaint.number in listing and "Tepat waktu" in listing
    detail_url = reverse("permits:complaint_detail", args=[complaint.pk])
    page = client.get(detail_url).content.decode()
    assert "siti@example.com" in page and "Catat rapat" in page and "Pengaduan diterima" not in page
    act = reverse("permits:complaint_act", args=[complaint.pk])
    held = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    # Without an agency: the form explains, nothing is stored.
    response = client.post(act, {"action": "consult", "held_at": held, "note": "", "expected_status": "diajukan"})
    assert response.status_code == 400 and "Pilih perangkat daerah" in response.content.decode()
    assert not ComplaintConsultation.objects.exists()
    data = {
        "action": "consult",
        "agencies": [agency.pk],
        "held_at": held,
        "note": "Dibahas.",
        "expected_status": "diajukan",
    }
    assert client.post(act, data).status_code == 302
    assert ComplaintConsultation.objects.get().agency == agency

    client.force_login(people[R.KEPALA_DINAS])
    page = client.get(detail_url).content.decode()
    assert "Pengaduan diterima" in page and agency.name in page
    response = client.post(act, {"action": "accept", "note": "", "expected_status": "dibahas"})
    assert response.status_code == 400 and "Tulis jawaban untuk pelapor" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(act, {"action": "accept", "note": "Berkas dipercepat.", "expected_status": "dibahas"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED and complaint.answer_note == "Berkas dipercepat."
    [answer] = mail.outbox
    assert "DITERIMA" in answer.body
    overdue = client.get(reverse("permits:complaint_list"), {"overdue": "on"}).content.decode()
    assert detail_url not in overdue and "Tidak ada pengaduan." in overdue


@pytest.mark.django_db
def test_a_deadline_at_midnight_reads_as_the_end_of_the_last_working_day(client, django_capture_on_commit_callbacks):
    # Filed on Sunday: the clock starts Monday 30 November 00.00; five whole working days
    # end at Saturday 5 December 00.00, which people read as the end of Friday 4 December.
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(now=at(2026, 11, 29, 14), notify=True)
    assert complaint.deadline_at == at(2026, 12, 5)
    [receipt] = mail.outbox
    assert "paling lama 5 (lima) hari kerja: sampai Jumat, 4 Desember 2026." in receipt.body
    page = client.get(reverse("permits:complaint_status", args=[complaint.token])).content.decode()
    assert "Jumat, 4 Desember 2026" in page
    assert "5 Desember 2026" not in page and "00.00" not in page
    # A deadline inside a day keeps its time.
    other = file(now=FILED)
    detail = client.get(reverse("permits:complaint_status", args=[other.token])).content.decode()
    assert "Kamis, 5 Juni 2025 pukul 09.00 WITA" in detail


@pytest.mark.django_db
def test_the_head_of_offices_dashboard_shows_complaints_waiting_for_an_answer(client, people, agency):
    late = file(subject="Berkas lama tidak diproses")  # filed 27 May 2025: long overdue
    fresh = file(subject="Pertanyaan biaya", now=timezone.now())
    answered = file(subject="Sudah dijawab")
    complaint_transition(
        complaint=answered,
        action=Action.CONSULT,
        actor=people[R.KEPALA_DINAS],
        agencies=[agency],
        held_at=at(2025, 5, 28, 14),
        note="Rapat.",
        now=at(2025, 5, 28, 16),
    )
    complaint_transition(
        complaint=answered, action=Action.ACCEPT, actor=people[R.KEPALA_DINAS], note="Diterima.", now=at(2025, 6, 2)
    )
    client.force_login(people[R.KEPALA_DINAS])
    page = client.get(reverse("dashboard")).content.decode()
    card = page.split("Pengaduan menunggu jawaban", 1)[1].split("Daftar pengaduan", 1)[0]
    assert '<span class="badge text-bg-warning">2</span>' in card
    assert late.number in card and fresh.number in card and answered.number not in card
    assert card.index(late.number) < card.index(fresh.number)  # nearest deadline first
    assert "Batas jawaban: Kamis, 5 Juni 2025 pukul 09.00 WITA" in card and "Melewati batas waktu" in card
    client.force_login(people[R.KABID])  # records meetings but does not answer
    assert "Pengaduan menunggu jawaban" not in client.get(reverse("dashboard")).content.decode()
