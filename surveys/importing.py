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

from pathlib import Path
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from skm_portal.numbers import format_int

from .import_files import (  # noqa: F401 - the import's public names live here
    DEFAULT_BATCH_SIZE,
    ImportLimits,
    ImportRefused,
    ImportReport,
    expected_header,
    file_name_of,
    file_sha256,
    file_size,
    max_unzipped_bytes,
    published_indices_read,
)
from .import_rows import ImportOutcome, RowChecker, checked_batches
from .import_writer import ResponseWriter
from .models import ImportBatch, Questionnaire
from .xlsxstream import XlsxError


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
    if file_size(file) > limits.max_bytes:
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
                        file_name=file_name_of(file),
                        imported_by=actor,
                        source=source,
                    )
            except IntegrityError:
                _refuse_if_imported(sha256)
                raise
            # One column beyond the table is read (the optional `id`, or a stray column the
            # row check names); a value further right refuses the file at once.
            with limits.reader(file, max_columns=len(expected) + 1) as reader:
                checker = RowChecker(
                    questionnaire=questionnaire,
                    date1904=reader.date1904,
                    create_missing_services=create_missing_services,
                )
                writer = ResponseWriter(questionnaire=questionnaire, slots=slots, submitted_at=timezone.now())
                outcome = ImportOutcome()
                batches = checked_batches(
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
