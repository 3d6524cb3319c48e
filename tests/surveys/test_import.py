import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from skm_portal.roles import Role
from surveys.importing import ImportRefused, expected_header, responses_import
from surveys.models import Questionnaire, Response, Service

from .xlsx import IMPORT_HEADER, xlsx_bytes, xlsx_file

pytestmark = pytest.mark.django_db

SCORES_A = [4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2]
SCORES_B = [1, 1, 2, 2, 3, 3, 4, 4, 1, 2, 3]


@pytest.fixture
def services():
    return {
        "e-ptsp": Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)"),
        "oss-rba": Service.objects.create(code="oss-rba", name="Perizinan Berusaha Berbasis Risiko (OSS RBA)"),
    }


def row(date="2025-01-15", service="e-ptsp", sex="L", age=30, education="SMA", occupation="SWASTA", scores=None,
        suggestion=None):  # fmt: skip
    return [date, service, sex, age, education, occupation, *(scores or SCORES_A), suggestion]


def slot_scores(response: Response) -> list[int]:
    elements = Questionnaire.active().elements.all()
    return [getattr(response, e.field) for e in elements]


def test_header_is_the_active_questionnaire_in_order():
    assert expected_header(Questionnaire.active()) == IMPORT_HEADER


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_good_file_imports_exactly_its_rows_with_slot_scores(tmp_path, services, write_only):
    path = xlsx_file(
        tmp_path,
        [
            IMPORT_HEADER,
            row(scores=SCORES_A, suggestion="Mohon dipercepat."),
            row(service="oss-rba", sex="P", age=None, education=None, occupation=None, scores=SCORES_B),
        ],
        write_only=write_only,
    )
    report = responses_import(file=path)
    assert report.imported == 2
    first, second = Response.objects.order_by("pk")
    assert slot_scores(first) == SCORES_A
    assert slot_scores(second) == SCORES_B
    assert first.service == services["e-ptsp"] and second.service == services["oss-rba"]
    assert (first.sex, first.age, first.education, first.occupation) == ("L", 30, "SMA", "SWASTA")
    assert (second.sex, second.age, second.education, second.occupation) == ("P", None, "", "")
    assert first.suggestion == "Mohon dipercepat." and second.suggestion == ""
    assert {r.channel for r in (first, second)} == {Response.Channel.IMPORT}
    assert first.questionnaire == Questionnaire.active()
    assert first.submitted_at is not None


def test_excel_dates_and_text_dates(tmp_path, services):
    path = xlsx_file(
        tmp_path,
        [
            IMPORT_HEADER,
            row(date=dt.date(2024, 2, 29)),
            row(date=dt.datetime(2024, 3, 1, 14, 30)),
            row(date="2024-12-31"),
        ],
    )
    responses_import(file=path)
    dates = list(Response.objects.order_by("pk").values_list("survey_date", flat=True))
    assert dates == [dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2024, 12, 31)]


def test_service_education_occupation_are_case_insensitive(tmp_path, services):
    path = xlsx_file(
        tmp_path,
        [
            IMPORT_HEADER,
            row(service="E-PTSP", education="d4/s1", occupation="swasta", sex="p"),
            row(service="perizinan berusaha berbasis risiko (oss rba)", education="s2", occupation="Wirausaha"),
        ],
    )
    responses_import(file=path)
    first, second = Response.objects.order_by("pk")
    assert (first.service, first.education, first.occupation, first.sex) == (services["e-ptsp"], "D4/S1", "SWASTA", "P")
    assert (second.service, second.education, second.occupation) == (services["oss-rba"], "S2", "WIRAUSAHA")


def test_several_bad_rows_refuse_the_whole_file(tmp_path, services):
    bad_score = list(SCORES_A)
    bad_score[2] = 5
    path = xlsx_file(
        tmp_path,
        [
            IMPORT_HEADER,
            row(),
            row(scores=bad_score),  # row 3
            row(),
            row(sex="X", date="31/12/2024"),  # row 5
            row(service="tidak-ada"),  # row 6
            row(age="tiga puluh", education="SMK"),  # row 7
        ],
    )
    before = Response.objects.count()
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    errors = refused.value.errors
    assert len(errors) == 4
    assert errors[0] == "Baris 3: U3 harus bilangan bulat 1-4 (tertulis '5')."
    assert errors[1].startswith("Baris 5: ") and "tanggal" in errors[1] and "'31/12/2024'" in errors[1]
    assert "jenis_kelamin harus L atau P (tertulis 'X')" in errors[1]
    assert errors[2].startswith("Baris 6: layanan 'tidak-ada' tidak dikenal")
    assert errors[3].startswith("Baris 7: usia") and "pendidikan" in errors[3] and "'SMK'" in errors[3]
    assert Response.objects.count() == before


def test_bad_row_after_several_insert_batches_leaves_database_unchanged(tmp_path, services):
    Response.objects.create(
        questionnaire=Questionnaire.active(), service=services["e-ptsp"], survey_date=dt.date(2024, 1, 2), sex="L"
    )
    rows = [IMPORT_HEADER] + [row() for _ in range(7)] + [row(scores=[*SCORES_A[:-1], None])]
    path = xlsx_file(tmp_path, rows)
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path, batch_size=2)  # three batches went in before row 9
    assert refused.value.errors == ["Baris 9: U11 wajib diisi (bilangan bulat 1-4)."]
    assert Response.objects.count() == 1


def test_good_file_in_small_batches_imports_every_row(tmp_path, services):
    path = xlsx_file(tmp_path, [IMPORT_HEADER] + [row(age=20 + i) for i in range(7)])
    assert responses_import(file=path, batch_size=2).imported == 7
    assert sorted(Response.objects.values_list("age", flat=True)) == list(range(20, 27))


def test_empty_trailing_rows_are_ignored(tmp_path, services):
    path = xlsx_file(tmp_path, [IMPORT_HEADER, row(), row(), [None] * 18, ["", " ", None]])
    assert responses_import(file=path).imported == 2


@pytest.mark.parametrize(
    "header, detail",
    [
        (IMPORT_HEADER[:-1], "Kolom yang tidak ada: saran."),
        ([*IMPORT_HEADER, "catatan"], "Kolom yang tidak dikenal: catatan."),
        ([*IMPORT_HEADER[:6], "U2", "U1", *IMPORT_HEADER[8:]], "Urutan kolom berbeda."),
    ],
    ids=["missing", "extra", "misordered"],
)
def test_wrong_header_is_refused_naming_the_expected_columns(tmp_path, services, header, detail):
    path = xlsx_file(tmp_path, [header, row()])
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    (message,) = refused.value.errors
    assert ", ".join(IMPORT_HEADER) in message
    assert detail in message
    assert Response.objects.count() == 0


def test_not_an_xlsx_file_is_refused(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("tanggal,layanan\n2025-01-01,e-ptsp\n")
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert refused.value.errors == ["Berkas bukan berkas Excel .xlsx yang sah."]


def test_zip_bomb_guard_checks_uncompressed_sheet_size(tmp_path, services, settings):
    path = xlsx_file(tmp_path, [IMPORT_HEADER] + [row() for _ in range(200)])
    sheet_size = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size
    settings.SKM_IMPORT_MAX_UNZIPPED_BYTES = sheet_size - 1
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert "terlalu besar setelah dibuka" in refused.value.errors[0]
    assert Response.objects.count() == 0


def test_row_and_byte_limits(tmp_path, services, settings):
    path = xlsx_file(tmp_path, [IMPORT_HEADER] + [row() for _ in range(3)])
    settings.SKM_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert "lebih dari 2 baris" in refused.value.errors[0]
    settings.SKM_IMPORT_MAX_ROWS = 10
    settings.SKM_IMPORT_MAX_BYTES = path.stat().st_size - 1
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert "Berkas terlalu besar" in refused.value.errors[0]
    assert Response.objects.count() == 0


# -- the web page -------------------------------------------------------------------------


def upload(content: bytes, name: str = "jawaban.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_page_permissions(client, client_as):
    url = reverse("surveys:import_responses")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_as(Role.PEMOHON).get(url).status_code == 403
    assert client_as(Role.PETUGAS_SKM).get(url).status_code == 200


def test_import_page_imports_a_good_file(client_as, services):
    client = client_as(Role.PETUGAS_SKM)
    content = xlsx_bytes([IMPORT_HEADER] + [row() for _ in range(3)])
    response = client.post(reverse("surveys:import_responses"), {"file": upload(content)}, follow=True)
    assert Response.objects.filter(channel=Response.Channel.IMPORT).count() == 3
    assert "3 baris jawaban berhasil diimpor." in response.content.decode()


def test_import_page_lists_bad_rows_and_saves_nothing(client_as, services):
    client = client_as(Role.PETUGAS_SKM)
    content = xlsx_bytes([IMPORT_HEADER, row(), row(sex="W"), row(scores=[9] * 11)])
    response = client.post(reverse("surveys:import_responses"), {"file": upload(content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak ada data yang disimpan" in page
    assert "Baris 3: jenis_kelamin harus L atau P (tertulis &#x27;W&#x27;)." in page
    assert "Baris 4: U1 harus bilangan bulat 1-4 (tertulis &#x27;9&#x27;)" in page
    assert Response.objects.count() == 0


def test_import_page_refuses_non_xlsx_name(client_as):
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("surveys:import_responses"), {"file": upload(b"a,b", "data.csv")})
    assert "Pilih berkas Excel berakhiran .xlsx." in response.content.decode()


def test_import_page_can_create_missing_services(client_as, services):
    client = client_as(Role.PETUGAS_SKM)
    content = xlsx_bytes([IMPORT_HEADER, row(service="Layanan Konsultasi Baru")])
    client.post(reverse("surveys:import_responses"), {"file": upload(content), "create_missing_services": "on"})
    service = Service.objects.get(name="Layanan Konsultasi Baru")
    assert service.code == "layanan-konsultasi-baru"
    assert Response.objects.get().service == service


def test_template_has_the_header_and_a_guide(client_as, services):
    response = client_as(Role.PETUGAS_SKM).get(reverse("surveys:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    assert [c.value for c in data[1]] == expected_header(Questionnaire.active())
    assert guide.title == "Petunjuk"
    documented = [r[0] for r in guide.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert documented[: len(IMPORT_HEADER)] == IMPORT_HEADER
    guide_text = " ".join(str(v) for r in guide.iter_rows(values_only=True) for v in r if v)
    assert "e-ptsp" in guide_text and "D4/S1" in guide_text and "WIRAUSAHA" in guide_text


def test_template_round_trips_through_the_import(client_as, services, tmp_path):
    response = client_as(Role.PETUGAS_SKM).get(reverse("surveys:import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0].append(row())
    path = tmp_path / "isi.xlsx"
    workbook.save(path)
    assert responses_import(file=path).imported == 1


def test_a_future_date_is_named_the_indonesian_way(tmp_path, services):
    path = xlsx_file(tmp_path, [IMPORT_HEADER, row(date="2099-12-02")])
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert refused.value.errors == ["Baris 2: tanggal 2 Desember 2099 belum terjadi."]
