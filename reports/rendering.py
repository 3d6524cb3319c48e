"""Report HTML and PDF: the data of `assembly` in the templates under templates/reports/pdf/.

The HTML of a build is deterministic (same data, same report text, same verification
code -> same bytes), so signing can check that nothing changed since the draft was made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from skm_portal.pdf import BASE_URL, url_fetcher

from . import assembly, attachments, signing
from .models import Report, ReportBuild

KEYWORD_PREFIX = "skm-report:"


def verify_path(code: str) -> str:
    try:
        return reverse("reports:verify_code", kwargs={"ref": code})
    except NoReverseMatch:  # the app's URLs not (yet) included: the path they will have
        return f"/laporan/verifikasi/{code}/"


def verify_url(code: str) -> str:
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + verify_path(code)


def qr_svg(url: str) -> SafeString:
    # omitsize: a viewBox instead of a fixed size, so the stylesheet decides how large it prints.
    return mark_safe(segno.make(url, error="m", micro=False).svg_inline(border=1, omitsize=True))  # noqa: S308


def region_of(office) -> str:
    """ "Pemerintah Provinsi Kalimantan Timur" -> "Provinsi Kalimantan Timur"."""
    government = (office.government or "").strip()
    return government.removeprefix("Pemerintah ").strip() or government


def join_words(words: list[str], conjunction: str = "dan") -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def _signature(office) -> dict:
    return {
        "title": office.head_title,
        "name": office.head_name,
        "rank": office.head_rank,
        "nip": office.head_nip,
    }


def _documents_html(data: assembly.FollowupReportData) -> list[tuple[assembly.AppendixDocument, SafeString]]:
    rendered = []
    for document in data.documents:
        html = render_to_string(document.template, {"office": data.office, **document.context})
        rendered.append((document, mark_safe(html)))  # noqa: S308 - our own templates, autoescaped
    return rendered


@dataclass
class RenderedHtml:
    html: str
    sha256: str


def report_html(report: Report, *, code: str, version_number: int) -> RenderedHtml:
    """The final HTML of a report for a verification code and version number."""
    with translation.override(settings.LANGUAGE_CODE):
        if report.kind == Report.Kind.RESULTS:
            data = assembly.results_report_data(report.period)
            template = "reports/pdf/results.html"
            extra: dict = {}
        else:
            data = assembly.followup_report_data(report.year)
            template = "reports/pdf/followup.html"
            extra = {"documents": _documents_html(data)}
        url = verify_url(code)
        place = report.place or data.office.city
        context = {
            "place_date": f"{place}, {date_filter(report.document_date, 'j F Y')}" if place else "",
            "report": report,
            "data": data,
            "office": data.office,
            "region": region_of(data.office),
            "signature": _signature(data.office),
            "qr_svg": qr_svg(url),
            "verify_url": url,
            "esign_sentence": signing.esign_sentence(office_name=data.office.name, verify_url=url),
            "keywords": f"{KEYWORD_PREFIX}{code}",
            "code": code,
            "version_number": version_number,
            **extra,
        }
        html = render_to_string(template, context)
    return RenderedHtml(html=html, sha256=hashlib.sha256(html.encode("utf-8")).hexdigest())


def build_html(build: ReportBuild) -> RenderedHtml:
    return report_html(build.report, code=build.verification_code, version_number=build.version_number)


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int


def html_to_pdf(html: str) -> RenderedPdf:
    """WeasyPrint with the portal's local-only fetcher (static and media from disk); the
    pages reserved for uploaded PDFs in the appendix then receive those pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render()
    pdf = attachments.fill_slots(document.write_pdf(), attachments.slot_positions(document))
    return RenderedPdf(pdf=pdf, pages=len(document.pages))
