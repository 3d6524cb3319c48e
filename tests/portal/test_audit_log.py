"""The one audit log: changes in every app write a line; officers read them at one page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from skm_portal.audit import audit_for, audit_record
from skm_portal.models import AuditEntry, OfficeProfile
from skm_portal.roles import Role
from surveys.models import Period, Service
from tests.downloads import csv_rows, xlsx_workbook
from tests.surveys.xlsx import xlsx_file

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def test_office_profile_change_is_audited_with_old_and_new_value(client_as):
    OfficeProfile.objects.update_or_create(pk=1, defaults={"head_name": "Lama", "city": "Samarinda"})
    client = client_as(Role.ADMINISTRATOR)
    data = {f: getattr(OfficeProfile.get(), f) or "" for f in ["government", "name", "short_name", "city"]}
    data.update(head_title="Kepala Dinas", head_name="Dr. Baru, S.T.", head_nip="")
    assert client.post(reverse("office_edit"), data).status_code == 302
    entry = AuditEntry.objects.get(action="office_updated")
    assert entry.app == "skm_portal" and entry.actor.username == "user_administrator"
    assert entry.changes["nama kepala"] == ["Lama", "Dr. Baru, S.T."]


def test_master_data_pages_write_the_log(client_as):
    client = client_as(Role.PETUGAS_SKM)
    client.post(
        reverse("surveys:service_manage"), {"code": "imb", "name": "Izin Bangunan", "order": 1, "is_active": "on"}
    )
    service = Service.objects.get(code="imb")
    client.post(
        reverse("surveys:service_edit", args=[service.code]),
        {"code": "imb", "name": "Izin Mendirikan Bangunan", "order": 1, "is_active": "on"},
    )
    lines = [(e.action, e.summary) for e in reversed(audit_for(service))]
    assert [action for action, _ in lines] == ["created", "updated"]
    updated = AuditEntry.objects.get(action="updated", object_type="surveys.service")
    assert updated.changes["nama layanan"] == ["Izin Bangunan", "Izin Mendirikan Bangunan"]
    assert updated.actor_display == "user_petugas_skm"


def test_an_import_is_logged_with_file_and_count(tmp_path):
    header = ["tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
    codes = [f"U{i}" for i in range(1, 12)]
    Service.objects.create(code="oss", name="Perizinan OSS")
    row = ["2024-03-04", "oss", "L", 30, "SMA", "PNS", *[4] * 11, ""]
    path = xlsx_file(tmp_path, [[*header, *codes, "saran"], row], name="jawaban.xlsx")
    call_command("skm_import_responses", str(path))
    [entry] = AuditEntry.objects.filter(action="imported")
    assert "1 jawaban diimpor dari berkas jawaban.xlsx" in entry.summary and entry.app == "surveys"


def test_role_change_in_the_admin_is_audited(admin_client, make_user):
    user = make_user(Role.PETUGAS_SKM, username="budi")
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {
        "username": "budi",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.KASI.value).pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "08:00:00",
    }
    assert admin_client.post(url, data).status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == [Role.KASI.value]
    entry = AuditEntry.objects.get(action="user_updated")
    assert entry.app == "auth" and entry.object_id == str(user.pk) and "budi" in entry.summary


def _entry(at: dt.datetime, *, actor=None, action="created", summary="Contoh", app="surveys"):
    period = Period.objects.create(
        name=summary[:20], kind="semester", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30)
    )
    entry = audit_record(actor=actor, action=action, obj=period, summary=summary, app=app)
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


@pytest.mark.parametrize(
    "role, status", [(Role.ADMINISTRATOR, 200), (Role.KEPALA_DINAS, 200), (Role.PETUGAS_SKM, 403), (Role.PEMOHON, 403)]
)
def test_the_log_page_is_for_administrators_and_the_head_of_office(client_as, role, status):
    assert client_as(role).get(reverse("audit_log")).status_code == status


def test_log_page_shows_indonesian_dates_searches_and_filters(client_as, make_user):
    officer = make_user(Role.PETUGAS_SKM, username="siti")
    _entry(dt.datetime(2026, 12, 2, 14, 5, tzinfo=WITA), actor=officer, summary="Periode Semester I diubah")
    _entry(
        dt.datetime(2026, 12, 5, 9, 0, tzinfo=WITA),
        summary="Hari libur kantor ditambahkan",
        app="permits",
        action="day_off_added",
    )
    client = client_as(Role.KEPALA_DINAS)
    url = reverse("audit_log")
    page = client.get(url).content.decode()
    assert "2 Desember 2026 14.05 WITA" in page and "5 Desember 2026 09.00 WITA" in page
    only_text = client.get(url, {"q": "semester"}).content.decode()
    assert "Semester I diubah" in only_text and "Hari libur kantor" not in only_text
    only_user = client.get(url, {"user": "siti"}).content.decode()
    assert "Semester I diubah" in only_user and "Hari libur kantor" not in only_user
    only_app = client.get(url, {"app": "permits"}).content.decode()
    assert "Hari libur kantor" in only_app and "Semester I diubah" not in only_app
    only_action = client.get(url, {"action": "day_off_added"}).content.decode()
    assert "Hari libur kantor" in only_action and "Semester I diubah" not in only_action
    one_day = client.get(url, {"date_from": "2026-12-02", "date_to": "2026-12-02"}).content.decode()
    assert "Semester I diubah" in one_day and "Hari libur kantor" not in one_day
    reversed_range = client.get(url, {"date_from": "2026-12-05", "date_to": "2026-12-01"}).content.decode()
    assert "Tanggal awal harus sebelum" in reversed_range


def test_log_page_is_paginated_and_keeps_the_filters(client_as):
    for i in range(55):
        _entry(dt.datetime(2026, 1, 1, 8, 0, tzinfo=WITA) + dt.timedelta(minutes=i), summary=f"Baris {i:02d}")
    client = client_as(Role.ADMINISTRATOR)
    first = client.get(reverse("audit_log"), {"q": "Baris"}).content.decode()
    assert "Baris 54" in first and "Baris 04" not in first and "Halaman 1 dari 2" in first
    assert "q=Baris&amp;halaman=2" in first
    second = client.get(reverse("audit_log"), {"q": "Baris", "halaman": 2}).content.decode()
    assert "Baris 04" in second and "Baris 54" not in second


def test_log_is_sorted_by_a_whitelisted_order_and_exports_exactly_the_filtered_list(client_as, make_user):

    siti, budi = make_user(Role.PETUGAS_SKM, username="siti"), make_user(Role.KASI, username="budi")
    _entry(dt.datetime(2026, 12, 2, 14, 5, tzinfo=WITA), actor=siti, summary="Periode Semester I diubah")
    _entry(dt.datetime(2026, 12, 3, 8, 0, tzinfo=WITA), actor=budi, summary="Periode Triwulan II diubah")
    _entry(dt.datetime(2026, 12, 5, 9, 0, tzinfo=WITA), summary="Hari libur kantor ditambahkan", app="permits")
    client = client_as(Role.ADMINISTRATOR)
    url = reverse("audit_log")

    def order(page: str) -> list[str]:
        names = ["Semester I", "Triwulan II", "Hari libur"]
        return sorted(names, key=page.index)

    assert order(client.get(url).content.decode()) == ["Hari libur", "Triwulan II", "Semester I"]
    assert order(client.get(url, {"sort": "lama"}).content.decode()) == ["Semester I", "Triwulan II", "Hari libur"]
    # a key that is not on the list falls back to newest first (the URL never names a field)
    hostile = client.get(url, {"sort": "summary"})
    assert hostile.status_code == 200 and "sort" in hostile.context["form"].errors

    # the export is the filtered, sorted list, every row of it, not only the page
    rows = csv_rows(client.get(url, {"q": "periode", "sort": "lama", "format": "csv"}))
    assert [row[5] for row in rows[1:]] == ["Periode Semester I diubah", "Periode Triwulan II diubah"]
    assert rows[1][0] == "2026-12-02 14:05" and rows[1][1] == "siti"
    workbook = xlsx_workbook(client.get(url, {"user": "budi", "format": "xlsx"}))
    sheet = workbook.worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[5] for row in values[1:]] == ["Periode Triwulan II diubah"]
    assert values[1][0] == dt.datetime(2026, 12, 3, 8, 0)  # a spreadsheet date-time, in WITA


def test_a_long_list_as_xlsx_goes_to_disk_before_it_is_sent_and_arrives_whole(client_as, monkeypatch):
    import tempfile

    from skm_portal import listing

    workbooks = []

    class Recorded(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            workbooks.append(self)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Recorded)
    client = client_as(Role.ADMINISTRATOR)
    at = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WITA)
    AuditEntry.objects.bulk_create(
        AuditEntry(at=at + dt.timedelta(minutes=n), app="surveys", action="created", summary=f"Perubahan ke-{n}")
        for n in range(1, 1201)
    )
    xlsx_workbook(client.get(reverse("audit_log"), {"q": "ke-1200", "format": "xlsx"}))
    assert not workbooks[0]._rolled  # one row: kept in memory

    monkeypatch.setattr(listing, "XLSX_IN_MEMORY_BYTES", 16 * 1024)
    rows = xlsx_workbook(client.get(reverse("audit_log"), {"sort": "lama", "format": "xlsx"})).worksheets[0]
    assert workbooks[1]._rolled  # past the limit: written to a file on disk, not kept in memory
    assert workbooks[1].closed  # sent and closed: its disk space is given back
    values = list(rows.iter_rows(min_row=2, values_only=True))
    assert [row[5] for row in values] == [f"Perubahan ke-{n}" for n in range(1, 1201)]


def test_every_action_written_by_the_apps_has_an_indonesian_label():
    import re
    from pathlib import Path

    from skm_portal.audit import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r'action="([a-z_]+)"(?: if [^\n]* else "([a-z_]+)")?')
    written = set()
    for app in ("skm_portal", "surveys", "followup", "permits", "reports"):
        for source in (root / app).rglob("*.py"):
            if "migrations" not in source.parts and "management" not in source.parts:
                for match in pattern.finditer(source.read_text()):
                    written |= {code for code in match.groups() if code}
    assert {"attendee_struck", "permit_transition", "letter_numbered"} <= written
    assert sorted(written - set(ACTION_LABELS)) == []
