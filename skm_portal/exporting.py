"""The portal's one spreadsheet writer: rows in, an xlsx workbook (or CSV) out, in constant memory.

Every module that offers a download (lists, survey exports, permit analytics) hands this
writer an iterable of rows; nothing here knows what the rows are about.

The xlsx is written by hand, row by row, straight into the zip's deflate stream: a sheet
is one XML part of `<row>`s with inline strings, so no cell objects, no shared-string
table and no whole sheet is ever held in memory. (openpyxl's write-only mode does the
same in ~6 s per 50,000 rows of 18 cells on this machine; this writer takes ~1 s, which is
what lets a year of a million responses export inside a minute.) The few styles the
cells need (bold header rows, number formats) are collected while writing and stored
last, in `xl/styles.xml`.

Text that a spreadsheet would run as a formula (starting with = + - @, or a tab/CR) is
prefixed with an apostrophe; only a `Formula` cell is a formula. Characters XML cannot
carry (control characters) are dropped.

Numbers are stored at full precision and *shown* rounded by their number format, so an
officer who recomputes a column gets the app's figure (a weight of 1/11 stored as 0.0909
would sum to 0.9999). Dates and times are spreadsheet dates (times in WITA), not text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from .numbers import round_half_up

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Number formats by kind of value. Excel shows them with the reader's own separators.
FMT_INT = "0"
FMT_2 = "0.00"
FMT_4 = "0.0000"
FMT_DATE = "yyyy-mm-dd"
FMT_DATETIME = "yyyy-mm-dd hh:mm:ss"
BUILTIN_FORMATS = {"General": 0, FMT_INT: 1, FMT_2: 2}

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EXCEL_EPOCH_DATE = EXCEL_EPOCH.date()
ROWS_PER_WRITE = 500  # rows joined into one write to the deflate stream
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Num:
    """A number cell shown with `fmt`: the exact value rounded half-up to `places`, or, with
    `places=None`, the value at full (double) precision for a spreadsheet to compute with."""

    value: int | Fraction | Decimal | None
    places: int | None = 2
    fmt: str = FMT_2


@dataclass(frozen=True)
class Formula:
    """A formula cell ("=SUMPRODUCT(E5:E15,F5:F15)"), shown with `fmt`; the spreadsheet computes it."""

    text: str
    fmt: str = FMT_2


@dataclass
class Sheet:
    title: str
    rows: Iterable[Sequence[object]]
    header_rows: int = 1  # leading rows set in bold
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width


def safe_text(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _xml(text: str) -> str:
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _local(moment: dt.datetime) -> dt.datetime:
    # Spreadsheets have no time zones: the wall-clock time in WITA, as every screen shows it.
    return timezone.localtime(moment, WITA).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _number(value: Num) -> int | float | Decimal:
    if value.places is None:
        return value.value if isinstance(value.value, int) else float(value.value)
    if value.places:
        return round_half_up(value.value, value.places)
    return int(value.value)


class _Styles:
    """Cell styles (number format x bold) in the order first used; index 0 is the default."""

    def __init__(self):
        self.index: dict[tuple[str, bool], int] = {("General", False): 0}
        self.custom: dict[str, int] = {}

    def get(self, fmt: str, bold: bool) -> int:
        key = (fmt, bold)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.index)
            if fmt not in BUILTIN_FORMATS and fmt not in self.custom:
                self.custom[fmt] = 164 + len(self.custom)
        return found

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{n}" formatCode="{_xml(code)}"/>' for code, n in self.custom.items())
        xfs = "".join(
            '<xf numFmtId="{}" fontId="{}" fillId="0" borderId="0" xfId="0"{}{}/>'.format(
                BUILTIN_FORMATS.get(fmt) if fmt in BUILTIN_FORMATS else self.custom[fmt],
                int(bold),
                ' applyNumberFormat="1"' if fmt != "General" else "",
                ' applyFont="1"' if bold else "",
            )
            for fmt, bold in self.index
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<numFmts count="{len(self.custom)}">{formats}</numFmts>' if self.custom else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self.index)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _cell(value: object, bold: bool, styles: _Styles) -> str:
    """One `<c>` element (without a reference: readers count the cells of a row)."""
    kind = type(value)
    if kind is str:
        text = safe_text(value)
        fmt = "General"
    elif value is None:
        return f'<c s="{styles.get("General", True)}"/>' if bold else "<c/>"
    elif kind is int:
        return f'<c s="{styles.get(FMT_INT, bold)}"><v>{value}</v></c>'
    elif kind is dt.date:
        return f'<c s="{styles.get(FMT_DATE, bold)}"><v>{(value - EXCEL_EPOCH_DATE).days}</v></c>'
    elif kind is dt.datetime:
        serial = (_local(value) - EXCEL_EPOCH) / dt.timedelta(days=1)
        return f'<c s="{styles.get(FMT_DATETIME, bold)}"><v>{serial!r}</v></c>'
    elif kind is Num:
        if value.value is None:
            return f'<c s="{styles.get(value.fmt, bold)}"/>'
        return f'<c s="{styles.get(value.fmt, bold)}"><v>{_number(value)}</v></c>'
    elif kind is Formula:
        return f'<c s="{styles.get(value.fmt, bold)}"><f>{_xml(value.text.removeprefix("="))}</f></c>'
    elif kind is bool:
        text, fmt = (_("Ya") if value else _("Tidak")), "General"
    elif kind is float:
        return f'<c s="{styles.get("General", bold)}"><v>{value!r}</v></c>'
    elif isinstance(value, int | dt.date) and not isinstance(value, bool):  # subclasses (pendulum, enums)
        return _cell(_plain(value), bold, styles)
    else:
        text, fmt = safe_text(str(value)), "General"
    style = f' s="{styles.get(fmt, True)}"' if bold else ""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c{style} t="inlineStr"><is><t{space}>{_xml(text)}</t></is></c>'


def _plain(value: int | dt.date) -> int | dt.date:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(value.date(), value.time(), value.tzinfo)
    return dt.date(value.year, value.month, value.day)


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _sheet_xml(out: IO[bytes], sheet: Sheet, styles: _Styles, progress: Callable[[int], None] | None) -> None:
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if sheet.widths:
        cols = sorted((_column_index(letter), width) for letter, width in sheet.widths.items())
        head.append("<cols>")
        head += [f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in cols]
        head.append("</cols>")
    head.append("<sheetData>")
    out.write("".join(head).encode())
    parts: list[str] = []
    header_rows = sheet.header_rows
    number = 0
    plain_int = f'<c s="{styles.get(FMT_INT, False)}"><v>'
    for number, row in enumerate(sheet.rows, start=1):
        bold = number <= header_rows
        if bold:
            cells = "".join([_cell(value, bold, styles) for value in row])
        else:  # the commonest cells (whole numbers, empty) without a call each
            cells = "".join(
                [
                    f"{plain_int}{value}</v></c>"
                    if type(value) is int
                    else ("<c/>" if value is None else _cell(value, False, styles))
                    for value in row
                ]
            )
        parts.append(f'<row r="{number}">{cells}</row>')
        if len(parts) >= ROWS_PER_WRITE:
            out.write("".join(parts).encode())
            parts.clear()
            if progress is not None:
                progress(number)
    parts.append("</sheetData></worksheet>")
    out.write("".join(parts).encode())
    if progress is not None:
        progress(number)


def _sheet_names(sheets: list[Sheet]) -> list[str]:
    names: list[str] = []
    for number, sheet in enumerate(sheets, start=1):
        name = re.sub(r"[\[\]:*?/\\]", " ", sheet.title)[:31].strip() or f"Sheet{number}"
        while name.lower() in {n.lower() for n in names}:
            name = f"{name[:28]}~{number}"
        names.append(name)
    return names


def write_xlsx_to(target: IO[bytes], sheets: Iterable[Sheet], *, progress: Callable[[int], None] | None = None) -> None:
    """Write the workbook into the binary file `target`, reading each sheet's rows once.

    `progress(rows_written)` is called every few hundred rows, e.g. to beat a job's heartbeat.
    """
    sheets = list(sheets)
    names = _sheet_names(sheets)
    styles = _Styles()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                _sheet_xml(out, sheet, styles, progress)
        count = range(1, len(sheets) + 1)
        archive.writestr("xl/styles.xml", styles.xml())
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for n in count
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{_xml(names[n - 1])}" sheetId="{n}" r:id="rId{n}"/>' for n in count)
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
                for n in count
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Target="styles.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
            "</Relationships>",
        )


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """The workbook as bytes: for small downloads (a list, a recap); big ones use `write_xlsx_to`."""
    buffer = io.BytesIO()
    write_xlsx_to(buffer, sheets)
    return buffer.getvalue()


# --- CSV ------------------------------------------------------------------------------


def csv_value(value: object) -> object:
    """A cell as CSV text: dates ISO, times in WITA, booleans Ya/Tidak, numbers as they are."""
    kind = type(value)
    if kind is str:
        return safe_text(value)
    if value is None or kind is int:
        return value  # the csv module writes None as an empty field
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Num):
        return "" if value.value is None else str(_number(value))
    if isinstance(value, int):
        return int(value)
    return safe_text(str(value))


def csv_chunks(rows: Iterable[Sequence[object]], *, rows_per_chunk: int = 2000) -> Iterator[str]:
    """CSV text in chunks of `rows_per_chunk` rows, starting with a BOM (Excel then reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        # Whole numbers and empty cells go as they are (the csv module writes None as ""):
        # no call for most of a response's cells.
        writer.writerow([v if v is None or type(v) is int else csv_value(v) for v in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
