"""The head of office signs and downloads the 2024 report in a real (headless) Chromium.

`load_demo` gives the seed's 2024 data, the demo users and a self-signed certificate
(passphrase "demo-sertifikat-2024"); it also signs version 1 of the 2024 report. The
petugas SKM builds a fresh draft through the web UI (the background task runs inside the
request: TASKS on the immediate backend); the kepala dinas reviews it, signs it entering
the certificate's passphrase, downloads the signed PDF, and the verification pages (the
QR code's target, and the upload form) say it is valid, and that a one-byte-modified copy
is not.
"""

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.models import Report, SignedVersion
from skm_portal.demo import demo_password

from .chromium import follow, off_the_loop, routine_screenshot

DEMO_PASSPHRASE = "demo-sertifikat-2024"  # printed by load_demo, local use only
SIGNER = "H. Fahmi Prima Laksana, S.E., M.M"


def login(browser, live_server, username):
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    pages[username] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(demo_password(username))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))
    return page


def shot(page, name):
    routine_screenshot(page, f"report-signing-{name}")


@pytest.mark.django_db(transaction=True)
def test_head_of_office_signs_and_downloads_the_report(live_server, browser, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REPORT_SIGNING_PASSPHRASE = ""  # so the signer types the certificate's passphrase
    settings.REPORT_CERT_IS_BSRE = False
    settings.SITE_URL = live_server.url  # the QR code and the footer point at this server
    settings.DEBUG = True  # as `make run`: production would refuse to lock a local address into a signed file
    out = io.StringIO()
    off_the_loop(call_command, "load_demo", stdout=out)
    assert f"Frasa sandi sertifikat demo: {DEMO_PASSPHRASE}" in out.getvalue()
    report = Report.objects.get(kind=Report.Kind.FOLLOWUP, year=2024)
    assert list(report.versions.values_list("number", flat=True)) == [1]

    # --- the petugas SKM builds a fresh draft through the web UI ------------------------------
    petugas = login(browser, live_server, "petugas")
    petugas.get_by_role("link", name="Laporan", exact=True).click()
    follow(petugas.locator(f"tr[data-report='{report.pk}']").get_by_role("link", name="Buka"))
    assert petugas.locator("h1").inner_text() == report.title
    follow(petugas.get_by_role("button", name="Buat draf baru dari data terkini"))
    status = petugas.locator("#build-status")
    assert re.search(r"Draf selesai .* WITA, \d+ halaman\.", status.inner_text())
    assert petugas.get_by_role("link", name="Periksa dan tandatangani").count() == 0  # only kadis signs
    build = report.builds.order_by("-pk").first()
    assert build.version_number == 2

    # --- the kepala dinas reviews and signs it with the certificate's passphrase ---------------
    kadis = login(browser, live_server, "kadis")
    kadis.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    follow(kadis.get_by_role("link", name="Periksa dan tandatangani"))
    assert "versi 2" in kadis.locator("main, body").first.inner_text()
    draft = kadis.request.get(live_server.url + reverse("reports:build_download", args=[report.pk, build.pk]))
    assert draft.ok and draft.body().startswith(b"%PDF")
    assert "bukan terbitan BSrE" in kadis.locator("body").inner_text()
    kadis.get_by_label("Saya telah memeriksa draf ini").check()
    kadis.get_by_label("Frasa sandi sertifikat elektronik").fill("sandi-yang-salah")
    follow(kadis.get_by_role("button", name="Tandatangani secara elektronik"))
    assert "sandi" in kadis.locator(".invalid-feedback, .alert-danger").first.inner_text().lower()
    assert not report.versions.filter(number=2).exists()
    kadis.get_by_label("Saya telah memeriksa draf ini").check()
    kadis.get_by_label("Frasa sandi sertifikat elektronik").fill(DEMO_PASSPHRASE)
    follow(kadis.get_by_role("button", name="Tandatangani secara elektronik"))
    kadis.wait_for_url(live_server.url + reverse("reports:detail", args=[report.pk]))
    assert kadis.locator(".alert-success").first.inner_text() == "Laporan ditandatangani sebagai versi 2."
    row = kadis.locator("table.versions tr[data-version='2']")
    assert SIGNER in row.inner_text() and "WITA" in row.inner_text()
    shot(kadis, "1-detail")

    # --- the signed PDF, downloaded through the browser ----------------------------------------
    with kadis.expect_download() as info:
        row.get_by_role("link", name="Unduh").click()
    download = info.value
    assert download.suggested_filename == "laporan-followup-2024-v2.pdf"
    signed = tmp_path / download.suggested_filename
    download.save_as(signed)
    data = signed.read_bytes()
    assert data.startswith(b"%PDF")
    version = SignedVersion.objects.get(report=report, number=2)
    assert version.signer.username == "kadis" and version.signer_name == SIGNER
    verified = io.StringIO()
    off_the_loop(call_command, "report_verify", str(signed), stdout=verified)  # exit 0: no SystemExit
    assert "SAH: " in verified.getvalue() and SIGNER in verified.getvalue()
    verify_url = live_server.url + reverse("reports:verify_code", args=[version.verification_code])
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # the QR code's target is also printed in the footer sentence
        text = subprocess.run([pdftotext, str(signed), "-"], check=True, capture_output=True, text=True).stdout
        assert verify_url in re.sub(r"\s+", "", text)

    tampered = tmp_path / "laporan-diubah.pdf"
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x01
    tampered.write_bytes(bytes(changed))
    with pytest.raises(SystemExit) as refused:
        off_the_loop(call_command, "report_verify", str(tampered), stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.code == 1

    # --- the verification page behind the QR code ----------------------------------------------
    follow(row.get_by_role("link", name="Verifikasi"))
    kadis.wait_for_url(verify_url)
    registered = kadis.locator(".registered-version").inner_text()
    assert f"{report.title}, versi 2" in registered and SIGNER in registered and version.sha256 in registered
    kadis.get_by_label("Berkas PDF laporan").set_input_files(str(signed))
    follow(kadis.get_by_role("button", name="Periksa"))
    verdict = kadis.locator(".verdict")
    assert verdict.locator("h2").inner_text() == "SAH"
    assert SIGNER in verdict.inner_text() and "versi 2" in verdict.inner_text()
    assert kadis.locator(".alert-warning", has_text="dokumen/versi lain").count() == 0
    shot(kadis, "2-verify-valid")

    # The public upload form, without logging in: the modified copy fails.
    public = browser[0].new_context(locale="id-ID", viewport={"width": 1280, "height": 900}).new_page()
    browser[1]["public"] = public
    public.goto(live_server.url + reverse("reports:verify"))
    public.get_by_label("Berkas PDF laporan").set_input_files(str(tampered))
    follow(public.get_by_role("button", name="Periksa"))
    verdict = public.locator(".verdict")
    assert verdict.locator("h2").inner_text() == "TIDAK SAH"
    assert "berkas telah diubah" in verdict.inner_text() and SIGNER not in verdict.inner_text()
    shot(public, "3-verify-modified")
    public.get_by_label("Berkas PDF laporan").set_input_files(str(signed))
    follow(public.get_by_role("button", name="Periksa"))
    assert public.locator(".verdict h2").inner_text() == "SAH"
