"""Validating import rows: each row's cells to insert values or problems; batches of good rows.

See `surveys.importing` for the whole import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from skm_portal.dates import date_id
from skm_portal.numbers import format_int

from .import_files import (
    CACHE_LIMIT,
    EXCEL_EPOCH,
    EXCEL_EPOCH_1904,
    ID_COLUMN,
    ISO_DATE,
    MAX_AGE,
    MAX_REPORTED_ERRORS,
    MAX_SOURCE_ID,
    MIN_AGE,
    PROFILE_COLUMNS,
    ImportRefused,
    blank,
    check_header,
    column_letter,
    shown,
)
from .models import Questionnaire, Response, Service


class RowChecker:
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
        if blank(raw):
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
                "value": shown(raw)
            }
        if value > self.today:
            return None, _("tanggal %(value)s belum terjadi") % {"value": date_id(value)}
        if len(self.dates) < CACHE_LIMIT:
            self.dates[raw] = value
        return value, None

    def _service(self, raw) -> tuple[int | None, str | None]:
        if blank(raw):
            return None, _("layanan wajib diisi")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        name = " ".join(str(raw).split())
        key = name.lower()
        if key in self.services:
            return self.services[key], None
        if not self.create_missing_services:
            return None, _("layanan '%(value)s' tidak dikenal (isi kode atau nama jenis layanan yang terdaftar)") % {
                "value": shown(name)
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
        elif blank(raw):
            return None, None
        if value is None or not MIN_AGE <= value <= MAX_AGE:
            return None, _("usia harus bilangan bulat %(low)d-%(high)d atau kosong (tertulis '%(value)s')") % {
                "low": MIN_AGE,
                "high": MAX_AGE,
                "value": shown(raw),
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
            "value": shown(raw),
        }

    def _score(self, raw, code: str) -> str:
        if blank(raw):
            return _("%(code)s wajib diisi (bilangan bulat 1-4)") % {"code": code}
        return _("%(code)s harus bilangan bulat 1-4 (tertulis '%(value)s')") % {"code": code, "value": shown(raw)}

    # -- a whole row ---------------------------------------------------------------

    @staticmethod
    def _source_id(raw) -> tuple[str, str | None]:
        if blank(raw):
            return "", None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime):
            return "", _("id harus teks atau bilangan (tertulis tanggal %(value)s)") % {"value": shown(raw)}
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
            extra = [i for i in range(width, len(cells)) if not blank(cells[i])]
            if extra:
                problems.append(
                    _("ada isian di luar kolom tabel (kolom %(columns)s)")
                    % {"columns": ", ".join(column_letter(i) for i in extra[:5])}
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
                if blank(raw_sex):
                    problems.append(_("jenis_kelamin wajib diisi (L atau P)"))
                else:
                    problems.append(
                        _("jenis_kelamin harus L atau P (tertulis '%(value)s')") % {"value": shown(raw_sex)}
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
            suggestion = shown(suggestion)
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


@dataclass
class ImportOutcome:
    imported: int = 0
    skipped: int = 0
    total_errors: int = 0
    errors: list[str] = field(default_factory=list)


def without_known_ids(batch: list[tuple], outcome: ImportOutcome) -> list[tuple]:
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


def checked_batches(
    *,
    rows: Iterator[tuple[int, list]],
    checker: RowChecker,
    expected: list[str],
    batch_size: int,
    outcome: ImportOutcome,
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
                check_header(cells, expected)
                if number == 1
                else _("Baris 1 harus berisi judul kolom: %(columns)s.") % {"columns": ", ".join(expected)}
            )
            if problem:
                raise ImportRefused([problem])
            header_seen = True
            continue
        if not cells or (blank(cells[0]) and all(blank(c) for c in cells)):
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
                yield without_known_ids(batch, outcome) if checker.has_id else batch
                batch = []
    if not header_seen:
        raise ImportRefused([_("Berkas kosong: baris 1 harus berisi judul kolom.")])
    if batch and not outcome.total_errors:
        yield without_known_ids(batch, outcome) if checker.has_id else batch
