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


def _respond(service, day: dt.date, score: int = 4):
    from zoneinfo import ZoneInfo

    from surveys.services import response_submit

    questionnaire = Questionnaire.active()
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Asia/Makassar"))
    codes = questionnaire.elements.values_list("code", flat=True)
    return response_submit(
        questionnaire=questionnaire, service=service, scores=dict.fromkeys(codes, score), sex="L", submitted_at=noon
    )


def test_this_years_responses_appear_on_the_public_results_without_an_officer(client):
    from django.utils import timezone

    today = timezone.localdate()
    service = Service.objects.create(code="loket", name="Loket")
    _respond(service, today)
    page = client.get(reverse("surveys:public_results")).content.decode()
    quarter = ("I", "II", "III", "IV")[(today.month - 1) // 3]
    semester = "I" if today.month <= 6 else "II"
    assert f"Triwulan {quarter} {today.year}" in page
    assert f"Semester {semester} {today.year}" in page
    created = Period.objects.filter(start_date__year=today.year)
    # Only periods that have begun: semesters and quarters up to today's.
    assert created.count() == (1 if semester == "I" else 2) + (today.month - 1) // 3 + 1
    current = created.get(name=f"Triwulan {quarter} {today.year}")
    assert current.kind == Period.Kind.TRIWULAN and current.is_public
    detail = client.get(reverse("surveys:public_period", args=[current.pk])).content.decode()
    assert "100,00" in detail  # every answer 4: IKM 100,00


def test_standard_periods_are_made_once_and_respect_the_officers_own(client_as):
    from surveys.masterdata import standard_periods_ensure

    service = Service.objects.create(code="loket", name="Loket")
    _respond(service, dt.date(2024, 8, 15))
    # The officer already keeps Triwulan III 2024 under another name (e.g. published aggregates).
    Period.objects.create(
        name="TW III 2024", kind=Period.Kind.CUSTOM, start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 9, 30)
    )
    made = standard_periods_ensure(today=dt.date(2024, 11, 2))
    assert sorted(p.name for p in made) == [
        "Semester I 2024", "Semester II 2024", "Triwulan I 2024", "Triwulan II 2024", "Triwulan IV 2024",
    ]  # fmt: skip
    assert standard_periods_ensure(today=dt.date(2024, 11, 2)) == []
    client = client_as(Role.PETUGAS_SKM)
    assert client.get(reverse("surveys:period_list")).status_code == 200
    assert Period.objects.filter(start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 9, 30)).count() == 1
    assert Period.objects.get(name="Triwulan IV 2024").end_date == dt.date(2024, 12, 31)


@pytest.mark.django_db(transaction=True)
def test_readers_at_the_same_moment_create_each_standard_period_once():
    import threading

    from django.db import connection, connections

    from surveys.masterdata import standard_periods_ensure

    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is tested on PostgreSQL")
    service = Service.objects.create(code="loket", name="Loket")
    _respond(service, dt.date(2024, 8, 15))
    workers = 8
    barrier = threading.Barrier(workers)
    errors = []

    def read():
        try:
            barrier.wait()
            standard_periods_ensure(today=dt.date(2024, 12, 31))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = sorted(Period.objects.values_list("name", flat=True))
    assert names == sorted(
        ["Semester I 2024", "Semester II 2024"] + [f"Triwulan {r} 2024" for r in ("I", "II", "III", "IV")]
    )


@pytest.mark.django_db
def test_the_data_services_check_the_acting_user_themselves(make_user):
    """Defence in depth: a caller that skipped the view's check still cannot change data."""
    from django.core.exceptions import PermissionDenied

    from surveys import masterdata

    kabid = make_user(Role.KABID, username="kabid_uji")
    with pytest.raises(PermissionDenied):
        masterdata.service_create(code="baru", name="Layanan Baru", actor=kabid)
    with pytest.raises(PermissionDenied):
        masterdata.period_create(
            name="Triwulan I 2031", kind="triwulan", start_date=dt.date(2031, 1, 1), end_date=dt.date(2031, 3, 31),
            actor=kabid,
        )  # fmt: skip
    assert not Service.objects.filter(code="baru").exists()
    assert not Period.objects.filter(name="Triwulan I 2031").exists()
    petugas = make_user(Role.PETUGAS_SKM, username="petugas_uji")
    assert masterdata.service_create(code="baru", name="Layanan Baru", actor=petugas).code == "baru"
