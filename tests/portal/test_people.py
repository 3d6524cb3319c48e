"""People and roles: the administrator's pages and services, and everyone's forgotten password."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from permits.models import Agency, AgencyMembership
from skm_portal import people
from skm_portal.mail import outbound_mail_send
from skm_portal.models import AuditEntry, OutboundMail
from skm_portal.roles import Role

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin(make_user):
    user = make_user(Role.ADMINISTRATOR, username="admin_uji")
    user.email = "admin@example.com"
    user.save()
    return user


@pytest.fixture
def agency():
    return Agency.objects.create(name="Badan Pertanahan Nasional", short_name="BPN")


def _delivered() -> list:
    """What the mail task has sent: it runs for every queued mail (as the worker would)."""
    for pk in OutboundMail.objects.filter(state=OutboundMail.State.PENDING).values_list("pk", flat=True):
        outbound_mail_send(mail_id=pk)
    return mail.outbox


def _link(message) -> str:
    return re.search(r"https?://\S+/atur-sandi/\S+/", message.body).group(0)


def test_administrator_creates_an_officer_who_gets_a_link_to_set_a_password(
    admin, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://skm.example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        person = people.user_create(
            actor=admin,
            username="heru",
            full_name="Heru Pratama, S.Sos.",
            email="heru@example.com",
            roles=[Role.KABID, Role.PETUGAS_SKM],
        )
    assert sorted(person.groups.values_list("name", flat=True)) == ["kabid", "petugas_skm"]
    assert not person.has_usable_password()
    [message] = _delivered()
    assert message.to == ["heru@example.com"]
    assert message.subject == "Atur sandi akun SKM Portal DPMPTSP"
    assert "Yth. Heru Pratama, S.Sos.," in message.body and "nama pengguna: heru" in message.body
    assert _link(message).startswith("https://skm.example.go.id/atur-sandi/")
    summaries = list(
        AuditEntry.objects.filter(object_type="auth.user", object_id=str(person.pk)).values_list("summary", flat=True)
    )
    assert "Pengguna heru (Heru Pratama, S.Sos.) dibuat dengan peran Kepala Bidang (Kabid), Petugas SKM." in summaries
    assert "Tautan atur sandi dikirim ke Heru Pratama, S.Sos. (heru@example.com)." in summaries


def test_a_dinas_teknis_user_needs_its_agency_and_only_it_gets_one(admin, agency):
    with pytest.raises(ValidationError) as refused:
        people.user_create(
            actor=admin, username="bpn", full_name="Petugas BPN", email="", roles=["dinas_teknis"], send_link=False
        )
    assert refused.value.message_dict == {"agency": ["Pilih dinas teknis tempat pengguna ini bekerja."]}
    with pytest.raises(ValidationError, match="hanya untuk pengguna berperan Dinas Teknis"):
        people.user_create(
            actor=admin, username="kasi", full_name="Kasi", email="", roles=["kasi"], agency=agency, send_link=False
        )
    assert not User.objects.filter(username__in=["bpn", "kasi"]).exists()
    person = people.user_create(
        actor=admin,
        username="bpn",
        full_name="Petugas BPN",
        email="",
        roles=["dinas_teknis"],
        agency=agency,
        send_link=False,
    )
    assert list(AgencyMembership.objects.filter(user=person).values_list("agency__short_name", flat=True)) == ["BPN"]
    people.user_update(actor=admin, user=person, full_name="Petugas BPN", email="", roles=["kasi"], agency=None)
    assert not AgencyMembership.objects.filter(user=person).exists()
    [entry] = AuditEntry.objects.filter(object_id=str(person.pk), action="user_updated")
    assert entry.changes == {
        "peran": ["Dinas Teknis", "Kepala Seksi (Kasi)"],
        "dinas teknis": ["Badan Pertanahan Nasional", ""],
    }


def test_refusals_change_nothing(admin, make_user):
    make_user(Role.KASI, username="kasi_lama").__class__.objects.filter(username="kasi_lama").update(email="a@b.id")
    with pytest.raises(ValidationError, match="sudah dipakai akun lain"):
        people.user_create(actor=admin, username="baru", full_name="Baru", email="A@B.id", roles=["kasi"])
    with pytest.raises(ValidationError, match="Nama pengguna ini sudah dipakai"):
        people.user_create(actor=admin, username="KASI_LAMA", full_name="X", email="", roles=["kasi"], send_link=False)
    with pytest.raises(ValidationError, match="Isi alamat email"):
        people.user_create(actor=admin, username="baru", full_name="Baru", email="", roles=["kasi"])
    with pytest.raises(ValidationError, match="Pemohon tidak dapat"):
        people.user_create(
            actor=admin, username="baru", full_name="Baru", email="", roles=["pemohon", "kasi"], send_link=False
        )
    assert not User.objects.filter(username="baru").exists()
    with pytest.raises(PermissionDenied):
        people.user_create(
            actor=make_user(Role.KABID), username="baru", full_name="B", email="", roles=["kasi"], send_link=False
        )


def test_deactivation_keeps_one_administrator_and_not_oneself(admin, make_user):
    with pytest.raises(ValidationError, match="akun Anda sendiri"):
        people.user_set_active(actor=admin, user=admin, active=False)
    other_admin = make_user(Role.ADMINISTRATOR, username="admin_dua")
    people.user_set_active(actor=admin, user=other_admin, active=False)
    other_admin.refresh_from_db()
    assert not other_admin.is_active
    with pytest.raises(ValidationError, match="sekurang-kurangnya satu administrator aktif"):
        people.user_update(actor=admin, user=admin, full_name="", email=admin.email, roles=["kasi"])
    people.user_set_active(actor=admin, user=other_admin, active=True)
    assert AuditEntry.objects.filter(object_id=str(other_admin.pk), action="user_deactivated").exists()
    assert AuditEntry.objects.filter(object_id=str(other_admin.pk), action="user_activated").exists()


def test_a_deactivated_person_cannot_log_in_nor_get_a_link(
    admin, make_user, client, django_capture_on_commit_callbacks
):
    person = make_user(Role.KASI, username="kasi_pindah", password="rahasia-123")
    person.email = "kasi@example.com"
    person.save()
    people.user_set_active(actor=admin, user=person, active=False)
    assert not client.login(username="kasi_pindah", password="rahasia-123")
    with pytest.raises(ValidationError, match="nonaktif"):
        people.user_send_password_reset(actor=admin, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "kasi@example.com"})
    assert response.status_code == 302 and _delivered() == []


def test_people_pages_search_page_and_act(admin, client, agency, django_capture_on_commit_callbacks):
    for i in range(30):
        User.objects.create_user(username=f"pemohon{i:02}", email=f"p{i}@example.com")
    client.force_login(admin)
    listing = client.get(reverse("people")).content.decode()
    assert "31 pengguna" in listing and "Halaman 1 dari 2" in listing
    found = client.get(reverse("people"), {"q": "pemohon07"}).content.decode()
    assert "p7@example.com" in found and "pemohon08" not in found and "1 pengguna" in found
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_create"),
            {
                "username": "bpn_samarinda",
                "full_name": "Rina Wati",
                "email": "rina@bpn.example.com",
                "roles": ["dinas_teknis"],
                "agency": str(agency.pk),
                "send_link": "on",
            },
            follow=True,
        )
    page = response.content.decode()
    assert "Pengguna bpn_samarinda dibuat. Tautan untuk mengatur sandi dikirim ke rina@bpn.example.com." in page
    assert [m.to for m in _delivered()] == [["rina@bpn.example.com"]]
    person = User.objects.get(username="bpn_samarinda")
    assert client.get(reverse("people"), {"peran": "dinas_teknis"}).content.decode().count("Badan Pertanahan") == 1
    bad = client.post(reverse("person_edit", args=[person.pk]), {"full_name": "Rina", "email": "x", "roles": []})
    assert bad.status_code == 400
    assert (
        "Alamat email tidak valid." in bad.content.decode()
        and "Pilih sekurang-kurangnya satu peran." in bad.content.decode()
    )
    response = client.post(reverse("person_active", args=[person.pk]), {"aktif": "0"}, follow=True)
    assert "Akun bpn_samarinda dinonaktifkan." in response.content.decode()
    assert client.get(reverse("people"), {"status": "nonaktif"}).content.decode().count("bpn_samarinda") >= 1


def test_only_the_administrator_manages_people(client_as):
    for role in Role:
        status = client_as(role).get(reverse("people")).status_code
        assert status == (200 if role == Role.ADMINISTRATOR else 403), role


def test_forgotten_password_does_not_reveal_whether_an_address_exists(
    client, make_user, django_capture_on_commit_callbacks
):
    person = make_user(Role.PEMOHON, username="budi")
    person.email = "budi@example.com"
    person.save()
    login_page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in login_page and "Lupa sandi?" in login_page
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("password_reset"), {"email": "tidak.ada@example.com"}, follow=True)
        known = client.post(reverse("password_reset"), {"email": "BUDI@example.com"}, follow=True)
    assert unknown.content == known.content
    assert "Periksa email Anda" in known.content.decode()
    [message] = _delivered()
    assert message.to == ["budi@example.com"]
    link = _link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert "Atur sandi baru" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"},
        follow=True,
    )
    assert "Sandi baru disimpan" in done.content.decode()
    assert client.login(username="budi", password="Sandi-Baru-2026!")
    client.logout()
    used_again = client.get("/" + path, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in used_again


def test_a_new_password_lifts_the_lockout_of_earlier_wrong_passwords(client, make_user, settings):
    person = make_user(Role.KASI, username="kasi_lupa")
    person.email = "kasi.lupa@example.com"
    person.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kasi_lupa", "password": "salah"})
    locked = client.post(reverse("login"), {"username": "kasi_lupa", "password": "rahasia-123"})
    assert locked.status_code == 429
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(person.pk))
    form = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(person)}),
        follow=True,
    )
    new = "Sandi-Baru-Kasi-2026"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(reverse("login"), {"username": "kasi_lupa", "password": new})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_new_officer_is_created_while_the_mail_server_is_down_and_mailed_later(
    admin, client, mail_server_down, settings, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("person_create"),
            {
                "username": "sari",
                "full_name": "Sari",
                "email": "sari@example.com",
                "roles": ["kasi"],
                "send_link": "on",
            },
        )
    assert response.status_code == 302 and User.objects.filter(username="sari").exists()
    [queued] = OutboundMail.objects.filter(to=["sari@example.com"])
    assert outbound_mail_send(mail_id=queued.pk) == OutboundMail.State.PENDING and mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    [message] = _delivered()
    assert message.to == ["sari@example.com"] and "/atur-sandi/" in message.body
