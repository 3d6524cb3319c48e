"""Reads of the follow-up: the year overview, a plan with everything on it, the
priority proposal of a period and the "did it work" change of each priority element."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm_portal.audit import audit_for
from skm_portal.models import AuditEntry
from skm_portal.numbers import format_decimal
from surveys import precision
from surveys.ikm import IkmResult
from surveys.models import Period
from surveys.selectors import period_precision, period_results, previous_period

from ..ordering import letter
from . import priorities
from .models import Activity, Evidence, FollowUpPlan, RealisationStep
from .progress import ElementChange, Progress, element_change, pooled


def priority_settings() -> tuple[str, int]:
    """(rule, count) from FOLLOWUP_PRIORITY_RULE and FOLLOWUP_PRIORITY_COUNT."""
    rule = getattr(settings, "FOLLOWUP_PRIORITY_RULE", priorities.DEFAULT_RULE)
    count = int(getattr(settings, "FOLLOWUP_PRIORITY_COUNT", priorities.DEFAULT_COUNT))
    if rule not in priorities.RULES:
        rule = priorities.DEFAULT_RULE
    return rule, max(count, 1)


RULE_LABELS = {
    priorities.RULE_COMBINED: gettext_lazy(
        "Gabungan: mutu di bawah A, lalu penurunan terbesar, lalu peringkat terendah"
    ),
    priorities.RULE_BELOW_A: gettext_lazy("Mutu di bawah A"),
    priorities.RULE_LOWEST: gettext_lazy("Peringkat terendah"),
    priorities.RULE_LARGEST_FALL: gettext_lazy("Penurunan terbesar sejak periode sebelumnya"),
}


def rule_choices() -> list[tuple[str, str]]:
    return [(rule, RULE_LABELS[rule]) for rule in priorities.RULES]


def candidate_reasons(candidate: priorities.Candidate, previous: Period | None) -> list[str]:
    """Why an element may deserve follow-up, in words for the officer."""
    reasons = []
    if candidate.below_a:
        reasons.append(_("mutu %(grade)s (di bawah A)") % {"grade": candidate.grade})
    reasons.append(_("peringkat terendah ke-%(rank)d") % {"rank": candidate.rank})
    change = candidate.change
    if change is not None and change < 0 and previous is not None:
        reasons.append(
            _("turun %(delta)s poin sejak %(period)s") % {"delta": format_decimal(-change), "period": previous.name}
            + (f" ({candidate.change_verdict})" if candidate.change_verdict else "")
        )
    return reasons


@dataclass(frozen=True)
class ProposalRow:
    candidate: priorities.Candidate
    proposed: bool
    reasons: list[str]
    plan: FollowUpPlan | None


@dataclass(frozen=True)
class PeriodPriorities:
    period: Period
    result: IkmResult
    previous: Period | None
    proposal: priorities.Proposal
    rows: list[ProposalRow]
    plans: list[FollowUpPlan]

    @property
    def confirmed(self) -> bool:
        return bool(self.plans)


def period_priorities(period: Period, *, rule: str | None = None, count: int | None = None) -> PeriodPriorities:
    default_rule, default_count = priority_settings()
    result = period_results(period)
    before = previous_period(period)
    previous = period_results(before) if before is not None else None
    if previous is not None and previous.ikm is None:
        previous = None
    # Margins of error (surveys.precision): which changes exceed what chance explains.
    verdicts = None
    if previous is not None:
        verdicts = precision.element_verdicts(result, period_precision(period), previous, period_precision(before))
    proposal = priorities.propose(
        result, previous, rule=rule or default_rule, count=count or default_count, verdicts=verdicts
    )
    plans = list(FollowUpPlan.objects.filter(period=period).order_by("rank", "element_code"))
    by_code = {p.element_code: p for p in plans}
    rows = [
        ProposalRow(
            candidate=c,
            proposed=proposal.is_proposed(c.code),
            reasons=candidate_reasons(c, before if previous is not None else None),
            plan=by_code.get(c.code),
        )
        for c in proposal.candidates
    ]
    return PeriodPriorities(period, result, before, proposal, rows, plans)


def next_period(period: Period) -> Period | None:
    """The period that starts first after this one (any kind): where a plan's effect shows."""
    return (
        Period.objects.filter(start_date__gt=period.start_date)
        .exclude(pk=period.pk)
        .order_by("start_date", "end_date", "pk")
        .first()
    )


@dataclass(frozen=True)
class PlanEffect:
    """The priority element in the plan's period and in the next period with results."""

    next_period: Period | None
    change: ElementChange | None
    verdict: str | None = None  # surveys.precision: "naik nyata", "turun nyata", "tidak berbeda nyata"


def _index(result: IkmResult | None, code: str) -> Fraction | None:
    if result is None:
        return None
    element = result.element(code)
    return None if element is None or element.index is None else Fraction(element.index)


def plan_effects(plans: list[FollowUpPlan]) -> dict[int, PlanEffect]:
    """{plan id: effect}; results of each period are computed once."""
    cache: dict[int, IkmResult] = {}
    nexts: dict[int, Period | None] = {}

    def results(period: Period) -> IkmResult:
        if period.pk not in cache:
            cache[period.pk] = period_results(period)
        return cache[period.pk]

    precisions: dict[int, precision.Precision | None] = {}

    def margins(period: Period) -> precision.Precision | None:
        if period.pk not in precisions:
            precisions[period.pk] = period_precision(period)
        return precisions[period.pk]

    effects = {}
    for plan in plans:
        if plan.period_id not in nexts:
            nexts[plan.period_id] = next_period(plan.period)
        after = nexts[plan.period_id]
        after_result = results(after) if after is not None else None
        if after_result is not None and after_result.ikm is None:
            after_result = None
        change = element_change(
            _index(results(plan.period), plan.element_code), _index(after_result, plan.element_code)
        )
        verdict = None
        if change is not None:  # margins of error: does the change exceed chance? (surveys.precision)
            verdict = precision.element_verdict(
                plan.element_code, results(plan.period), margins(plan.period), after_result, margins(after)
            )
        effects[plan.pk] = PlanEffect(next_period=after, change=change, verdict=verdict)
    return effects


def _plans_with_activities():
    return FollowUpPlan.objects.select_related("period").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("position", "pk"))
    )


@dataclass
class PeriodRow:
    period: Period
    result: IkmResult
    plans: list[FollowUpPlan]
    progress: Progress


@dataclass
class YearOverview:
    year: int
    years: list[int]
    rows: list[PeriodRow] = field(default_factory=list)
    effects: dict[int, PlanEffect] = field(default_factory=dict)

    @property
    def progress(self) -> Progress:
        return pooled(row.progress for row in self.rows)

    @property
    def plans(self) -> list[FollowUpPlan]:
        return [plan for row in self.rows for plan in row.plans]

    @property
    def plan_effects(self) -> list[tuple[FollowUpPlan, PlanEffect]]:
        return [(plan, self.effects[plan.pk]) for plan in self.plans]


def years() -> list[int]:
    return sorted({d.year for d in Period.objects.values_list("start_date", flat=True)}, reverse=True)


def year_overview(year: int) -> YearOverview:
    """The year's periods (by start date) with their results, plans and progress."""
    overview = YearOverview(year=year, years=years())
    periods = (
        Period.objects.filter(start_date__year=year)
        .prefetch_related("published_results")
        .order_by("start_date", "end_date", "pk")
    )
    plans_by_period: dict[int, list[FollowUpPlan]] = {}
    for plan in _plans_with_activities().filter(period__start_date__year=year).order_by("rank", "element_code"):
        plans_by_period.setdefault(plan.period_id, []).append(plan)
    for period in periods:
        plans = plans_by_period.get(period.pk, [])
        overview.rows.append(
            PeriodRow(
                period=period,
                result=period_results(period),
                plans=plans,
                progress=pooled(plan.progress() for plan in plans),
            )
        )
    overview.effects = plan_effects(overview.plans)
    return overview


@dataclass(frozen=True)
class Description:
    """One line of the report's "Deskripsi Tindak Lanjut": lettered across the plan."""

    letter: str
    step: RealisationStep
    activity: Activity


def plan_detail_queryset():
    return FollowUpPlan.objects.select_related("period").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("position", "pk").prefetch_related(
                Prefetch("steps", queryset=RealisationStep.objects.order_by("position", "pk")),
                Prefetch("evidence", queryset=Evidence.objects.select_related("step", "uploaded_by")),
            ),
        )
    )


def plan_descriptions(plan: FollowUpPlan) -> list[Description]:
    """All realisation steps of a plan in activity order, lettered a., b., ... as Tabel 3.1."""
    steps = [(activity, step) for activity in plan.activities.all() for step in activity.steps.all()]
    return [Description(letter(i), step, activity) for i, (activity, step) in enumerate(steps, start=1)]


def plan_audit(plan: FollowUpPlan, limit: int = 200) -> list[AuditEntry]:
    return audit_for(plan, limit)


def period_audit(period: Period, limit: int = 100) -> list[AuditEntry]:
    return audit_for(period, limit)


def activity_list():
    """Every plan's activities with plan and period, for the searchable list of plans."""
    return Activity.objects.select_related("plan__period").order_by(
        "-plan__period__start_date", "plan__rank", "plan__element_code", "position", "pk"
    )
