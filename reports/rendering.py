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
from django.utils.translation import gettext as _

from skm_portal.pdf import render_document

from . import assembly, parts, signing, stitch
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


@dataclass
class AppendixPart:
    """An appendix part as the report places it: its first reserved page is laid out under the
    named page `page_name`, whose counter increment also counts the previous part's pages that
    are not laid out (reports/stitch.py adds them)."""

    part: parts.Part
    labels: parts.Labels
    reserved_label: str  # the label's HTML with the longest page number: the room it takes
    page_name: str = ""
    increment: int = 1

    @property
    def slot_id(self) -> str:
        return parts.part_slot_id(self.part.fingerprint, 1)

    @property
    def label_id(self) -> str:
        return f"{stitch.LABEL_PREFIX}{self.labels.fingerprint}"


def _appendix_part(fragment, label: str) -> AppendixPart:
    part = parts.part_for(fragment)
    return AppendixPart(
        part=part,
        labels=parts.labels_for(label, part.pages),
        reserved_label=mark_safe(parts.label_html(label, part.pages, part.pages)),  # noqa: S308 - our template
    )


def _documents_parts(data: assembly.FollowupReportData) -> list[tuple[assembly.AppendixDocument, AppendixPart]]:
    """Each appendix document as a part (rendered once, until its HTML changes)."""
    rendered = []
    for document in data.documents:
        html = render_to_string(document.template, {"office": data.office, **document.context})
        label = _("Lampiran: %(title)s") % {"title": document.title}
        rendered.append((document, _appendix_part(mark_safe(html), label)))  # noqa: S308 - our own templates, autoescaped
    return rendered


def _period_parts(data: assembly.FollowupReportData) -> list[tuple[object, AppendixPart]]:
    return [
        (
            s,
            _appendix_part(
                render_to_string("reports/pdf/_period_appendix.html", {"s": s}),
                _("Lampiran: Hasil SKM %(name)s") % {"name": s.period.name},
            ),
        )
        for s in data.periods
    ]


# The reserved pages' footer: the report's (static/css/documents.css @page report-main) with
# the page number left to reports/stitch.py.
_PART_PAGE_RULE = (
    "@page %(name)s { margin-bottom: 2.9cm; counter-increment: page %(increment)s; "
    "@bottom-left { content: element(report-esign); vertical-align: top; padding-top: 6pt; margin-bottom: 1.6cm; } "
    "@bottom-right { content: none; } }"
)
_AFTER_PARTS_RULE = (
    "@page lampiran-sesudah { margin-bottom: 2.9cm; "
    "@bottom-left { content: element(report-esign); vertical-align: top; padding-top: 6pt; margin-bottom: 1.6cm; } "
    "@bottom-right { content: counter(page); font-size: 10pt; vertical-align: top; padding-top: 6pt; margin-bottom: 1.6cm; } }"
    " @page :nth(1 of lampiran-sesudah) { counter-increment: page %(increment)s; }"
)


def _number_parts(entries: list[AppendixPart]) -> str:
    """Name each part's page and return the CSS that keeps the page numbers right."""
    rules, pending = [], 0  # pages of the previous part that are not laid out
    for position, entry in enumerate(entries, start=1):
        entry.page_name, entry.increment = f"lampiran-bagian-{position}", 1 + pending
        rules.append(_PART_PAGE_RULE % {"name": entry.page_name, "increment": entry.increment})
        pending = entry.part.pages - 1
    if entries:
        rules.append(_AFTER_PARTS_RULE % {"increment": 1 + pending})
    return mark_safe("\n".join(rules))  # noqa: S308 - built here from integers


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
            documents, period_parts = _documents_parts(data), _period_parts(data)
            part_css = _number_parts([entry for _item, entry in [*period_parts, *documents]])
            extra = {"documents": documents, "period_parts": period_parts, "part_css": part_css}
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
    load), completed in the same pass (reports/stitch.py): the appendix parts' pages with their
    labels and numbers, and the uploaded PDFs' pages in their slots."""
    document = render_document(html)
    finish = stitch.Finisher()
    pdf = document.write_pdf(finisher=finish)
    return RenderedPdf(pdf=pdf, pages=finish.pages or len(document.pages))
