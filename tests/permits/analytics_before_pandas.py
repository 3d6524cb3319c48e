"""The service-time analytics as they were before pandas (commit 0b0a95d), kept only as a
regression reference: `permits.analytics.permit_analytics` must give the same report.

The dataclasses are the product's, so reports compare with ==.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from permits import workflow
from permits.analytics import MEASURED_STEPS, RETURN_CAUSE, Report, StepFigures, TypeFigures, files_submitted
from permits.calendar import ZERO
from permits.models import PermitType, ProcessLogEntry
from permits.selectors import overdue_q
from permits.stats import MEDIAN, P90, share
from permits.workflow import Step


def percentile(values: Iterable[int | Fraction], q: Fraction) -> Fraction | None:
    """The q-th quantile (0 <= q <= 1) of `values` by linear interpolation; None if empty."""
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1")
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * Fraction(q)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def duration_percentile(durations: Iterable[dt.timedelta], q: Fraction) -> dt.timedelta | None:
    """`percentile` over time spans, rounded half up to a whole second."""
    exact = percentile((d.days * 86400 + d.seconds for d in durations), q)
    if exact is None:
        return None
    return dt.timedelta(seconds=math.floor(exact + Fraction(1, 2)))


def _step_figures(
    samples: dict[Step, list[dt.timedelta]], sums: dict[Step, dict], rounds: dict[Step, int], whole: dt.timedelta
) -> list[StepFigures]:
    figures = []
    for step in MEASURED_STEPS:
        sum_row = sums.get(step)
        if sum_row is None and not rounds.get(step):
            continue
        sum_row = sum_row or {"n": 0, "duration": ZERO, "offtime": ZERO}
        figures.append(
            StepFigures(
                step=step,
                label=step.label,
                entries=sum_row["n"],
                time=sum_row["offtime"] if step in workflow.APPLICANT_STEPS else sum_row["duration"],
                offtime=sum_row["offtime"],
                median=duration_percentile(samples.get(step, []), MEDIAN),
                p90=duration_percentile(samples.get(step, []), P90),
                revision_rounds=rounds.get(step, 0),
                offtime_share=share(sum_row["offtime"], whole),
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
    step_sums = (
        entries.values("application__permit_type", "step")
        .annotate(n=Count("pk"), duration=Sum("duration"), offtime=Sum("offtime"))
        .order_by()
    )
    returns = (
        entries.filter(action__in=list(RETURN_CAUSE))
        .values("application__permit_type", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    file_totals = (
        entries.filter(application__completed_at__isnull=False)
        .values("application", "application__permit_type")
        .annotate(total=Sum("duration"))
        .order_by()
    )

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

    sums: dict[int | None, dict[Step, dict]] = defaultdict(dict)
    for row in step_sums:
        step, kind = Step(row["step"]), row["application__permit_type"]
        figures = {"n": row["n"], "duration": row["duration"] or ZERO, "offtime": row["offtime"] or ZERO}
        sums[kind][step] = figures
        total = sums[None].setdefault(step, {"n": 0, "duration": ZERO, "offtime": ZERO})
        for key in figures:
            total[key] += figures[key]
    rounds: dict[int | None, dict[Step, int]] = defaultdict(lambda: defaultdict(int))
    for row in returns:
        cause = RETURN_CAUSE[row["action"]]
        rounds[row["application__permit_type"]][cause] += row["n"]
        rounds[None][cause] += row["n"]
    samples: dict[int | None, dict[Step, list[dt.timedelta]]] = defaultdict(lambda: defaultdict(list))
    for kind, step, duration, offtime in entries.values_list(
        "application__permit_type", "step", "duration", "offtime"
    ).iterator(chunk_size=5000):
        value = offtime if step in workflow.APPLICANT_STEPS else duration
        samples[kind][Step(step)].append(value)
        samples[None][Step(step)].append(value)
    per_file: dict[int | None, list[dt.timedelta]] = defaultdict(list)
    for row in file_totals:
        per_file[row["application__permit_type"]].append(row["total"] or ZERO)
        per_file[None].append(row["total"] or ZERO)

    total = TypeFigures(name=_("Semua jenis izin"))
    for figures in by_type.values():
        for name in ("files", "completed", "overdue", "revised_files", "revision_rounds"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    for kind, figures in [*by_type.items(), (None, total)]:
        kind_sums = sums.get(kind, {})
        figures.duration = sum((s["duration"] for s in kind_sums.values()), ZERO)
        figures.offtime = sum((s["offtime"] for s in kind_sums.values()), ZERO)
        figures.median = duration_percentile(per_file.get(kind, []), MEDIAN)
        figures.p90 = duration_percentile(per_file.get(kind, []), P90)
        figures.steps = _step_figures(
            samples.get(kind, {}), kind_sums, rounds.get(kind, {}), figures.duration + figures.offtime
        )
    return Report(
        date_from=date_from,
        date_to=date_to,
        generated_at=now,
        permit_type=permit_type,
        types=sorted(by_type.values(), key=lambda f: f.name),
        total=total,
    )
