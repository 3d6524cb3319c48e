"""Uploaded files in the report's appendix: images as images, PDFs as their own pages.

WeasyPrint cannot place a page of another PDF. The report therefore reserves one page per
page of an uploaded PDF: a *slot* (an empty box with an id) under a label, on a page that
has the report's own footer and page number. After layout, each slot receives its page of
the uploaded PDF, scaled to fit, as a form XObject drawn on top of the reserved page: in a
report while WeasyPrint writes the PDF (reports/stitch.py, `slot_positions_of`,
`slot_source`); in an appendix part, rendered once, by `fill_slots` (pyHanko's writer,
copied into a fresh file: no incremental update before signing). The table of contents
and the page numbers stay right because the pages existed during layout.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from skm_portal.enums import StateEnum

SLOT_PREFIX = "lampiran-berkas-"
# The box a slot occupies (static/css/documents.css .attachment-slot: the report's content
# area less the label line above it); used only when WeasyPrint reports no box size.
SLOT_WIDTH_CM = 16.5
SLOT_HEIGHT_CM = 22.8
MAX_EMBEDDED_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 40  # a longer upload is listed, not copied into the report
# evidence-<pk>-<page>, scan-<pk>-<page>, part-<sha256>-<page> (reports/parts.py)
_SLOT_ID = re.compile(rf"^{SLOT_PREFIX}(evidence|scan|part)-(\d+|[0-9a-f]{{64}})-(\d+)$")
PT_PER_CM = 72 / 2.54
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS px (1/96 in)


@dataclass(frozen=True)
class Slot:
    id: str
    number: int


class FileKind(StateEnum):
    IMAGE = "image"
    PDF = "pdf"
    LISTED = "listed"  # named only, with the reason in `note`


@dataclass(frozen=True)
class AttachedFile:
    """What the appendix shows of an uploaded file."""

    Kind = FileKind  # for templates: {% if file.kind == file.Kind.PDF %}

    key: str  # "evidence-12", "scan-3": the source of the slots
    title: str
    kind: FileKind
    data_uri: str = ""
    pages: int = 0
    sha256: str = ""
    file_name: str = ""
    note: str = ""

    @property
    def slots(self) -> list[Slot]:
        return [Slot(f"{SLOT_PREFIX}{self.key}-{n}", n) for n in range(1, self.pages + 1)]


def _reader(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.encrypted:
        raise ValueError("encrypted")
    return reader


def pdf_page_count(data: bytes) -> int:
    return int(_reader(data).root["/Pages"]["/Count"])


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            data = handle.read(MAX_EMBEDDED_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_EMBEDDED_BYTES else data


def attached_file(*, key: str, title: str, field_file, content_type: str, file_name: str = "", sha256: str = ""):
    """The appendix's view of an uploaded PDF, JPEG or PNG (checked by content when it was uploaded)."""
    data = _read(field_file)
    common = {"key": key, "title": title, "sha256": sha256, "file_name": file_name}
    if data is None:
        return AttachedFile(
            kind=FileKind.LISTED, note=_("Berkas tidak dapat dimuat ke laporan (hilang atau terlalu besar)."), **common
        )
    if content_type.startswith("image/"):
        uri = f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
        return AttachedFile(kind=FileKind.IMAGE, data_uri=uri, **common)
    if content_type == "application/pdf":
        try:
            pages = pdf_page_count(data)
        except Exception:
            return AttachedFile(
                kind=FileKind.LISTED, note=_("Berkas PDF tidak dapat dibaca (rusak atau terkunci)."), **common
            )
        if not 0 < pages <= MAX_PDF_PAGES:
            note = _("Berkas PDF %(pages)s halaman; dilampirkan terpisah.") % {"pages": pages}
            return AttachedFile(kind=FileKind.LISTED, note=note, **common)
        return AttachedFile(kind=FileKind.PDF, pages=pages, **common)
    return AttachedFile(kind=FileKind.LISTED, note=_("Jenis berkas tidak dapat ditampilkan."), **common)


def _source(kind: str, pk: str) -> bytes | None:
    from followup.models import AttendanceScan, Evidence

    if kind == "part":
        from .parts import part_bytes

        return part_bytes(pk)
    model = Evidence if kind == "evidence" else AttendanceScan
    item = model.objects.filter(pk=pk).first()
    return _read(item.file) if item is not None else None


def slot_positions_of(page) -> dict[str, tuple[float, float, float, float]]:
    """{slot id: (left, top, width, height)} in PDF points of one laid-out page (y from the top)."""
    found = {}
    for name, position in page.anchors.items():
        if not name.startswith(SLOT_PREFIX):
            continue
        if len(position) == 4:  # WeasyPrint >= 61: the box's corners
            x1, y1, x2, y2 = position
            width, height = (x2 - x1) * PT_PER_PX, (y2 - y1) * PT_PER_PX
        else:  # older: its top-left point only; the box has the template's size
            x1, y1 = position
            width, height = SLOT_WIDTH_CM * PT_PER_CM, SLOT_HEIGHT_CM * PT_PER_CM
        found[name] = (x1 * PT_PER_PX, y1 * PT_PER_PX, width, height)
    return found


def slot_source(slot_id: str, cache: dict):
    """(pyHanko reader, page number) of an uploaded PDF's slot; None when it cannot be read.
    `cache` keeps each source's reader for the build (every page of an upload is a slot)."""
    match = _SLOT_ID.match(slot_id)
    if match is None:
        return None
    kind, pk, number = match.group(1), match.group(2), int(match.group(3))
    if (kind, pk) not in cache:
        data = _source(kind, pk)
        try:
            cache[(kind, pk)] = _reader(data) if data else None
        except Exception:
            cache[(kind, pk)] = None
    reader = cache[(kind, pk)]
    return (reader, number) if reader is not None else None


def slot_positions(document) -> dict[str, tuple[int, float, float, float, float, float]]:
    """{slot id: (page index, left, top, width, height, page height)} in PDF points, the
    slots' boxes as WeasyPrint laid them out (y measured from the top of the page)."""
    return {
        name: (index, *box, page.height * PT_PER_PX)
        for index, page in enumerate(document.pages)
        for name, box in slot_positions_of(page).items()
    }


def fill_slots(pdf: bytes, positions: dict[str, tuple[int, float, float, float, float, float]]) -> bytes:
    """Draw each slot's page of its uploaded PDF into the reserved box; a fresh, plain PDF."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    if not positions:
        return pdf
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
    sources: dict[tuple[str, int], object] = {}
    # WeasyPrint's pages may share one resource dictionary: every slot gets its own name.
    for serial, (slot_id, (page_index, x, y, box_w, box_h, page_height)) in enumerate(sorted(positions.items())):
        name = f"/Lampiran{serial + 1}"
        match = _SLOT_ID.match(slot_id)
        if match is None:
            continue
        kind, pk, number = match.group(1), match.group(2), int(match.group(3))
        if (kind, pk) not in sources:
            data = _source(kind, pk)
            sources[(kind, pk)] = _reader(data) if data else None
        source = sources[(kind, pk)]
        if source is None:
            continue
        xobject = writer.import_page_as_xobject(source, page_ix=number - 1)
        left, bottom, right, top = (float(v) for v in xobject.get_object()["/BBox"])
        width, height = right - left, top - bottom
        scale = min(box_w / width, box_h / height)
        # centred across the box, from its top edge down (PDF origin is bottom-left)
        origin_x = x + (box_w - width * scale) / 2 - left * scale
        origin_y = page_height - y - height * scale - bottom * scale
        frame = (
            f"q 0.6 G 0.5 w {x + (box_w - width * scale) / 2:.2f} {page_height - y - height * scale:.2f} "
            f"{width * scale:.2f} {height * scale:.2f} re S Q"
        )
        # The page's own content is wrapped in q ... Q so its transformation (WeasyPrint flips
        # the y axis) does not apply to the uploaded page drawn after it.
        opening = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
        writer.add_stream_to_page(page_index, opening, prepend=True)
        if kind == "part":  # the report's own page, not an upload: no frame around it
            frame = ""
        content = f"\nQ q {scale:.5f} 0 0 {scale:.5f} {origin_x:.2f} {origin_y:.2f} cm {name} Do Q {frame}\n"
        stream = writer.add_object(generic.StreamObject(stream_data=content.encode("ascii")))
        resources = generic.DictionaryObject(
            {generic.NameObject("/XObject"): generic.DictionaryObject({generic.NameObject(name): xobject})}
        )
        writer.add_stream_to_page(page_index, stream, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
