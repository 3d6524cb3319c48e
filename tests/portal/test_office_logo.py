"""The office's logo: uploaded on /profil-instansi/, checked by its content, printed on every
letterhead and on the report's cover."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from skm_portal import demo
from skm_portal.models import OfficeProfile
from skm_portal.pdf import html_to_pdf
from skm_portal.roles import Role

PROFILE = {
    "government": "Pemerintah Provinsi Kalimantan Timur",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "short_name": "DPMPTSP",
    "head_title": "Kepala Dinas",
    "head_name": "H. Fahmi Prima Laksana, S.E., M.M",
}
SAFE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#123"/></svg>'
)


def png_bytes(size=(120, 140), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    return client.post(
        reverse("office_edit"), {**PROFILE, "logo": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def letterhead_pdf(office) -> bytes:
    """A page with the letterhead every letter, minutes and berita acara includes."""
    page = Template(
        '{% load static %}<html><head><link rel="stylesheet" href="{% static "css/documents.css" %}"></head>'
        '<body>{% include "documents/_letterhead.html" %}<p>Isi surat.</p></body></html>'
    )
    return html_to_pdf(page.render(Context({"office": office})))


def image_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True)  # noqa: S607
    return len(listing.stdout.splitlines()) - 2


@pytest.mark.django_db
def test_an_uploaded_png_logo_is_printed_on_the_letterhead(client_as, tmp_path):
    client = client_as(Role.ADMINISTRATOR)
    office = OfficeProfile.get()
    assert image_count(letterhead_pdf(office), tmp_path) == 0

    response = upload(client, "logo-dinas.png", png_bytes(), "image/png")

    assert response.status_code == 302
    office = OfficeProfile.get()
    assert office.logo.name.startswith("office/") and office.logo.name.endswith(".png")
    pdf = letterhead_pdf(office)
    assert image_count(pdf, tmp_path) == 1


@pytest.mark.django_db
def test_a_safe_svg_logo_is_accepted(client_as):
    response = upload(client_as(Role.ADMINISTRATOR), "lambang.svg", SAFE_SVG, "image/svg+xml")
    assert response.status_code == 302
    assert OfficeProfile.get().logo.name.endswith(".svg")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "Berkas bukan gambar PNG atau JPEG yang utuh."),
        ("logo.png", png_bytes(fmt="JPEG"), "Isi berkas tidak sesuai dengan namanya"),
        ("logo.gif", png_bytes(), "Logo harus berupa berkas PNG, JPEG atau SVG."),
        ("logo.png", png_bytes(size=(4100, 10)), "Gambar terlalu besar"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 10), "Logo terlalu besar. Ukuran paling besar 1 MB."),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Berkas SVG memuat unsur aktif (script)",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5" onload="alert(1)"/></svg>',
            "Berkas SVG memuat skrip pada atribut onload.",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://example.org/lambang.png" width="5" height="5"/></svg>',
            "Berkas SVG merujuk ke berkas atau situs lain",
        ),
        (
            "logo.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "Berkas SVG tidak boleh memuat DOCTYPE atau ENTITY.",
        ),
        ("logo.svg", b"<html><body>bukan svg</body></html>", "Berkas bukan gambar SVG."),
    ],
)
def test_a_bad_logo_is_refused_with_a_reason_and_changes_nothing(client_as, name, data, message):
    client = client_as(Role.ADMINISTRATOR)
    assert upload(client, "awal.png", png_bytes(), "image/png").status_code == 302
    before = OfficeProfile.get().logo.name

    response = upload(client, name, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert OfficeProfile.get().logo.name == before


@pytest.mark.django_db
def test_the_demo_office_carries_the_projects_own_neutral_emblem():
    demo.load()
    demo.load()  # loading twice keeps one logo file
    office = OfficeProfile.get()
    assert office.logo.name == "office/logo-contoh.svg"
    drawn = (Path(demo.__file__).parent / "demo_files" / "emblem.svg").read_bytes()
    with office.logo.open("rb") as stored:
        assert stored.read() == drawn
    assert b"bukan lambang daerah" in drawn
    assert len(list(Path(office.logo.path).parent.iterdir())) == 1


@pytest.mark.django_db
def test_the_report_cover_and_its_appendix_letterheads_carry_the_logo():
    from reports import rendering, services

    demo.load()
    report = services.year_report(year=2024)
    html = rendering.report_html(report, code="kode-uji", version_number=1).html
    logo_url = OfficeProfile.get().logo.url
    assert f'<img class="report-cover-logo" src="{logo_url}"' in html
