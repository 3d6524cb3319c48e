"""The portal's xlsx/CSV writer: what a spreadsheet reads back is what was meant."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from decimal import Decimal
from fractions import Fraction

from openpyxl import load_workbook

from skm_portal.exporting import FMT_4, Formula, Num, Sheet, csv_chunks, write_xlsx

UTC = zoneinfo.ZoneInfo("UTC")


def test_values_read_back_as_a_spreadsheet_sees_them():
    moment = dt.datetime(2025, 5, 2, 1, 30, tzinfo=UTC)  # 09.30 WITA
    rows = [
        ["teks", "angka", "tanggal", "waktu", "ya", "num", "rumus"],
        ["a\x00b\x07c & <d>", 7, dt.date(2025, 5, 2), moment, True, Num(Fraction(1, 3), None, FMT_4), Formula("=B2*2")],
        ["=cmd|' /C calc'!A0", -3, None, None, False, Num(Decimal("2.345"), 2), None],
        ["  spasi  "],
    ]
    content = write_xlsx([Sheet("Data: 1/2", rows, widths={"A": 30}), Sheet("Data: 1/2", [["kedua"]])])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Data  1 2" and len(book.sheetnames) == 2 and book.sheetnames[1] != book.sheetnames[0]
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("teks", "angka", "tanggal", "waktu", "ya", "num", "rumus")
    text, number, day, time, yes, third, formula = values[1]
    assert text == "abc & <d>"  # control characters cannot be stored in XML: dropped
    assert (number, day, time, yes, formula) == (
        7,
        dt.datetime(2025, 5, 2),
        dt.datetime(2025, 5, 2, 9, 30),
        "Ya",
        "=B2*2",
    )
    assert abs(third - 1 / 3) < 1e-15 and sheet["F2"].number_format == "0.0000"
    assert values[2][:6] == ("'=cmd|' /C calc'!A0", -3, None, None, "Tidak", 2.35)  # half-up, never a formula
    assert values[3][0] == "  spasi  "
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.column_dimensions["A"].width == 30


def test_csv_is_utf8_with_a_bom_and_spreadsheet_safe():
    text = "".join(
        csv_chunks(
            [["nama", "n", "kapan"], ['Ruang, "A"', 3, dt.datetime(2025, 5, 2, 1, 30, tzinfo=UTC)], ["@x", None, True]]
        )
    )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["nama", "n", "kapan"], ['Ruang, "A"', "3", "2025-05-02 09:30"], ["'@x", "", "Ya"]]


def test_csv_comes_in_chunks_of_rows_so_a_long_list_is_never_one_string():
    rows = [["no"], *([n] for n in range(1, 6))]
    chunks = list(csv_chunks(iter(rows), rows_per_chunk=2))
    assert len(chunks) == 3 and chunks[0].startswith("\ufeff") and not chunks[1].startswith("\ufeff")
    assert [line for chunk in chunks for line in chunk.removeprefix("\ufeff").splitlines()] == [
        "no",
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
