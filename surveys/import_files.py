"""Reading an import file: limits, header, hash and name, errors; the published-indices file.

See `surveys.importing` for the whole import."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Questionnaire, Response
from .xlsxstream import SheetReader, XlsxError

ID_COLUMN = "id"
MAX_SOURCE_ID = Response._meta.get_field("source_id").max_length
PROFILE_COLUMNS = ("tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan")
SUGGESTION_COLUMN = "saran"
DEFAULT_BATCH_SIZE = 5000
MAX_REPORTED_ERRORS = 1000
CACHE_LIMIT = 10_000
MIN_AGE, MAX_AGE = 10, 120
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Row elements a sheet may store beyond the header and the data-row limit (left-over
# formatting); more is a hostile file, refused before it costs time.
EMPTY_ROWS_MARGIN = 10_000


def max_unzipped_bytes() -> int:
    """Largest inflated size of the sheet inside the zip (zip-bomb guard)."""
    return ImportLimits.from_settings().max_unzipped_bytes


@dataclass(frozen=True)
class ImportLimits:
    """What an import file may hold. Set by the server's administrator (environment
    variables, see settings): they protect the worker's memory, so they belong to
    whoever sizes the machine, not to a page an officer can change."""

    max_bytes: int
    max_rows: int
    max_unzipped_bytes: int
    max_ratio: int
    max_shared_strings_bytes: int

    @classmethod
    def from_settings(cls) -> ImportLimits:
        max_bytes = settings.SKM_IMPORT_MAX_BYTES
        return cls(
            max_bytes=max_bytes,
            max_rows=settings.SKM_IMPORT_MAX_ROWS,
            max_unzipped_bytes=getattr(settings, "SKM_IMPORT_MAX_UNZIPPED_BYTES", 40 * max_bytes),
            max_ratio=getattr(settings, "SKM_IMPORT_MAX_RATIO", 100),
            max_shared_strings_bytes=getattr(settings, "SKM_IMPORT_MAX_SHARED_STRINGS_BYTES", 64 * 1024 * 1024),
        )

    def reader(self, file, *, max_columns: int, max_rows: int | None = None) -> SheetReader:
        return SheetReader(
            file,
            max_unzipped_bytes=self.max_unzipped_bytes,
            max_ratio=self.max_ratio,
            max_shared_strings_bytes=self.max_shared_strings_bytes,
            max_columns=max_columns,
            # The header, the data rows and a margin of empty (formatted) rows.
            max_rows=(self.max_rows if max_rows is None else max_rows) + 1 + EMPTY_ROWS_MARGIN,
        )


@dataclass(frozen=True)
class ImportReport:
    imported: int
    created_services: list[str] = field(default_factory=list)
    skipped: int = 0


class ImportRefused(Exception):
    """The file was refused whole; `errors` are messages for the user, bad rows first-come."""

    def __init__(self, errors: list[str], total_errors: int | None = None) -> None:
        self.errors = errors
        self.total_errors = len(errors) if total_errors is None else total_errors
        super().__init__("\n".join(errors))

    @property
    def omitted(self) -> int:
        return self.total_errors - len(self.errors)


def expected_header(questionnaire: Questionnaire) -> list[str]:
    codes = [e.code for e in questionnaire.elements.all()]
    return [*PROFILE_COLUMNS, *codes, SUGGESTION_COLUMN]


def shown(value) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def file_size(file: str | Path | BinaryIO) -> int:
    if isinstance(file, str | Path):
        return os.path.getsize(file)
    size = getattr(file, "size", None)
    if size is not None:
        return size
    position = file.tell()
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def check_header(cells: list, expected: list[str]) -> str | None:
    found = ["" if c is None else str(c).strip() for c in cells]
    while found and not found[-1]:
        found.pop()
    if [f.lower() for f in found] == [e.lower() for e in expected]:
        return None
    details = []
    lowered = {f.lower() for f in found}
    missing = [e for e in expected if e.lower() not in lowered]
    wanted = {e.lower() for e in expected}
    extra = [f or _("(kosong)") for f in found if f.lower() not in wanted]
    if missing:
        details.append(_("Kolom yang tidak ada: %(columns)s.") % {"columns": ", ".join(missing)})
    if extra:
        details.append(_("Kolom yang tidak dikenal: %(columns)s.") % {"columns": ", ".join(extra)})
    if not missing and not extra:
        details.append(_("Urutan kolom berbeda."))
    return " ".join(
        [
            _("Baris 1 (judul kolom) tidak sesuai. Harus berisi tepat kolom berikut, berurutan: %(columns)s.")
            % {"columns": ", ".join(expected)},
            *details,
        ]
    )


def file_sha256(file: str | Path | BinaryIO) -> str:
    """SHA-256 of the file's bytes, read in chunks; a file object is rewound afterwards."""
    digest = hashlib.sha256()
    if isinstance(file, str | Path):
        with open(file, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    position = file.tell()
    file.seek(0)
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    file.seek(position)
    return digest.hexdigest()


def file_name_of(file: str | Path | BinaryIO) -> str:
    name = file if isinstance(file, str | Path) else getattr(file, "name", "") or ""
    return Path(str(name)).name[:255]


PUBLISHED_HEADER = ("kode", "indeks")


def published_indices_read(*, file: str | Path | BinaryIO, questionnaire: Questionnaire | None = None) -> dict:
    """Read `kode, indeks` rows (one per element code) into {code: Decimal index}.

    Raises `ImportRefused` with row-numbered messages; every element code of the
    questionnaire must appear exactly once. Writes nothing.
    """
    from .masterdata import parse_index

    questionnaire = questionnaire or Questionnaire.active()
    codes = [e.code for e in questionnaire.elements.all()]
    limits = ImportLimits.from_settings()
    if file_size(file) > limits.max_bytes:
        raise ImportRefused([_("Berkas terlalu besar.")])
    indices: dict = {}
    errors: list[str] = []
    header_seen = False
    try:
        with limits.reader(file, max_columns=len(PUBLISHED_HEADER) + 5, max_rows=20 * len(codes)) as reader:
            for number, cells in reader.rows():
                if not header_seen:
                    problem = check_header(cells, list(PUBLISHED_HEADER)) if number == 1 else "-"
                    if problem:
                        raise ImportRefused([_("Baris 1 harus berisi tepat kolom berikut, berurutan: kode, indeks.")])
                    header_seen = True
                    continue
                if all(blank(c) for c in cells):
                    continue
                if len(indices) + len(errors) > 10 * len(codes):
                    raise ImportRefused([_("Berkas berisi terlalu banyak baris.")])
                cells = cells + [None] * (2 - len(cells))
                raw_code, raw_index = cells[0], cells[1]
                problems = []
                code = "" if raw_code is None else str(raw_code).strip().upper()
                if code not in codes:
                    problems.append(
                        _("kode '%(value)s' bukan kode unsur kuesioner aktif (%(codes)s)")
                        % {"value": shown(raw_code or ""), "codes": ", ".join(codes)}
                    )
                elif code in indices:
                    problems.append(_("kode %(code)s sudah ada di baris sebelumnya") % {"code": code})
                try:
                    value = parse_index(raw_index)
                except ValueError as exc:
                    problems.append(_("indeks %(problem)s") % {"problem": exc})
                if any(not blank(c) for c in cells[2:]):
                    problems.append(_("ada isian di luar kolom kode dan indeks"))
                if problems:
                    errors.append(_("Baris %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
                else:
                    indices[code] = value
    except XlsxError as exc:
        raise ImportRefused([str(exc)]) from exc
    if not header_seen:
        raise ImportRefused([_("Berkas kosong: baris 1 harus berisi judul kolom kode, indeks.")])
    missing = [c for c in codes if c not in indices]
    if missing and not errors:
        errors.append(_("Unsur yang belum ada di berkas: %(codes)s.") % {"codes": ", ".join(missing)})
    if errors:
        raise ImportRefused(errors)
    return indices
