"""A draft never looks signed; only the signed version carries statement, QR code and link."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from reports import rendering, services
from reports.models import Report, ReportBuild, SignedVersion
from reports.verification import verify_pdf
from skm_portal.roles import Role
from surveys.models import Period
from tests.reports.helpers import PASSPHRASE, pdf_pages

CLAIMS = ("ditandatangani secara elektronik", "BSrE", "verifikasi")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def kadis(make_user):
    return make_user(Role.KEPALA_DINAS, username="kadis_draf", password="sandi-kadis-123")


def test_the_2024_draft_says_draf_on_every_page_and_its_signed_version_carries_the_link(
    report_2024, kadis, tmp_path, settings
):
    settings.SITE_URL = "https://skm.kaltimprov.go.id"
    draft, build = services.report_build_now(report=report_2024)
    pages = pdf_pages(draft, tmp_path)
    assert len(pages) == build.pages > 20
    for number, text in enumerate(pages, start=1):
        assert "DRAF" in text, f"page {number} of the draft has no DRAF mark"
        for claim in CLAIMS:
            assert claim not in text, f"page {number} of the draft claims {claim!r}"
    assert 'class="segno"' not in rendering.build_html(build).html  # no QR code at all

    version = services.report_sign(build=build, user=kadis, secret=PASSPHRASE)
    with version.file.open("rb") as handle:
        signed = handle.read()
    link = f"https://skm.kaltimprov.go.id/laporan/verifikasi/{build.verification_code}/"
    assert version.verification_url == link
    signed_pages = [squash(p) for p in pdf_pages(signed, tmp_path, layout=False)]
    assert len(signed_pages) == len(pages)  # the reviewed layout, page for page
    for number, text in enumerate(signed_pages, start=1):
        assert "DRAF" not in text, f"page {number} of the signed version still says DRAF"
        if number > 1:  # the cover has no footer
            assert text.count("ditandatangani secara elektronik") == 1, f"page {number}"
    assert link in "".join(signed_pages[1:3]).replace(" ", "")
    html = rendering.build_html(build, signed=True).html
    assert html.count('class="segno"') == 2  # kata pengantar and kesimpulan, once on each page
    assert verify_pdf(signed).ok


def test_the_results_report_draft_says_draf_on_every_page(demo_2024, tmp_path):
    period = Period.objects.filter(start_date__year=2024).order_by("start_date").first()
    report = services.report_create(kind=Report.Kind.RESULTS, period=period)
    draft, _build = services.report_build_now(report=report)
    pages = pdf_pages(draft, tmp_path)
    assert pages and all("DRAF" in text for text in pages)
    assert not any(claim in text for text in pages for claim in CLAIMS)


def test_the_bsre_sentence_only_on_a_signed_version_with_a_declared_bsre_certificate(report_2024, settings):
    def html(*, signed: bool) -> str:
        return squash(rendering.report_html(report_2024, code="kode-uji", version_number=1, signed=signed).html)

    bsre = "diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN"
    assert bsre not in html(signed=True) and "https://skm.example.go.id/laporan/verifikasi/kode-uji/" in html(
        signed=True
    )
    settings.REPORT_CERT_IS_BSRE = True
    assert bsre in html(signed=True)
    assert "BSrE" not in html(signed=False) and "verifikasi/kode-uji" not in html(signed=False)


def _finished_build_without_weasyprint(report: Report) -> ReportBuild:
    """A DONE build whose HTML hash is the report's current one (no PDF rendering needed)."""
    build = services.build_create(report=report)
    placeholder = b"%PDF-1.4 draf"
    build.file.save("draf.pdf", ContentFile(placeholder), save=False)
    build.sha256 = hashlib.sha256(placeholder).hexdigest()
    build.html_sha256 = rendering.build_html(build).sha256
    build.status, build.pages = ReportBuild.Status.DONE, 1
    build.save()
    return build


@pytest.mark.parametrize(
    "site_url", ["http://127.0.0.1:8000", "https://localhost", "https://10.1.2.3", "https://skm", ""]
)
def test_production_refuses_to_sign_while_site_url_is_not_a_public_https_address(
    report_2024, kadis, settings, site_url
):
    settings.DEBUG, settings.SITE_URL = False, site_url
    build = _finished_build_without_weasyprint(report_2024)
    with pytest.raises(ValidationError) as refused:
        services.report_sign(build=build, user=kadis, secret=PASSPHRASE)
    assert "Penandatanganan ditolak" in " ".join(refused.value.messages)
    assert "SITE_URL" in " ".join(refused.value.messages)
    assert not SignedVersion.objects.exists()


def _form_boxes(pdf: bytes) -> list[list[tuple[float, ...]]]:
    """Per page, the boxes of the form XObjects its resources name."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    pages = []
    for kid in reader.root["/Pages"]["/Kids"]:
        forms = kid.get_object()["/Resources"]["/XObject"]
        pages.append([tuple(round(float(v)) for v in forms[name]["/BBox"]) for name in forms])
    return pages


def _subject(pdf: bytes) -> str:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return str(PdfFileReader(io.BytesIO(pdf)).trailer["/Info"].get_object()["/Subject"])


def test_the_draft_and_the_version_to_sign_are_painted_once_each_with_only_its_own_marks(report_2024, monkeypatch):
    """One layout, each page painted once for both versions (their marks apart); the version
    to sign carries no trace of the DRAF watermark (WeasyPrint draws it as a page-sized form
    on each page), the draft no signed statement."""
    from weasyprint.document import Page

    painted: list[Page] = []
    real = Page.paint
    monkeypatch.setattr(
        Page, "paint", lambda page, *args, **kwargs: painted.append(page) or real(page, *args, **kwargs)
    )
    laid_out = []
    real_render = rendering.render_document
    monkeypatch.setattr(rendering, "render_document", lambda html: laid_out.append(real_render(html)) or laid_out[-1])
    build = services.build_create(report=report_2024)
    both = rendering.htmls_to_pdfs(rendering.build_htmls(build))
    (document,) = laid_out
    ours = [page for page in painted if any(page is laid for laid in document.pages)]  # not the parts' pages
    assert len(ours) == len(document.pages) == len(set(map(id, ours)))

    a4_in_css_px = (0, 0, 794, 1123)  # the watermark's form: the whole page, in CSS px
    draft_forms, signed_forms = _form_boxes(both.draft.pdf), _form_boxes(both.signed.pdf)
    assert len(draft_forms) == len(signed_forms) == both.draft.pages == both.signed.pages
    assert all(a4_in_css_px in forms for forms in draft_forms)
    assert not any(a4_in_css_px in forms for forms in signed_forms)
    subjects = [_subject(pdf) for pdf in (both.draft.pdf, both.signed.pdf)]
    assert subjects[0].endswith(" – DRAF")
    assert subjects[1].endswith(f"/laporan/verifikasi/{build.verification_code}/")
