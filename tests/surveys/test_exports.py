"""xlsx exports (background jobs): raw responses in the import layout, the recap (olah data), formula injection."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skm_portal.exporting import safe_text
from skm_portal.permissions import ACTIONS
from skm_portal.roles import Role
from surveys.models import ExportJob, Period, Questionnaire, Response, Service
from surveys.tallies import tallies_rebuild

CODES = [f"U{i}" for i in range(1, 12)]
HEADER = ["tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", *CODES, "saran"]


@pytest.fixture
def responses(db):
    questionnaire = Questionnaire.active()
    fields = {e.code: e.field for e in questionnaire.elements.all()}
    loket = Service.objects.create(code="loket", name="Loket Perizinan", order=1)

    def add(day, scores, **profile):
        return Response.objects.create(
            questionnaire=questionnaire,
            service=loket,
            survey_date=day,
            **{fields[code]: value for code, value in scores.items()},
            **profile,
        )

    # U1: 4 + 2 = 6 over 2 answers -> NRR 3, index 75 (C). U2: 3 + 3 -> NRR 3. Others: 4, 4.
    base = dict.fromkeys(CODES[2:], 4)
    add(dt.date(2025, 5, 2), {"U1": 4, "U2": 3, **base}, sex="P", age=34, education="D4/S1",
        occupation="SWASTA", suggestion="=HYPERLINK(\"http://evil.example\",\"klik\")")  # fmt: skip
    add(dt.date(2025, 5, 3), {"U1": 2, "U2": 3, **base}, sex="L", age=None, education="",
        occupation="LAINNYA", occupation_other="Konsultan", suggestion="@SUM(A1:A2)")  # fmt: skip
    add(dt.date(2025, 7, 1), {"U1": 1}, sex="L")  # outside May
    tallies_rebuild()  # rows made directly, not through a service: count them
    return loket


@pytest.fixture(autouse=True)
def _jobs_run_in_the_request(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def export(client, kind: str, query: str):
    """Ask for an export job as the page's button does, then download the finished file."""
    scope = dict(part.split("=", 1) for part in query.split("&") if part)
    asked = client.post(reverse("surveys:export_start"), {"jenis": kind, **scope, "kembali": "/skm/hasil/"})
    assert asked.status_code == 302 and asked["Location"] == "/skm/hasil/#ekspor"
    job = ExportJob.objects.latest("pk")
    assert job.status == ExportJob.Status.DONE, job.error
    return client.get(reverse("surveys:export_download", args=[job.pk]))


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-5", "'-5"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("Baik", "Baik")],
)
def test_safe_text(text, expected):
    assert safe_text(text) == expected


@pytest.mark.django_db
def test_raw_responses_in_import_layout(responses, client_as):
    sheet = workbook(export(client_as(Role.PETUGAS_SKM), "responses", "dari=2025-05-01&sampai=2025-05-31")).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 3  # header + the two May responses
    first, second = (dict(zip(HEADER, row, strict=True)) for row in rows[1:])
    assert first["tanggal"].date() == dt.date(2025, 5, 2)
    assert (first["layanan"], first["jenis_kelamin"], first["usia"]) == ("loket", "P", 34)
    assert (first["pendidikan"], first["pekerjaan"]) == ("D4/S1", "SWASTA")
    assert [first[c] for c in CODES] == [4, 3, *[4] * 9]
    assert second["usia"] is None and second["pendidikan"] is None
    assert second["U1"] == 2 and second["pekerjaan"] == "LAINNYA"
    # Formula injection: user text starting with = or @ stays text.
    assert first["saran"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert second["saran"] == "'@SUM(A1:A2)"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


@pytest.mark.django_db
def test_raw_responses_of_a_demo_period(survey_demo, client_as):
    period = Period.objects.get(name="Triwulan III 2025")
    response = export(client_as(Role.KEPALA_DINAS), "responses", f"periode={period.pk}&layanan=oss-rba")
    assert f"skm-jawaban-periode-{period.pk}-oss-rba.xlsx" in response["Content-Disposition"]
    rows = list(workbook(response).active.iter_rows(values_only=True))
    expected = Response.objects.filter(
        survey_date__range=(period.start_date, period.end_date), service__code="oss-rba"
    ).count()
    assert expected > 0
    assert len(rows) - 1 == expected
    assert {row[1] for row in rows[1:]} == {"oss-rba"}


def recap_table(sheet) -> tuple[dict[str, tuple], list[tuple]]:
    rows = list(sheet.iter_rows(values_only=True))
    return {row[0]: row for row in rows if row and row[0] in {*CODES, "IKM"}}, rows


@pytest.mark.django_db
def test_recap_of_a_range(responses, client_as):
    response = export(client_as(Role.ADMINISTRATOR), "recap", "dari=2025-05-01&sampai=2025-05-31&layanan=loket")
    table, rows = recap_table(workbook(response).active)
    assert ("Jumlah responden", 2) in [tuple(r[:2]) for r in rows]
    code, name, total, answers, nrr, weight, weighted, index, grade, performance = table["U1"]
    assert (code, name, total, answers) == ("U1", "Persyaratan", 6, 2)
    assert nrr == 3 and index == 75
    assert weight == 1 / 11  # full precision: eleven of them sum to 1, not 0.9999
    assert weighted == 3 / 11
    assert (grade, performance) == ("C", "Kurang Baik")
    assert table["U3"][2:4] == (8, 2)
    # IKM = (3 + 3 + 9 x 4) / 11 x 25 = 42/11 x 25 = 95.4545... -> 95.45 (computed by the sheet).
    first = next(i for i, r in enumerate(rows, start=1) if r[0] == "U1")
    last = next(i for i, r in enumerate(rows, start=1) if r[0] == "U11")
    ikm_row = table["IKM"]
    assert ikm_row[4] == f"=SUMPRODUCT(E{first}:E{last},F{first}:F{last})"
    assert ikm_row[7] == f"=E{last + 2}*25"
    assert ikm_row[8:] == ("A", "Sangat Baik")


@pytest.mark.django_db
def test_recap_of_a_published_period_has_entered_indices(survey_demo, client_as):
    period = Period.objects.get(name="Semester I 2024")
    table, rows = recap_table(workbook(export(client_as(Role.PETUGAS_SKM), "recap", f"periode={period.pk}")).active)
    # Seed Tabel 2.1: U1 94,79; U4 90,9; U3 85,87 (B). No sums or NRR for published aggregates.
    assert Decimal(str(table["U1"][7])) == Decimal("94.79")
    assert Decimal(str(table["U4"][7])) == Decimal("90.9")
    assert table["U3"][8:] == ("B", "Baik")
    assert table["U1"][2:5] == (None, None, None)
    assert table["IKM"][7].startswith("=SUMPRODUCT(H") and table["IKM"][8:] == ("A", "Sangat Baik")
    assert ("Jumlah responden", 283) in [tuple(r[:2]) for r in rows]
    assert any(r[0] == "Sumber" and "e-PTSP" in r[1] for r in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ({"dari": "2025-13-01", "sampai": "2025-05-31"}, "Tanggal tidak valid"),
        ({"periode": "99999"}, "Periode tidak ditemukan."),
        ({"dari": "2025-05-01"}, "Tanggal wajib diisi."),
        ({"dari": "2025-05-31", "sampai": "2025-05-01"}, "Tanggal akhir tidak boleh sebelum tanggal awal."),
        ({"periode": "x"}, "Periode tidak ditemukan."),
    ],
)
def test_bad_export_scope_is_refused_in_indonesian_and_queues_nothing(responses, client_as, scope, message):
    client = client_as(Role.PETUGAS_SKM)
    for kind in ("responses", "recap"):
        asked = client.post(reverse("surveys:export_start"), {"jenis": kind, **scope}, follow=True)
        assert message in asked.content.decode()
    assert not ExportJob.objects.exists()
    csv_response = client.get(reverse("surveys:export_responses_csv"), scope)
    assert csv_response.status_code == 400 and message in csv_response.content.decode()


@pytest.mark.django_db
def test_export_without_scope_is_this_year(responses, client_as):
    today = timezone.localdate()
    questionnaire = Questionnaire.active()
    Response.objects.create(questionnaire=questionnaire, service=responses, survey_date=today, sex="P")
    Response.objects.create(
        questionnaire=questionnaire, service=responses, survey_date=today.replace(year=today.year - 1), sex="P"
    )
    rows = list(workbook(export(client_as(Role.PETUGAS_SKM), "responses", "")).active.iter_rows(values_only=True))
    expected = Response.objects.filter(survey_date__gte=today.replace(month=1, day=1), survey_date__lte=today).count()
    assert len(rows) - 1 == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_export_permission_matrix(responses, client_as, role):
    allowed = role in ACTIONS["surveys.export"]
    client = client_as(role)
    scope = {"dari": "2025-05-01", "sampai": "2025-05-31"}
    for kind in ("responses", "recap"):
        response = client.post(reverse("surveys:export_start"), {"jenis": kind, **scope})
        assert response.status_code == (302 if allowed else 403), (role, kind)
    assert ExportJob.objects.count() == (2 if allowed else 0)
    response = client.get(reverse("surveys:export_responses_csv"), scope)
    assert response.status_code == (200 if allowed else 403), role


@pytest.mark.django_db
def test_anonymous_export_goes_to_login(responses, client):
    for response in (
        client.post(reverse("surveys:export_start"), {"jenis": "responses"}),
        client.get(reverse("surveys:export_responses_csv") + "?dari=2025-05-01&sampai=2025-05-31"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not ExportJob.objects.exists()
