"""Calls with a valid key, a revoked key and no key; idempotent reports; rate limit; audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from api import keys
from api.models import FinishedPermit
from permits.analytics import permit_analytics
from permits.calendar import WITA
from permits.external import ExternalProcessEvent
from permits.models import PermitApplication, PermitType, ProcessLogEntry
from skm_portal.models import AuditEntry, OutboundMail
from surveys.models import Service, SurveyToken

FINISHED = reverse("api:finished_permit")
EVENTS = reverse("api:process_events")


@pytest.fixture
def service(db):
    return Service.objects.create(code="e-ptsp", name="Perizinan e-PTSP")


@pytest.fixture
def permit_type(service):
    return PermitType.objects.create(name="Izin Reklame", code="reklame", service_days=3, survey_service=service)


def post(client, url, body, key=None):
    headers = {"HTTP_X_API_KEY": key} if key is not None else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


PERMIT = {"reference": "503/IZIN/2025/0042", "service": "e-ptsp", "email": "pemohon@example.com"}


def test_finished_permit_with_a_valid_key_sends_the_link_once(client, issued, service, settings):
    settings.SITE_URL = "https://skm.example.go.id"
    api_client, key = issued
    first = post(client, FINISHED, PERMIT, key)
    assert first.status_code == 201
    data = first.json()
    token = SurveyToken.objects.get()
    assert data["survey_url"] == f"https://skm.example.go.id/survei/t/{token.token}/"
    assert data["created"] is True and data["reference"] == PERMIT["reference"] and token.service == service
    mail = OutboundMail.objects.get()
    assert mail.to == ["pemohon@example.com"] and data["survey_url"] in mail.body
    # Repeated: same link, no second token or mail.
    again = post(client, FINISHED, PERMIT, key)
    assert again.status_code == 200
    assert again.json()["survey_url"] == data["survey_url"] and again.json()["created"] is False
    assert SurveyToken.objects.count() == 1 and OutboundMail.objects.count() == 1
    assert FinishedPermit.objects.get().client == api_client
    assert AuditEntry.objects.filter(action="api_permit_finished").count() == 2
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_same_reference_with_another_email_is_refused(client, issued, service):
    _client, key = issued
    post(client, FINISHED, PERMIT, key)
    response = post(client, FINISHED, {**PERMIT, "email": "lain@example.com"}, key)
    assert response.status_code == 422
    assert "sudah dilaporkan dengan layanan atau e-mail lain" in response.json()["errors"][0]
    assert SurveyToken.objects.count() == 1 and OutboundMail.objects.count() == 1


def test_bad_input_changes_nothing_and_says_why(client, issued, service):
    _client, key = issued
    response = post(client, FINISHED, {**PERMIT, "email": "bukan-email", "service": "tidak-ada"}, key)
    assert response.status_code == 422
    assert response.json()["detail"] == "Isian tidak valid."
    assert any("e-mail pemohon tidak valid" in e for e in response.json()["errors"])
    assert not SurveyToken.objects.exists() and not OutboundMail.objects.exists()
    assert AuditEntry.objects.filter(action="api_call_refused").exists()
    missing = post(client, FINISHED, {"reference": "x"}, key)
    assert missing.status_code == 422 and missing.json()["errors"]


def test_no_key_and_unknown_key_are_refused(client, issued, service):
    for key in (None, "skm_00000000_salah", issued[1] + "x"):
        response = post(client, FINISHED, PERMIT, key)
        assert response.status_code == 401
        assert "Kunci API tidak ada atau tidak dikenal" in response.json()["detail"]
    assert not SurveyToken.objects.exists()


def test_revoked_key_is_refused_and_audited(client, issued, service, admin):
    api_client, key = issued
    keys.api_client_revoke(client=api_client, actor=admin)
    response = post(client, FINISHED, PERMIT, key)
    assert response.status_code == 401
    assert "sudah dicabut" in response.json()["detail"]
    assert not SurveyToken.objects.exists()
    assert AuditEntry.objects.filter(action="api_call_refused", object_id=str(api_client.pk)).exists()


def test_calls_are_rate_limited_per_key(client, issued, service, settings):
    settings.SKM_API_RATE_LIMIT = 2
    _client, key = issued
    assert post(client, FINISHED, PERMIT, key).status_code == 201
    assert post(client, FINISHED, PERMIT, key).status_code == 200
    limited = post(client, FINISHED, PERMIT, key)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0 and "Terlalu banyak permintaan" in limited.json()["detail"]


# --- process-log events -----------------------------------------------------------------


def event(number: int, **changes) -> dict:
    start = dt.datetime(2025, 3, 3, 8, 0, tzinfo=WITA) + dt.timedelta(days=number)  # Mon 3 March 2025 onwards
    base = {
        "id": f"evt-{number}",
        "file": "EXT/2025/001",
        "permit_type": "reklame",
        "step": "verifikasi_izin",
        "user": "Budi Santoso",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(hours=2)).isoformat(),
        "with_applicant": False,
    }
    return {**base, **changes}


def test_process_events_are_stored_once_and_feed_the_analytics(client, issued, permit_type):
    _client, key = issued
    batch = [
        event(0),
        event(1, step="revisi", with_applicant=True, user="Pemohon"),
        event(2, step="proses_backoffice", user="Siti"),
    ]
    response = post(client, EVENTS, {"events": batch}, key)
    assert response.status_code == 200, response.content
    assert response.json() == {"stored": 3, "skipped": 0}
    replay = post(client, EVENTS, {"events": batch}, key)
    assert replay.json() == {"stored": 0, "skipped": 3}
    assert ProcessLogEntry.objects.count() == 3 and ExternalProcessEvent.objects.count() == 3
    permit = PermitApplication.objects.get(number="EXT/2025/001")
    assert permit.step == "selesai"
    entries = {e.step: e for e in permit.log.all()}
    assert entries["verifikasi_izin"].duration == dt.timedelta(hours=2)
    assert entries["verifikasi_izin"].working_time == dt.timedelta(hours=2)  # Monday 3 March 2025, a working day
    assert entries["revisi"].offtime == dt.timedelta(hours=2) and entries["revisi"].duration == dt.timedelta()
    assert "Budi Santoso (SiCantik)" in entries["verifikasi_izin"].note
    report = permit_analytics(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
    assert report.total.files == 1 and report.total.completed == 1
    assert report.total.duration == dt.timedelta(hours=4) and report.total.offtime == dt.timedelta(hours=2)
    assert AuditEntry.objects.filter(action="api_process_events").count() == 2


def test_a_batch_with_bad_events_is_refused_whole_naming_each(client, issued, permit_type):
    _client, key = issued
    batch = [
        event(0),
        event(1, step="tidak-ada"),
        event(2, started_at="2025-03-05T10:00:00+08:00", ended_at="2025-03-05T09:00:00+08:00"),
        event(3, started_at="2025-03-06 10:00"),
        event(4, step="revisi", with_applicant=False),
        event(5, id="evt-0"),
    ]
    response = post(client, EVENTS, {"events": batch}, key)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e.startswith("Kejadian ke-2 (id evt-1): tahap 'tidak-ada' tidak dikenal") for e in errors)
    assert any(e.startswith("Kejadian ke-3 (id evt-2): ended_at sebelum started_at") for e in errors)
    assert any(e.startswith("Kejadian ke-4 (id evt-3): started_at bukan waktu ISO 8601") for e in errors)
    assert any(e.startswith("Kejadian ke-5 (id evt-4): tahap revisi berada di tangan pemohon") for e in errors)
    assert any(e.startswith("Kejadian ke-6: id evt-0 sudah dipakai kejadian ke-1") for e in errors)
    assert len(errors) == 5
    assert not ProcessLogEntry.objects.exists() and not PermitApplication.objects.exists()


def test_a_replayed_id_with_other_content_is_refused(client, issued, permit_type):
    _client, key = issued
    post(client, EVENTS, {"events": [event(0)]}, key)
    response = post(client, EVENTS, {"events": [event(0, user="Orang Lain")]}, key)
    assert response.status_code == 422
    assert "sudah dipakai untuk kejadian lain" in response.json()["errors"][0]
    assert ProcessLogEntry.objects.count() == 1


def test_events_need_a_key(client, issued, permit_type):
    assert post(client, EVENTS, {"events": [event(0)]}).status_code == 401
    assert not ProcessLogEntry.objects.exists()
