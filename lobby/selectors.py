"""What the lobby board shows: this period's results and what the office did about them.

Only aggregates and the office's own words: no respondent, no name, no phone number.
The IKM comes from surveys.selectors (one arithmetic for the whole app).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from followup.models import Activity, Meeting, Recommendation
from surveys import selectors as survey_selectors
from surveys.ikm import IkmResult
from surveys.models import Period, Response, Service

ACTIVITIES_ON_BOARD = 5
COMMITMENTS_ON_BOARD = 4


@dataclass(frozen=True)
class ServiceIndex:
    name: str
    result: IkmResult


@dataclass(frozen=True)
class Figures:
    period: Period | None
    result: IkmResult | None
    services: list[ServiceIndex]
    today: int
    today_date: dt.date


def current_period(today: dt.date) -> Period | None:
    """The public period running today; else the public period that started last."""
    public = Period.objects.filter(is_public=True, start_date__lte=today)
    return (
        public.filter(end_date__gte=today).order_by("-start_date", "-pk").first()
        or public.order_by("-start_date", "-end_date", "-pk").first()
    )


def board_figures(today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    period = current_period(today)
    result = survey_selectors.period_results(period) if period else None
    services: list[ServiceIndex] = []
    if period is not None:
        for service in Service.objects.filter(is_active=True):
            per_service = survey_selectors.period_results(period, service)
            if per_service.respondents and per_service.ikm is not None:
                services.append(ServiceIndex(service.name, per_service))
    return Figures(
        period=period,
        result=result,
        services=services,
        today=Response.objects.filter(survey_date=today).count(),
        today_date=today,
    )


def completed_activities(limit: int | None = ACTIVITIES_ON_BOARD):
    """Finished follow-up activities, newest work first, with the element they answer
    (a list of `limit`, or the whole queryset for paging when `limit` is None)."""
    rows = (
        Activity.objects.filter(status=Activity.Status.DONE)
        .select_related("plan", "plan__period")
        .annotate(last_done=Coalesce(Max("steps__ended_on"), Max("steps__started_on")))
        .order_by("-plan__period__start_date", Coalesce("last_done", "plan__period__end_date").desc(), "-pk")
    )
    return rows if limit is None else list(rows[:limit])


def fkp_commitments(limit: int | None = COMMITMENTS_ON_BOARD) -> list[Recommendation]:
    """The FKP's recommendations the office committed to, newest forum first, with their state."""
    rows = (
        Recommendation.objects.filter(meeting__kind=Meeting.Kind.FKP, meeting__berita_acara__isnull=False)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__pk", "number", "pk")
    )
    return list(rows[:limit] if limit else rows)


def commitment_counts() -> dict[str, int]:
    rows = Recommendation.objects.filter(meeting__kind=Meeting.Kind.FKP, meeting__berita_acara__isnull=False)
    return {
        "total": rows.count(),
        "done": rows.filter(Q(status=Recommendation.Status.DONE)).count(),
    }
