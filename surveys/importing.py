"""Import survey responses from an .xlsx file: all rows or none, in one streaming pass.

The file's first sheet has the header in row 1, exactly
`tanggal, layanan, jenis_kelamin, usia, pendidikan, pekerjaan, <element codes of the
active questionnaire, in its order>, saran`, then one respondent per row.

`responses_import` reads the rows one by one (`surveys.xlsxstream`: the pyexpat reader,
measured as the fastest reader that streams; python-calamine is faster but loads the
whole sheet first), validates each, and inserts valid rows in batches inside one
transaction: PostgreSQL `COPY ... FROM STDIN`, other databases a raw `executemany`.
After the first bad row nothing more is inserted but validation goes on, so the user
gets every bad row at once; at the end any error rolls the transaction back and raises
`ImportRefused`: the database is exactly as before. Memory stays flat: one batch of rows,
bounded caches of converted cell values, and at most MAX_REPORTED_ERRORS messages.

Rows bypass `Model.full_clean()` (too slow for 100,000 rows); the checks here are the
model's own rules (choices, 1-4 scores, age 10-120) applied to every cell.

Repeated imports: every imported file is recorded (`ImportBatch`) with the SHA-256 of
its content, who imported it and when; the same file again is refused, naming that
import. An optional first column `id` carries the source system's response id: ids
already stored (or repeated in the file) are skipped and counted, so overlapping
exports can be imported safely. Rows without an id are all kept.

Hostile files: the limits (`ImportLimits`, from settings) bound the file size, the rows,
the inflated size and compression ratio of the zip parts and the shared-string table;
`surveys.xlsxstream` enforces them while reading, so any file is refused in bounded time
and memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from skm_portal.dates import date_id
from skm_portal.numbers import format_int

from .models import ImportBatch, Questionnaire, Response, Service
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
COPY_NULL = "\\N"
COPY_READ_SIZE = 1 << 16
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


def _shown(value) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowChecker:
    """Turns one row of cells into insert values, or into problems for the user.

    Converted values are cached per distinct cell value (dates, services, choices), so
    a 100,000-row file costs a dictionary lookup per cell for the common cases.
    """

    def __init__(self, *, questionnaire: Questionnaire, date1904: bool, create_missing_services: bool) -> None:
        self.codes = [e.code for e in questionnaire.elements.all()]
        self.width = len(PROFILE_COLUMNS) + len(self.codes) + 1
        self.epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
        self.today = timezone.localdate()
        self.create_missing_services = create_missing_services
        self.created_services: list[str] = []
        self.services: dict[str, int] = {}
        for service in Service.objects.all():
            self.services[service.code.lower()] = service.pk
            self.services[service.name.strip().lower()] = service.pk
        self.dates: dict = {}
        self.sexes = {"L": "L", "P": "P", "l": "L", "p": "P"}
        self.educations = self._choices(Response.Education)
        self.occupations = self._choices(Response.Occupation)
        self.scores = {n: n for n in range(1, 5)} | {str(n): n for n in range(1, 5)}
        self.ages: dict = {None: None, "": None}
        self.has_id = False  # set once the header shows the optional `id` column

    def use_id_column(self) -> None:
        self.has_id = True
        self.width += 1

    @staticmethod
    def _choices(choices) -> dict:
        table = {None: "", "": ""}
        for value, label in choices.choices:
            table[value] = value
            table[value.lower()] = value
            table[str(label).lower()] = value
        return table

    # -- cell converters for cache misses: return (value, problem) ------------------

    def _date(self, raw) -> tuple[dt.date | None, str | None]:
        if _blank(raw):
            return None, _("tanggal wajib diisi")
        value = None
        if isinstance(raw, dt.datetime):
            value = raw.date()
        elif isinstance(raw, int | float) and 1 <= raw < 2958466:
            value = self.epoch + dt.timedelta(days=int(raw))
        elif isinstance(raw, str) and ISO_DATE.match(raw.strip()):
            try:
                value = dt.date.fromisoformat(raw.strip())
            except ValueError:
                value = None
        if value is None:
            return None, _("tanggal harus tanggal Excel atau teks TTTT-BB-HH (tertulis '%(value)s')") % {
                "value": _shown(raw)
            }
        if value > self.today:
            return None, _("tanggal %(value)s belum terjadi") % {"value": date_id(value)}
        if len(self.dates) < CACHE_LIMIT:
            self.dates[raw] = value
        return value, None

    def _service(self, raw) -> tuple[int | None, str | None]:
        if _blank(raw):
            return None, _("layanan wajib diisi")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        name = " ".join(str(raw).split())
        key = name.lower()
        if key in self.services:
            return self.services[key], None
        if not self.create_missing_services:
            return None, _("layanan '%(value)s' tidak dikenal (isi kode atau nama jenis layanan yang terdaftar)") % {
                "value": _shown(name)
            }
        if len(name) > Service._meta.get_field("name").max_length:
            return None, _("nama layanan terlalu panjang (maksimal 200 karakter)")
        from .masterdata import service_create

        service = service_create(code=unique_service_code(name), name=name)
        self.services[key] = self.services[service.code] = service.pk
        self.created_services.append(name)
        return service.pk, None

    def _age(self, raw) -> tuple[int | None, str | None]:
        value = None
        if isinstance(raw, int | float) and float(raw).is_integer():
            value = int(raw)
        elif isinstance(raw, str) and raw.strip().isdigit():
            value = int(raw.strip())
        elif _blank(raw):
            return None, None
        if value is None or not MIN_AGE <= value <= MAX_AGE:
            return None, _("usia harus bilangan bulat %(low)d-%(high)d atau kosong (tertulis '%(value)s')") % {
                "low": MIN_AGE,
                "high": MAX_AGE,
                "value": _shown(raw),
            }
        if len(self.ages) < CACHE_LIMIT:
            self.ages[raw] = value
        return value, None

    @staticmethod
    def _choice(table: dict, raw, column: str, allowed: Iterable[str]) -> tuple[str | None, str | None]:
        key = raw.strip().lower() if isinstance(raw, str) else raw
        if key in table:
            return table[key], None
        return None, _("%(column)s harus salah satu dari %(allowed)s, atau kosong (tertulis '%(value)s')") % {
            "column": column,
            "allowed": ", ".join(allowed),
            "value": _shown(raw),
        }

    def _score(self, raw, code: str) -> str:
        if _blank(raw):
            return _("%(code)s wajib diisi (bilangan bulat 1-4)") % {"code": code}
        return _("%(code)s harus bilangan bulat 1-4 (tertulis '%(value)s')") % {"code": code, "value": _shown(raw)}

    # -- a whole row ---------------------------------------------------------------

    @staticmethod
    def _source_id(raw) -> tuple[str, str | None]:
        if _blank(raw):
            return "", None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime):
            return "", _("id harus teks atau bilangan (tertulis tanggal %(value)s)") % {"value": _shown(raw)}
        text = str(raw).strip()
        if len(text) > MAX_SOURCE_ID:
            return "", _("id terlalu panjang (maksimal %(count)d karakter)") % {"count": MAX_SOURCE_ID}
        return text, None

    def check(self, cells: list) -> tuple[tuple | None, list[str]]:
        """(values for the insert, []) for a good row; (None, problems) for a bad one.

        Values: date, service, sex, age, education, occupation, suggestion, source id, scores.
        """
        problems: list[str] = []
        width = self.width
        if len(cells) > width:
            extra = [i for i in range(width, len(cells)) if not _blank(cells[i])]
            if extra:
                problems.append(
                    _("ada isian di luar kolom tabel (kolom %(columns)s)")
                    % {"columns": ", ".join(_column_letter(i) for i in extra[:5])}
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        source_id = ""
        if self.has_id:
            source_id, problem = self._source_id(cells[0])
            if problem:
                problems.append(problem)
            cells = cells[1:]
        raw_date, raw_service, raw_sex, raw_age, raw_education, raw_occupation = cells[:6]

        survey_date = self.dates.get(raw_date)
        if survey_date is None:
            survey_date, problem = self._date(raw_date)
            if problem:
                problems.append(problem)
        service = self.services.get(raw_service.lower() if isinstance(raw_service, str) else raw_service)
        if service is None:
            service, problem = self._service(raw_service)
            if problem:
                problems.append(problem)
        sex = self.sexes.get(raw_sex)
        if sex is None:
            sex = self.sexes.get(raw_sex.strip().upper()) if isinstance(raw_sex, str) else None
            if sex is None:
                if _blank(raw_sex):
                    problems.append(_("jenis_kelamin wajib diisi (L atau P)"))
                else:
                    problems.append(
                        _("jenis_kelamin harus L atau P (tertulis '%(value)s')") % {"value": _shown(raw_sex)}
                    )
        if raw_age in self.ages:
            age = self.ages[raw_age]
        else:
            age, problem = self._age(raw_age)
            if problem:
                problems.append(problem)
        education = self.educations.get(raw_education)
        if education is None:
            education, problem = self._choice(self.educations, raw_education, "pendidikan", Response.Education.values)
            if problem:
                problems.append(problem)
        occupation = self.occupations.get(raw_occupation)
        if occupation is None:
            occupation, problem = self._choice(
                self.occupations, raw_occupation, "pekerjaan", Response.Occupation.values
            )
            if problem:
                problems.append(problem)
        score_cells = cells[6:-1]
        get = self.scores.get
        scores = [get(raw) for raw in score_cells]
        if None in scores:
            for index, (raw, code) in enumerate(zip(score_cells, self.codes, strict=True)):
                if scores[index] is None:
                    scores[index] = get(raw.strip()) if isinstance(raw, str) else None
                    if scores[index] is None:
                        problems.append(self._score(raw, code))
        suggestion = cells[-1]
        if suggestion is None:
            suggestion = ""
        elif not isinstance(suggestion, str):
            suggestion = _shown(suggestion)
        else:
            suggestion = suggestion.strip().replace("\x00", "")
        if problems:
            return None, problems
        return (survey_date, service, sex, age, education, occupation, suggestion, source_id, *scores), []


def unique_service_code(name: str) -> str:
    """A free slug for a new service, from its name (max 40 characters)."""
    base = slugify(name)[:34].strip("-") or "layanan"
    code, number = base, 1
    while Service.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


class _Writer:
    """Inserts checked rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, *, questionnaire: Questionnaire, slots: list[str], submitted_at: dt.datetime) -> None:
        meta = Response._meta
        fixed = ["questionnaire", "submitted_at", "channel", "occupation_other"]
        varying = ["survey_date", "service", "sex", "age", "education", "occupation", "suggestion", "source_id"]
        self.columns = [meta.get_field(name).column for name in fixed + varying] + slots
        self.table = meta.db_table
        self.constants = (
            questionnaire.pk,
            connection.ops.adapt_datetimefield_value(submitted_at),
            Response.Channel.IMPORT.value,
            "",
        )
        self.copy = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        column_list = ", ".join(quote(c) for c in self.columns)
        if self.copy:
            self.sql = f"COPY {quote(self.table)} ({column_list}) FROM STDIN"
            self.prefix = f"{questionnaire.pk}\t{submitted_at.isoformat()}\t{Response.Channel.IMPORT.value}\t\t"
        else:
            placeholders = ", ".join(["%s"] * len(self.columns))
            self.sql = f"INSERT INTO {quote(self.table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608

    @staticmethod
    def _copy_text(value: str) -> str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value

    def write_all(self, batches: Iterator[list[tuple]], *, overlap: Callable[[], bool] = lambda: True) -> None:
        """Insert every batch, in the caller's transaction.

        `overlap()`, asked at the first batch, says whether the producer of the batches
        leaves the connection alone: a query on it while the writer thread is inside a
        COPY would interleave two protocols on one socket (the id lookup queries, so
        files with ids are written in this thread).

        PostgreSQL (psycopg2): one COPY per batch, run by a writer thread while this
        thread reads and checks the next batch (the driver releases the GIL while the
        server works). Foreign keys are checked per statement (SET CONSTRAINTS ALL
        IMMEDIATE) instead of all at commit, so the server's checks overlap the parsing
        too; the default (deferred) is restored afterwards.
        """
        if not self.copy:
            with connection.cursor() as cursor:
                for rows in batches:
                    constants = self.constants
                    cursor.executemany(self.sql, [(*constants, d.isoformat(), *rest) for d, *rest in rows])
            return
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if not hasattr(raw, "copy_expert"):  # psycopg 3: plain COPY per batch
                for rows in batches:
                    with raw.copy(self.sql) as copy:
                        copy.write(self.copy_lines(rows))
                return
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            writer = None
            try:
                for rows in batches:
                    if not rows:
                        continue
                    if writer is None and overlap():
                        writer = _CopyThread(connection.connection, self.sql)
                    if writer is not None:
                        writer.put(self.copy_lines(rows))
                    else:
                        raw.copy_expert(self.sql, io.StringIO(self.copy_lines(rows)), size=COPY_READ_SIZE)
            finally:
                if writer is not None:
                    writer.close()
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def copy_lines(self, rows: list[tuple]) -> str:
        """Rows in COPY text format (tab-separated, \\N for NULL, escaped text)."""
        prefix = self.prefix
        text = self._copy_text
        return "".join(
            [
                f"{prefix}{survey_date.isoformat()}\t{service}\t{sex}\t{COPY_NULL if age is None else age}\t"
                f"{education}\t{occupation}\t{text(suggestion)}\t{text(source_id)}\t"
                + "\t".join(map(str, scores))
                + "\n"
                for survey_date, service, sex, age, education, occupation, suggestion, source_id, *scores in rows
            ]
        )


class _CopyThread:
    """Runs `COPY ... FROM STDIN` for each queued text on the shared psycopg2 connection.

    psycopg2 connections are thread-safe (cursors are not: the thread has its own). At
    most two batches wait in the queue, so memory stays at a few batches. A failure in
    the thread is re-raised in the caller by `put` or `close`.
    """

    def __init__(self, raw_connection, sql: str) -> None:
        self.raw_connection = raw_connection
        self.sql = sql
        self.queue: queue.Queue[str | None] = queue.Queue(maxsize=2)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="skm-import-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.raw_connection.cursor()
        try:
            while (text := self.queue.get()) is not None:
                if self.failure is None:
                    cursor.copy_expert(self.sql, io.StringIO(text), size=COPY_READ_SIZE)
        except BaseException as exc:  # handed to the caller's thread
            self.failure = exc
            while self.queue.get() is not None:  # drain until close()
                pass
        finally:
            cursor.close()

    def put(self, text: str) -> None:
        if self.failure is not None:
            raise self.failure
        self.queue.put(text)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.failure is not None:
            raise self.failure


def _file_size(file: str | Path | BinaryIO) -> int:
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


def _check_header(cells: list, expected: list[str]) -> str | None:
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


def _file_name(file: str | Path | BinaryIO) -> str:
    name = file if isinstance(file, str | Path) else getattr(file, "name", "") or ""
    return Path(str(name)).name[:255]


def already_imported_message(batch: ImportBatch) -> str:
    """The refusal of a file imported before: when (Indonesian date, WITA) and by whom."""
    when = timezone.localtime(batch.imported_at)
    if batch.imported_by is not None:
        user = batch.imported_by
        full_name = user.get_full_name()
        who = f"{full_name} ({user.get_username()})" if full_name else user.get_username()
    elif batch.source == ImportBatch.Source.COMMAND:
        who = _("perintah skm_import_responses di server")
    else:
        who = _("pengguna yang sudah dihapus")
    return _(
        "Berkas yang sama persis sudah diimpor pada %(date)s pukul %(time)s WITA oleh %(who)s "
        "(%(count)s baris). Berkas tidak diimpor lagi agar jawaban tidak tercatat dua kali."
    ) % {
        "date": formats.date_format(when, "DATE_FORMAT"),
        "time": formats.time_format(when, "TIME_FORMAT"),
        "who": who,
        "count": format_int(batch.imported),
    }


def _refuse_if_imported(sha256: str) -> None:
    batch = ImportBatch.objects.select_related("imported_by").filter(sha256=sha256).first()
    if batch is not None:
        raise ImportRefused([already_imported_message(batch)])


def responses_import(
    *,
    file: str | Path | BinaryIO,
    create_missing_services: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    actor=None,
    source: str = ImportBatch.Source.PAGE,
) -> ImportReport:
    """Import every row of `file` as a response to the active questionnaire, or none.

    Raises `ImportRefused` (database unchanged) with one message per bad row, naming its
    spreadsheet row number, or one message for a bad file (header, size, format, limits)
    or for a file whose exact content was imported before. With
    `create_missing_services`, unknown names in `layanan` become new services, in the
    same transaction (so they vanish too if the file is refused). Rows whose `id` is
    already stored, or repeated in the file, are skipped and counted in the report.
    `actor` (the user, None for the command) and `source` are recorded with the file.
    """
    limits = ImportLimits.from_settings()
    if _file_size(file) > limits.max_bytes:
        raise ImportRefused(
            [
                _("Berkas terlalu besar (maksimal %(size)s MB). Bagi data menjadi beberapa berkas.")
                % {"size": format_int(limits.max_bytes // (1024 * 1024))}
            ]
        )
    sha256 = file_sha256(file)
    _refuse_if_imported(sha256)
    try:
        questionnaire = Questionnaire.active()
    except Questionnaire.DoesNotExist:
        raise ImportRefused([_("Belum ada kuesioner aktif.")]) from None
    expected = expected_header(questionnaire)
    slots = [e.field for e in questionnaire.elements.all()]
    try:
        with transaction.atomic():
            try:
                # First, so that a second import of the same file running at the same time
                # waits on this row's unique key and is then refused.
                with transaction.atomic():
                    batch = ImportBatch.objects.create(
                        sha256=sha256,
                        file_name=_file_name(file),
                        imported_by=actor,
                        source=source,
                    )
            except IntegrityError:
                _refuse_if_imported(sha256)
                raise
            # One column beyond the table is read (the optional `id`, or a stray column the
            # row check names); a value further right refuses the file at once.
            with limits.reader(file, max_columns=len(expected) + 1) as reader:
                checker = _RowChecker(
                    questionnaire=questionnaire,
                    date1904=reader.date1904,
                    create_missing_services=create_missing_services,
                )
                writer = _Writer(questionnaire=questionnaire, slots=slots, submitted_at=timezone.now())
                outcome = _Outcome()
                batches = _checked_batches(
                    rows=reader.rows(),
                    checker=checker,
                    expected=expected,
                    batch_size=batch_size,
                    outcome=outcome,
                    max_rows=limits.max_rows,
                )
                writer.write_all(batches, overlap=lambda: not checker.has_id)
            if outcome.total_errors:
                raise ImportRefused(outcome.errors, outcome.total_errors)
            if not outcome.imported and not outcome.skipped:
                raise ImportRefused([_("Berkas tidak berisi baris data di bawah judul kolom.")])
            batch.imported, batch.skipped = outcome.imported, outcome.skipped
            batch.save(update_fields=["imported", "skipped"])
    except XlsxError as exc:
        raise ImportRefused([str(exc)]) from exc
    except (IntegrityError, connection.Database.IntegrityError) as exc:
        # Another import stored one of this file's ids in the meantime (the COPY thread
        # raises the driver's own error, not Django's).
        raise ImportRefused(
            [_("Impor lain menyimpan id yang sama pada saat bersamaan. Tidak ada yang disimpan; coba lagi.")]
        ) from exc
    return ImportReport(imported=outcome.imported, created_services=checker.created_services, skipped=outcome.skipped)


@dataclass
class _Outcome:
    imported: int = 0
    skipped: int = 0
    total_errors: int = 0
    errors: list[str] = field(default_factory=list)


def _without_known_ids(batch: list[tuple], outcome: _Outcome) -> list[tuple]:
    """The batch minus rows whose source id is already stored (counted as skipped)."""
    index = 7  # position of the source id in a checked row
    ids = [values[index] for values in batch if values[index]]
    known: set[str] = set()
    for start in range(0, len(ids), 1000):
        known.update(
            Response.objects.filter(source_id__in=ids[start : start + 1000]).values_list("source_id", flat=True)
        )
    if not known:
        return batch
    kept = [values for values in batch if values[index] not in known]
    dropped = len(batch) - len(kept)
    outcome.imported -= dropped
    outcome.skipped += dropped
    return kept


def _checked_batches(
    *,
    rows: Iterator[tuple[int, list]],
    checker: _RowChecker,
    expected: list[str],
    batch_size: int,
    outcome: _Outcome,
    max_rows: int,
) -> Iterator[list[tuple]]:
    """Check every row; yield good rows in batches until the first bad one, then only check.

    Problems with the whole file (header, too many rows) raise `ImportRefused` at once.
    """
    errors = outcome.errors
    batch: list[tuple] = []
    data_rows = 0
    header_seen = False
    seen_ids: set[str] = set()
    for number, cells in rows:
        if not header_seen:
            if number == 1 and cells and isinstance(cells[0], str) and cells[0].strip().lower() == ID_COLUMN:
                checker.use_id_column()
                cells = cells[1:]
            problem = (
                _check_header(cells, expected)
                if number == 1
                else _("Baris 1 harus berisi judul kolom: %(columns)s.") % {"columns": ", ".join(expected)}
            )
            if problem:
                raise ImportRefused([problem])
            header_seen = True
            continue
        if not cells or (_blank(cells[0]) and all(_blank(c) for c in cells)):
            continue  # an empty row (e.g. left-over formatting): skipped before the costly check
        values, problems = checker.check(cells)
        data_rows += 1
        if data_rows > max_rows:
            raise ImportRefused(
                [
                    _("Berkas berisi lebih dari %(rows)s baris data. Bagi data menjadi beberapa berkas.")
                    % {"rows": format_int(max_rows)}
                ]
            )
        if problems:
            outcome.total_errors += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(_("Baris %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            batch.clear()
            continue
        source_id = values[7]
        if source_id:
            if source_id in seen_ids:
                outcome.skipped += 1  # the same response twice in one file (overlapping exports pasted together)
                continue
            seen_ids.add(source_id)
        outcome.imported += 1
        if not outcome.total_errors:
            batch.append(values)
            if len(batch) >= batch_size:
                yield _without_known_ids(batch, outcome) if checker.has_id else batch
                batch = []
    if not header_seen:
        raise ImportRefused([_("Berkas kosong: baris 1 harus berisi judul kolom.")])
    if batch and not outcome.total_errors:
        yield _without_known_ids(batch, outcome) if checker.has_id else batch


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
    if _file_size(file) > limits.max_bytes:
        raise ImportRefused([_("Berkas terlalu besar.")])
    indices: dict = {}
    errors: list[str] = []
    header_seen = False
    try:
        with limits.reader(file, max_columns=len(PUBLISHED_HEADER) + 5, max_rows=20 * len(codes)) as reader:
            for number, cells in reader.rows():
                if not header_seen:
                    problem = _check_header(cells, list(PUBLISHED_HEADER)) if number == 1 else "-"
                    if problem:
                        raise ImportRefused([_("Baris 1 harus berisi tepat kolom berikut, berurutan: kode, indeks.")])
                    header_seen = True
                    continue
                if all(_blank(c) for c in cells):
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
                        % {"value": _shown(raw_code or ""), "codes": ", ".join(codes)}
                    )
                elif code in indices:
                    problems.append(_("kode %(code)s sudah ada di baris sebelumnya") % {"code": code})
                try:
                    value = parse_index(raw_index)
                except ValueError as exc:
                    problems.append(_("indeks %(problem)s") % {"problem": exc})
                if any(not _blank(c) for c in cells[2:]):
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
