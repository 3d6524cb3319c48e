import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse

from skm_portal.numbers import format_decimal
from skm_portal.roles import Role
from surveys.models import Period, Questionnaire
from surveys.selectors import period_results

from .xlsx import xlsx_bytes

pytestmark = pytest.mark.django_db

# Seed Tabel 2.1, Semester I 2024, as the office's report prints them.
SEMESTER_I_2024 = ["94,79", "92,05", "85,87", "90,9", "89,14", "93,2", "95,67", "92,85", "96,82", "91,86", "93,02"]
CODES = [f"U{i}" for i in range(1, 12)]


@pytest.fixture
def period():
    return Period.objects.create(
        name="Semester I 2024", kind="semester", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30)
    )


def form_data(indices=SEMESTER_I_2024, respondents="283"):
    data = {"respondents": respondents, "source_note": "Laporan Tindak Lanjut Hasil SKM 2024, Tabel 2.1"}
    data.update({f"index_{code}": value for code, value in zip(CODES, indices, strict=True)})
    return data


def results_url(period):
    try:
        return reverse("surveys:period_results", args=[period.pk])
    except NoReverseMatch:
        return reverse("surveys:period_edit", args=[period.pk])


def test_published_page_permissions(client, client_as, period):
    url = reverse("surveys:published_edit", args=[period.pk])
    assert client.get(url).status_code == 302
    assert client_as(Role.PEMOHON).get(url).status_code == 403
    assert client_as(Role.PETUGAS_SKM).get(url).status_code == 200


def test_seed_semester_indices_give_ikm_92_38(client_as, period):
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), form_data())
    assert response.status_code == 302
    assert response["Location"] == results_url(period)
    period.refresh_from_db()
    assert period.source == Period.Source.PUBLISHED
    assert period.published_respondents == 283
    assert period.source_note.endswith("Tabel 2.1")
    stored = list(period.published_results.values_list("code", "index"))
    assert stored == [(c, Decimal(v.replace(",", "."))) for c, v in zip(CODES, SEMESTER_I_2024, strict=True)]
    result = period_results(period)
    assert result.published and result.respondents == 283
    assert format_decimal(result.ikm) == "92,38"
    assert result.grade.letter == "A"


def test_form_refuses_out_of_range_and_too_precise_indices(client_as, period):
    bad = list(SEMESTER_I_2024)
    bad[0], bad[1], bad[2] = "101", "24,99", "90,1234"
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), form_data(bad))
    page = response.content.decode()
    assert response.status_code == 200
    assert "harus antara 25 dan 100 (tertulis &#x27;101&#x27;)" in page
    assert "harus antara 25 dan 100 (tertulis &#x27;24,99&#x27;)" in page
    assert "paling banyak 3 angka di belakang koma" in page
    period.refresh_from_db()
    assert period.source == Period.Source.COMPUTED and not period.published_results.exists()


def test_missing_index_is_refused(client_as, period):
    data = form_data()
    data["index_U11"] = ""
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), data)
    assert "Isi indeks unsur ini" in response.content.decode()
    assert not period.published_results.exists()


def upload(rows):
    return SimpleUploadedFile("agregat.xlsx", xlsx_bytes(rows), content_type="application/octet-stream")


def test_indices_from_xlsx(client_as, period):
    # Numbers as Excel stores them (floats) and as text with a decimal comma both work.
    rows = [["kode", "indeks"]]
    for code, value in zip(CODES, SEMESTER_I_2024, strict=True):
        rows.append([code, float(value.replace(",", ".")) if code != "U3" else value])
    data = {"respondents": "283", "source_note": "Tabel 2.1", "file": upload(rows)}
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), data)
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.source == Period.Source.PUBLISHED
    assert format_decimal(period_results(period).ikm) == "92,38"
    assert period.published_results.get(code="U3").index == Decimal("85.87")


def test_bad_xlsx_rows_are_listed_and_nothing_saved(client_as, period):
    rows = [["kode", "indeks"], ["U1", 94.79], ["U99", 90], ["U2", "sembilan puluh"], ["U1", 95]]
    rows += [[code, 90] for code in CODES[2:]]
    data = {"respondents": "283", "source_note": "Tabel 2.1", "file": upload(rows)}
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak ada data yang disimpan" in page
    assert "Baris 3: kode &#x27;U99&#x27; bukan kode unsur" in page
    assert "Baris 4: indeks harus angka 25-100" in page
    assert "Baris 5: kode U1 sudah ada di baris sebelumnya" in page
    period.refresh_from_db()
    assert period.source == Period.Source.COMPUTED and not period.published_results.exists()


def test_xlsx_with_wrong_header_is_refused(client_as, period):
    data = {"respondents": "283", "source_note": "x", "file": upload([["unsur", "nilai"], ["U1", 90]])}
    response = client_as(Role.PETUGAS_SKM).post(reverse("surveys:published_edit", args=[period.pk]), data)
    assert "Baris 1 harus berisi tepat kolom berikut, berurutan: kode, indeks." in response.content.decode()


def test_saving_again_replaces_the_indices(client_as, period):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("surveys:published_edit", args=[period.pk])
    client.post(url, form_data())
    client.post(url, form_data(["90"] * 11, respondents="100"))
    period.refresh_from_db()
    assert period.published_results.count() == len(Questionnaire.active().elements.all())
    assert format_decimal(period_results(period).ikm) == "90,00"
    page = client.get(url).content.decode()
    assert 'value="90"' in page
