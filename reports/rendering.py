"""Report HTML and PDF: the data of `assembly` in the templates under templates/reports/pdf/.

The HTML of a build is deterministic (same data, same report text, same verification
code -> same bytes), so signing can check that nothing changed since the draft was made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from skm_portal.pdf import render_document

from . import assembly, attachments, parts, signing
from .models import Report, ReportBuild
from .signing import qr_svg, verify_path, verify_url  # noqa: F401 - used by callers of this module

KEYWORD_PREFIX = "skm-report:"


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


def _documents_parts(data: assembly.FollowupReportData) -> list[tuple[assembly.AppendixDocument, parts.Part]]:
    """Each appendix document as a part (rendered once, until its HTML changes)."""
    rendered = []
    for document in data.documents:
        html = render_to_string(document.template, {"office": data.office, **document.context})
        rendered.append((document, parts.part_for(mark_safe(html))))  # noqa: S308 - our own templates, autoescaped
    return rendered


def _period_parts(data: assembly.FollowupReportData) -> list[tuple[object, parts.Part]]:
    return [(s, parts.part_for(render_to_string("reports/pdf/_period_appendix.html", {"s": s}))) for s in data.periods]


@dataclass
class RenderedHtml:
    html: str
    sha256: str


def report_html(report: Report, *, code: str, version_number: int, signed: bool = False) -> RenderedHtml:
    """The HTML of a report for a verification code and version number.

    A draft (signed=False) says DRAF on every page and claims no signature; the signed
    version (signed=True) carries the statement, QR code and verification link instead.
    """
    with translation.override(settings.LANGUAGE_CODE):
        if report.kind == Report.Kind.RESULTS:
            data = assembly.results_report_data(report.period)
            template = "reports/pdf/results.html"
            extra: dict = {}
        else:
            data = assembly.followup_report_data(report.year)
            template = "reports/pdf/followup.html"
            extra = {"documents": _documents_parts(data), "period_parts": _period_parts(data)}
        place = report.place or data.office.city
        context = {
            "place_date": f"{place}, {date_filter(report.document_date, 'j F Y')}" if place else "",
            "report": report,
            "data": data,
            "office": data.office,
            "region": region_of(data.office),
            "signature": _signature(data.office),
            "signed": signing.signed_marks(code=code, office_name=data.office.name) if signed else None,
            "keywords": f"{KEYWORD_PREFIX}{code}",
            "code": code,
            "version_number": version_number,
            **extra,
        }
        html = render_to_string(template, context)
    return RenderedHtml(html=html, sha256=hashlib.sha256(html.encode("utf-8")).hexdigest())


def build_html(build: ReportBuild, *, signed: bool = False) -> RenderedHtml:
    return report_html(build.report, code=build.verification_code, version_number=build.version_number, signed=signed)


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int


def html_to_pdf(html: str) -> RenderedPdf:
    """WeasyPrint with the portal's local-only fetcher (PdfResourceError if anything fails to
    load); the pages reserved for uploaded PDFs in the appendix then receive those pages."""
    document = render_document(html)
    pdf = attachments.fill_slots(document.write_pdf(), attachments.slot_positions(document))
    return RenderedPdf(pdf=pdf, pages=len(document.pages))
