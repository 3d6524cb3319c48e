import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from surveys.models import Questionnaire, Response, Service

from .xlsx import IMPORT_HEADER, xlsx_file

pytestmark = pytest.mark.django_db

SCORES = [3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 1]


def row(service="e-ptsp", **changes):
    values = {"tanggal": "2025-02-03", "layanan": service, "jenis_kelamin": "P", "usia": 41, "pendidikan": "S1"}
    values.update(changes)
    return [values["tanggal"], values["layanan"], values["jenis_kelamin"], values["usia"], "D4/S1", "PNS", *SCORES, ""]


@pytest.fixture
def service():
    return Service.objects.create(code="e-ptsp", name="Perizinan e-PTSP")


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("skm_import_responses", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_reports_the_count(tmp_path, service):
    path = xlsx_file(tmp_path, [IMPORT_HEADER] + [row() for _ in range(4)])
    out, _ = run(path)
    assert "4 baris jawaban diimpor." in out
    assert Response.objects.filter(channel=Response.Channel.IMPORT).count() == 4
    elements = Questionnaire.active().elements.all()
    response = Response.objects.first()
    assert [getattr(response, e.field) for e in elements] == SCORES


def test_command_prints_every_bad_row_and_changes_nothing(tmp_path, service):
    path = xlsx_file(
        tmp_path,
        [IMPORT_HEADER, row(), row(jenis_kelamin="laki"), row(), row(usia=7), row(tanggal="2025-02-30")],
    )
    with pytest.raises(CommandError) as exc:
        out, err = io.StringIO(), io.StringIO()
        call_command("skm_import_responses", str(path), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "Baris 3: jenis_kelamin harus L atau P (tertulis 'laki')."
    assert lines[1] == "Baris 5: usia harus bilangan bulat 10-120 atau kosong (tertulis '7')."
    assert lines[2].startswith("Baris 6: tanggal harus tanggal Excel atau teks TTTT-BB-HH")
    assert len(lines) == 3
    assert "tidak ada data yang disimpan" in str(exc.value)
    assert Response.objects.count() == 0


def test_command_bad_row_after_several_batches_changes_nothing(tmp_path, service):
    path = xlsx_file(tmp_path, [IMPORT_HEADER] + [row() for _ in range(9)] + [row(service="entah")])
    with pytest.raises(CommandError):
        run(path, "--batch-size", 3)
    assert Response.objects.count() == 0


def test_command_unknown_service_is_an_error_without_the_flag(tmp_path, service):
    path = xlsx_file(tmp_path, [IMPORT_HEADER, row(service="Layanan Baru Sekali")])
    with pytest.raises(CommandError):
        run(path)
    assert not Service.objects.filter(name="Layanan Baru Sekali").exists()


def test_create_missing_services(tmp_path, service):
    path = xlsx_file(
        tmp_path,
        [IMPORT_HEADER, row(service="Izin Usaha Perkebunan"), row(service="izin usaha perkebunan"), row()],
    )
    out, _ = run(path, "--create-missing-services")
    created = Service.objects.get(name="Izin Usaha Perkebunan")
    assert created.code == "izin-usaha-perkebunan"
    assert Response.objects.filter(service=created).count() == 2
    assert Response.objects.filter(service=service).count() == 1
    assert "Izin Usaha Perkebunan" in out


def test_created_services_vanish_when_the_file_is_refused(tmp_path, service):
    path = xlsx_file(tmp_path, [IMPORT_HEADER, row(service="Izin Tambang"), row(jenis_kelamin="")])
    with pytest.raises(CommandError):
        run(path, "--create-missing-services")
    assert not Service.objects.filter(name="Izin Tambang").exists()
    assert Response.objects.count() == 0


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Berkas tidak ditemukan"):
        run(tmp_path / "tidak-ada.xlsx")
