"""An officer searches, filters, sorts and pages Monitoring Izin over thousands of files on a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from permits.calendar import WITA
from permits.models import PermitType
from permits.workflow import Step
from skm_portal.roles import Role
from surveys.models import Service
from tests.permits.test_lists import bulk_files

from .chromium import follow, routine_screenshot

FILES = 3000


@pytest.mark.django_db(transaction=True)
def test_search_and_page_through_thousands_of_files(live_server, browser, make_user):
    service = Service.objects.create(code="e-ptsp", name="Perizinan (e-PTSP)")
    reklame = PermitType.objects.create(name="Izin Reklame", code="reklame", service_days=3, survey_service=service)
    air = PermitType.objects.create(name="Izin Air Tanah", code="air-tanah", service_days=10, survey_service=service)
    applicant = make_user(Role.PEMOHON, username="pemohon")
    siti = make_user(Role.PEMOHON, username="siti")
    siti.first_name, siti.last_name = "Siti", "Aminah"
    siti.save()
    start = dt.datetime(2025, 1, 6, 8, tzinfo=WITA)
    bulk_files(FILES, kind=reklame, applicant=applicant, start=start, prefix="RK")
    bulk_files(40, kind=air, applicant=siti, start=start, prefix="AT", step=Step.VALIDASI_KASI, hours=24)
    make_user(Role.BACKOFFICE, username="petugas-bo", password="rahasia-123")

    chromium, pages = browser
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    pages["backoffice"] = page
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "petugas-bo")
    page.fill("input[name=password]", "rahasia-123")
    page.locator("main form button[type=submit]").click()
    page.goto(live_server.url + reverse("permits:monitoring"))

    status = page.get_by_role("status")
    assert status.inner_text() == "3.040 data ditemukan"
    rows = page.locator("table.permit-table tbody tr")
    assert rows.count() == 25
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    routine_screenshot(page, "monitoring-phone-first-page")

    # Next page, then the last page (3.040 files = 122 pages of 25).
    follow(page.get_by_role("link", name="Berikutnya"))
    assert "Halaman 2 dari 122" in page.locator("nav[aria-label='Halaman daftar']").inner_text()
    follow(page.get_by_role("link", name="Terakhir"))
    expect(rows).to_have_count(3040 - 121 * 25)
    assert page.get_by_role("link", name="Berikutnya").count() == 0

    # Search by applicant name: only Siti's 40 files, across two pages.
    page.get_by_label("Cari berkas").fill("aminah")
    follow(page.get_by_role("button", name="Tampilkan"))
    assert status.inner_text() == "40 data ditemukan"
    numbers = rows.locator("td:first-child a").all_inner_texts()
    assert len(numbers) == 25 and all(n.startswith("AT-") for n in numbers)
    assert numbers[0] == "AT-0040"  # newest first
    follow(page.get_by_role("link", name="Berikutnya"))
    expect(rows).to_have_count(15)
    assert page.get_by_label("Cari berkas").input_value() == "aminah"

    # Sorting keeps the search; the step filter narrows it further.
    page.goto(live_server.url + reverse("permits:monitoring") + "?q=aminah")
    # On a phone the column headings are hidden (stacked rows): the "Urutkan" select sorts.
    # The filters wait, folded, under "Saringan dan urutan"; once used, they stay unfolded.
    assert not page.get_by_label("Urutkan").is_visible()
    page.get_by_text("Saringan dan urutan").click()
    page.get_by_label("Urutkan").select_option("number")
    follow(page.get_by_role("button", name="Terapkan"))
    assert rows.locator("td:first-child a").first.inner_text() == "AT-0001"
    assert page.locator("th[aria-sort='ascending']").text_content().startswith("No. Berkas")
    assert page.get_by_label("Urutkan").input_value() == "number"
    page.get_by_label("Tahap").select_option(Step.VERIFIKASI_IZIN.value)
    follow(page.get_by_role("button", name="Terapkan"))
    assert status.inner_text() == "0 data ditemukan"
    assert "Tidak ada berkas." in page.locator("table.permit-table").inner_text()

    # A file number finds exactly that file.
    page.goto(live_server.url + reverse("permits:monitoring"))
    page.get_by_label("Cari berkas").fill("RK-2024")
    follow(page.get_by_role("button", name="Tampilkan"))
    assert rows.locator("td:first-child a").all_inner_texts() == ["RK-2024"]
    routine_screenshot(page, "monitoring-phone-search")
    context.close()
