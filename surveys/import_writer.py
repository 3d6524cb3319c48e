"""Inserting checked import rows (COPY on PostgreSQL) and their tallies.

See `surveys.importing` for the whole import."""

from __future__ import annotations

import datetime as dt
import io
import queue
import threading
from collections.abc import Callable, Iterator

from django.db import connection

from .models import Questionnaire, Response
from .tallies import TallyBatch

COPY_NULL = "\\N"
COPY_READ_SIZE = 1 << 16


class ResponseWriter:
    """Inserts checked rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, *, questionnaire: Questionnaire, slots: list[str], submitted_at: dt.datetime) -> None:
        meta = Response._meta
        self.questionnaire_id, self.slots = questionnaire.pk, slots
        self.tally = TallyBatch()
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

    def _counted(self, batches: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
        for rows in batches:
            self.tally.add_rows(
                rows, questionnaire_id=self.questionnaire_id, channel=Response.Channel.IMPORT.value, slots=self.slots
            )
            yield rows

    def write_all(self, batches: Iterator[list[tuple]], *, overlap: Callable[[], bool] = lambda: True) -> None:
        """Insert every batch and add them to the tallies (one upsert), in the caller's transaction."""
        self._insert_all(self._counted(batches), overlap=overlap)
        self.tally.apply()

    def _insert_all(self, batches: Iterator[list[tuple]], *, overlap: Callable[[], bool]) -> None:
        """Insert every batch.

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
                        writer = CopyThread(connection.connection, self.sql)
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


class CopyThread:
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
