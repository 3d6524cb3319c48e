"""An officer on a phone asks for an xlsx export, sees it finish on the same page, downloads it;
a job whose worker died shows the failure with a retry that works. axe-core checks the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skm_portal.roles import Role
from surveys.models import ExportJob, Questionnaire, Response, Service

from .chromium import axe_violations, follow, routine_screenshot
from .test_accessibility_crawl import HEIGHT, WIDTH


@pytest.mark.django_db(transaction=True)
def test_export_job_on_a_phone(live_server, browser, make_user, settings, baseline_data, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    questionnaire = Questionnaire.active()
    fields = [e.field for e in questionnaire.elements.all()]
    loket = Service.objects.create(code="loket", name="Loket Perizinan Terpadu Satu Pintu", order=1)
    for day in (2, 3, 4):
        Response.objects.create(
            questionnaire=questionnaire,
            service=loket,
            survey_date=dt.date(2025, 5, day),
            sex="P",
            **dict.fromkeys(fields, 4),
        )
    make_user(Role.PETUGAS_SKM, username="petugas-ekspor", password="rahasia-123")

    chromium, pages = browser
    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    pages["petugas"] = page
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "petugas-ekspor")
    page.fill("input[name=password]", "rahasia-123")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + reverse("surveys:range_results") + "?dari=2025-05-01&sampai=2025-05-31")

    follow(page.get_by_role("button", name="Buat data jawaban (xlsx)"))
    assert "/skm/hasil/" in page.url and page.url.endswith("#ekspor")
    download_link = page.get_by_role("link", name="Unduh xlsx (3 baris)")
    assert download_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    routine_screenshot(page, "export-job-phone-done")
    assert axe_violations(page) == []
    with page.expect_download() as event:
        download_link.click()
    download = event.value
    assert download.suggested_filename == "skm-jawaban-2025-05-01_2025-05-31.xlsx"
    download.save_as(tmp_path / "jawaban.xlsx")
    rows = list(load_workbook(tmp_path / "jawaban.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][1] == "loket"

    # The next export's worker dies: the page says so and offers a retry that runs again.
    job = ExportJob.objects.get()
    beat = timezone.now() - dt.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(status="running", progress=60, heartbeat_at=beat, file="")
    page.reload()
    assert page.get_by_role("alert").filter(has_text="terhenti di 60 %").is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    routine_screenshot(page, "export-job-phone-failed")
    follow(page.get_by_role("button", name="Ulangi ekspor"))
    assert page.get_by_role("link", name="Unduh xlsx (3 baris)").is_visible()
    assert ExportJob.objects.filter(status="done").count() == 1
