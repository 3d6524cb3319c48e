import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from skm_portal.models import OfficeProfile
from skm_portal.nip import format_nip, validate_nip
from skm_portal.roles import Role


def test_nip_is_shown_in_four_groups():
    assert format_nip("196802151989031008") == "19680215 198903 1 008"


@pytest.mark.parametrize(
    "value",
    [
        "19680215198903100",
        "1968021519890310089",
        "19680215198903100A",
        "19681315198903 1 008",
        "196802151989131008",
        "196802151989033008",
    ],
)
def test_nip_rejects_malformed_numbers(value):
    with pytest.raises(ValidationError):
        validate_nip(value)


def test_nip_accepts_spaced_input():
    validate_nip("19680215 198903 1 008")


@pytest.mark.django_db
def test_administrator_edits_office_profile(client_as):
    client = client_as(Role.ADMINISTRATOR)
    data = {
        "government": "Pemerintah Provinsi Kalimantan Timur",
        "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "short_name": "DPMPTSP",
        "head_title": "Kepala Dinas",
        "head_name": "H. Fahmi Prima Laksana, S.E., M.M",
        "head_rank": "Pembina Utama Muda",
        "head_nip": "19680215 198903 1 008",
    }
    response = client.post(reverse("office_edit"), data)
    assert response.status_code == 302
    profile = OfficeProfile.get()
    assert profile.head_nip == "196802151989031008"
    assert format_nip(profile.head_nip) == "19680215 198903 1 008"
    page = client.get(reverse("office_edit")).content.decode()
    assert "19680215 198903 1 008" in page


@pytest.mark.django_db
def test_bad_nip_changes_nothing(client_as):
    client = client_as(Role.ADMINISTRATOR)
    before = OfficeProfile.get().head_nip
    response = client.post(
        reverse("office_edit"),
        {"government": "X", "name": "Y", "short_name": "Z", "head_title": "Kepala", "head_nip": "12345"},
    )
    assert response.status_code == 200
    assert "NIP harus terdiri dari 18 angka." in response.content.decode()
    assert OfficeProfile.get().head_nip == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrator_edits_office_profile(client_as, role):
    assert client_as(role).get(reverse("office_edit")).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("office_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_and_logout(client, make_user):
    make_user(Role.PETUGAS_SKM, username="petugas", password="rahasia-123")
    response = client.post(reverse("login"), {"username": "petugas", "password": "rahasia-123"})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_fresh_database_has_every_role_group():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
