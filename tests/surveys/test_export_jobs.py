"""Survey exports as background jobs: shown where asked, progress, download, dead worker, retry; CSV streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from skm_portal.audit import ACTION_LABELS
from skm_portal.models import AuditEntry
from skm_portal.roles import Role
from surveys import export_jobs
from surveys.models import ExportJob, Questionnaire, Response, Service
from surveys.xlsxstream import SheetReader

CODES = [f"U{i}" for i in range(1, 12)]
MAY = {"dari": "2025-05-01", "sampai": "2025-05-31"}
RANGE_PAGE = reverse("surveys:range_results") + "?dari=2025-05-01&sampai=2025-05-31"


@pytest.fixture
def may(db):
    """Three May responses (one with a formula-like suggestion) and one in June."""
    questionnaire = Questionnaire.active()
    fields = {e.code: e.field for e in questionnaire.elements.all()}
    loket = Service.objects.create(code="loket", name="Loket Perizinan", order=1)
    for day, score, suggestion in ((2, 4, "=1+1"), (3, 3, ""), (31, 2, "Antrean, panjang")):
        Response.objects.create(
            questionnaire=questionnaire,
            service=loket,
            survey_date=dt.date(2025, 5, day),
            sex="P",
            age=30 + day,
            suggestion=suggestion,
            **{fields[c]: score for c in CODES},
        )
    Response.objects.create(
        questionnaire=questionnaire, service=loket, survey_date=dt.date(2025, 6, 1), sex="L", **{fields["U1"]: 1}
    )
    return loket


def ask(client, kind="responses", scope=MAY, back=RANGE_PAGE):
    return client.post(reverse("surveys:export_start"), {"jenis": kind, **scope, "kembali": back})


def jobs_block(page) -> str:
    html = page.content.decode()
    return html[html.index('id="export-jobs"') :]


@pytest.mark.django_db
def test_asking_queues_a_job_shown_on_the_page_that_asked_and_audited(may, client_as):
    client = client_as(Role.PETUGAS_SKM)
    response = ask(client)
    assert response.status_code == 302 and response["Location"] == RANGE_PAGE + "#ekspor"
    job = ExportJob.objects.get()
    assert (job.kind, job.date_from, job.date_to, job.service) == (
        "responses",
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 31),
        None,
    )
    assert job.status == ExportJob.Status.QUEUED  # the database backend: a worker will run it
    entry = AuditEntry.objects.get(action="export_requested")
    assert entry.object_id == str(job.pk) and "export_requested" in ACTION_LABELS
    block = jobs_block(client.get(RANGE_PAGE))
    assert "Menunggu antrean" in block and 'hx-get="/skm/ekspor/daftar/"' in block

    export_jobs.export_run(job_id=job.pk)  # what the worker does
    fragment = client.get(reverse("surveys:export_jobs"), headers={"HX-Current-URL": RANGE_PAGE}).content.decode()
    assert "hx-get" not in fragment  # finished: no more polling
    assert "Unduh xlsx (3 baris)" in fragment
    assert reverse("surveys:export_download", args=[job.pk]) in fragment


@pytest.mark.django_db
def test_the_stored_workbook_reads_back_in_the_import_layout(may, client_as, tmp_path):
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    job = export_jobs.export_run(job_id=ExportJob.objects.get().pk)
    assert (job.status, job.rows, job.total_rows, job.progress) == ("done", 3, 3, 100)
    download = client.get(reverse("surveys:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert 'filename="skm-jawaban-2025-05-01_2025-05-31.xlsx"' in download["Content-Disposition"]
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    assert job.size == path.stat().st_size
    # The project's own import reader takes the file as it is (the layout imports again).
    with SheetReader(str(path), max_unzipped_bytes=10_000_000) as reader:
        rows = [values for _number, values in reader.rows()]
    assert rows[0] == ["tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", *CODES, "saran"]
    assert [row[1:4] for row in rows[1:]] == [["loket", "P", 32], ["loket", "P", 33], ["loket", "P", 61]]
    assert [row[6:17] for row in rows[1:]] == [[4] * 11, [3] * 11, [2] * 11]
    assert rows[1][17] == "'=1+1" and rows[3][17] == "Antrean, panjang"


@pytest.mark.django_db
def test_download_is_for_the_officer_who_asked_only(may, client_as, client, make_user):
    ask(client_as(Role.PETUGAS_SKM))
    job = export_jobs.export_run(job_id=ExportJob.objects.get().pk)
    url = reverse("surveys:export_download", args=[job.pk])
    client.force_login(make_user(Role.PETUGAS_SKM, username="petugas_lain"))
    assert client.get(url).status_code == 404  # another officer's export is not even shown
    assert "export-jobs" in client.get(RANGE_PAGE).content.decode()
    assert reverse("surveys:export_download", args=[job.pk]) not in client.get(RANGE_PAGE).content.decode()
    client.force_login(make_user(Role.PEMOHON, username="pemohon"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_an_unfinished_job_has_no_download(may, client_as):
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    job = ExportJob.objects.get()
    assert client.get(reverse("surveys:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_dead_worker_shows_failed_with_a_retry_that_runs_again(may, client_as, settings):
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    job = ExportJob.objects.get()
    beat = timezone.now() - dt.timedelta(seconds=settings.REPORT_BUILD_STALE_SECONDS + 300)
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=40, started_at=beat, heartbeat_at=beat)
    block = jobs_block(client.get(RANGE_PAGE))
    assert "terhenti di 40 %" in block and "Ulangi ekspor" in block and "hx-get" not in block
    job.refresh_from_db()
    assert (job.status, job.worker_died) == ("failed", True)
    # A late worker does not bring it back.
    assert export_jobs.export_run(job_id=job.pk).status == "failed"

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    retried = client.post(reverse("surveys:export_retry", args=[job.pk]), {"kembali": RANGE_PAGE})
    assert retried["Location"] == RANGE_PAGE + "#ekspor"
    again = ExportJob.objects.latest("pk")
    assert again.pk != job.pk and (again.status, again.rows) == ("done", 3)
    assert (again.kind, again.date_from, again.date_to) == (job.kind, job.date_from, job.date_to)
    # Only a failed job is retried.
    refused = client.post(reverse("surveys:export_retry", args=[again.pk]), {"kembali": RANGE_PAGE}, follow=True)
    assert "Hanya ekspor yang gagal atau yang berkasnya sudah dihapus yang dapat diulang." in refused.content.decode()
    assert ExportJob.objects.count() == 2


@pytest.mark.django_db
def test_a_job_is_written_by_one_worker_only(may, client_as):
    """A second worker handed a job that a live worker has claimed leaves it alone, and a job
    that is done is never written again (its file and rows stay as they are)."""
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    job = ExportJob.objects.get()
    beat = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=40, started_at=beat, heartbeat_at=beat)
    untouched = export_jobs.export_run(job_id=job.pk)
    assert (untouched.status, untouched.progress, untouched.file.name, untouched.worker_died) == (
        "running",
        40,
        "",
        False,
    )

    ExportJob.objects.filter(pk=job.pk).update(status="queued", progress=0, started_at=None, heartbeat_at=None)
    done = export_jobs.export_run(job_id=job.pk)
    assert (done.status, done.rows, done.progress) == ("done", 3, 100) and done.started_at and done.finished_at
    stored = done.file.name
    again = export_jobs.export_run(job_id=job.pk)
    assert (again.status, again.file.name, again.finished_at) == ("done", stored, done.finished_at)


@pytest.mark.django_db
def test_an_export_file_is_deleted_after_its_keeping_days_and_made_again_with_one_click(may, client_as, settings):
    """EXPORT_FILE_KEEP_DAYS after it was made, an export's file is deleted by the next export
    run; the job stays listed without a download, the deletion is audited, and one click
    makes it again. A younger export keeps its file."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EXPORT_FILE_KEEP_DAYS = 7
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    ask(client, kind="recap")
    old, young = ExportJob.objects.order_by("pk")
    assert (old.status, young.status) == ("done", "done")
    storage, old_name, young_name = old.file.storage, old.file.name, young.file.name
    assert storage.exists(old_name) and storage.exists(young_name)
    assert "Berkas disimpan 7 hari sejak dibuat, lalu dihapus." in jobs_block(client.get(RANGE_PAGE))
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=7, minutes=1))
    ExportJob.objects.filter(pk=young.pk).update(finished_at=timezone.now() - dt.timedelta(days=6, hours=23))

    ask(client, scope={"dari": "2025-06-01", "sampai": "2025-06-30"})  # the next export run
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.status, old.file.name, old.rows) == ("done", "", 3)  # the job stays, without its file
    assert not storage.exists(old_name)
    assert young.file.name == young_name and storage.exists(young_name)
    [entry] = AuditEntry.objects.filter(action="export_file_removed")
    assert entry.object_id == str(old.pk) and "disimpan paling lama 7 hari" in entry.summary
    assert ACTION_LABELS["export_file_removed"] == "Berkas ekspor dihapus"

    block = jobs_block(client.get(RANGE_PAGE))
    assert "Berkas (3 baris) sudah dihapus: ekspor disimpan paling lama 7 hari." in block
    assert block.count("Buat lagi") == 1 and "Ulangi ekspor" not in block  # only the removed one is made again
    assert reverse("surveys:export_download", args=[old.pk]) not in block
    assert reverse("surveys:export_download", args=[young.pk]) in block
    gone = client.get(reverse("surveys:export_download", args=[old.pk]))
    assert gone.status_code == 404

    made_again = client.post(reverse("surveys:export_retry", args=[old.pk]), {"kembali": RANGE_PAGE})
    assert made_again["Location"] == RANGE_PAGE + "#ekspor"
    again = ExportJob.objects.latest("pk")
    assert (again.kind, again.date_from, again.date_to, again.status, again.rows) == (
        old.kind,
        old.date_from,
        old.date_to,
        "done",
        3,
    )
    assert storage.exists(again.file.name)


@pytest.mark.django_db
def test_the_expiry_command_deletes_only_old_files_and_says_how_many(may, client_as, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EXPORT_FILE_KEEP_DAYS = 2
    client = client_as(Role.PETUGAS_SKM)
    ask(client)
    job = ExportJob.objects.get()
    out = io.StringIO()
    call_command("export_files_expire", stdout=out)
    assert out.getvalue().strip() == "0 berkas ekspor dihapus (disimpan paling lama 2 hari)."
    job.refresh_from_db()
    assert job.file and job.file.storage.exists(job.file.name)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("export_files_expire", stdout=out)
    assert out.getvalue().strip() == "1 berkas ekspor dihapus (disimpan paling lama 2 hari)."
    stored = job.file.name
    job.refresh_from_db()
    assert job.file.name == "" and not job.file.storage.exists(stored)


@pytest.mark.django_db
def test_a_failing_export_is_shown_with_its_error_and_stores_no_file(may, client_as, monkeypatch):
    client = client_as(Role.PETUGAS_SKM)
    ask(client)

    def broken(**scope):
        raise OSError("disk penuh")

    monkeypatch.setattr("surveys.exporting.responses_sheet", broken)
    job = ExportJob.objects.get()
    with pytest.raises(OSError):
        export_jobs.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    block = jobs_block(client.get(RANGE_PAGE))
    assert "Pembuatan berkas gagal." in block and "disk penuh" in block and "Ulangi ekspor" in block


@pytest.mark.django_db
def test_a_foreign_return_address_is_not_followed(may, client_as):
    response = ask(client_as(Role.PETUGAS_SKM), back="https://evil.example/")
    assert response["Location"] == reverse("surveys:range_results")


@pytest.mark.django_db
def test_csv_streams_the_responses_of_the_scope(may, client_as):
    response = client_as(Role.KEPALA_DINAS).get(reverse("surveys:export_responses_csv"), {**MAY, "layanan": "loket"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="skm-jawaban-2025-05-01_2025-05-31-loket.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:6] == ["tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
    assert [r[0] for r in rows[1:]] == ["2025-05-02", "2025-05-03", "2025-05-31"]
    assert rows[1][6:17] == ["4"] * 11 and rows[1][4] == "" and rows[1][17] == "'=1+1"
    assert rows[3][17] == "Antrean, panjang"


@pytest.mark.django_db
def test_the_period_page_offers_both_exports_and_the_csv(survey_demo, client_as):
    from surveys.models import Period

    period = Period.objects.get(name="Triwulan III 2025")
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    assert len(re.findall(r'name="jenis" value="(recap|responses)"', html)) == 2
    assert f'name="periode" value="{period.pk}"' in html
    assert reverse("surveys:export_responses_csv") + f"?periode={period.pk}" in html
