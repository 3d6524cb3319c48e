"""Mail after the request: with the mail server down, the user's change succeeds, the
mail waits (administrators see it), and it goes out exactly once when the server is back."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from permits.models import Complaint, PermitApplication
from permits.workflow import Action, Step
from skm_portal import mail as outbound
from skm_portal.models import OutboundMail
from skm_portal.roles import Role
from skm_portal.tasks import send_outbound_mail

from .test_complaints import form_data

pytestmark = pytest.mark.django_db


def server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_permit_return_succeeds_while_mail_is_down_and_is_mailed_once_later(
    client, people, water_permit, apply, advance, mail_server_down, django_capture_on_commit_callbacks
):
    permit = advance(apply(water_permit), Step.VALIDASI_KABID)
    client.force_login(people[Role.KABID])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("permits:act", args=[permit.pk]),
            {"action": Action.KABID_RETURN.value, "expected_step": permit.step, "note": "Lengkapi peta lokasi."},
        )
    assert response.status_code == 302
    assert PermitApplication.objects.get(pk=permit.pk).step == Step.REVISI
    queued = OutboundMail.objects.get(kind="permit")
    assert queued.state == OutboundMail.State.PENDING and queued.attempts == 1
    assert "refused" in queued.last_error.lower() and mail.outbox == []
    assert queued.to == ["pemohon@example.com"] and "Lengkapi peta lokasi." in queued.body

    server_back(mail_server_down)
    assert send_outbound_mail.call(queued.pk) == "sent"
    assert send_outbound_mail.call(queued.pk) == "sent"  # run twice: still one mail
    [sent] = mail.outbox
    assert sent.to == ["pemohon@example.com"] and permit.number in sent.subject
    queued.refresh_from_db()
    assert queued.state == OutboundMail.State.SENT and queued.sent_at is not None and queued.attempts == 2


def test_public_complaint_succeeds_while_mail_is_down_and_admins_see_the_outage(
    client, mail_server_down, django_capture_on_commit_callbacks, make_user
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("permits:complaint_new"), form_data())
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("permits:complaint_status", args=[complaint.token])
    assert "belum terkirim" not in client.get(response["Location"]).content.decode()

    client.force_login(make_user(Role.ADMINISTRATOR, username="admin_portal"))
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "1 e-mail belum terkirim" in dashboard and "ConnectionRefusedError" in dashboard
    client.force_login(make_user(Role.PETUGAS_SKM, username="petugas_portal"))
    assert "belum terkirim" not in client.get(reverse("dashboard")).content.decode()

    server_back(mail_server_down)
    [queued] = OutboundMail.objects.filter(kind="complaint")
    send_outbound_mail.call(queued.pk)
    [sent] = mail.outbox
    assert sent.to == ["budi@example.com"] and complaint.number in sent.subject
    client.force_login(make_user(Role.ADMINISTRATOR, username="admin_dua"))
    assert "belum terkirim" not in client.get(reverse("dashboard")).content.decode()


def test_a_failure_re_enqueues_the_task_later_with_backoff(settings, mail_server_down):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_RETRY_SECONDS = 60
    queued = outbound.mail_queue(to=["a@example.com"], subject="Uji", body="Isi")
    before = DBTaskResult.objects.count()
    assert outbound.outbound_mail_send(mail_id=queued.pk) == "pending"
    assert outbound.outbound_mail_send(mail_id=queued.pk) == "pending"
    retries = sorted(DBTaskResult.objects.all(), key=lambda result: result.run_after)
    assert len(retries) == before + 2
    retries = [r for r in retries if r.args_kwargs["args"] == [queued.pk]]
    assert [r.task_path for r in retries] == ["skm_portal.tasks.send_outbound_mail"] * 2
    queued.refresh_from_db()
    waits = [(r.run_after - queued.last_attempt_at).total_seconds() for r in retries]
    assert [round(wait / 60) for wait in waits] == [1, 2]  # 60 s, then 120 s: the wait doubles


def test_after_the_last_attempt_the_mail_fails_and_an_administrator_resends_it(
    client, settings, mail_server_down, make_user, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_ATTEMPTS = 2
    queued = outbound.mail_queue(to=["a@example.com"], subject="Uji", body="Isi")
    outbound.outbound_mail_send(mail_id=queued.pk)
    assert outbound.outbound_mail_send(mail_id=queued.pk) == "failed"
    assert outbound.outbound_mail_send(mail_id=queued.pk) == "failed"  # not tried again by itself
    queued.refresh_from_db()
    assert queued.attempts == 2

    server_back(settings)
    client.force_login(make_user(Role.ADMINISTRATOR, username="admin_portal"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mail_retry")).status_code == 302
    queued.refresh_from_db()
    assert queued.state == OutboundMail.State.SENT and len(mail.outbox) == 1
    assert client.get(reverse("mail_retry")).status_code == 405


def test_a_rolled_back_change_sends_nothing(mail_server_down, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbound.mail_queue(to=["a@example.com"], subject="Uji", body="Isi")
                raise RuntimeError("perubahan gagal")
        except RuntimeError:
            pass
    assert callbacks == [] and not OutboundMail.objects.exists()
