"""Attendance: the QR check-in page (no login) while the meeting runs, signatures drawn on
the screen (only well-formed path data), paper lists typed by officers, scanned sheets,
and the printed list with the drawn signatures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followup.meetings import attendance_services, checkin, signature
from followup.models import AttendanceScan, Attendee
from skm_portal.roles import Role

from .helpers import EXE_BYTES, image_bytes
from .meeting_fixtures import make_fkp, pdf_text

STROKE = "M10 20 L30 40 L55 42.5 M60 60 L80 90"


# --- signature data (pure) --------------------------------------------------------------


def test_a_drawn_signature_is_normalised_path_data():
    assert signature.clean_path(" M10 20  L30,40 L55 42.5\nM60 60 L80 90 ") == STROKE
    assert signature.svg(STROKE).startswith("<svg") and f'd="{STROKE}"' in signature.svg(STROKE)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "M10 20",  # a single point
        'M10 20 L30 40"/><script>alert(1)</script>',
        "<svg onload=alert(1)>",
        "M10 20 C30 40 50 60 70 80",  # curves are not what the pad sends
        "L10 20 L30 40",  # must start with a move
        "M10 20 L999 40",  # outside the 400 x 150 box
        "M10 20 L30 40" + " L31 41" * 5000,  # too long
        "M1e3 20 L30 40",
    ],
)
def test_anything_else_is_refused(bad):
    with pytest.raises(signature.BadSignature):
        signature.clean_path(bad)


def test_check_in_window():
    tz = dt.timezone(dt.timedelta(hours=8))
    day, start = dt.date(2024, 11, 11), dt.time(10, 0)

    def at(hour, minute=0, days=0):
        moment = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=tz)
        return checkin.state(moment, day=day, start=start, tz=tz, closed_by_officer=False)

    assert at(7, 59) == checkin.CheckinState.NOT_YET
    assert at(8, 0) == checkin.CheckinState.OPEN
    assert at(23, 59) == checkin.CheckinState.OPEN
    assert at(0, 0, days=1) == checkin.CheckinState.CLOSED
    assert (
        checkin.state(dt.datetime(2024, 11, 11, 10, tzinfo=tz), day=day, start=start, tz=tz, closed_by_officer=True)
        == checkin.CheckinState.CLOSED
    )


# --- the QR page ----------------------------------------------------------------------------


@pytest.fixture
def officer(make_user):
    return make_user(Role.PETUGAS_SKM, username="petugas_rapat")


@pytest.fixture
def today_meeting(officer):
    return make_fkp(officer, date=timezone.localdate(), start_time=None)


def checkin_url(meeting):
    return reverse("followup:checkin", kwargs={"checkin": meeting.checkin_token})


def form(**extra):
    return {"name": "Ani Ratna Sari", "institution": "DPMPTSP", "sex": "P", "age": "50", "signature": STROKE, **extra}


@pytest.mark.django_db
def test_anyone_with_the_qr_link_signs_in_without_login(client, today_meeting):
    page = client.get(checkin_url(today_meeting))
    assert page.status_code == 200
    assert 'name="signature"' in page.content.decode() and "signature-pad.js" in page.content.decode()
    response = client.post(checkin_url(today_meeting), form())
    assert response.status_code == 200
    assert "kehadiran Anda tercatat" in response.content.decode()
    client.post(checkin_url(today_meeting), form(name="Budi Santoso", sex="L", age="", signature="M1 1 L2 2"))
    people = list(today_meeting.attendees.order_by("number"))
    assert [(a.number, a.name, a.sex, a.age, a.source) for a in people] == [
        (1, "Ani Ratna Sari", "P", 50, Attendee.Source.QR),
        (2, "Budi Santoso", "L", None, Attendee.Source.QR),
    ]
    assert people[0].signature_path == STROKE


@pytest.mark.django_db
def test_a_wrong_token_is_not_found(client, today_meeting):
    assert client.get(reverse("followup:checkin", kwargs={"checkin": "tebakan"})).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"signature": '"/><script>alert(1)</script>'},
        {"signature": "", "typed_signature": ""},
        {"name": ""},
        {"age": "7"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, today_meeting, data):
    response = client.post(checkin_url(today_meeting), form(**data))
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not Attendee.objects.exists()


@pytest.mark.django_db
def test_typed_name_is_the_fallback_without_javascript(client, today_meeting):
    client.post(checkin_url(today_meeting), form(signature="", typed_signature="Ani R. S."))
    person = Attendee.objects.get()
    assert (person.signature_path, person.signature_typed) == ("", "Ani R. S.")


@pytest.mark.django_db
def test_check_in_is_closed_after_the_meeting_day(client, officer):
    yesterday = make_fkp(officer, date=timezone.localdate() - dt.timedelta(days=1))
    page = client.get(checkin_url(yesterday))
    assert "sudah ditutup" in page.content.decode() and 'name="signature"' not in page.content.decode()
    assert client.post(checkin_url(yesterday), form()).status_code == 409
    assert not Attendee.objects.exists()
    with pytest.raises(ValidationError, match="sudah ditutup"):
        attendance_services.attendee_checkin(
            meeting=yesterday, name="X", institution="", sex="", age=None, signature=STROKE
        )


@pytest.mark.django_db
def test_officer_closes_the_check_in_early(client, client_as, today_meeting):
    officer_client = client_as(Role.KASI)
    officer_client.post(reverse("followup:checkin_toggle", kwargs={"meeting": today_meeting.pk}), {"tutup": "1"})
    officer_client.logout()
    assert client.post(checkin_url(today_meeting), form()).status_code == 409
    assert not Attendee.objects.exists()


# --- paper lists and scans --------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_types_a_paper_list_with_its_numbers(client_as, today_meeting):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("followup:attendee_add", kwargs={"meeting": today_meeting.pk})
    client.post(url, {"number": "84", "name": "Dety Novita A.", "institution": "DPMPTSP", "sex": "P", "age": "35"})
    client.post(url, {"name": "Wahyu", "sex": "L"})
    duplicate = client.post(url, {"number": "84", "name": "Lagi"})
    assert duplicate.status_code == 400 and "sudah ada" in duplicate.content.decode()
    assert list(today_meeting.attendees.values_list("number", "name", "source")) == [
        (84, "Dety Novita A.", "manual"),
        (85, "Wahyu", "manual"),
    ]


@pytest.mark.django_db
def test_scanned_sheet_is_checked_by_content_and_served_only_to_officers(client, client_as, today_meeting):
    officer_client = client_as(Role.PETUGAS_SKM)
    url = reverse("followup:scan_upload", kwargs={"meeting": today_meeting.pk})
    refused = officer_client.post(url, {"file": SimpleUploadedFile("hadir.pdf", EXE_BYTES)})
    assert refused.status_code == 400 and "Berkas tidak disimpan" in refused.content.decode()
    assert not AttendanceScan.objects.exists()
    officer_client.post(
        url, {"title": "Daftar hadir hal. 1", "file": SimpleUploadedFile("hadir.png", image_bytes("PNG"))}
    )
    scan = AttendanceScan.objects.get()
    download = reverse("followup:scan_download", kwargs={"scan": scan.pk})
    response = officer_client.get(download)
    assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == image_bytes("PNG")
    officer_client.logout()
    assert client.get(download).status_code == 302
    client.force_login(today_meeting.created_by.__class__.objects.create_user(username="pemohon_x"))
    assert client.get(download).status_code == 403


# --- the printed list --------------------------------------------------------------------------


@pytest.mark.django_db
def test_attendance_list_prints_the_drawn_signatures(client_as, today_meeting):
    attendance_services.attendee_checkin(
        meeting=today_meeting, name="Ani Ratna Sari", institution="DPMPTSP", sex="P", age=50, signature=STROKE
    )
    attendance_services.attendee_checkin(
        meeting=today_meeting, name="Budi", institution="", sex="L", age=None, typed_signature="Budi"
    )
    client = client_as(Role.KEPALA_DINAS)
    page = client.get(reverse("followup:attendance", kwargs={"meeting": today_meeting.pk})).content.decode()
    for header in ("No", "Nama", "Instansi / Jabatan", "L/P", "Usia", "Tanda Tangan"):
        assert f">{header}</th>" in page
    assert f'<path d="{STROKE}"' in page
    pdf = client.get(reverse("followup:attendance_pdf", kwargs={"meeting": today_meeting.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    if text is not None:
        assert "ABSENSI" in text and "Ani Ratna Sari" in text and "DPMPTSP" in text
