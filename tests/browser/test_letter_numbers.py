"""An officer takes a letter number from the central agenda book, then corrects it before
the letter is signed, in a real (headless) Chromium, on a phone-sized screen too."""

import re

import pytest
from django.urls import reverse

from followup.models import Meeting
from skm_portal import demo as portal_demo
from skm_portal.audit import audit_for
from tests.followup.meeting_fixtures import make_fkp

from .chromium import follow, routine_screenshot


@pytest.mark.django_db(transaction=True)
def test_enter_an_agenda_book_number_and_correct_it_before_signing(live_server, browser):
    portal_demo.load()
    from django.contrib.auth import get_user_model

    petugas = get_user_model().objects.get(username="petugas")
    make_fkp(petugas, title="Rapat lain", classification_code="000.8.3.2")
    taken = Meeting.objects.get(title="Rapat lain")
    from followup.meetings import services as ms

    ms.invitation_assign_number(meeting=taken, user=petugas, number=1456)
    meeting = make_fkp(petugas)
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 360, "height": 780})
    context.set_default_timeout(10_000)
    page = context.new_page()
    pages["petugas"] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Sandi").fill(portal_demo.demo_password("petugas"))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))

    page.goto(live_server.url + reverse("followup:meeting", args=[meeting.pk]))
    surat = page.locator("#surat")
    assert "belum bernomor" in surat.inner_text()
    routine_screenshot(page, "letter-number-0-form-360")
    # A number already used with the same classification code is refused, nothing changes.
    surat.get_by_label("Dari buku agenda (ketik nomornya)").check()
    surat.get_by_label("Nomor dari buku agenda").fill("1456")
    follow(surat.get_by_role("button", name="Beri nomor surat"))
    assert "sudah dipakai surat lain (Rapat lain)" in page.locator("#surat").inner_text()
    meeting.refresh_from_db()
    assert meeting.letter_number is None
    # The number the agenda book gave (mistyped: 1475 instead of 1457).
    page.locator("#surat").get_by_label("Nomor dari buku agenda").fill("1475")
    follow(page.locator("#surat").get_by_role("button", name="Beri nomor surat"))
    assert page.locator(".alert-success").inner_text() == "Nomor surat: 000.8.3.2/1475/DPMPTSP-SEKR/2024."
    assert page.locator("#surat strong").inner_text() == "000.8.3.2/1475/DPMPTSP-SEKR/2024"
    assert "Asal nomor: buku agenda." in page.locator("#surat").inner_text()
    routine_screenshot(page, "letter-number-1-given-360")
    # The letter section fits a phone (the page's other wide tables are another change's).
    box = page.locator("#surat").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.locator("#surat").evaluate("e => e.scrollWidth <= e.clientWidth")

    # Correct it before signing.
    page.locator("#surat summary", has_text="Koreksi nomor surat").click()
    page.get_by_label("Nomor yang benar").fill("1457")
    page.get_by_label("Alasan koreksi").fill("Salah ketik, buku agenda mencatat 1457")
    follow(page.get_by_role("button", name="Simpan koreksi nomor"))
    assert page.locator(".alert-success").inner_text() == (
        "Nomor surat dikoreksi menjadi 000.8.3.2/1457/DPMPTSP-SEKR/2024."
    )
    assert page.locator("#surat strong").inner_text() == "000.8.3.2/1457/DPMPTSP-SEKR/2024"
    history = page.locator("#audit-title").locator("xpath=..").inner_text()
    assert "Nomor surat dikoreksi dari 000.8.3.2/1475/DPMPTSP-SEKR/2024 menjadi 000.8.3.2/1457" in history
    assert "Salah ketik, buku agenda mencatat 1457" in history
    routine_screenshot(page, "letter-number-2-corrected-360")
    follow(page.get_by_role("link", name="Pengaturan nomor surat"))
    assert "Nomor surat tahun 2024" in page.locator("h1").inner_text()
    assert "000.8.3.2/1457/DPMPTSP-SEKR/2024" in page.locator("body").inner_text()
    routine_screenshot(page, "letter-number-3-settings-360")
    page.go_back()
    follow(page.get_by_role("link", name="Lihat surat"))
    assert "000.8.3.2/1457/DPMPTSP-SEKR/2024" in page.locator("body").inner_text()
    [entry] = [e for e in audit_for(meeting) if e.action == "letter_number_corrected"]
    assert entry.actor_display and entry.changes == {
        "nomor surat": ["000.8.3.2/1475/DPMPTSP-SEKR/2024", "000.8.3.2/1457/DPMPTSP-SEKR/2024"]
    }
