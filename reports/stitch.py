"""One pass from WeasyPrint's layout to the report's final PDF, appendix pages included.

WeasyPrint lays out the report's own pages and, for each appendix part (reports/parts.py)
and the other evidence (a part of the report's body, without labels),
only its first reserved page (the *placeholder*: DRAF mark or signed statement, an empty
box, no label text, no page number). While WeasyPrint writes the PDF (its `finisher`, before
anything is serialised) this module:

- inserts, after each placeholder, one more page per further page of the part, sharing the
  placeholder's content stream (the reserved pages of a part look the same until filled);
- draws on every reserved page the part's page in the box, its label ("Lampiran: ... –
  halaman n dari m", rendered once with the part) and its page number (rendered once per
  process, with the report's own footer style), as form XObjects;
- draws each uploaded PDF's page into its slot (evidence, attendance scans), framed;
- adds the headings of a part of the report's body (the other evidence's plans) to the
  report's outline, below the bookmark of the part's first page, each at its own page.

Nothing is parsed back: the stored parts are read once each and their objects copied
into the report's PDF as it is being written. The table of contents is right because the
placeholders' named pages (templates/reports/pdf/followup.html) advance the page counter
by the pages that are not laid out.
"""

from __future__ import annotations

import io
import re

import pydyf
from pyhanko.pdf_utils import generic

from . import attachments, parts

PT_PER_PX = attachments.PT_PER_PX
# lampiran-berkas-part-<sha256>-1: the placeholder of a part; beside it, its labels' anchor
# (a part shown twice, e.g. two identical attendance lists, adds its position: ids are unique)
PART_SLOT = re.compile(rf"^{attachments.SLOT_PREFIX}part-([0-9a-f]{{64}})-1(?:-\d+)?$")
LABEL_PREFIX = "lampiran-label-"
LABEL_ID = re.compile(rf"^{LABEL_PREFIX}([0-9a-f]{{64}})-\d+$")


class _Raw(pydyf.Object):
    """An object copied from another PDF, already serialised (its references renumbered)."""

    def __init__(self, data: bytes = b"", *, is_stream: bool = False):
        super().__init__()
        self._data = data
        self.is_stream = is_stream

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return not self.is_stream


def _primitive(value) -> bytes:
    out = io.BytesIO()
    value.write_to_stream(out, None)
    return out.getvalue()


class Importer:
    """Copies pages of other PDFs (pyHanko readers) into a pydyf PDF as form XObjects."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        self.done: dict[tuple[int, int, int], _Raw] = {}
        self.forms: dict[tuple[int, int], bytes] = {}

    def _ref(self, reader, indirect: generic.IndirectObject) -> bytes:
        key = (id(reader), indirect.idnum, indirect.generation)
        target = self.done.get(key)
        if target is None:
            target = _Raw()
            self.pdf.add_object(target)  # numbered before its content: cycles end here
            self.done[key] = target
            value = indirect.get_object()
            target.is_stream = isinstance(value, generic.StreamObject)
            target._data = self._encode(reader, value)
        return target.reference

    def _encode(self, reader, value) -> bytes:
        if isinstance(value, generic.IndirectObject):
            return self._ref(reader, value)
        if isinstance(value, generic.StreamObject):
            head = {k: v for k, v in value.items() if k != "/Length"}
            data = value.encoded_data
            body = b"".join(_primitive(generic.NameObject(k)) + b" " + self._encode(reader, v) for k, v in head.items())
            return b"<<" + body + b"/Length " + str(len(data)).encode() + b">>\nstream\n" + data + b"\nendstream"
        if isinstance(value, generic.DictionaryObject):
            body = b"".join(
                _primitive(generic.NameObject(k)) + b" " + self._encode(reader, v) for k, v in value.items()
            )
            return b"<<" + body + b">>"
        if isinstance(value, generic.ArrayObject):
            return b"[" + b" ".join(self._encode(reader, v) for v in value) + b"]"
        return _primitive(value)

    def page_form(self, reader, index: int) -> tuple[bytes, tuple[float, float, float, float]]:
        """A reference to page `index` of `reader` as a form XObject, and its box."""
        page = reader.root["/Pages"]["/Kids"][index].get_object()
        box = tuple(float(v) for v in page["/MediaBox"])
        key = (id(reader), index)
        if key not in self.forms:
            contents = page["/Contents"]
            streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
            data = b"\n".join(s.get_object().data for s in streams)
            resources = page.raw_get("/Resources")
            form = pydyf.Stream(
                [data],
                {
                    "Type": "/XObject",
                    "Subtype": "/Form",
                    "BBox": pydyf.Array(box),
                    "Resources": self._encode(reader, resources),
                },
                compress=True,
            )
            self.pdf.add_object(form)
            self.forms[key] = form.reference
        return self.forms[key], box


def _stream_of(pdf: pydyf.PDF, page: pydyf.Dictionary):
    return pdf.objects[_number(page["Contents"])]


def _part_of(page) -> tuple[str, object, object | None] | None:
    """(slot id, part reader, labels reader) of a placeholder page; None for any other page.
    A part of the report's body (the other evidence) has no label: its labels reader is None."""
    slot = next((name for name in page.anchors if PART_SLOT.match(name)), None)
    if slot is None:
        return None
    label = next((name for name in page.anchors if LABEL_ID.match(name)), None)
    content = parts.part_reader(PART_SLOT.match(slot).group(1))
    labels = parts.part_reader(LABEL_ID.match(label).group(1)) if label is not None else None
    if content is None or (label is not None and labels is None):
        return None
    return slot, content, labels


def _count(reader) -> int:
    return int(reader.root["/Pages"]["/Count"])


class Finisher:
    """The WeasyPrint finisher that completes the report (see the module's docstring);
    `pages` is the final page count once the PDF is written."""

    def __init__(self, first_numbered: str = "bab-1"):
        self.first_numbered = first_numbered  # the anchor of the page numbered 1
        self.pages = 0

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        importer = Importer(pdf)
        kids = pdf.pages["Kids"]
        page_dicts = [pdf.objects[kids[i]] for i in range(0, len(kids), 3)]
        placeholders = {index: _part_of(page) for index, page in enumerate(document.pages)}
        placeholders = {index: found for index, found in placeholders.items() if found is not None}
        self.pages = len(page_dicts) + sum(_count(content) - 1 for _s, content, _l in placeholders.values())
        if not page_dicts or (not placeholders and not any(attachments.slot_positions_of(p) for p in document.pages)):
            return
        numbers = parts.page_numbers(self.pages) if placeholders else None
        resources = pdf.objects[_number(page_dicts[0]["Resources"])]
        xobjects = resources["XObject"]
        serial = 0
        sources: dict = {}

        def place(ops: list, form_ref: bytes, matrix: tuple) -> None:
            nonlocal serial
            serial += 1
            name = f"Lampiran{serial}"
            xobjects[name] = form_ref
            a, b, c, d, e, f = matrix
            ops.append(f"q {a:.5f} {b} {c} {d:.5f} {e:.2f} {f:.2f} cm /{name} Do Q".encode())

        def fitted(ops: list, reader, index: int, box: tuple, page_height: float) -> tuple[float, ...]:
            x, y, box_w, box_h = box
            form, (left, bottom, right, top) = importer.page_form(reader, index)
            width, height = right - left, top - bottom
            scale = min(box_w / width, box_h / height)
            fx, fy = x + (box_w - width * scale) / 2, page_height - y - height * scale
            place(ops, form, (scale, 0, 0, scale, fx - left * scale, fy - bottom * scale))
            return fx, fy, width * scale, height * scale

        final: list[pydyf.Dictionary] = []
        numbered_from = None
        reserved: list[tuple[int, list]] = []
        body_parts: list[tuple[pydyf.Dictionary, object, list[pydyf.Dictionary]]] = []
        for index, (page, page_dict) in enumerate(zip(document.pages, page_dicts, strict=True)):
            page_height = page.height * PT_PER_PX
            if numbered_from is None and self.first_numbered in page.anchors:
                numbered_from = len(final)
            slots = attachments.slot_positions_of(page)
            ops: list = []
            for slot_id, box in sorted(slots.items()):
                if PART_SLOT.match(slot_id):
                    continue
                source = attachments.slot_source(slot_id, sources)
                if source is None or source[1] > _count(source[0]):
                    continue
                fx, fy, fw, fh = fitted(ops, source[0], source[1] - 1, box, page_height)
                ops.append(f"q 0.6 G 0.5 w {fx:.2f} {fy:.2f} {fw:.2f} {fh:.2f} re S Q".encode())
            found = placeholders.get(index)
            if found is None:
                if ops:
                    _wrap(pdf, page_dict, ops)
                final.append(page_dict)
                continue
            slot_id, content, labels = found
            base = page_dict["Contents"]
            _wrap(pdf, page_dict, ops)
            if labels is None:  # a part of the report's body: its headings join the report's outline
                body_parts.append((page_dict, content, []))
            for number in range(1, _count(content) + 1):
                if number == 1:
                    target, page_ops = page_dict, pdf.objects[_number(page_dict["Contents"][1])].stream
                else:
                    target = pydyf.Dictionary({k: v for k, v in page_dict.items() if k not in {"Annots", "Contents"}})
                    pdf.add_object(target)
                    overlay = pydyf.Stream([], compress=True)
                    pdf.add_object(overlay)
                    target["Contents"] = pydyf.Array([base, overlay.reference])
                    page_ops = overlay.stream
                fitted(page_ops, content, number - 1, slots[slot_id], page_height)
                if labels is not None and number - 1 < _count(labels):
                    place(page_ops, importer.page_form(labels, number - 1)[0], (1, 0, 0, 1, 0, 0))
                reserved.append((len(final), page_ops))
                final.append(target)
                if labels is None:
                    body_parts[-1][2].append(target)
        if numbers is not None and numbered_from is not None:
            for final_index, page_ops in reserved:
                shown = final_index - numbered_from + 1
                if 1 <= shown <= _count(numbers):
                    place(page_ops, importer.page_form(numbers, shown - 1)[0], (1, 0, 0, 1, 0, 0))
        pdf.pages["Kids"] = pydyf.Array([v for p in final for v in (p.number, 0, "R")])
        pdf.pages["Count"] = len(final)
        for placeholder, content, targets in body_parts:
            _graft_outline(pdf, placeholder, _part_headings(content), targets)


def _part_headings(reader) -> list[tuple[str, int]]:
    """The headings under a part's own top heading, from its outline: (title, page index in the part)."""
    root = reader.root.get("/Outlines")
    if root is None:
        return []
    pages = [kid.get_object() for kid in reader.root["/Pages"]["/Kids"]]
    found: list[tuple[str, int]] = []

    def walk(node) -> None:
        while node is not None:
            node = node.get_object()
            page = node.raw_get("/Dest")[0].get_object()
            found.append((str(node["/Title"]), next(i for i, kid in enumerate(pages) if kid is page)))
            if "/First" in node:
                walk(node["/First"])
            node = node.get("/Next")

    top = root.get_object().get("/First")
    while top is not None:  # the part's own top heading is the report's already (its placeholder's)
        top = top.get_object()
        if "/First" in top:
            walk(top["/First"])
        top = top.get("/Next")
    return found


def _graft_outline(pdf: pydyf.PDF, placeholder: pydyf.Dictionary, headings, targets) -> None:
    """Add `headings` (title, page index in the part) below the report's bookmark of the part's
    first page, each pointing at the report page that shows that page of the part."""
    if not headings or "Outlines" not in pdf.catalog:
        return
    parent = _outline_item_at(pdf, pdf.objects[_number(pdf.catalog["Outlines"])], placeholder.number)
    if parent is None:
        return
    items = []
    for title, index in headings:
        target = targets[min(index, len(targets) - 1)]
        item = pydyf.Dictionary(
            {"Title": pydyf.String(title), "Parent": parent.reference, "Dest": pydyf.Array((target.reference, "/Fit"))}
        )
        pdf.add_object(item)
        if items:
            item["Prev"], items[-1]["Next"] = items[-1].reference, item.reference
        items.append(item)
    parent["First"], parent["Last"] = items[0].reference, items[-1].reference
    parent["Count"] = len(items)
    node = parent
    while "Parent" in node:  # each open ancestor, and the outline's root, shows them too
        node = pdf.objects[_number(node["Parent"])]
        if node.get("Count", 0) < 0:
            break
        node["Count"] = node.get("Count", 0) + len(items)


def _outline_item_at(pdf: pydyf.PDF, node: pydyf.Dictionary, page_number: int) -> pydyf.Dictionary | None:
    """The first outline item below `node` whose destination is the page object `page_number`
    and that has no items below it yet."""
    reference = node.get("First")
    while reference is not None:
        item = pdf.objects[_number(reference)]
        if "First" not in item and _number(item["Dest"][0]) == page_number:
            return item
        found = _outline_item_at(pdf, item, page_number)
        if found is not None:
            return found
        reference = item.get("Next")
    return None


def _number(reference) -> int:
    """The object number of a reference as pydyf writes it ("12 0 R")."""
    return int(reference.split()[0])


def _stream_ref(page_dict: pydyf.Dictionary) -> bytes:
    contents = page_dict["Contents"]
    return contents[0] if isinstance(contents, pydyf.Array) else contents


def _wrap(pdf: pydyf.PDF, page_dict: pydyf.Dictionary, ops: list) -> None:
    """Wrap the page's WeasyPrint drawing in q ... Q (its flipped y axis ends there), then `ops`."""
    contents = page_dict["Contents"]
    if isinstance(contents, pydyf.Array):  # already wrapped
        pdf.objects[_number(contents[1])].stream.extend(ops)
        return
    stream = _stream_of(pdf, page_dict)
    stream.stream.insert(0, b"q")
    stream.stream.append(b"Q")
    extra = pydyf.Stream(list(ops), compress=True)
    pdf.add_object(extra)
    page_dict["Contents"] = pydyf.Array([contents, extra.reference])
