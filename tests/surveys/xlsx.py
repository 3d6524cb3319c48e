"""Build .xlsx files for tests with openpyxl (normal mode writes shared strings,
write-only mode inline strings: the importer must read both)."""

from __future__ import annotations

import io

from openpyxl import Workbook

IMPORT_HEADER = [
    "tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
    "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "U10", "U11", "saran",
]  # fmt: skip


def xlsx_bytes(rows: list[list], *, write_only: bool = False, extra_sheet: list[list] | None = None) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Data") if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    if extra_sheet is not None:
        other = workbook.create_sheet("Lain")
        for row in extra_sheet:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(tmp_path, rows: list[list], name: str = "impor.xlsx", **kwargs):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, **kwargs))
    return path
