"""The error pages on a 360 px phone: styled, nothing wider than the screen, a way home."""

import pytest

from .chromium import follow, routine_screenshot


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("tests.portal.error_urls")
@pytest.mark.parametrize(("path", "status", "heading"), [
    ("/tidak-ada/", 404, "Halaman tidak ditemukan"),
    ("/curang/", 400, "Permintaan tidak dapat diproses"),
    ("/rusak/", 500, "Terjadi kesalahan di server"),
])  # fmt: skip
def test_error_page_on_a_phone(live_server, browser, path, status, heading):
    chromium, pages = browser
    page = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    pages["phone"] = page
    response = page.goto(live_server.url + path)
    assert response.status == status
    assert page.get_by_role("heading", level=1).inner_text() == heading
    home = page.get_by_role("link", name="Kembali ke beranda")
    assert home.is_visible()
    assert home.evaluate("a => getComputedStyle(a).backgroundColor") != "rgba(0, 0, 0, 0)"  # styled
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    routine_screenshot(page, f"error-{status}-360")
    follow(home)
    page.wait_for_load_state()
    assert page.url.rstrip("/") == live_server.url.rstrip("/")
