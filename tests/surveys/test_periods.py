import datetime as dt

import pytest
from django.urls import reverse

from skm_portal.roles import Role
from surveys.models import Period, Questionnaire, Response, Service

pytestmark = pytest.mark.django_db


def period_data(**changes):
    data = {
        "name": "Semester I 2025",
        "kind": "semester",
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "service_users": "1200",
        "is_public": "on",
        "source": "computed",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["period_manage", "period_create", "service_manage"])
def test_data_pages_need_the_manage_permission(client, client_as, name):
    url = reverse(f"surveys:{name}")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_as(Role.PEMOHON).get(url).status_code == 403
    assert client_as(Role.KEPALA_DINAS).get(url).status_code == 403
    assert client_as(Role.PETUGAS_SKM).get(url).status_code == 200


def test_petugas_creates_and_edits_a_period(client_as):
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("surveys:period_create"), period_data())
    assert response.status_code == 302
    period = Period.objects.get()
    assert (period.start_date, period.end_date, period.service_users) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 30),
        1200,
    )
    assert period.kind == Period.Kind.SEMESTER and period.is_public
    response = client.post(
        reverse("surveys:period_edit", args=[period.pk]),
        period_data(name="Triwulan I 2025", kind="triwulan", end_date="2025-03-31", is_public=""),
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.name, period.kind, period.end_date, period.is_public) == (
        "Triwulan I 2025",
        "triwulan",
        dt.date(2025, 3, 31),
        False,
    )


def test_period_end_before_start_is_refused(client_as):
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("surveys:period_create"), period_data(end_date="2024-12-31"))
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    assert Period.objects.count() == 0


def test_edit_with_end_before_start_changes_nothing(client_as):
    period = Period.objects.create(
        name="Tahun 2025", kind="tahun", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31)
    )
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("surveys:period_edit", args=[period.pk]), period_data(start_date="2026-01-01"))
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    period.refresh_from_db()
    assert (period.name, period.start_date) == ("Tahun 2025", dt.date(2025, 1, 1))


def test_services_are_created_edited_and_deactivated_when_used(client_as):
    client = client_as(Role.PETUGAS_SKM)
    client.post(
        reverse("surveys:service_manage"), {"name": "Konsultasi LKPM", "code": "lkpm", "order": "3", "is_active": "on"}
    )
    service = Service.objects.get(code="lkpm")
    assert service.is_active
    client.post(
        reverse("surveys:service_edit", args=["lkpm"]),
        {"name": "Konsultasi LKPM Online", "code": "lkpm", "order": "4", "is_active": "on"},
    )
    service.refresh_from_db()
    assert (service.name, service.order) == ("Konsultasi LKPM Online", 4)
    Response.objects.create(
        questionnaire=Questionnaire.active(), service=service, survey_date=dt.date(2025, 1, 2), sex="P"
    )
    client.post(reverse("surveys:service_delete", args=["lkpm"]))
    service.refresh_from_db()
    assert not service.is_active
    assert Response.objects.filter(service=service).count() == 1


def test_unused_service_is_deleted(client_as):
    Service.objects.create(code="coba", name="Layanan Coba")
    client_as(Role.PETUGAS_SKM).post(reverse("surveys:service_delete", args=["coba"]))
    assert not Service.objects.filter(code="coba").exists()


def test_duplicate_service_code_is_refused(client_as):
    Service.objects.create(code="lkpm", name="Konsultasi LKPM")
    response = client_as(Role.PETUGAS_SKM).post(
        reverse("surveys:service_manage"), {"name": "Lain", "code": "lkpm", "order": "0"}
    )
    assert response.status_code == 200
    assert Service.objects.filter(code="lkpm").count() == 1
    assert "Jenis layanan dengan Kode telah ada." in response.content.decode()
