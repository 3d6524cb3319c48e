"""Someone who forgot their password resets it by e-mail in a real (headless) Chromium on a
phone-sized screen: the link on the login page, the mail (read from the test outbox), the
new password, and logging in with it. Then the administrator's people pages at 360 px."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from skm_portal import demo as portal_demo
from skm_portal.mail import outbound_mail_send
from skm_portal.models import OutboundMail

from .chromium import follow, routine_screenshot


@pytest.mark.django_db(transaction=True)
def test_reset_a_forgotten_password_by_email(live_server, browser, settings):
    settings.SITE_URL = live_server.url  # links in mails point at this server
    portal_demo.load()
    from django.contrib.auth import get_user_model

    kasi = get_user_model().objects.get(username="kasi")
    kasi.email = "kasi@dpmptsp.example.go.id"
    kasi.save()
    mail.outbox = []
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 360, "height": 780})
    context.set_default_timeout(10_000)
    page = context.new_page()
    pages["kasi"] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_role("link", name="Lupa sandi?").click()
    page.get_by_label("Alamat email akun Anda").fill("Kasi@dpmptsp.example.go.id")
    routine_screenshot(page, "password-reset-1-form-360")
    follow(page.get_by_role("button", name="Kirim tautan"))
    assert page.locator("h1").inner_text() == "Periksa email Anda"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    [queued] = OutboundMail.objects.filter(kind="password")  # the request only queued it
    assert outbound_mail_send(mail_id=queued.pk) == OutboundMail.State.SENT  # the worker sends it
    [message] = mail.outbox
    assert message.to == ["kasi@dpmptsp.example.go.id"]
    link = re.search(r"http\S+/atur-sandi/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Atur sandi baru"
    page.locator("#id_new_password1").fill("Sandi-Kasi-Baru-2026")
    page.locator("#id_new_password2").fill("Sandi-Kasi-Baru-2026")
    routine_screenshot(page, "password-reset-2-new-360")
    follow(page.get_by_role("button", name="Simpan sandi baru"))
    assert page.locator("h1").inner_text() == "Sandi baru disimpan"
    page.get_by_role("link", name="Masuk").last.click()
    page.get_by_label("Nama pengguna").fill("kasi")
    page.get_by_label("Sandi").fill("Sandi-Kasi-Baru-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))
    # The link works once only.
    page.goto(link)
    assert "Tautan ini tidak berlaku lagi" in page.locator("main, body").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_administrator_reaches_people_from_the_dashboard_on_a_phone(live_server, browser):
    portal_demo.load()
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 360, "height": 780})
    context.set_default_timeout(10_000)
    page = context.new_page()
    pages["admin"] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Sandi").fill(portal_demo.demo_password("admin"))
    follow(page.get_by_role("button", name="Masuk"))
    page.wait_for_url(re.compile(r".*/dasbor/$"))
    assert page.get_by_role("link", name="Admin Django").count() == 1
    follow(page.get_by_role("link", name="Kelola pengguna"))
    assert page.locator("h1").inner_text() == "Pengguna dan peran"
    routine_screenshot(page, "people-1-list-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Petugas baru").click()
    page.get_by_label("Nama pengguna").fill("rina")
    page.get_by_label("Nama lengkap").fill("Rina Wati")
    page.get_by_role("textbox", name="Email").fill("rina@example.com")
    page.get_by_label("Petugas SKM").check()
    follow(page.get_by_role("button", name="Buat akun"))
    assert "Pengguna rina dibuat." in page.locator(".alert-success").inner_text()
    routine_screenshot(page, "people-2-person-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
