"""Registration and the public complaint form do not tell who or what exists."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from permits.models import Complaint
from skm_portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form(**changes):
    data = {
        "username": "budi",
        "first_name": "Budi",
        "last_name": "Santoso",
        "email": "budi@example.com",
        "password1": "Samarinda-2025-aman",
        "password2": "Samarinda-2025-aman",
    }
    return data | changes


def register(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("permits:register"), form(**changes))


def test_a_new_applicant_activates_the_account_from_the_e_mail(client, django_capture_on_commit_callbacks):
    response = register(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("permits:register_sent")
    user = get_user_model().objects.get(username="budi")
    assert not user.is_active and list(user.groups.values_list("name", flat=True)) == [Role.PEMOHON.value]
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["budi@example.com"] and "Aktifkan akun" in message.subject
    link = re.search(r"https?://\S+/daftar/aktifkan/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    activated = client.get("/" + path)
    assert activated.status_code == 302 and activated["Location"] == reverse("permits:apply")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("permits:apply")).status_code == 200
    client.logout()
    again = client.get("/" + path)  # a used link
    assert again.status_code == 410 and "Tautan aktivasi tidak berlaku" in again.content.decode()


def test_a_taken_username_or_e_mail_gets_the_same_answer_and_the_owner_an_e_mail(
    client, make_user, django_capture_on_commit_callbacks
):
    owner = make_user(Role.PEMOHON, username="siti")
    owner.email = "siti@example.com"
    owner.save()
    fresh = register(client, django_capture_on_commit_callbacks, username="baru", email="baru@example.com")
    taken_email = register(client, django_capture_on_commit_callbacks, username="lain", email="SITI@example.com")
    taken_name = register(client, django_capture_on_commit_callbacks, username="Siti", email="orang@example.com")
    for response in (fresh, taken_email, taken_name):
        assert response.status_code == 302 and response["Location"] == reverse("permits:register_sent")
    page = client.get(reverse("permits:register_sent")).content.decode()
    assert "Periksa surel Anda" in page
    assert get_user_model().objects.filter(username__in=["lain", "Siti"]).count() == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "sudah terdaftar dengan nama pengguna siti" in by_address["siti@example.com"].body
    assert "Nama pengguna Siti sudah dipakai" in by_address["orang@example.com"].body
    assert "Aktifkan akun" in by_address["baru@example.com"].subject


def test_registration_is_rate_limited(client, settings, django_capture_on_commit_callbacks):
    settings.SKM_REGISTER_RATE_LIMIT = 2
    for number in range(2):
        assert register(client, django_capture_on_commit_callbacks, username=f"u{number}",
                        email=f"u{number}@example.com").status_code == 302  # fmt: skip
    limited = register(client, django_capture_on_commit_callbacks, username="u9", email="u9@example.com")
    assert limited.status_code == 429 and "Retry-After" in limited
    assert "Terlalu banyak pendaftaran" in limited.content.decode()
    assert not get_user_model().objects.filter(username="u9").exists()


def test_invalid_registration_does_not_use_up_the_limit(client, settings, django_capture_on_commit_callbacks):
    settings.SKM_REGISTER_RATE_LIMIT = 1
    for _ in range(3):
        bad = register(client, django_capture_on_commit_callbacks, password2="lain")
        assert bad.status_code == 200
    assert register(client, django_capture_on_commit_callbacks).status_code == 302


def complaint_form(**changes):
    data = {
        "name": "Budi", "email": "budi@example.com", "phone": "", "permit_number": "",
        "subject": "Lambat", "description": "Belum ada kabar.", "consent": "on",
    }  # fmt: skip
    return data | changes


def test_the_public_complaint_form_answers_alike_for_any_permit_number(client, people, apply, water_permit):
    permit = apply(water_permit, notify=False)
    pages = []
    for number in (permit.number, "IZIN/1999/000001"):
        response = client.post(reverse("permits:complaint_new"), complaint_form(permit_number=number), follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        pages.append(page)
        assert number not in page  # the status page shows no file number to the public
    assert Complaint.objects.count() == 2
    assert Complaint.objects.filter(permit=permit).count() == 1  # linked for the officers


def test_the_applicant_sees_their_own_file_number_on_the_status_page(client, people, apply, water_permit):
    permit = apply(water_permit, notify=False)
    client.force_login(permit.applicant)
    response = client.post(reverse("permits:complaint_new"), complaint_form(permit_number=permit.number), follow=True)
    assert permit.number in response.content.decode()
