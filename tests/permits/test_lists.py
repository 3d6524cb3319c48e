"""Monitoring Izin, complaints and the revision list: search, filters, sort, pages, export."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permits.calendar import WITA
from permits.models import Complaint, PermitApplication
from permits.workflow import Step
from skm_portal import listing
from skm_portal.roles import Role
from tests.downloads import csv_rows, xlsx_workbook


def bulk_files(count, *, kind, applicant, start, step=Step.VERIFIKASI_IZIN, prefix="TEST", hours=1):
    """`count` submitted files, one per `hours` from `start`, numbered PREFIX-0001 upwards."""
    files = []
    for n in range(count):
        submitted = start + dt.timedelta(hours=hours * n)
        files.append(
            PermitApplication(
                number=f"{prefix}-{n + 1:04d}",
                applicant=applicant,
                permit_type=kind,
                agency=kind.agency,
                step=step,
                service_days=kind.service_days,
                submitted_at=submitted,
                step_entered_at=submitted,
                declared_at=submitted,
                deadline_at=submitted + dt.timedelta(days=30),
            )
        )
    return PermitApplication.objects.bulk_create(files)


def numbers(page: str, prefix: str = "TEST-") -> list[str]:
    """File numbers in the order the page shows them."""
    found, position = [], 0
    while (position := page.find(f">{prefix}", position)) != -1:
        end = page.index("<", position)
        found.append(page[position + 1 : end])
        position = end
    return found


@pytest.fixture
def officer(client, people):
    client.force_login(people[Role.BACKOFFICE])
    return client


MONITORING = "permits:monitoring"


@pytest.mark.django_db
def test_pages_of_25_in_submission_order_newest_first(officer, people, simple_permit):
    bulk_files(60, kind=simple_permit, applicant=people[Role.PEMOHON], start=dt.datetime(2026, 3, 2, 8, tzinfo=WITA))
    first = officer.get(reverse(MONITORING)).content.decode()
    assert numbers(first) == [f"TEST-{n:04d}" for n in range(60, 35, -1)]
    assert "60 data ditemukan" in first and "Halaman 1 dari 3" in first
    last = officer.get(reverse(MONITORING), {"page": 3}).content.decode()
    assert numbers(last) == [f"TEST-{n:04d}" for n in range(10, 0, -1)]
    # Nonsense page numbers show the nearest page instead of an error.
    assert numbers(officer.get(reverse(MONITORING), {"page": "abc"}).content.decode())[0] == "TEST-0060"
    assert numbers(officer.get(reverse(MONITORING), {"page": 99}).content.decode())[0] == "TEST-0010"


@pytest.mark.django_db
def test_search_by_number_applicant_and_permit_type(officer, people, simple_permit, water_permit):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)
    bulk_files(3, kind=simple_permit, applicant=people[Role.PEMOHON], start=start)
    other = people["other_pemohon"]
    other.first_name, other.last_name = "Siti", "Rahmawati"
    other.save()
    bulk_files(2, kind=water_permit, applicant=other, start=start, prefix="AIR")
    page = officer.get(reverse(MONITORING), {"q": "test-0002"}).content.decode()
    assert numbers(page) == ["TEST-0002"] and numbers(page, "AIR-") == []
    by_name = officer.get(reverse(MONITORING), {"q": "rahmawati"}).content.decode()
    assert numbers(by_name, "AIR-") == ["AIR-0002", "AIR-0001"] and numbers(by_name) == []
    by_type = officer.get(reverse(MONITORING), {"q": "reklame"}).content.decode()
    assert numbers(by_type) == ["TEST-0003", "TEST-0002", "TEST-0001"] and numbers(by_type, "AIR-") == []
    nothing = officer.get(reverse(MONITORING), {"q": "tidak-ada"}).content.decode()
    assert "Tidak ada berkas." in nothing and "0 data ditemukan" in nothing


@pytest.mark.django_db
def test_filters_permit_type_step_and_date_range_combine(officer, people, simple_permit, water_permit):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)  # Monday
    bulk_files(4, kind=simple_permit, applicant=people[Role.PEMOHON], start=start, hours=24)
    bulk_files(2, kind=water_permit, applicant=people[Role.PEMOHON], start=start, prefix="AIR", step=Step.VALIDASI_KASI)
    by_type = officer.get(reverse(MONITORING), {"permit_type": water_permit.pk}).content.decode()
    assert numbers(by_type, "AIR-") == ["AIR-0002", "AIR-0001"] and numbers(by_type) == []
    by_step = officer.get(reverse(MONITORING), {"step": Step.VERIFIKASI_IZIN.value}).content.decode()
    assert numbers(by_step) == ["TEST-0004", "TEST-0003", "TEST-0002", "TEST-0001"]
    assert numbers(by_step, "AIR-") == []
    # 3 and 4 March, whole WITA days: files submitted 3 March 08.00 and 4 March 08.00.
    dates = officer.get(reverse(MONITORING), {"date_from": "2026-03-03", "date_to": "2026-03-04"}).content.decode()
    assert numbers(dates) == ["TEST-0003", "TEST-0002"]


@pytest.mark.django_db
def test_bad_filters_are_explained_and_filter_nothing(officer, people, simple_permit):
    bulk_files(2, kind=simple_permit, applicant=people[Role.PEMOHON], start=dt.datetime(2026, 3, 2, 8, tzinfo=WITA))
    page = officer.get(reverse(MONITORING), {"date_from": "2026-03-05", "date_to": "2026-03-01"}).content.decode()
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir." in page
    assert numbers(page) == ["TEST-0002", "TEST-0001"]
    bad_step = officer.get(reverse(MONITORING), {"step": "hapus-semua"}).content.decode()
    assert "Tahap itu tidak ada." in bad_step and len(numbers(bad_step)) == 2
    bad_date = officer.get(reverse(MONITORING), {"date_from": "kemarin"}).content.decode()
    assert "Tanggal tidak valid" in bad_date


@pytest.mark.django_db
def test_sort_only_by_whitelisted_columns(officer, people, simple_permit):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)
    files = bulk_files(3, kind=simple_permit, applicant=people[Role.PEMOHON], start=start)
    # Deadlines in the opposite order of submission.
    for position, permit in enumerate(files):
        PermitApplication.objects.filter(pk=permit.pk).update(deadline_at=start + dt.timedelta(days=10 - position))
    assert numbers(officer.get(reverse(MONITORING), {"sort": "number"}).content.decode()) == [
        "TEST-0001",
        "TEST-0002",
        "TEST-0003",
    ]
    assert numbers(officer.get(reverse(MONITORING), {"sort": "deadline"}).content.decode()) == [
        "TEST-0003",
        "TEST-0002",
        "TEST-0001",
    ]
    page = officer.get(reverse(MONITORING), {"sort": "-deadline"}).content.decode()
    assert numbers(page) == ["TEST-0001", "TEST-0002", "TEST-0003"]
    assert 'aria-sort="descending"' in page
    # A column outside the whitelist (or a field name) falls back to the default order.
    for hostile in ("applicant__password", "-survey_token", "pk"):
        assert numbers(officer.get(reverse(MONITORING), {"sort": hostile}).content.decode()) == [
            "TEST-0003",
            "TEST-0002",
            "TEST-0001",
        ]


@pytest.mark.django_db
def test_overdue_filter_counts_working_days_in_the_database(officer, people, simple_permit, apply):
    # Submitted on a Friday afternoon with a 3-working-day standard: the weekend does not count.
    friday = dt.datetime(2026, 3, 6, 14, tzinfo=WITA)
    late = apply(simple_permit, now=friday - dt.timedelta(days=14), notify=False)
    fresh = apply(simple_permit, now=timezone.now(), notify=False)
    page = officer.get(reverse(MONITORING), {"overdue": "on"}).content.decode()
    assert late.number in page and fresh.number not in page
    assert "1 data ditemukan" in page


@pytest.mark.django_db
def test_applicant_searches_only_their_own_files(client, people, simple_permit):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)
    bulk_files(2, kind=simple_permit, applicant=people[Role.PEMOHON], start=start)
    bulk_files(2, kind=simple_permit, applicant=people["other_pemohon"], start=start, prefix="LAIN")
    client.force_login(people[Role.PEMOHON])
    page = client.get(reverse(MONITORING), {"q": "lain"}).content.decode()
    assert numbers(page, "LAIN-") == [] and "0 data ditemukan" in page
    export = [row[0] for row in csv_rows(client.get(reverse(MONITORING), {"format": "csv"}))]
    assert not any(number.startswith("LAIN-") for number in export) and "TEST-0001" in export


@pytest.mark.django_db
def test_count_is_capped_but_every_page_is_reachable(officer, people, simple_permit, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 30)
    bulk_files(60, kind=simple_permit, applicant=people[Role.PEMOHON], start=dt.datetime(2026, 3, 2, 8, tzinfo=WITA))
    first = officer.get(reverse(MONITORING)).content.decode()
    assert "lebih dari 30 data ditemukan" in first and "Halaman 1" in first and "dari 2" not in first
    third = officer.get(reverse(MONITORING), {"page": 3}).content.decode()
    assert numbers(third) == [f"TEST-{n:04d}" for n in range(10, 0, -1)]
    assert 'rel="next"' not in third and 'rel="prev"' in third


@pytest.mark.django_db
def test_export_holds_exactly_the_filtered_sorted_list(officer, people, simple_permit, water_permit, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)
    bulk_files(30, kind=simple_permit, applicant=people[Role.PEMOHON], start=start)
    bulk_files(5, kind=water_permit, applicant=people[Role.PEMOHON], start=start, prefix="AIR")
    query = {"permit_type": simple_permit.pk, "sort": "number", "page": 2}
    response = officer.get(reverse(MONITORING), {**query, "format": "csv"})
    assert 'filename="monitoring-izin-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["No. Berkas", "Jenis Izin", "Pemohon"]
    assert [row[0] for row in rows[1:]] == [f"TEST-{n:04d}" for n in range(1, 31)]  # all pages, not page 2
    assert rows[1][3] == "2026-03-02 08:00"  # WITA
    workbook = xlsx_workbook(officer.get(reverse(MONITORING), {**query, "format": "xlsx"}))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Monitoring Izin"
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [f"TEST-{n:04d}" for n in range(1, 31)]


@pytest.mark.django_db
def test_revision_list_pages_and_searches_the_applicants_returned_files(client, people, simple_permit):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=WITA)
    mine = bulk_files(3, kind=simple_permit, applicant=people[Role.PEMOHON], start=start, step=Step.REVISI)
    PermitApplication.objects.filter(pk=mine[1].pk).update(applicant_note="Peta lokasi buram")
    bulk_files(1, kind=simple_permit, applicant=people["other_pemohon"], start=start, step=Step.REVISI, prefix="LAIN")
    client.force_login(people[Role.PEMOHON])
    page = client.get(reverse("permits:revision_list")).content.decode()
    assert numbers(page) == ["TEST-0001", "TEST-0002", "TEST-0003"] and "LAIN-" not in page
    found = client.get(reverse("permits:revision_list"), {"q": "buram"}).content.decode()
    assert numbers(found) == ["TEST-0002"]


@pytest.fixture
def complaints_filed(people):
    base = dt.datetime(2026, 3, 2, 9, tzinfo=WITA)
    made = []
    for n, (subject, status) in enumerate(
        [("Berkas lama diproses", "diajukan"), ("Petugas tidak ramah", "diterima"), ("Situs lambat", "diajukan")]
    ):
        made.append(
            Complaint.objects.create(
                number=f"ADU-{n + 1:03d}",
                token=f"token-{n}",
                name=f"Pelapor {n}",
                email=f"p{n}@example.com",
                subject=subject,
                description="Uraian",
                status=status,
                filed_at=base + dt.timedelta(days=n),
                deadline_at=base + dt.timedelta(days=n + 7),
            )
        )
    return made


@pytest.mark.django_db
def test_complaints_search_filter_sort_and_export(client, people, complaints_filed):
    client.force_login(people[Role.KASI])
    url = reverse("permits:complaint_list")
    page = client.get(url).content.decode()
    assert numbers(page, "ADU-") == ["ADU-001", "ADU-002", "ADU-003"]  # nearest deadline first
    assert numbers(client.get(url, {"q": "ramah"}).content.decode(), "ADU-") == ["ADU-002"]
    assert numbers(client.get(url, {"status": "diajukan", "sort": "-filed"}).content.decode(), "ADU-") == [
        "ADU-003",
        "ADU-001",
    ]
    rows = csv_rows(client.get(url, {"status": "diajukan", "format": "csv"}))
    assert [row[0] for row in rows[1:]] == ["ADU-001", "ADU-003"]
    assert rows[1][1] == "Pelapor 0"


@pytest.mark.django_db
def test_export_with_a_wrong_filter_answers_the_page_with_the_reason(officer, people, simple_permit):
    bulk_files(2, kind=simple_permit, applicant=people[Role.PEMOHON], start=dt.datetime(2026, 3, 2, 8, tzinfo=WITA))
    response = officer.get(reverse(MONITORING), {"step": "tidak-ada", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "Tahap itu tidak ada." in response.content.decode()
