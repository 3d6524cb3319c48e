"""Styled 400, 403, 404 and 500 pages in Indonesian, each with a way home."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from skm_portal.roles import Role


def _assert_error_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert f'<p class="error-code" aria-hidden="true">{status}</p>' in page
    assert heading in page
    assert 'href="/">Kembali ke beranda</a>' in page
    assert '<html lang="id">' in page
    return page


@pytest.mark.django_db
def test_404_in_indonesian_with_a_way_home(client):
    page = _assert_error_page(client.get("/tidak-ada-halaman-ini/"), 404, "Halaman tidak ditemukan")
    assert "Periksa alamatnya" in page
    assert "navbar" in page  # the portal's frame


@pytest.mark.django_db
def test_403_explains_and_offers_home(client_as):
    client = client_as(Role.PEMOHON)
    page = _assert_error_page(
        client.get(reverse("surveys:import_responses")), 403, "Anda tidak berhak membuka halaman ini"
    )
    assert "hubungi administrator" in page


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.error_urls")
def test_400_for_a_tampered_request(client):
    _assert_error_page(client.get("/curang/"), 400, "Permintaan tidak dapat diproses")


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.error_urls")
def test_500_page_for_a_bug():
    client = Client(raise_request_exception=False)
    page = _assert_error_page(client.get("/rusak/"), 500, "Terjadi kesalahan di server")
    assert "a bug, on purpose" not in page


def test_500_page_needs_no_database(django_db_blocker):
    # Any database access raises while blocked: the page must render all the same.
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))
    _assert_error_page(response, 500, "Terjadi kesalahan di server")
