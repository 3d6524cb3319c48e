"""The administrator's screen for the office's own days off."""

import datetime as dt

import pytest
from django.urls import reverse

from permits.models import OfficeDayOff
from skm_portal.roles import Role


@pytest.fixture
def admin_client(client, people):
    client.force_login(people[Role.ADMINISTRATOR])
    return client


@pytest.mark.django_db
def test_list_shows_the_year_with_its_national_holidays(admin_client):
    OfficeDayOff.objects.create(date=dt.date(2025, 1, 9), description="Hari Jadi Provinsi Kalimantan Timur")
    OfficeDayOff.objects.create(date=dt.date(2024, 1, 9), description="Tahun lalu")
    page = admin_client.get(reverse("permits:days_off"), {"tahun": "2025"}).content.decode()
    assert "Hari Jadi Provinsi Kalimantan Timur" in page and "Tahun lalu" not in page
    assert "Idul Fitri" in page and "Cuti Bersama" in page  # from the holidays package
    # A nonsense year falls back to this year instead of failing.
    assert admin_client.get(reverse("permits:days_off"), {"tahun": "abc"}).status_code == 200


@pytest.mark.django_db
def test_add_and_delete(admin_client):
    response = admin_client.post(reverse("permits:days_off"), {"date": "2025-03-12", "description": "Rapat kerja"})
    assert response.status_code == 302 and response["Location"].endswith("?tahun=2025")
    day = OfficeDayOff.objects.get()
    assert (day.date, day.description) == (dt.date(2025, 3, 12), "Rapat kerja")
    page = admin_client.get(response["Location"]).content.decode()
    assert "Rapat kerja" in page and "Hari libur kantor 12 Maret 2025 ditambahkan" in page
    assert admin_client.post(reverse("permits:day_off_delete", args=[day.pk])).status_code == 302
    assert not OfficeDayOff.objects.exists()
    assert admin_client.post(reverse("permits:day_off_delete", args=[day.pk])).status_code == 404
    assert admin_client.get(reverse("permits:day_off_delete", args=[day.pk])).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2025-03-15", "description": "Sabtu"}, "15 Maret 2025 jatuh pada akhir pekan"),
        ({"date": "2025-03-31", "description": "Lebaran"}, "sudah hari libur nasional atau cuti bersama"),
        ({"date": "2025-04-07", "description": "Cuti"}, "Cuti Bersama"),
        ({"date": "2025-01-09", "description": "Lagi"}, "9 Januari 2025 sudah tercatat sebagai hari libur kantor"),
        ({"date": "", "description": "Tanpa tanggal"}, "Isi tanggal hari libur"),
        ({"date": "31-02-2025", "description": "Salah"}, "Tanggal tidak valid"),
        ({"date": "2025-03-12", "description": ""}, "Isi keterangan hari libur"),
    ],
)
def test_bad_input_explains_and_changes_nothing(admin_client, data, message):
    OfficeDayOff.objects.create(date=dt.date(2025, 1, 9), description="Hari Jadi Provinsi")
    response = admin_client.post(reverse("permits:days_off"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(OfficeDayOff.objects.values_list("date", flat=True)) == [dt.date(2025, 1, 9)]
