"""Read the first sheet of an .xlsx file row by row, in memory that does not grow with it.

An .xlsx file is a zip of XML parts. This module opens the zip, finds the first sheet
through `xl/workbook.xml` and its relationships, loads the shared-string table (the one
part held whole in memory: Excel stores each distinct text once there, so it grows with
the number of *distinct* texts, not with the rows), and feeds the sheet's XML in 64 KiB
chunks to the C expat parser (`pyexpat`). Completed rows are yielded as they close.

Why expat: measured on a 100,000-row, 18-column file (69 MB of sheet XML), iterating
all rows took: python-calamine 1.3 s but 148 MB peak (it loads the whole sheet into a
Rust range before the first row: not streaming), openpyxl read_only 14.7 s, lxml
iterparse 3.7 s, ElementTree iterparse 3.9 s, a regular-expression scanner 3.0 s, and
this module (expat, start-element callbacks only) 3.1 s with values converted, in
constant memory. It is the fastest reader that streams, and a real XML parser.

Guards: the zip's declared uncompressed sizes are checked before anything is read, and
the bytes actually inflated are counted while reading (a declared size can lie), so a
zip bomb stops at the limit. Files with a DOCTYPE (entity tricks) are refused.

Values come back as Python values: numbers as int (when whole) or float, text as str,
booleans as "TRUE"/"FALSE" (never bool: True == 1 would pass as a score), errors as their
text ("#N/A"), ISO date cells (t="d") as datetime. Empty cells are None. A row is the list
of its values by column position (A = 0); trailing empty columns are not padded.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree
from xml.parsers import expat

from django.utils.translation import gettext as _

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CHUNK = 64 * 1024
# Small XML parts (workbook, relationships) are read whole; they are a few KB in practice.
SMALL_PART_LIMIT = 5 * 1024 * 1024


class XlsxError(Exception):
    """The file cannot be read as an .xlsx workbook; the message is for the user."""


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        return int(value) if value.is_integer() else value


class SheetReader:
    """The first worksheet of an .xlsx workbook, read as a stream of rows.

    `max_unzipped_bytes` bounds the inflated size of the sheet and of the shared strings.
    Use as a context manager, or call `close()`.
    """

    def __init__(self, source: str | Path | BinaryIO, *, max_unzipped_bytes: int) -> None:
        self.max_unzipped_bytes = max_unzipped_bytes
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah.")) from exc
        try:
            self._locate_parts()
            self.shared_strings = self._read_shared_strings()
        except Exception:
            self.zip.close()
            raise

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    # -- package structure -------------------------------------------------------------

    def _info(self, name: str, limit: int) -> zipfile.ZipInfo:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise XlsxError(
                _("Berkas bukan berkas Excel .xlsx yang sah (bagian %(part)s tidak ada).") % {"part": name}
            ) from None
        if info.file_size > limit:
            raise XlsxError(
                _("Isi berkas terlalu besar setelah dibuka (%(part)s). Bagi data menjadi beberapa berkas.")
                % {"part": name}
            )
        return info

    def _small_xml(self, name: str) -> ElementTree.Element:
        info = self._info(name, SMALL_PART_LIMIT)
        with self.zip.open(info) as part:
            data = part.read(SMALL_PART_LIMIT + 1)
        if len(data) > SMALL_PART_LIMIT:
            raise XlsxError(_("Isi berkas terlalu besar setelah dibuka (%(part)s).") % {"part": name})
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise XlsxError(_("Berkas berisi deklarasi XML yang tidak diizinkan."))
        try:
            return ElementTree.fromstring(data)  # noqa: S314 - DOCTYPE/ENTITY refused just above
        except ElementTree.ParseError as exc:
            raise XlsxError(_("Berkas Excel rusak (%(part)s).") % {"part": name}) from exc

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name not in self.zip.namelist():
            return {}
        rels = {}
        for rel in self._small_xml(rels_name).iter(f"{{{PKG_REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            rels[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return rels

    def _locate_parts(self) -> None:
        workbook_part = "xl/workbook.xml"
        for rel in self._small_xml("_rels/.rels").iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_part = rel.get("Target", workbook_part).lstrip("/")
        workbook = self._small_xml(workbook_part)
        ns = self.namespace = MAIN_NS if workbook.tag == f"{{{MAIN_NS}}}workbook" else STRICT_NS
        properties = workbook.find(f"{{{ns}}}workbookPr")
        self.date1904 = properties is not None and properties.get("date1904", "").lower() in {"1", "true"}
        sheet = workbook.find(f"{{{ns}}}sheets/{{{ns}}}sheet")
        if sheet is None:
            raise XlsxError(_("Berkas Excel tidak berisi lembar kerja."))
        rels = self._relationships(workbook_part)
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        if rel_id not in rels:
            raise XlsxError(_("Berkas Excel rusak: lembar pertama tidak ditemukan."))
        self.sheet_name = sheet.get("name", "")
        self.sheet_part = rels[rel_id][1]
        self.shared_strings_part = next(
            (target for kind, target in rels.values() if kind.endswith("/sharedStrings")), None
        )

    def _parser(self, *, namespaces: bool = True) -> expat.XMLParserType:
        parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = CHUNK

        def refuse(*args):
            raise XlsxError(_("Berkas berisi deklarasi XML yang tidak diizinkan."))

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        return parser

    def _feed(self, part: str, parser: expat.XMLParserType) -> Iterator[None]:
        """Inflate `part` chunk by chunk into `parser`, yielding after each chunk."""
        info = self._info(part, self.max_unzipped_bytes)
        inflated = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > self.max_unzipped_bytes:
                        raise XlsxError(
                            _("Isi berkas terlalu besar setelah dibuka (%(part)s). Bagi data menjadi beberapa berkas.")
                            % {"part": part}
                        )
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
                yield
        except expat.ExpatError as exc:
            raise XlsxError(_("Berkas Excel rusak (%(part)s).") % {"part": part}) from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise XlsxError(_("Berkas Excel rusak (%(part)s).") % {"part": part}) from exc

    def _read_shared_strings(self) -> list[str]:
        if not self.shared_strings_part or self.shared_strings_part not in self.zip.namelist():
            return []
        strings: list[str] = []
        parts: list[str] = []
        depth_phonetic = 0
        collecting = False

        def start(name, attrs):
            nonlocal collecting, depth_phonetic
            local = name.rpartition(" ")[2]
            if local == "si":
                parts.clear()
            elif local == "t" and not depth_phonetic:
                collecting = True
            elif local == "rPh":
                depth_phonetic += 1

        def end(name):
            nonlocal collecting, depth_phonetic
            local = name.rpartition(" ")[2]
            if local == "si":
                strings.append("".join(parts))
            elif local == "t":
                collecting = False
            elif local == "rPh":
                depth_phonetic -= 1

        def data(text):
            if collecting:
                parts.append(text)

        parser = self._parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        for _chunk in self._feed(self.shared_strings_part, parser):
            pass
        return strings

    # -- rows ------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list]]:
        """Yield (spreadsheet row number, values by column) for every row the sheet stores.

        The parser runs without namespace processing and with a start-element handler
        only (no end-element callbacks): a cell is finished when the next cell or row
        starts, a row when the next row starts or the sheet ends. That halves the Python
        calls per cell. The element prefix (usually none, "x:" from some generators) is
        read off the root element.
        """
        shared = self.shared_strings
        ready: list[tuple[int, list]] = []
        columns: dict[str, int] = {}
        numbers: dict[str, int | float] = {}
        names = {"row": "row", "c": "c", "v": "v", "t": "t", "rPh": "rPh"}

        row_number = 0
        cells: list | None = None
        column = -1
        cell_type = None
        text_parts: list[str] = []
        in_cell = False
        phonetic = False

        collect = text_parts.append  # a C method: no Python frame per text callback

        def finish_cell():
            nonlocal in_cell
            in_cell = False
            value = None
            if text_parts:
                text = text_parts[0] if len(text_parts) == 1 else "".join(text_parts)
                text_parts.clear()
                if cell_type is None or cell_type == "n":
                    text = text.strip()
                    if text:
                        value = numbers.get(text)
                        if value is None:
                            value = _number(text)
                            if len(numbers) < 10_000:
                                numbers[text] = value
                elif cell_type == "s":
                    value = shared[int(text)]
                elif cell_type == "b":
                    value = "TRUE" if text.strip() in {"1", "true"} else "FALSE"
                elif cell_type == "d":
                    value = dt.datetime.fromisoformat(text.strip()) if text.strip() else None
                else:  # inlineStr, str (formula text), e (error)
                    value = text
            present = len(cells)
            if column == present:
                cells.append(value)
            elif column > present:
                cells.extend([None] * (column - present))
                cells.append(value)
            elif column >= 0:
                cells[column] = value

        def start(name, attrs):
            nonlocal row_number, cells, column, cell_type, in_cell, phonetic
            if name == cell_tag:
                if in_cell:
                    finish_cell()
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    index = columns.get(letters)
                    if index is None:
                        index = columns[letters] = _column_index(letters)
                    column = index
                else:
                    column += 1
                cell_type = attrs.get("t")
                text_parts.clear()
                in_cell = True
                phonetic = False
                parser.CharacterDataHandler = None
            elif name == value_tag or (name == text_tag and not phonetic):
                parser.CharacterDataHandler = collect
            elif name == row_tag:
                if in_cell:
                    finish_cell()
                if cells is not None:
                    ready.append((row_number, cells))
                ref = attrs.get("r")
                row_number = int(ref) if ref else row_number + 1
                cells = []
                column = -1
                parser.CharacterDataHandler = None
            else:
                parser.CharacterDataHandler = None
                if name == phonetic_tag:
                    phonetic = True

        def first(name, attrs):
            nonlocal row_tag, cell_tag, value_tag, text_tag, phonetic_tag
            prefix = name.rpartition(":")[0]
            if prefix:
                row_tag, cell_tag, value_tag, text_tag, phonetic_tag = (f"{prefix}:{n}" for n in names)
            parser.StartElementHandler = start

        row_tag, cell_tag, value_tag, text_tag, phonetic_tag = names
        parser = self._parser(namespaces=False)
        parser.StartElementHandler = first
        try:
            for _chunk in self._feed(self.sheet_part, parser):
                if ready:
                    yield from ready
                    ready.clear()
            if in_cell:
                finish_cell()
            if cells is not None:
                yield (row_number, cells)
        except (IndexError, ValueError) as exc:
            raise XlsxError(_("Berkas Excel rusak (%(part)s).") % {"part": self.sheet_part}) from exc
