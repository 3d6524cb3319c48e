"""The Lampiran of the yearly report as the seed orders it, with uploaded evidence shown:
images as images, PDFs as their own pages (numbered by the report), paper attendance scans
right after their attendance list."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from weasyprint import HTML

from followup.meetings import attendance_services
from followup.models import Activity, Meeting
from followup.plans import evidence as evidence_services
from reports import services
from reports.verification import verify_pdf
from skm_portal.roles import Role
from tests.reports.helpers import PASSPHRASE, pdf_pages
from tests.reports.test_pdf import TOC_LINE, page_labels, squash

FOOTER_NUMBER = re.compile(r"\s(\d+)\s*$")


def upload_pdf(*texts: str, landscape: bool = False) -> bytes:
    size = "A4 landscape" if landscape else "A4"
    pages = "".join(f'<p style="{"break-before: page" if n else ""}">{text}</p>' for n, text in enumerate(texts))
    return HTML(string=f"<style>@page {{ size: {size} }} p {{ font-size: 30pt }}</style>{pages}").write_pdf()


def first_page_with(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


def footer_number(page: str) -> int:
    """The page number printed at the right of the footer: the page's last non-empty line
    ends with it (a draft's footer holds only the number; a signed one the statement too)."""
    line = [line for line in page.splitlines() if line.strip()][-1]
    return int(FOOTER_NUMBER.search(line).group(1))


@pytest.fixture
def officer(make_user):
    return make_user(Role.PETUGAS_SKM, username="petugas_lampiran")


def test_the_appendix_follows_the_seeds_order_meeting_before_fkp(demo_2024_pdfs, tmp_path):
    # The demo's FKP (30 October) is older than the meeting (11 November); the seed still
    # puts the meeting's invitation, notula and daftar hadir first, then the FKP's.
    pages = pdf_pages(demo_2024_pdfs.draft, tmp_path)
    order = [
        first_page_with(pages, "LAMPIRAN BUKTI DUKUNG"),
        first_page_with(pages, "HASIL SKM SEMESTER I 2024"),
        first_page_with(pages, "500.16.7.2/1493/DPMPTSP-IV/2024"),  # the meeting's invitation
        first_page_with(pages, "NOTULA RAPAT"),
        first_page_with(pages, "DAFTAR HADIR"),
        first_page_with(pages, "ABSENSI"),  # the FKP's attendance list, after its invitation
        first_page_with(pages, "BERITA ACARA"),
        first_page_with(pages, "BUKTI DUKUNG LAINNYA"),
    ]
    assert order == sorted(order), order
    fkp_invitation = first_page_with(pages, "000.8.3.2/1457/DPMPTSP-SEKR/2024")
    assert order[4] < fkp_invitation < order[5]


def test_an_uploaded_pdf_appears_as_its_own_numbered_pages_and_a_paper_attendance_scan_follows_its_list(
    report_2024, officer, tmp_path, kadis_user
):
    """One draft (a WeasyPrint build) with the uploads of both kinds, and its signed version."""
    activity = Activity.objects.order_by("pk").first()
    evidence_services.evidence_upload(
        activity=activity,
        user=officer,
        upload=SimpleUploadedFile(
            "sk.pdf",
            upload_pdf("SURAT-KEPUTUSAN-HAL-SATU", "SURAT-KEPUTUSAN-HAL-DUA", landscape=True),
            "application/pdf",
        ),
        title="Surat Keputusan Standar Pelayanan",
    )
    image = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(image, format="PNG")
    evidence_services.evidence_upload(
        activity=activity,
        user=officer,
        upload=SimpleUploadedFile("foto.png", image.getvalue(), "image/png"),
        title="Foto kegiatan",
    )

    meeting = Meeting.objects.get(kind=Meeting.Kind.RAPAT)
    attendance_services.attendance_scan_upload(
        meeting=meeting,
        user=officer,
        upload=SimpleUploadedFile("hadir.pdf", upload_pdf("PINDAIAN-KERTAS"), "application/pdf"),
        title="Daftar hadir kertas",
    )

    pdf, build = services.report_build_now(report=report_2024)
    pages = pdf_pages(pdf, tmp_path)

    # A scanned paper attendance list follows its list (the meeting's, before the FKP's ABSENSI).
    scan = first_page_with(pages, "PINDAIAN-KERTAS")
    attendance = first_page_with(pages, "DAFTAR HADIR")
    assert attendance < scan < first_page_with(pages, "ABSENSI")
    assert "Daftar hadir kertas" in pages[scan]

    assert build.pages == len(pages)
    one, two = first_page_with(pages, "SURAT-KEPUTUSAN-HAL-SATU"), first_page_with(pages, "SURAT-KEPUTUSAN-HAL-DUA")
    assert two == one + 1
    assert "halaman 1 dari 2" in pages[one] and "halaman 2 dari 2" in pages[two]
    # the report's own footer and page numbers run through the uploaded pages
    assert footer_number(pages[two]) == footer_number(pages[one]) + 1
    assert "DRAF" in pages[one]  # the report's running marks reach the uploaded pages too
    # the table of contents still points at the right pages (the upload's pages were laid out)
    labels = page_labels(pages)
    entries = TOC_LINE.findall(pages[labels["ii"]])
    assert len(entries) >= 14
    for title, label in entries:
        if title.upper() != "KEPUASAN MASYARAKAT":  # the wrapped second line of BAB III
            assert squash(title) in squash(pages[labels[label]]), f"{title!r} is not on page {label}"
    # a plain file before signing: one body, no incremental update yet
    assert pdf.count(b"%%EOF") == 1

    # The version to sign was painted with the draft from the same layout (reports/parts.py).
    version = services.report_sign(build=build, user=kadis_user, secret=PASSPHRASE)
    with version.file.open("rb") as handle:
        signed = handle.read()
    assert verify_pdf(signed).ok
    signed_pages = pdf_pages(signed, tmp_path)
    signed_one = first_page_with(signed_pages, "SURAT-KEPUTUSAN-HAL-SATU")
    assert "SURAT-KEPUTUSAN-HAL-DUA" in signed_pages[signed_one + 1]
    assert "Dokumen ini" in signed_pages[signed_one] and "DRAF" not in signed_pages[signed_one]


@pytest.fixture
def kadis_user(make_user):
    return make_user(Role.KEPALA_DINAS, username="kadis_lampiran")
