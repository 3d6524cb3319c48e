"""Jawaban dan saran: the officers' list of responses, its filters and its export."""

import datetime as dt

import pytest
from django.urls import reverse

from skm_portal.roles import Role
from surveys.models import Period, Questionnaire, Response, Service
from tests.downloads import csv_rows, xlsx_workbook


def answer(service, day, *, suggestion="", age=30, channel=Response.Channel.FORM):
    scores = {f"s{i:02d}": 3 for i in range(1, 12)}
    return Response.objects.create(
        questionnaire=Questionnaire.active(),
        service=service,
        survey_date=day,
        sex="P",
        age=age,
        suggestion=suggestion,
        channel=channel,
        **scores,
    )


@pytest.fixture
def responses(db):
    eptsp = Service.objects.create(code="e-ptsp", name="Perizinan (e-PTSP)", order=1)
    oss = Service.objects.create(code="oss", name="OSS-RBA", order=2)
    answer(eptsp, dt.date(2024, 2, 1), suggestion="Antrean terlalu panjang")
    answer(eptsp, dt.date(2024, 8, 1), age=45)
    answer(oss, dt.date(2024, 8, 2), suggestion="Tambah loket", channel=Response.Channel.IMPORT)
    return eptsp, oss


@pytest.mark.django_db
def test_search_suggestions_filter_service_period_and_sort(client, make_user, responses):
    eptsp, _oss = responses
    semester_2 = Period.objects.create(
        name="Semester II 2024", kind="semester", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 12, 31)
    )
    client.force_login(make_user(Role.KASI))
    url = reverse("surveys:response_list")
    page = client.get(url).content.decode()
    assert "3 data ditemukan" in page
    assert page.index("2 Agustus 2024") < page.index("1 Agustus 2024") < page.index("1 Februari 2024")
    assert "Tambah loket" in client.get(url, {"q": "LOKET"}).content.decode()
    assert "Antrean" not in client.get(url, {"q": "loket"}).content.decode()
    by_period = client.get(url, {"period": semester_2.pk, "service": eptsp.pk}).content.decode()
    assert "1 data ditemukan" in by_period and "1 Agustus 2024" in by_period
    with_text = client.get(url, {"with_suggestion": "on", "sort": "-age"}).content.decode()
    assert "2 data ditemukan" in with_text
    assert "Ekspor" not in page and "format=xlsx" not in page  # kasi may read, not export


@pytest.mark.django_db
def test_export_is_the_filtered_list_and_only_for_exporters(client, make_user, responses):
    url = reverse("surveys:response_list")
    client.force_login(make_user(Role.PETUGAS_SKM))
    rows = csv_rows(client.get(url, {"with_suggestion": "on", "sort": "date", "format": "csv"}))
    assert rows[0][0] == "Tanggal" and [row[7] for row in rows[1:]] == ["Antrean terlalu panjang", "Tambah loket"]
    sheet = xlsx_workbook(client.get(url, {"channel": "import", "format": "xlsx"})).worksheets[0]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 1 and values[0][1] == "OSS-RBA" and values[0][0] == dt.datetime(2024, 8, 2)
    client.force_login(make_user(Role.KASI))
    page = client.get(url, {"format": "csv"})
    assert page["Content-Type"].startswith("text/html")  # no export right: the page, not a file
