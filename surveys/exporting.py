"""Exports: generators yield rows, one writer streams them into an xlsx workbook.

The workbook is written with openpyxl in write-only mode, row by row, so a year of
responses does not sit in memory as cell objects. Text that a spreadsheet would run as a
formula (starting with = + - @, or a tab/CR) is prefixed with an apostrophe; only a
`Formula` cell is a formula.

Numbers are stored at full precision and *shown* rounded by their number format, so an
officer who recomputes a column gets the app's figure (a weight of 1/11 stored as 0.0909
would sum to 0.9999). Dates and times are spreadsheet dates (times in WITA), not text.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import ikm, selectors
from .models import Element, Questionnaire, Service

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Number formats by kind of value. Excel shows them with the reader's own separators.
FMT_INT = "0"
FMT_2 = "0.00"
FMT_4 = "0.0000"
FMT_DATE = "yyyy-mm-dd"
FMT_DATETIME = "yyyy-mm-dd hh:mm:ss"


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


def _cell(ws, value: object, bold: bool):
    if isinstance(value, Formula):
        cell = WriteOnlyCell(ws, value=value.text)
        cell.number_format = value.fmt
    elif isinstance(value, Num):
        if value.value is None:
            cell = WriteOnlyCell(ws, value=None)
        else:
            if value.places is None:
                number = value.value if isinstance(value.value, int) else float(value.value)
            elif value.places:
                number = ikm.round_half_up(value.value, value.places)
            else:
                number = int(value.value)
            cell = WriteOnlyCell(ws, value=number)
            cell.number_format = value.fmt
    elif isinstance(value, bool):
        cell = WriteOnlyCell(ws, value=_("Ya") if value else _("Tidak"))
    elif isinstance(value, int):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FMT_INT
    elif isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: the wall-clock time in WITA, as every screen shows it.
        moment = timezone.localtime(value, WITA).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(ws, value=moment)
        cell.number_format = FMT_DATETIME
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = FMT_DATE
    elif value is None:
        cell = WriteOnlyCell(ws, value=None)
    else:
        cell = WriteOnlyCell(ws, value=safe_text(str(value)))
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        for letter, width in sheet.widths.items():
            ws.column_dimensions[letter].width = width
        for number, row in enumerate(sheet.rows):
            bold = number < sheet.header_rows
            ws.append([_cell(ws, value, bold) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Raw responses, in the layout of the import file ---------------------------------

RESPONSE_COLUMNS = ("tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan")


def _layout_codes() -> list[str]:
    return [e.code for e in Questionnaire.active().elements.all()]


def response_rows(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None, chunk_size: int = 2000
) -> Iterator[list[object]]:
    """One header row, then one row per response: profile, a score per element, saran.

    Element columns are the active questionnaire's codes; a response given on another
    questionnaire fills them by element code. `pekerjaan` is the choice (LAINNYA, ...) so
    the file imports again; the free text of "lainnya" has no column in that layout.
    """
    codes = _layout_codes()
    fields_by_questionnaire: dict[int, dict[str, str]] = {}
    for element in Element.objects.all():
        fields_by_questionnaire.setdefault(element.questionnaire_id, {})[element.code] = element.field
    slots = sorted({f for mapping in fields_by_questionnaire.values() for f in mapping.values()})
    yield [*RESPONSE_COLUMNS, *codes, "saran"]
    rows = (
        selectors.responses_between(date_from, date_to, service)
        .order_by("survey_date", "pk")
        .values(
            "survey_date",
            "service__code",
            "sex",
            "age",
            "education",
            "occupation",
            "suggestion",
            "questionnaire_id",
            *slots,
        )
    )
    for row in rows.iterator(chunk_size=chunk_size):
        mapping = fields_by_questionnaire.get(row["questionnaire_id"], {})
        occupation = row["occupation"]
        yield [
            row["survey_date"],
            row["service__code"],
            row["sex"],
            row["age"],
            row["education"] or None,
            occupation or None,
            *(row[mapping[code]] if code in mapping else None for code in codes),
            row["suggestion"] or None,
        ]


def responses_workbook(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> bytes:
    return write_xlsx(
        [
            Sheet(
                title=_("Jawaban"),
                rows=response_rows(date_from=date_from, date_to=date_to, service=service),
                widths={"A": 12, "B": 14},
            )
        ]
    )


# --- Recap (olah data) -----------------------------------------------------------------


RECAP_FIRST_ELEMENT_ROW_OFFSET = 3  # heading rows, one blank row, the column header


def recap_rows(result: ikm.IkmResult, *, heading: Sequence[tuple[str, object]] = ()) -> Iterator[list[object]]:
    """The worksheet an officer checks the IKM with: sums, counts, NRR, weights, indices.

    Values are exact or full precision, shown with 2 or 4 decimals; the IKM row is a
    formula over the element rows (SUMPRODUCT of NRR and weight, x 25), so the sheet
    recomputes to the app's IKM in any spreadsheet. Published aggregates have only the
    entered indices; their sum/count/NRR cells stay empty and the IKM is the weighted
    mean of the indices (SUMPRODUCT of index and weight).
    """
    for label, value in heading:
        yield [label, value]
    yield []
    yield [
        _("Kode Unsur"),
        _("Unsur"),
        _("Jumlah Nilai"),
        _("Jumlah Jawaban"),
        _("NRR"),
        _("Bobot"),
        _("NRR Tertimbang"),
        _("Index"),
        _("Mutu Pelayanan"),
        _("Kinerja"),
    ]
    published = result.published
    first = len(heading) + RECAP_FIRST_ELEMENT_ROW_OFFSET  # 1-based row of the first element
    for e in result.elements:
        grade = e.grade
        yield [
            e.code,
            e.name,
            None if published else Num(e.total, 0, FMT_INT),
            None if published else Num(e.answers, 0, FMT_INT),
            None if published else Num(e.nrr, None, FMT_4),
            Num(e.weight, None, FMT_4),
            None if published else Num(e.weighted_nrr, None, FMT_4),
            Num(e.index, None, FMT_2),
            grade.letter if grade else None,
            grade.performance if grade else None,
        ]
    last = first + len(result.elements) - 1
    yield []
    ikm_row = last + 2
    grade = result.grade
    if not result.elements:
        nrr, index = Num(None), Num(None)
    elif published:
        index = Formula(f"=SUMPRODUCT(H{first}:H{last},F{first}:F{last})", FMT_2)
        nrr = Formula(f"=H{ikm_row}/{ikm.SCALE}", FMT_4)
    else:
        nrr = Formula(f"=SUMPRODUCT(E{first}:E{last},F{first}:F{last})", FMT_4)
        index = Formula(f"=E{ikm_row}*{ikm.SCALE}", FMT_2)
    yield [
        _("IKM"),
        _("Indeks Kepuasan Masyarakat"),
        None,
        None,
        nrr,
        None,
        None,
        index,
        grade.letter if grade else None,
        grade.performance if grade else None,
    ]


def recap_workbook(result: ikm.IkmResult, *, heading: Sequence[tuple[str, object]] = ()) -> bytes:
    return write_xlsx(
        [
            Sheet(
                title=_("Olah Data"),
                rows=recap_rows(result, heading=heading),
                header_rows=0,
                widths={"A": 18, "B": 32, "C": 13, "D": 15, "E": 9, "F": 9, "G": 16, "H": 9, "I": 15, "J": 14},
            )
        ]
    )
