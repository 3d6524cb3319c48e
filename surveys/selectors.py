"""Reads of survey results. Sums and counts are computed by the database, one scan."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db.models import Count, Sum

from . import ikm
from .models import Element, Period, Questionnaire, Response, Service


def _element_sets() -> dict[int, list[Element]]:
    sets: dict[int, list[Element]] = {}
    for element in Element.objects.order_by("questionnaire_id", "order", "code"):
        sets.setdefault(element.questionnaire_id, []).append(element)
    return sets


def response_results(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> ikm.IkmResult:
    """The IKM of all responses with a survey date in [date_from, date_to], pooled.

    Responses given on different questionnaires pool by element code; the element list
    and weights are those of the newest questionnaire among them.
    """
    sets = _element_sets()
    slots = sorted({e.field for elements in sets.values() for e in elements})
    responses = Response.objects.filter(survey_date__gte=date_from, survey_date__lte=date_to)
    if service is not None:
        responses = responses.filter(service=service)
    aggregates = {}
    for name in slots:
        aggregates[f"{name}_total"] = Sum(name)
        aggregates[f"{name}_answers"] = Count(name)
    rows = list(responses.order_by().values("questionnaire_id").annotate(respondents=Count("id"), **aggregates))
    if rows:
        newest = Questionnaire.objects.filter(pk__in=[r["questionnaire_id"] for r in rows]).latest("created_at", "pk")
    else:
        newest = Questionnaire.active()
    layout = sets.get(newest.pk, [])
    totals = {e.code: [0, 0] for e in layout}
    for row in rows:
        for element in sets.get(row["questionnaire_id"], []):
            if element.code in totals:
                totals[element.code][0] += row[f"{element.field}_total"] or 0
                totals[element.code][1] += row[f"{element.field}_answers"] or 0
    tallies = [
        ikm.ElementTally(
            code=e.code, name=e.name, weight=Fraction(e.weight), total=totals[e.code][0], answers=totals[e.code][1]
        )
        for e in layout
    ]
    return ikm.compute(tallies, respondents=sum(r["respondents"] for r in rows))


def published_results(period: Period) -> ikm.IkmResult:
    entries = [
        ikm.PublishedIndex(code=p.code, name=p.name, weight=p.weight, index=p.index)
        for p in period.published_results.all()
    ]
    return ikm.from_published(entries, respondents=period.published_respondents or 0)


def period_results(period: Period, service: Service | None = None) -> ikm.IkmResult:
    """A period's results: entered published aggregates, or computed from responses.

    Published aggregates hold no per-service breakdown; asking for one returns the
    computed results of the responses the app holds for that service.
    """
    if period.is_published_aggregate and service is None:
        return published_results(period)
    return response_results(date_from=period.start_date, date_to=period.end_date, service=service)


def previous_period(period: Period) -> Period | None:
    """The period that started last before this one (any kind), for the change column."""
    return (
        Period.objects.filter(start_date__lt=period.start_date)
        .exclude(pk=period.pk)
        .order_by("-start_date", "-end_date", "-pk")
        .first()
    )
