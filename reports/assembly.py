"""Everything a report shows, gathered in a fixed number of queries.

`followup_report_data(year)` reads the office, the year's periods with their results, the
follow-up plans with their activities, realisation steps and evidence (prefetched: four
queries however many there are), and the appendix documents other apps provide.
`results_report_data(period)` does the same for the shorter per-period report.
Nothing here renders HTML or writes anything.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Prefetch

from followup.models import Activity, Evidence, FollowUpPlan, RealisationStep
from followup.ordering import letter
from skm_portal.models import OfficeProfile
from surveys import charts, selectors, summary
from surveys.ikm import IkmResult
from surveys.models import Period

from .appendix import AppendixDocument, appendix_documents
from .attachments import AttachedFile, attached_file
from .suggestions import SuggestionGroup, group_suggestions

# Evidence images larger than this are listed, not embedded (a 10 MB photo slows the PDF).
MAX_EMBEDDED_IMAGE_BYTES = 6 * 1024 * 1024
# Distinct suggestions listed in the per-period report (the most frequent first).
SUGGESTION_LIMIT = 300


@dataclass
class PeriodSection:
    period: Period
    result: IkmResult
    overview: summary.ResultSummary
    table_number: str  # "2.1"
    bar_chart: charts.Svg

    @property
    def ikm(self) -> Fraction | None:
        return self.result.ikm


@dataclass(frozen=True)
class DescriptionLine:
    letter: str
    text: str
    started_on: dt.date | None
    ended_on: dt.date | None


@dataclass
class PlanRow:
    number: int
    plan: FollowUpPlan
    activities: list[Activity]
    descriptions: list[DescriptionLine]


@dataclass(frozen=True)
class EvidenceItem:
    plan_name: str
    activity: str  # "a. Evaluasi Standar Pelayanan ..."
    title: str
    kind: str  # Evidence.Kind
    url: str = ""
    file_name: str = ""
    image_data_uri: str = ""
    added_on: dt.date | None = None
    file: AttachedFile | None = None  # an uploaded image or PDF, as the appendix shows it


@dataclass
class FollowupReportData:
    year: int
    office: OfficeProfile
    periods: list[PeriodSection]
    plans: list[PlanRow]
    evidence: list[EvidenceItem]
    documents: list[AppendixDocument]
    trend_chart: charts.Svg
    rtl_table_number: str = ""
    priorities: list[str] = field(default_factory=list)

    @property
    def first_month(self) -> dt.date | None:
        return self.periods[0].period.start_date if self.periods else None

    @property
    def last_month(self) -> dt.date | None:
        return max((s.period.end_date for s in self.periods), default=None)


def _periods_of_year(year: int) -> list[Period]:
    return list(
        Period.objects.filter(start_date__year=year)
        .prefetch_related("published_results")
        .order_by("start_date", "end_date", "pk")
    )


def _plans_of_year(year: int) -> list[FollowUpPlan]:
    return list(
        FollowUpPlan.objects.filter(period__start_date__year=year)
        .select_related("period")
        .order_by("period__start_date", "period_id", "rank", "element_code")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("steps", queryset=RealisationStep.objects.order_by("position", "pk")),
                    Prefetch("evidence", queryset=Evidence.objects.order_by("created_at", "pk")),
                ),
            )
        )
    )


def _image_data_uri(evidence: Evidence) -> str:
    if not evidence.is_image or not evidence.file or (evidence.size or 0) > MAX_EMBEDDED_IMAGE_BYTES:
        return ""
    try:
        with evidence.file.storage.open(evidence.file.name, "rb") as handle:
            data = handle.read(MAX_EMBEDDED_IMAGE_BYTES + 1)
    except OSError:
        return ""
    return f"data:{evidence.content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _evidence_file(evidence: Evidence, activity_label: str) -> AttachedFile | None:
    if evidence.kind != Evidence.Kind.FILE or not evidence.file or evidence.is_image:
        return None  # images keep their data URI; links and records have no file
    return attached_file(
        key=f"evidence-{evidence.pk}",
        title=f"{evidence.title} ({activity_label})",
        field_file=evidence.file,
        content_type=evidence.content_type,
        file_name=evidence.original_name,
        sha256=evidence.sha256,
    )


def _with_attendance_scans(documents: list[AppendixDocument]) -> list[AppendixDocument]:
    """Each meeting's uploaded scans of its paper attendance list right after the list."""
    result = []
    for document in documents:
        result.append(document)
        meeting = document.context.get("meeting") if document.kind == "daftar-hadir" else None
        if meeting is None:
            continue
        for scan in meeting.attendance_scans.all():
            result.append(
                AppendixDocument(
                    title=f"Pindaian Daftar Hadir {meeting.title}: {scan.title}",
                    template="reports/pdf/_attached_document.html",
                    context={
                        "file": attached_file(
                            key=f"scan-{scan.pk}",
                            title=scan.title,
                            field_file=scan.file,
                            content_type=scan.content_type,
                            file_name=scan.original_name,
                            sha256=scan.sha256,
                        )
                    },
                    date=document.date,
                    kind="daftar-hadir-scan",
                    section=document.section,
                )
            )
    return result


def _plan_rows(plans: list[FollowUpPlan]) -> tuple[list[PlanRow], list[EvidenceItem]]:
    rows, evidence = [], []
    for number, plan in enumerate(plans, start=1):
        activities = list(plan.activities.all())
        steps = [step for activity in activities for step in activity.steps.all()]
        descriptions = [
            DescriptionLine(letter(i), step.description, step.started_on, step.ended_on)
            for i, step in enumerate(steps, start=1)
        ]
        rows.append(PlanRow(number=number, plan=plan, activities=activities, descriptions=descriptions))
        for activity in activities:
            for item in activity.evidence.all():
                activity_label = f"{activity.letter}. {activity.title}"
                evidence.append(
                    EvidenceItem(
                        plan_name=plan.element_name,
                        activity=f"{activity.letter}. {activity.title}",
                        title=item.title,
                        kind=item.kind,
                        url=item.url,
                        file_name=item.original_name,
                        image_data_uri=_image_data_uri(item) if item.kind == Evidence.Kind.FILE else "",
                        added_on=item.created_at.date() if item.created_at else None,
                        file=_evidence_file(item, activity_label),
                    )
                )
    return rows, evidence


def _trend(sections: list[PeriodSection]) -> charts.Svg:
    return charts.ikm_trend_chart(
        [charts.TrendValue(label=s.period.name, ikm=s.result.ikm, published=s.result.published) for s in sections]
    )


def followup_report_data(year: int) -> FollowupReportData:
    office = OfficeProfile.get()
    sections = []
    for position, period in enumerate(_periods_of_year(year), start=1):
        result = selectors.period_results(period)
        sections.append(
            PeriodSection(
                period=period,
                result=result,
                overview=summary.summarise(result, service_users=period.service_users),
                table_number=f"2.{position}",
                bar_chart=charts.element_bar_chart(result.elements, title=period.name),
            )
        )
    plans, evidence = _plan_rows(_plans_of_year(year))
    seen: list[str] = []
    for row in plans:
        if row.plan.element_name not in seen:
            seen.append(row.plan.element_name)
    return FollowupReportData(
        year=year,
        office=office,
        periods=sections,
        plans=plans,
        evidence=evidence,
        documents=_with_attendance_scans(appendix_documents(year=year)),
        trend_chart=_trend(sections),
        rtl_table_number=f"2.{len(sections) + 1}",
        priorities=seen,
    )


@dataclass
class ResultsReportData:
    office: OfficeProfile
    period: Period
    result: IkmResult
    overview: summary.ResultSummary
    previous: Period | None
    bar_chart: charts.Svg
    trend_chart: charts.Svg
    profile: tuple[selectors.Breakdown, ...]
    suggestion_groups: list[SuggestionGroup]
    suggestion_shown: int  # distinct suggestions listed
    suggestion_distinct: int  # distinct suggestions in the period
    suggestion_total: int  # respondents who wrote one
    priorities: list[FollowUpPlan]  # the follow-up priorities the office confirmed for this period


def results_report_data(period: Period) -> ResultsReportData:
    """The shorter per-period report: results, change, profile, suggestions, sample check."""
    result = selectors.period_results(period)
    before = selectors.previous_period(period)
    previous_result = selectors.period_results(before) if before is not None else None
    if previous_result is not None and previous_result.ikm is None:
        previous_result, before = None, None
    trend = selectors.ikm_trend(until=period)
    dates = {"date_from": period.start_date, "date_to": period.end_date}
    texts = selectors.suggestion_texts(**dates)
    groups = group_suggestions(texts, [(e.code, e.name) for e in result.elements], limit=SUGGESTION_LIMIT)
    return ResultsReportData(
        office=OfficeProfile.get(),
        period=period,
        result=result,
        overview=summary.summarise(
            result,
            previous=previous_result,
            service_users=period.service_users,
            margins=selectors.period_precision(period),
            previous_margins=selectors.period_precision(before) if before is not None else None,
        ),
        previous=before,
        bar_chart=charts.element_bar_chart(result.elements, title=period.name),
        trend_chart=charts.ikm_trend_chart(
            [charts.TrendValue(label=p.period.name, ikm=p.ikm, published=p.result.published) for p in trend]
        ),
        profile=selectors.respondent_profile(**dates),
        suggestion_groups=groups,
        suggestion_shown=sum(len(g.items) for g in groups),
        suggestion_distinct=len(texts),
        suggestion_total=sum(n for _text, n in texts),
        priorities=list(FollowUpPlan.objects.filter(period=period).order_by("rank", "element_code")),
    )
