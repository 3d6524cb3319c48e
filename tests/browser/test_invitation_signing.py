"""The head of office signs the FKP invitation on a phone-sized screen, and the QR target verifies it.

`load_demo` signs the seed's 11 November invitation; the FKP invitation (1457) is left as a
draft for the kepala dinas to sign here.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from followup.models import Meeting
from reports.models import SignedVersion
from reports.verification import verify_pdf
from skm_portal.demo import demo_password

from .chromium import follow, off_the_loop, routine_screenshot
from .test_report_signing import DEMO_PASSPHRASE


@pytest.mark.fresh_report_parts  # the stand-in report's parts must not reach the other tests
@pytest.mark.django_db(transaction=True)
def test_kadis_signs_the_fkp_invitation_on_a_phone(live_server, browser, settings, one_page_report_pdfs):
    # The report load_demo signs is not read here (one_page_report_pdfs); the invitations are rendered for real.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REPORT_SIGNING_PASSPHRASE = ""
    settings.REPORT_CERT_IS_BSRE = False
    settings.SITE_URL = live_server.url
    settings.DEBUG = True  # as `make run`: the verification link may be the local server
    off_the_loop(call_command, "load_demo", stdout=io.StringIO())
    fkp = Meeting.objects.get(kind=Meeting.Kind.FKP)
    assert Meeting.objects.get(kind=Meeting.Kind.RAPAT).invitation_signed  # the demo signed the seed's letter
    assert not fkp.invitation_signed

    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 360, "height": 780})
    context.set_default_timeout(20_000)
    page = context.new_page()
    pages["kadis"] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill("kadis")
    page.get_by_label("Sandi").fill(demo_password("kadis"))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))

    page.goto(live_server.url + reverse("followup:meeting", args=[fkp.pk]))
    assert page.get_by_role("link", name="PDF (draf)").count() == 1
    follow(page.get_by_role("link", name="Tandatangani surat"))
    assert "1457" in page.locator("main").inner_text()
    page.get_by_label("Saya telah memeriksa draf ini").check()
    page.get_by_label("Frasa sandi sertifikat elektronik").fill(DEMO_PASSPHRASE)
    routine_screenshot(page, "invitation-signing-1-form-360")
    follow(page.get_by_role("button", name="Tandatangani secara elektronik"))
    page.wait_for_url(re.compile(rf".*/rapat/{fkp.pk}/.*"))
    assert "ditandatangani secara elektronik" in page.locator(".alert-success").first.inner_text()
    assert page.get_by_role("link", name="PDF bertanda tangan").count() == 1
    assert page.get_by_role("link", name="Tandatangani surat").count() == 0
    routine_screenshot(page, "invitation-signing-2-signed-360")
    letter = page.locator("#surat").bounding_box()
    assert letter["x"] >= 0 and letter["x"] + letter["width"] <= 360, f"the letter section leaves the screen: {letter}"

    version = SignedVersion.objects.get(meeting=fkp)
    with version.file.open("rb") as handle:
        signed = handle.read()
    assert off_the_loop(verify_pdf, signed).ok
    page.goto(version.verification_url)  # the QR code's target, on this server
    text = page.locator("main").inner_text()
    assert "1457" in text and version.signer_name in text
    routine_screenshot(page, "invitation-signing-3-verification-360")
