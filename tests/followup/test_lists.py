"""Meetings and the plans' activities as searchable, sortable, exportable lists."""

import datetime as dt

import pytest
from django.urls import reverse

from followup.meetings import services as ms
from followup.models import Meeting
from followup.plans import services
from tests.downloads import csv_rows

from .meeting_fixtures import FKP_FIELDS, make_fkp


@pytest.mark.django_db
def test_meetings_search_kind_dates_sort_and_export(client, officer):
    make_fkp(officer)
    for title, day in (
        ("Rapat Evaluasi Waktu Pelayanan", dt.date(2024, 8, 12)),
        ("Rapat Persiapan SKM 2025", dt.date(2025, 1, 20)),
    ):
        ms.meeting_create(user=officer, kind=Meeting.Kind.RAPAT, **{**FKP_FIELDS, "title": title, "date": day})
    client.force_login(officer)
    url = reverse("followup:meetings")
    page = client.get(url).content.decode()
    assert page.index("Persiapan SKM 2025") < page.index("Publik Penyusunan Standar") < page.index("Evaluasi Waktu")
    found = client.get(url, {"q": "waktu pelayanan"}).content.decode()
    assert "Evaluasi Waktu" in found and "Persiapan SKM" not in found and "1 data ditemukan" in found
    rapat_2024 = client.get(url, {"jenis": "rapat", "date_to": "2024-12-31"}).content.decode()
    assert (
        "Evaluasi Waktu" in rapat_2024
        and "Persiapan SKM" not in rapat_2024
        and "Publik Penyusunan Standar" not in rapat_2024
    )
    rows = csv_rows(client.get(url, {"jenis": "rapat", "sort": "date", "format": "csv"}))
    assert rows[0][:3] == ["Tanggal", "Jenis", "Kegiatan"]
    assert [row[2] for row in rows[1:]] == ["Rapat Evaluasi Waktu Pelayanan", "Rapat Persiapan SKM 2025"]
    assert rows[1][0] == "2024-08-12"


@pytest.mark.django_db
def test_plan_list_searches_filters_status_and_exports(client, officer, plan, activity):
    services.activity_add(plan=plan, user=officer, title="Sosialisasi jam layanan")
    client.force_login(officer)
    url = reverse("followup:plans")
    page = client.get(url).content.decode()
    assert "Evaluasi Standar Pelayanan" in page and "Sosialisasi jam layanan" in page
    assert page.index("Evaluasi Standar Pelayanan") < page.index("Sosialisasi jam layanan")  # a., b. in order
    found = client.get(url, {"q": "sosialisasi"}).content.decode()
    assert "Sosialisasi jam layanan" in found and "Evaluasi Standar Pelayanan" not in found
    assert "Tidak ada" not in client.get(url, {"status": "planned"}).content.decode()
    done = client.get(url, {"status": "done"}).content.decode()
    assert "Belum ada rencana tindak lanjut." in done
    rows = csv_rows(client.get(url, {"q": "evaluasi", "format": "csv"}))
    assert [row[2] for row in rows[1:]] == ["Evaluasi Standar Pelayanan"]
    assert rows[1][0] == plan.period.name and rows[1][5] == "Direncanakan"
    bad = client.get(url, {"status": "hapus"}).content.decode()
    assert "Status itu tidak ada." in bad
