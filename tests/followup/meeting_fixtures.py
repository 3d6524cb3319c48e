"""Meeting and FKP objects for URL walks: one FKP with every document and row its URLs need.

`meeting_url_objects(user)` returns {kwarg name: value} for every meeting URL of followup.urls.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile

from followup.meetings import attendance_services, fkp_services
from followup.meetings import services as ms
from followup.models import Meeting

FKP_FIELDS = {
    "title": "Forum Konsultasi Publik Penyusunan Standar Pelayanan",
    "agenda": "Penyusunan Standar Pelayanan",
    "date": dt.date(2024, 10, 30),
    "start_time": dt.time(8, 30),
    "place": "Fugo Hotel Samarinda",
    "classification_code": "000.8.3.2",
    "unit_code": "DPMPTSP-SEKR",
    "letter_date": dt.date(2024, 10, 28),
    "chair_name": "Heru Pratama",
    "material_url": "https://bit.ly/FKP_SP_DPMPTSP",
    "signer_title": "Kepala Dinas,",
    "signer_name": "Fahmi Prima Laksana, SE, MM",
}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_fkp(user, **overrides) -> Meeting:
    return ms.meeting_create(user=user, kind=Meeting.Kind.FKP, **{**FKP_FIELDS, **overrides})


def meeting_url_objects(user) -> dict:
    """Objects for the kwargs meeting, group, attendee, scan, recommendation, representative, checkin."""
    meeting = make_fkp(user)
    group = ms.invitee_group_save(meeting=meeting, user=user, heading="UNSUR AKADEMISI", lines=["Dekan FISIP"])
    ms.minutes_save(meeting=meeting, user=user, basis="Surat undangan", participants="Staf", results="Satu.")
    attendee = attendance_services.attendee_add(
        meeting=meeting, user=user, name="Ani", institution="DPMPTSP", sex="P", age=50
    )
    scan = attendance_services.attendance_scan_upload(
        meeting=meeting, user=user, upload=SimpleUploadedFile("hadir.pdf", PDF_BYTES)
    )
    fkp_services.berita_acara_save(
        meeting=meeting,
        user=user,
        left_title="Kepala Bidang",
        left_name="Heru Pratama",
        right_title="Kepala Dinas,",
        right_name="Fahmi Prima Laksana",
    )
    recommendation = fkp_services.recommendation_add(
        meeting=meeting, user=user, problem="Masalah", recommendation="Perbaikan"
    )
    representative = fkp_services.representative_add(
        meeting=meeting, user=user, name="Ignatius", represents="Ombudsman RI", phone="08125545310", sex="L"
    )
    return {
        "meeting": meeting.pk,
        "group": group.pk,
        "attendee": attendee.pk,
        "scan": scan.pk,
        "recommendation": recommendation.pk,
        "representative": representative.pk,
        "checkin": meeting.checkin_token,
    }


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text with whitespace collapsed (pdftotext), or None when pdftotext is missing."""
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout  # noqa: S607
    return " ".join(out.decode().split())
