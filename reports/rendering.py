"""Report HTML and PDF: the data of `assembly` in the templates under templates/reports/pdf/.

The HTML of a build is deterministic (same data, same report text, same verification
code -> same bytes), so signing can check that nothing changed since the draft was made.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass

import pydyf
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
    labels: parts.Labels | None  # None: a part of the report's body, pages without a label
    reserved_label: str = ""  # the label's HTML with the longest page number: the room it takes
    page_name: str = ""
    increment: int = 1
    position: int = 0  # among the report's parts, from 1
    repeated: bool = False  # the same part shown earlier in the report (same HTML)

    @property
    def slot_id(self) -> str:
        slot = parts.part_slot_id(self.part.fingerprint, 1)
        return f"{slot}-{self.position}" if self.repeated else slot  # ids stay unique

    @property
    def label_id(self) -> str:
        return f"{stitch.LABEL_PREFIX}{self.labels.fingerprint}-{self.position}" if self.labels else ""


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


def _evidence_part(data: assembly.FollowupReportData) -> AppendixPart | None:
    """The other evidence (the part of the report that grows with the year's uploads and
    links) as a part of the report's body: laid out once until its HTML or an upload changes;
    the report lays out only its first page (templates/reports/pdf/followup.html)."""
    if not data.evidence:
        return None
    html = render_to_string("reports/pdf/_evidence.html", {"evidence": data.evidence})
    uploads = " ".join(item.file.sha256 for item in data.evidence if item.file and item.file.sha256)
    part = parts.part_for(mark_safe(html), template=parts.BODY_PART_TEMPLATE, sources=uploads)  # noqa: S308 - our template
    return AppendixPart(part=part, labels=None)


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
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        entry.page_name, entry.increment = f"lampiran-bagian-{position}", 1 + pending
        entry.position, entry.repeated = position, entry.part.fingerprint in seen
        seen.add(entry.part.fingerprint)
        rules.append(_PART_PAGE_RULE % {"name": entry.page_name, "increment": entry.increment})
        pending = entry.part.pages - 1
    if entries:
        rules.append(_AFTER_PARTS_RULE % {"increment": 1 + pending})
    return mark_safe("\n".join(rules))  # noqa: S308 - built here from integers


@dataclass
class RenderedHtml:
    html: str
    sha256: str


def _report_context(report: Report, *, code: str, version_number: int) -> tuple[str, dict]:
    """The template and context of a report (data gathered once), without its marks."""
    if report.kind == Report.Kind.RESULTS:
        data = assembly.results_report_data(report.period)
        template = "reports/pdf/results.html"
        extra: dict = {}
    else:
        data = assembly.followup_report_data(report.year)
        template = "reports/pdf/followup.html"
        documents, period_parts, evidence = _documents_parts(data), _period_parts(data), _evidence_part(data)
        entries = [entry for _item, entry in [*period_parts, *documents]] + ([evidence] if evidence else [])
        part_css = _number_parts(entries)
        extra = {"documents": documents, "period_parts": period_parts, "evidence_part": evidence, "part_css": part_css}
    place = report.place or data.office.city
    return template, {
        "place_date": f"{place}, {date_filter(report.document_date, 'j F Y')}" if place else "",
        "report": report,
        "data": data,
        "office": data.office,
        "region": region_of(data.office),
        "signature": _signature(data.office),
        "keywords": f"{KEYWORD_PREFIX}{code}",
        "code": code,
        "version_number": version_number,
        **extra,
    }


def _rendered(html: str) -> RenderedHtml:
    return RenderedHtml(html=html, sha256=hashlib.sha256(html.encode("utf-8")).hexdigest())


def _marks(context: dict, code: str) -> signing.SignedMarks:
    return signing.signed_marks(code=code, office_name=context["office"].name)


def report_html(report: Report, *, code: str, version_number: int, signed: bool = False) -> RenderedHtml:
    """The HTML of a report for a verification code and version number.

    A draft (signed=False) says DRAF on every page and claims no signature; the signed
    version (signed=True) carries the statement, QR code and verification link instead.
    """
    with translation.override(settings.LANGUAGE_CODE):
        template, context = _report_context(report, code=code, version_number=version_number)
        html = render_to_string(template, {**context, "signed": _marks(context, code) if signed else None})
    return _rendered(html)


@dataclass
class ReportHtmls:
    """A build's draft and signed HTML, and the HTML laid out once for both (`layout`: every
    mark of both, those of the other version hidden when each is painted)."""

    draft: RenderedHtml
    signed: RenderedHtml
    layout: str


def report_htmls(report: Report, *, code: str, version_number: int) -> ReportHtmls:
    with translation.override(settings.LANGUAGE_CODE):
        template, context = _report_context(report, code=code, version_number=version_number)
        marks = _marks(context, code)
        return ReportHtmls(
            draft=_rendered(render_to_string(template, {**context, "signed": None})),
            signed=_rendered(render_to_string(template, {**context, "signed": marks})),
            layout=render_to_string(template, {**context, "signed": marks, "draft_marks": True}),
        )


def build_html(build: ReportBuild, *, signed: bool = False) -> RenderedHtml:
    return report_html(build.report, code=build.verification_code, version_number=build.version_number, signed=signed)


def build_htmls(build: ReportBuild) -> ReportHtmls:
    return report_htmls(build.report, code=build.verification_code, version_number=build.version_number)


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


# Boxes of marks that only one version shows (templates/documents/base_a4.html, the reports'
# templates): hidden while the other version is painted from the shared layout.
DRAFT_ONLY = frozenset({"draft-watermark", "draft-mark"})
SIGNED_ONLY = frozenset({"report-esign", "signature-qr"})


@contextmanager
def _hidden(boxes: list):
    """Paint without `boxes` (and their content); restored afterwards. Backgrounds are
    resolved at layout, so they go too."""
    saved = []
    for box in boxes:
        for inner in box.descendants():
            saved.append((inner, inner.style["visibility"], getattr(inner, "background", None)))
            inner.style["visibility"] = "hidden"
            if hasattr(inner, "background"):
                inner.background = None
    try:
        yield
    finally:
        for inner, visibility, background in reversed(saved):
            inner.style["visibility"] = visibility
            if hasattr(inner, "background"):
                inner.background = background


@dataclass
class DraftAndSigned:
    draft: RenderedPdf
    signed: RenderedPdf


def _mark_boxes(page_box, classes: frozenset[str]) -> list:
    """The outermost boxes of elements with one of `classes` on a laid-out page, in tree order."""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    found = []

    def walk(box) -> None:
        if isinstance(box, AbsolutePlaceholder):  # a positioned box where it left the flow
            box = box._box
        element = getattr(box, "element", None)
        if element is not None and classes.intersection((element.get("class") or "").split()):
            found.append(box)
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page_box)
    return found


class _Marks(pydyf.Object):
    """The place of the marks in a page's content stream: the ops of the version being
    written (`shown["version"]`)."""

    def __init__(self, ops: dict[str, bytes], shown: dict[str, str]):
        super().__init__()
        self.ops, self.shown = ops, shown

    @property
    def data(self) -> bytes:
        return self.ops[self.shown["version"]]


def _marks_key(page_box, boxes: list) -> tuple:
    """What a page's marks look like: every box of them (its element, place, size, text,
    image). Pages with the same key get the same marks: painted once, drawn again from the
    same ops (the DRAF mark and watermark, the footer statement on every page)."""
    key: list = [page_box.width, page_box.height]
    for box in boxes:
        for inner in box.descendants():
            key.append(
                (
                    type(inner).__name__,
                    id(inner.element) if inner.element is not None else None,
                    inner.position_x,
                    inner.position_y,
                    inner.width,
                    inner.height,
                    getattr(inner, "text", None),
                    id(getattr(inner, "replacement", None)),
                )
            )
    return tuple(key)


def _paint_split(page, shown: dict[str, str], own_xobjects: dict[str, set[str]], painted: dict[tuple, bytes]):
    """A page's `paint` that paints what both versions share once (every mark hidden), then
    each version's marks alone, and leaves a `_Marks` where they go. The marks take no room
    and overlap nothing but the DRAF watermark's text below it (painted over the text before
    too: a positioned box), so painting them last looks the same. The form XObjects a
    version's marks add (the watermark) are noted in `own_xobjects`; marks already painted
    on another page (`painted`, by `_marks_key`) are drawn again from the same ops: the
    pages share one resource dictionary, so the watermark's form is made once, not per page."""
    from weasyprint.draw import draw_stacking_context
    from weasyprint.stacking import StackingContext

    def paint(stream, scale=1):
        marks = {"draft": _mark_boxes(page._page_box, DRAFT_ONLY), "signed": _mark_boxes(page._page_box, SIGNED_ONLY)}
        with _hidden([*marks["draft"], *marks["signed"]]):
            type(page).paint(page, stream, scale)
        ops = {}
        for version, boxes in marks.items():
            key = (version, scale, _marks_key(page._page_box, boxes))
            if key not in painted:
                start, before = len(stream.stream), set(stream._resources["XObject"])
                with stream.stacked():
                    stream.transform(a=scale, d=scale)
                    for box in boxes:
                        draw_stacking_context(stream, StackingContext.from_box(box, page._page_box))
                painted[key] = b"\n".join(pydyf._to_bytes(item) for item in stream.stream[start:])
                del stream.stream[start:]
                own_xobjects[version] |= set(stream._resources["XObject"]) - before
            ops[version] = painted[key]
        stream.stream.append(_Marks(ops, shown))

    return paint


@contextmanager
def _without_xobjects(pdf: pydyf.PDF, resources: pydyf.Dictionary, keys: set[str]):
    """Write `pdf` without the form XObjects `keys` of its pages' shared resources (the other
    version's marks): their names are taken out and their objects, and their resources',
    written as empty dictionaries (the marks' forms hold no further forms); restored afterwards."""
    names = resources["XObject"]
    taken = {key: names.pop(key) for key in keys if key in names}
    swapped = []
    for reference in taken.values():
        number = int(reference.split()[0])
        form = pdf.objects[number]
        numbers = [number]
        inner = getattr(form, "extra", {}).get("Resources")
        if isinstance(inner, bytes):
            numbers.append(int(inner.split()[0]))
        for n in numbers:
            empty = pydyf.Dictionary()
            empty.number = n
            swapped.append((n, pdf.objects[n]))
            pdf.objects[n] = empty
    try:
        yield
    finally:
        for n, original in reversed(swapped):
            pdf.objects[n] = original
        names.update(taken)


def htmls_to_pdfs(htmls: ReportHtmls) -> DraftAndSigned:
    """The draft and the (not yet PAdES-signed) signed version of a build from ONE layout,
    painted once: they differ only in marks that take no room (DRAF, which is fixed; the
    statement in the footer margin; the QR code in the signature's reserved space). What
    both share is painted once, each version's marks apart (`_paint_split`); the PDF is
    completed once (reports/stitch.py) and written twice, each time with one version's marks."""
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf import generate_pdf

    document = render_document(htmls.layout)
    description = document.metadata.description
    shown = {"version": "draft"}
    own_xobjects: dict[str, set[str]] = {"draft": set(), "signed": set()}
    options = dict(DEFAULT_OPTIONS)
    painted: dict[tuple, bytes] = {}
    for page in document.pages:
        page.paint = _paint_split(page, shown, own_xobjects, painted)
    try:
        pdf = generate_pdf(document, None, 1, **options)
    finally:
        for page in document.pages:
            del page.paint
    finish = stitch.Finisher()
    finish(document, pdf)
    pages = finish.pages or len(document.pages)
    resources = pdf.objects[int(pdf.objects[pdf.pages["Kids"][0]]["Resources"].split()[0])]
    written = {}
    objects = len(pdf.objects)
    for version, other, subject in (
        ("draft", "signed", _draft_description(description)),
        ("signed", "draft", description),
    ):
        shown["version"] = version
        if subject:
            pdf.info["Subject"] = pydyf.String(subject)
        del pdf.objects[objects:]  # what the previous write added: its info, object and xref streams
        pdf.current_position, pdf.xref_position = 0, None
        output = io.BytesIO()
        with _without_xobjects(pdf, resources, own_xobjects[other]):
            pdf.write(output, options["pdf_version"], options["pdf_identifier"], not options["uncompressed_pdf"])
        written[version] = RenderedPdf(pdf=output.getvalue(), pages=pages)
    return DraftAndSigned(draft=written["draft"], signed=written["signed"])


def _draft_description(description: str | None) -> str | None:
    return description.rsplit(" – ", 1)[0] + " – DRAF" if description else description
