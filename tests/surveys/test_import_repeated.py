"""The same file twice, overlapping exports with source ids, and what is kept."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from skm_portal.roles import Role
from surveys.importing import ImportRefused, responses_import
from surveys.models import ImportBatch, Response, Service

from .hostile_xlsx import good_row, header_row, write_xlsx
from .xlsx import IMPORT_HEADER, xlsx_bytes, xlsx_file

pytestmark = pytest.mark.django_db

SCORES = [4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2]
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def service():
    return Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


def row(suggestion="", scores=SCORES, sex="L"):
    return ["2025-01-15", "e-ptsp", sex, 30, "SMA", "SWASTA", *scores, suggestion]


def with_id(source_id, **kwargs):
    return [source_id, *row(**kwargs)]


def imported_count() -> int:
    return Response.objects.filter(channel=Response.Channel.IMPORT).count()


def test_the_same_file_twice_is_refused_naming_when_and_who(client_as, service, django_user_model):
    client = client_as(Role.PETUGAS_SKM)
    officer = django_user_model.objects.get(username="user_petugas_skm")
    officer.first_name, officer.last_name = "Siti", "Aminah"
    officer.save()
    content = xlsx_bytes([IMPORT_HEADER, row(), row()])  # two respondents who answered alike: both kept
    url = reverse("surveys:import_responses")
    client.post(url, {"file": SimpleUploadedFile("jawaban-januari.xlsx", content)})
    assert imported_count() == 2
    batch = ImportBatch.objects.get()
    batch.imported_at = dt.datetime(2025, 2, 3, 10, 15, tzinfo=WITA)  # a known moment to read back
    batch.save()

    page = client.post(url, {"file": SimpleUploadedFile("salinan.xlsx", content)}).content.decode()
    assert imported_count() == 2
    assert (
        "Berkas yang sama persis sudah diimpor pada 3 Februari 2025 pukul 10.15 WITA oleh Siti Aminah "
        "(user_petugas_skm) (2 baris)." in page
    )
    assert ImportBatch.objects.count() == 1
    assert batch.file_name == "jawaban-januari.xlsx" and batch.imported_by == officer


def test_the_same_file_twice_by_the_command_leaves_the_count_unchanged(tmp_path, service):
    path = xlsx_file(tmp_path, [IMPORT_HEADER, row(), row(), row()])
    call_command("skm_import_responses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert imported_count() == 3
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("skm_import_responses", str(path), stdout=io.StringIO(), stderr=err)
    assert imported_count() == 3
    assert "sudah diimpor pada" in err.getvalue()
    assert "oleh perintah skm_import_responses di server (3 baris)" in err.getvalue()


def test_a_refused_file_is_not_recorded_and_can_be_imported_once_fixed(tmp_path, service):
    bad = xlsx_file(tmp_path, [IMPORT_HEADER, row(), row(sex="X")], name="salah.xlsx")
    with pytest.raises(ImportRefused):
        responses_import(file=bad)
    assert ImportBatch.objects.count() == 0 and Response.objects.count() == 0
    with pytest.raises(ImportRefused) as again:
        responses_import(file=bad)
    assert "jenis_kelamin" in again.value.errors[0]  # the rows again, not "already imported"


def test_ids_already_stored_are_skipped_and_counted(tmp_path, service):
    first = xlsx_file(tmp_path, [["id", *IMPORT_HEADER], with_id("R-1"), with_id("R-2"), with_id(3)], name="a.xlsx")
    assert responses_import(file=first).imported == 3
    overlapping = xlsx_file(
        tmp_path,
        [["id", *IMPORT_HEADER], with_id("R-2"), with_id(3.0), with_id("R-4", suggestion="baru"), with_id("R-5")],
        name="b.xlsx",
    )
    report = responses_import(file=overlapping)
    assert (report.imported, report.skipped) == (2, 2)
    assert sorted(Response.objects.values_list("source_id", flat=True)) == ["3", "R-1", "R-2", "R-4", "R-5"]
    assert ImportBatch.objects.get(file_name="b.xlsx").skipped == 2


def test_an_id_repeated_in_one_file_is_kept_once(tmp_path, service):
    path = xlsx_file(tmp_path, [["ID", *IMPORT_HEADER], with_id("A"), with_id("B"), with_id("A"), with_id("")])
    report = responses_import(file=path, batch_size=2)
    assert (report.imported, report.skipped) == (3, 1)
    assert sorted(Response.objects.values_list("source_id", flat=True)) == ["", "A", "B"]


def test_skipping_across_batches_keeps_all_or_nothing(tmp_path, service):
    stored = xlsx_file(tmp_path, [["id", *IMPORT_HEADER], *(with_id(n) for n in range(1, 6))], name="a.xlsx")
    responses_import(file=stored)
    bad = xlsx_file(
        tmp_path,
        [["id", *IMPORT_HEADER], *(with_id(n) for n in range(1, 11)), with_id(11, sex="?")],
        name="b.xlsx",
    )
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=bad, batch_size=3)
    assert refused.value.errors == ["Baris 12: jenis_kelamin harus L atau P (tertulis '?')."]
    assert Response.objects.count() == 5


def test_too_long_id_is_a_row_error(tmp_path, service):
    path = xlsx_file(tmp_path, [["id", *IMPORT_HEADER], with_id("x" * 65)])
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert refused.value.errors == ["Baris 2: id terlalu panjang (maksimal 64 karakter)."]


def test_command_reports_skipped_rows(tmp_path, service):
    responses_import(file=xlsx_file(tmp_path, [["id", *IMPORT_HEADER], with_id("R-1")], name="a.xlsx"))
    path = xlsx_file(tmp_path, [["id", *IMPORT_HEADER], with_id("R-1"), with_id("R-2")], name="b.xlsx")
    out = io.StringIO()
    call_command("skm_import_responses", str(path), stdout=out, stderr=io.StringIO())
    assert "1 baris jawaban diimpor." in out.getvalue()
    assert "1 baris dilewati karena id-nya sudah tersimpan." in out.getvalue()


def test_page_reports_skipped_rows(client_as, service):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("surveys:import_responses")
    client.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx_bytes([["id", *IMPORT_HEADER], with_id(7)]))})
    content = xlsx_bytes([["id", *IMPORT_HEADER], with_id(7), with_id(8), with_id(9)])
    page = client.post(url, {"file": SimpleUploadedFile("b.xlsx", content)}, follow=True).content.decode()
    assert "2 baris jawaban berhasil diimpor." in page
    assert "1 baris dilewati karena id-nya sudah tersimpan dari impor sebelumnya." in page
    assert imported_count() == 3


def test_empty_formatted_cells_beyond_the_table_are_harmless(tmp_path, service):
    path = write_xlsx(tmp_path / "format.xlsx", [header_row(), good_row(2, '<c r="XFD2" s="3"/><c r="Z2" s="1"/>')])
    assert responses_import(file=path).imported == 1


def test_a_value_beyond_the_table_names_its_row_and_column(tmp_path, service):
    path = write_xlsx(tmp_path / "lebar.xlsx", [header_row(), good_row(2), good_row(3, '<c r="AB3"><v>5</v></c>')])
    with pytest.raises(ImportRefused) as refused:
        responses_import(file=path)
    assert refused.value.errors == [
        "Baris 3: ada isian di kolom AB, di luar kolom tabel (A-S). Hapus isian di luar tabel."
    ]
    assert Response.objects.count() == 0


def test_the_page_refuses_a_hostile_file_with_one_message(client_as, service, tmp_path):
    # The file: a cell at column AAAAAA (3.8 GB of memory before this guard).
    path = write_xlsx(tmp_path / "aaaaaa.xlsx", [header_row(), good_row(2, '<c r="AAAAAA2"><v>1</v></c>')])
    client = client_as(Role.PETUGAS_SKM)
    page = client.post(
        reverse("surveys:import_responses"), {"file": SimpleUploadedFile("aaaaaa.xlsx", path.read_bytes())}
    ).content.decode()
    assert "alamat sel &#x27;AAAAAA2&#x27; di luar kolom terakhir Excel (XFD)" in page
    assert "tidak ada data yang disimpan" in page
    assert Response.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_of_one_id_store_it_once(tmp_path, settings):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (DATABASE_URL=postgres://...)")
    Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")
    files = [
        xlsx_file(tmp_path, [["id", *IMPORT_HEADER], with_id("R-1"), with_id(f"only-{n}")], name=f"{n}.xlsx")
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(path):
        barrier.wait()
        try:
            outcomes.append(responses_import(file=path).imported)
        except ImportRefused as refused:
            outcomes.append(refused.errors[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.filter(source_id="R-1").count() == 1
    # The first stores both rows; the second either saw them (skips R-1) or collided on
    # R-1 while the first was still open and stored nothing, saying why.
    assert 2 in outcomes
    [other] = [o for o in outcomes if o != 2] or [2]
    assert other == 1 or (isinstance(other, str) and "id yang sama" in other)
