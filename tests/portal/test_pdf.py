import io

import pytest
from django.template.loader import render_to_string
from pyhanko.pdf_utils.reader import PdfFileReader

from skm_portal.models import OfficeProfile
from skm_portal.pdf import html_to_pdf, render_pdf, url_fetcher


@pytest.mark.django_db
def test_letterhead_and_signature_blocks():
    office = OfficeProfile.get()
    office.government, office.name = "Pemerintah Provinsi Kalimantan Timur", "Dinas Penanaman Modal"
    office.other_phones = "Konsultasi Pengaduan +6285173066557\nKonsultasi LKPM +6285173266556"
    letterhead = render_to_string("documents/_letterhead.html", {"office": office})
    assert "PEMERINTAH PROVINSI KALIMANTAN TIMUR" in letterhead
    # each service line is one unit that never breaks across lines (skm_portal/templatetags/printing.py)
    assert (
        '<span class="keep">Konsultasi Pengaduan +6285173066557</span>, '
        '<span class="keep">Konsultasi LKPM +6285173266556</span>'
    ) in letterhead
    signature = render_to_string(
        "documents/_signature.html", {"title": "Kepala Dinas", "name": "Fahmi", "nip": "196802151989031008"}
    )
    assert "NIP. 19680215 198903 1 008" in signature
    pdf = render_pdf("documents/_signature.html", {"title": "Kepala Dinas", "name": "Fahmi"})
    assert pdf.startswith(b"%PDF")


def test_only_local_static_and_media_files_are_fetched():
    fetcher = url_fetcher()
    response = fetcher.fetch("http://skm-portal.local/static/css/documents.css")
    assert response.read().startswith(b"/* A4")
    assert response.content_type == "text/css"
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/tracker.png")
    with pytest.raises(ValueError):
        fetcher.fetch("http://skm-portal.local/media/../../etc/passwd")


def test_documents_are_a4():
    pdf = html_to_pdf('<link rel="stylesheet" href="/static/css/documents.css"><p>Halo</p>')
    assert pdf.startswith(b"%PDF")
    page = PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    assert [round(float(v)) for v in page["/MediaBox"]] == [0, 0, 595, 842]  # 210 x 297 mm in points
