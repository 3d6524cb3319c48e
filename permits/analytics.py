"""Service-time analytics for officers ("Waktu Pelayanan"), from the process log.

The population is the files submitted in a date range (WITA), optionally of one permit
type. Counts per file are aggregated in the database; the process log is read once into
a pandas table that gives the sums per step, the revision rounds and the medians and
percentiles (`permits.stats.group_percentiles`, exact to the second). Per permit type:

- files, completed files, overdue files (at the moment of the report, the rule of
  Monitoring Izin) and the overdue rate;
- median and 90th percentile of the office time of the completed files (the sum of the
  durations of their process log: time the office held the file, without offtime);
- share of offtime: offtime / (durations + offtime) over the process log;
- revision rounds: returns to the applicant, and files returned at least once.

Per step: the median and 90th percentile of the step's durations (for "revisi
(pemohon)" the time with the applicant, i.e. offtime), the step's share of offtime of
the type's total time (so the shares of the steps add up to the type's share), and the
revision rounds that step caused (loop A: the technical agency's step, loop B: the step
of the kasi or kabid who returned the file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.dates import date_id, datetime_id
from skm_portal.exporting import FMT_2, Num, Sheet
from skm_portal.roles import Role

from . import workflow
from .calendar import WITA, ZERO
from .models import PermitApplication, PermitType, ProcessLogEntry
from .selectors import overdue_q
from .stats import MEDIAN, P90, group_percentiles, share
from .workflow import Step

FMT_PERCENT = "0.0"
# The step each return action sends the file back to afterwards: the step that caused it.
RETURN_CAUSE = {row.action.value: row.resume for row in workflow.TRANSITIONS if row.is_return}
MEASURED_STEPS = [step for step in Step if step not in {Step.PENDAFTARAN, Step.SELESAI}]


@dataclass
class StepFigures:
    step: Step
    label: str
    entries: int = 0
    time: dt.timedelta = ZERO  # durations (office steps) or offtime (revisi)
    offtime: dt.timedelta = ZERO
    median: dt.timedelta | None = None
    p90: dt.timedelta | None = None
    revision_rounds: int = 0
    offtime_share: Fraction | None = None

    @property
    def is_applicant(self) -> bool:
        return self.step in workflow.APPLICANT_STEPS


@dataclass
class TypeFigures:
    name: str
    permit_type_id: int | None = None  # None: every type together
    service_days: int | None = None
    files: int = 0
    completed: int = 0
    overdue: int = 0
    revised_files: int = 0
    revision_rounds: int = 0
    duration: dt.timedelta = ZERO
    offtime: dt.timedelta = ZERO
    median: dt.timedelta | None = None  # office time per completed file
    p90: dt.timedelta | None = None
    steps: list[StepFigures] = field(default_factory=list)

    @property
    def offtime_share(self) -> Fraction | None:
        return share(self.offtime, self.duration + self.offtime)

    @property
    def overdue_rate(self) -> Fraction | None:
        return Fraction(self.overdue, self.files) if self.files else None


@dataclass
class Report:
    date_from: dt.date
    date_to: dt.date
    generated_at: dt.datetime
    permit_type: PermitType | None
    types: list[TypeFigures]
    total: TypeFigures


def files_submitted(*, date_from: dt.date, date_to: dt.date, permit_type: PermitType | None = None) -> QuerySet:
    """Files submitted from `date_from` to `date_to` (both included, WITA days)."""
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=WITA)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=WITA)
    files = PermitApplication.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if permit_type is not None:
        files = files.filter(permit_type=permit_type)
    return files


ALL_TYPES = -1  # the group key of "every type together" in the pandas tables
LOG_COLUMNS = ["application", "kind", "step", "action", "duration", "offtime", "completed_at"]


def _seconds(column: pd.Series) -> pd.Series:
    spans = pd.to_timedelta(column)
    return (spans.dt.days * 86400 + spans.dt.seconds).astype("int64")


def _span(seconds) -> dt.timedelta | None:
    return None if seconds is None else dt.timedelta(seconds=int(seconds))


@dataclass
class LogFigures:
    """What the process log says, per (type, step) and per type; ALL_TYPES is every type together."""

    sums: pd.DataFrame  # index (kind, step): n, duration, offtime (seconds)
    step_median: pd.Series  # index (kind, step): seconds
    step_p90: pd.Series
    rounds: pd.Series  # index (kind, cause step): returns caused
    file_median: pd.Series  # index kind: office seconds per completed file
    file_p90: pd.Series


def _at(table: pd.Series, key):
    return table[key] if key in table.index else None


def _log_figures(entries: QuerySet) -> LogFigures:
    rows = entries.values_list(
        "application_id",
        "application__permit_type",
        "step",
        "action",
        "duration",
        "offtime",
        "application__completed_at",
    ).iterator(chunk_size=5000)
    log = pd.DataFrame.from_records(rows, columns=LOG_COLUMNS)
    log["duration"] = _seconds(log["duration"])
    log["offtime"] = _seconds(log["offtime"])
    # Each row counts for its type and for every type together.
    log = pd.concat([log, log.assign(kind=ALL_TYPES)], ignore_index=True)
    # A step's time: with the applicant the offtime, at the office the duration.
    log["time"] = log["offtime"].where(
        log["step"].isin([step.value for step in workflow.APPLICANT_STEPS]), log["duration"]
    )
    sums = log.groupby(["kind", "step"]).agg(
        n=("duration", "size"), duration=("duration", "sum"), offtime=("offtime", "sum")
    )
    causes = {action: step.value for action, step in RETURN_CAUSE.items()}
    returns = log[log["action"].isin(list(causes))]
    rounds = returns.assign(cause=returns["action"].map(causes)).groupby(["kind", "cause"]).size()
    completed = log[log["completed_at"].notna()]
    per_file = completed.groupby(["kind", "application"], as_index=False)["duration"].sum()
    return LogFigures(
        sums=sums,
        step_median=group_percentiles(log, ["kind", "step"], "time", MEDIAN),
        step_p90=group_percentiles(log, ["kind", "step"], "time", P90),
        rounds=rounds,
        file_median=group_percentiles(per_file, ["kind"], "duration", MEDIAN),
        file_p90=group_percentiles(per_file, ["kind"], "duration", P90),
    )


def _step_figures(log: LogFigures, kind: int, whole: dt.timedelta) -> list[StepFigures]:
    figures = []
    for step in MEASURED_STEPS:
        sum_row = log.sums.loc[(kind, step.value)] if (kind, step.value) in log.sums.index else None
        rounds = int(_at(log.rounds, (kind, step.value)) or 0)
        if sum_row is None and not rounds:
            continue
        duration = _span(0 if sum_row is None else sum_row["duration"])
        offtime = _span(0 if sum_row is None else sum_row["offtime"])
        figures.append(
            StepFigures(
                step=step,
                label=step.label,
                entries=0 if sum_row is None else int(sum_row["n"]),
                time=offtime if step in workflow.APPLICANT_STEPS else duration,
                offtime=offtime,
                median=_span(_at(log.step_median, (kind, step.value))),
                p90=_span(_at(log.step_p90, (kind, step.value))),
                revision_rounds=rounds,
                offtime_share=share(offtime, whole),
            )
        )
    return figures


def permit_analytics(
    *, date_from: dt.date, date_to: dt.date, permit_type: PermitType | None = None, now: dt.datetime | None = None
) -> Report:
    """The figures per permit type and step for files submitted in the range."""
    now = now or timezone.now()
    files = files_submitted(date_from=date_from, date_to=date_to, permit_type=permit_type)
    per_type = (
        files.values("permit_type")
        .annotate(
            files=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=overdue_q(now)),
            revised=Count("pk", filter=Q(revision_rounds__gt=0)),
            rounds=Sum("revision_rounds"),
        )
        .order_by()
    )
    entries = ProcessLogEntry.objects.filter(application__in=files.values("pk")).exclude(step=Step.PENDAFTARAN)
    log = _log_figures(entries)

    names = dict(PermitType.objects.values_list("pk", "name"))
    standards = dict(PermitType.objects.values_list("pk", "service_days"))
    by_type: dict[int, TypeFigures] = {}
    for row in per_type:
        by_type[row["permit_type"]] = TypeFigures(
            name=names[row["permit_type"]],
            permit_type_id=row["permit_type"],
            service_days=standards[row["permit_type"]],
            files=row["files"],
            completed=row["completed"],
            overdue=row["overdue"],
            revised_files=row["revised"],
            revision_rounds=row["rounds"] or 0,
        )

    total = TypeFigures(name=_("Semua jenis izin"))
    for figures in by_type.values():
        for name in ("files", "completed", "overdue", "revised_files", "revision_rounds"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    for kind, figures in [*by_type.items(), (ALL_TYPES, total)]:
        kind_sums = log.sums.loc[kind] if kind in log.sums.index.get_level_values("kind") else None
        figures.duration = _span(0 if kind_sums is None else kind_sums["duration"].sum())
        figures.offtime = _span(0 if kind_sums is None else kind_sums["offtime"].sum())
        figures.median = _span(_at(log.file_median, kind))
        figures.p90 = _span(_at(log.file_p90, kind))
        figures.steps = _step_figures(log, kind, figures.duration + figures.offtime)
    return Report(
        date_from=date_from,
        date_to=date_to,
        generated_at=now,
        permit_type=permit_type,
        types=sorted(by_type.values(), key=lambda f: f.name),
        total=total,
    )


# --- export -------------------------------------------------------------------------


def _hours(value: dt.timedelta | None) -> Num:
    if value is None:
        return Num(None)
    # Full precision, shown with 2 decimals: durations, offtime and working time add up when recomputed.
    return Num(Fraction(value.days * 86400 + value.seconds, 3600), places=None, fmt=FMT_2)


def _percent(value: Fraction | None) -> Num:
    return Num(None if value is None else value * 100, places=1, fmt=FMT_PERCENT)


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment, WITA).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


SUMMARY_HEADER = [
    _("Jenis izin"),
    _("Tahap"),
    _("Jumlah berkas"),
    _("Berkas selesai"),
    _("Jumlah proses"),
    _("Median waktu (jam)"),
    _("Persentil ke-90 waktu (jam)"),
    _("Porsi offtime (%)"),
    _("Berkas terlambat"),
    _("Tingkat keterlambatan (%)"),
    _("Jumlah revisi"),
    _("Standar (hari kerja)"),
]


def summary_rows(report: Report) -> Iterator[list[object]]:
    """Three title rows, the header, then per type its row and one row per step."""
    yield [_("Analitik waktu pelayanan perizinan")]
    yield [
        _("Berkas diajukan %(start)s s.d. %(end)s; dihitung %(at)s")
        % {
            "start": date_id(report.date_from),
            "end": date_id(report.date_to),
            "at": datetime_id(report.generated_at),
        }
    ]
    yield [
        _(
            "Waktu per jenis izin: waktu kantor per berkas selesai (tanpa offtime). Waktu per tahap: durasi tahap; "
            "untuk revisi (pemohon) waktu di pemohon."
        )
    ]
    yield [str(column) for column in SUMMARY_HEADER]
    for figures in [*report.types, report.total]:
        yield [
            figures.name,
            _("Seluruh tahap"),
            figures.files,
            figures.completed,
            None,
            _hours(figures.median),
            _hours(figures.p90),
            _percent(figures.offtime_share),
            figures.overdue,
            _percent(figures.overdue_rate),
            figures.revision_rounds,
            figures.service_days,
        ]
        for step in figures.steps:
            yield [
                figures.name,
                step.label,
                None,
                None,
                step.entries,
                _hours(step.median),
                _hours(step.p90),
                _percent(step.offtime_share),
                None,
                None,
                step.revision_rounds,
                None,
            ]


LOG_HEADER = [
    _("No. berkas"),
    _("Jenis izin"),
    _("Proses"),
    _("Tindakan"),
    _("User"),
    _("Mulai (WITA)"),
    _("Tanggal (WITA)"),
    _("Durasi (jam)"),
    _("Offtime (jam)"),
    _("Waktu kerja (jam)"),
    _("Catatan"),
]


def log_rows(files: QuerySet, *, viewer) -> Iterator[list[object]]:
    """The header, then every process-log entry of `files`, streamed from the database.

    Who acted and the notes (applicants' names, what officers wrote about a file) are
    shown only for files `viewer` may open (`permits.rules.visible_permits`); for
    other files the applicant's own steps read "Pemohon" and notes are hidden, while the
    times, which the analytics are about, stay.
    """
    from .rules import visible_permits

    yield [str(column) for column in LOG_HEADER]
    entries = (
        ProcessLogEntry.objects.filter(application__in=files.values("pk"))
        .annotate(may_open=Exists(visible_permits(viewer).filter(pk=OuterRef("application_id"))))
        .select_related("application__permit_type", "user")
        .order_by("application__submitted_at", "application_id", "at", "pk")
    )
    for entry in entries.iterator(chunk_size=2000):
        if entry.may_open:
            who, note = entry.user.get_full_name() or entry.user.get_username(), entry.note
        else:
            applicant = entry.user_id == entry.application.applicant_id
            who = str(Role.PEMOHON.label) if applicant else entry.user.get_full_name() or entry.user.get_username()
            note = _("(disembunyikan)") if entry.note else ""
        yield [
            entry.application.number or "",
            entry.application.permit_type.name,
            entry.step_label,
            workflow.Action(entry.action).label,
            who,
            entry.started_at,  # spreadsheet date-times in WITA (skm_portal.exporting)
            entry.at,
            _hours(entry.duration),
            _hours(entry.offtime),
            _hours(entry.working_time),
            note,
        ]


def export_sheets(report: Report, *, viewer) -> list[Sheet]:
    files = files_submitted(date_from=report.date_from, date_to=report.date_to, permit_type=report.permit_type)
    return [
        Sheet(
            title=_("Waktu Pelayanan"),
            rows=summary_rows(report),
            header_rows=4,
            widths={"A": 42, "B": 40, "L": 12},
        ),
        Sheet(
            title=_("Log Proses"),
            rows=log_rows(files, viewer=viewer),
            widths={"A": 18, "B": 40, "C": 36, "D": 30, "K": 60},
        ),
    ]
