"""Write .xlsx files part by part with zipfile, as an attacker would: any sheet XML,
shared strings, sizes and compression, without a spreadsheet library smoothing them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from .xlsx import IMPORT_HEADER

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def workbook_rels(shared_strings: bool) -> str:
    extra = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
    )


def inline(ref: str, value) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def header_row() -> str:
    letters = [chr(65 + i) for i in range(len(IMPORT_HEADER))]
    return '<row r="1">' + "".join(inline(f"{c}1", v) for c, v in zip(letters, IMPORT_HEADER, strict=True)) + "</row>"


GOOD_VALUES = ["2025-01-15", "e-ptsp", "L", 30, "SMA", "SWASTA", 4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2]


def good_row(number: int, extra: str = "") -> str:
    letters = [chr(65 + i) for i in range(len(GOOD_VALUES))]
    cells = "".join(inline(f"{c}{number}", v) for c, v in zip(letters, GOOD_VALUES, strict=True))
    return f'<row r="{number}">{cells}{extra}</row>'


def write_xlsx(
    path: Path,
    sheet_chunks: Iterable[str | bytes],
    *,
    shared_strings: Iterable[str | bytes] | None = None,
    level: int = 9,
    extra_entries: int = 0,
) -> Path:
    """An .xlsx whose sheet XML (between <sheetData> tags) and shared-string XML (the
    <si> elements) are streamed from the given chunks, deflated at `level`."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels(shared_strings is not None))
        _stream(
            package,
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>',
            sheet_chunks,
            "</sheetData></worksheet>",
        )
        if shared_strings is not None:
            _stream(
                package,
                "xl/sharedStrings.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">',
                shared_strings,
                "</sst>",
            )
        for number in range(extra_entries):
            package.writestr(f"docProps/x{number}.xml", "")
    return path


def _stream(package: zipfile.ZipFile, name: str, head: str, chunks: Iterable[str | bytes], tail: str) -> None:
    with package.open(name, "w", force_zip64=True) as part:
        part.write(head.encode())
        for chunk in chunks:
            part.write(chunk.encode() if isinstance(chunk, str) else chunk)
        part.write(tail.encode())


def repeated(unit: str | bytes, times: int, per_chunk: int = 1 << 16) -> Iterable[bytes]:
    """`unit` repeated `times` times, in chunks (never the whole text in memory)."""
    data = unit.encode() if isinstance(unit, str) else unit
    block = data * per_chunk
    full, rest = divmod(times, per_chunk)
    for _ in range(full):
        yield block
    if rest:
        yield data * rest
