"""The screens walked with the test client: register, apply, both loops, monitoring, survey."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from permits.models import PermitApplication, ProcessLogEntry
from permits.workflow import Action, Step
from skm_portal.roles import Role
from surveys.models import Questionnaire, Response

from .helpers import at, pdf


def post_action(client, permit, action, note=""):
    permit.refresh_from_db()
    return client.post(
        reverse("permits:act", args=[permit.pk]),
        {"action": action.value, "expected_step": permit.step, "note": note},
    )


def document_fields(kind):
    return {f"dokumen_{doc.pk}": pdf(f"{doc.name}.pdf") for doc in kind.required_documents.all() if doc.is_mandatory}


# Registration with its activation e-mail: tests/permits/test_registration.py.


@pytest.mark.django_db
def test_register_with_mismatched_passwords_creates_nobody(client):
    response = client.post(
        reverse("permits:register"),
        {"username": "budi", "first_name": "Budi", "email": "b@example.com", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="budi").exists()


@pytest.mark.django_db
def test_apply_without_declaration_shows_a_message_and_stores_nothing(client, people, water_permit):
    client.force_login(people[Role.PEMOHON])
    response = client.post(reverse("permits:apply_form", args=[water_permit.pk]), document_fields(water_permit))
    assert response.status_code == 200
    assert "Centang pernyataan kebenaran data" in response.content.decode()
    assert PermitApplication.objects.count() == 0


@pytest.mark.django_db
def test_loop_a_through_the_screens(client, people, water_permit, django_capture_on_commit_callbacks):
    client.force_login(people[Role.PEMOHON])
    data = document_fields(water_permit) | {"declaration": "on"}
    response = client.post(reverse("permits:apply_form", args=[water_permit.pk]), data)
    permit = PermitApplication.objects.get()
    assert response["Location"] == reverse("permits:detail", args=[permit.pk])

    client.force_login(people[Role.BACKOFFICE])
    assert post_action(client, permit, Action.VERIFY_REGISTRATION).status_code == 302
    assert post_action(client, permit, Action.FORWARD_TO_AGENCY).status_code == 302

    client.force_login(people[Role.DINAS_TEKNIS])
    page = client.get(reverse("permits:detail", args=[permit.pk])).content.decode()
    assert "Rekomendasi tidak disetujui, perlu revisi" in page
    # The note is required: without it nothing changes and the officer reads why.
    response = post_action(client, permit, Action.AGENCY_REQUEST_REVISION, note="")
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.step == Step.PERTIMBANGAN_DINAS_TEKNIS
    page = client.get(response["Location"]).content.decode()
    assert "Catatan wajib diisi" in page
    post_action(client, permit, Action.AGENCY_REQUEST_REVISION, note="Koordinat sumur salah.")

    client.force_login(people[Role.BACKOFFICE])
    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, permit, Action.BACKOFFICE_RETURN, note="Perbaiki peta lokasi sumur.")
    [message] = mail.outbox
    assert "Perbaiki peta lokasi sumur." in message.body

    client.force_login(people[Role.PEMOHON])
    page = client.get(reverse("permits:revision_list")).content.decode()
    assert permit.number in page and "Perbaiki peta lokasi sumur." in page
    form_url = reverse("permits:revision_form", args=[permit.pk])
    page = client.get(form_url).content.decode()
    assert "Submit Perbaiki" in page and "bersedia menerima sanksi" in page
    monitoring = client.get(reverse("permits:monitoring")).content.decode()
    assert "revisi (pemohon)" in monitoring
    # Without the declaration: a message, nothing moves.
    response = client.post(form_url, {})
    assert response.status_code == 200
    permit.refresh_from_db()
    assert permit.step == Step.REVISI
    map_doc = water_permit.required_documents.get(name="Peta Lokasi Sumur")
    response = client.post(form_url, {f"dokumen_{map_doc.pk}": pdf("peta-baru.pdf"), "declaration": "on"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.step == Step.PERTIMBANGAN_DINAS_TEKNIS
    assert permit.documents.get(required_document=map_doc, is_current=True).original_name == "peta-baru.pdf"
    assert len(mail.outbox) == 1  # no mail for the applicant's own resubmission

    # The agency approves the fixed file: its old rejection note is no longer the current note.
    client.force_login(people[Role.DINAS_TEKNIS])
    page = client.get(reverse("permits:detail", args=[permit.pk])).content.decode()
    assert "Catatan dinas teknis:" in page  # still current while the agency re-checks
    post_action(client, permit, Action.AGENCY_APPROVE)
    client.force_login(people[Role.BACKOFFICE])
    page = client.get(reverse("permits:detail", args=[permit.pk])).content.decode()
    assert "Catatan dinas teknis:" not in page
    assert "Koordinat sumur salah." in page  # the process log keeps what happened


@pytest.mark.django_db
def test_loop_b_simpan_revisi_goes_back_to_kabid(
    client, people, water_permit, apply, advance, django_capture_on_commit_callbacks
):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KABID)
    client.force_login(people[Role.KABID])
    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, permit, Action.KABID_RETURN, note="Lampirkan NIB terbaru.")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pemohon@example.com"]
    client.force_login(people[Role.PEMOHON])
    page = client.get(reverse("permits:revision_form", args=[permit.pk])).content.decode()
    assert "Simpan Revisi" in page and "Submit Perbaiki" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("permits:revision_form", args=[permit.pk]),
            {"declaration": "on", "explanation": "NIB terbaru sudah ada di berkas yang saya kirim."},
        )
    permit.refresh_from_db()
    assert permit.step == Step.VALIDASI_KABID
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_detail_shows_the_process_log_with_totals(client, people, water_permit, apply, advance):
    submitted = at(2025, 7, 7, 9)
    permit = advance(apply(water_permit, now=submitted, notify=False), Step.SELESAI, start=submitted, step_hours=2)
    client.force_login(people[Role.PEMOHON])
    page = client.get(reverse("permits:detail", args=[permit.pk])).content.decode()
    entries = ProcessLogEntry.objects.filter(application=permit)
    assert entries.count() == 8
    assert "7 Juli 2025 09.00" in page  # the registration, in WITA
    total = permit.completed_at - permit.submitted_at
    assert total == dt.timedelta(hours=14)
    assert "14:00:00" in page
    assert "pertimbangan dinas teknis (Badan Pertanahan)" in page


@pytest.mark.django_db
def test_monitoring_overdue_filter(client, people, water_permit, simple_permit, apply):
    long_ago = timezone.now() - dt.timedelta(days=30)
    late = apply(simple_permit, now=long_ago, notify=False)
    fresh = apply(water_permit, notify=False)
    client.force_login(people[Role.KASI])
    everything = client.get(reverse("permits:monitoring")).content.decode()
    assert late.number in everything and fresh.number in everything
    assert "Terlambat" in everything
    overdue = client.get(reverse("permits:monitoring"), {"overdue": "on"}).content.decode()
    assert late.number in overdue and fresh.number not in overdue


@pytest.mark.django_db
def test_a_finished_file_sends_one_survey_link_that_works_once(
    client, people, water_permit, apply, advance, django_capture_on_commit_callbacks
):
    permit = advance(apply(water_permit, notify=False), Step.PENETAPAN)
    client.force_login(people[Role.KEPALA_DINAS])
    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, permit, Action.ISSUE)
        post_action(client, permit, Action.ISSUE)  # a double click: refused, no second mail
    [message] = mail.outbox
    links = re.findall(r"https://skm\.example\.go\.id/\S+", message.body)
    permit.refresh_from_db()
    token_url = reverse("surveys:survey_token", args=[permit.survey_token.token])
    assert "https://skm.example.go.id" + token_url in links

    client.logout()
    answers = {f"answer_{e.code.lower()}": "4" for e in Questionnaire.active().elements.all()}
    answers |= {"sex": "P", "age": "", "education": "D4/S1", "occupation": "SWASTA", "suggestion": "", "website": ""}
    first = client.post(token_url, answers)
    assert first.status_code == 302
    assert first["Location"] == reverse("surveys:survey_thanks")
    assert client.post(token_url, answers).status_code == 410  # used: gone
    assert Response.objects.filter(token=permit.survey_token).count() == 1
    permit.survey_token.refresh_from_db()
    assert permit.survey_token.used_at is not None
