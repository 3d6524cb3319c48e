"""Reads of survey results. Sums and counts are computed by the database, one scan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd
from django.db import connection
from django.db.models import BigIntegerField, Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from . import ikm, precision
from .models import Element, Period, Questionnaire, Response, Service


def _element_sets() -> dict[int, list[Element]]:
    sets: dict[int, list[Element]] = {}
    for element in Element.objects.order_by("questionnaire_id", "order", "code"):
        sets.setdefault(element.questionnaire_id, []).append(element)
    return sets


def _pooled_tallies(
    responses: QuerySet, sets: dict[int, list[Element]], *, squares: bool = False
) -> tuple[list[Element], list[ikm.ElementTally], list[dict]]:
    """Per-element tallies of `responses`, pooled by element code over questionnaires.

    The element list and weights are those of the newest questionnaire among them.
    Returns (layout, tallies, the per-questionnaire rows with their respondent counts).
    """
    slots = sorted({e.field for elements in sets.values() for e in elements})
    aggregates = {}
    for name in slots:
        aggregates[f"{name}_total"] = Sum(name)
        aggregates[f"{name}_answers"] = Count(name)
        if squares:
            # Scores are 1-4: the square fits the slot's small integer; SUM widens it.
            aggregates[f"{name}_squares"] = Sum(F(name) * F(name))
    rows = list(responses.order_by().values("questionnaire_id").annotate(respondents=Count("id"), **aggregates))
    if rows:
        newest = Questionnaire.objects.filter(pk__in=[r["questionnaire_id"] for r in rows]).latest("created_at", "pk")
    else:
        newest = Questionnaire.active()
    layout = sets.get(newest.pk, [])
    totals = {e.code: [0, 0, 0] for e in layout}
    for row in rows:
        for element in sets.get(row["questionnaire_id"], []):
            if element.code in totals:
                totals[element.code][0] += row[f"{element.field}_total"] or 0
                totals[element.code][1] += row[f"{element.field}_answers"] or 0
                totals[element.code][2] += row.get(f"{element.field}_squares") or 0
    tallies = [
        ikm.ElementTally(
            code=e.code,
            name=e.name,
            weight=Fraction(e.weight),
            total=totals[e.code][0],
            answers=totals[e.code][1],
            squares=totals[e.code][2],
        )
        for e in layout
    ]
    return layout, tallies, rows


def _responses(date_from: dt.date, date_to: dt.date, service: Service | None) -> QuerySet:
    responses = Response.objects.filter(survey_date__gte=date_from, survey_date__lte=date_to)
    return responses if service is None else responses.filter(service=service)


def response_results(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> ikm.IkmResult:
    """The IKM of all responses with a survey date in [date_from, date_to], pooled.

    Responses given on different questionnaires pool by element code; the element list
    and weights are those of the newest questionnaire among them.
    """
    _layout, tallies, rows = _pooled_tallies(_responses(date_from, date_to, service), _element_sets())
    return ikm.compute(tallies, respondents=sum(r["respondents"] for r in rows))


def response_statistics(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None
) -> tuple[list[ikm.ElementTally], ikm.Moments]:
    """The statistics behind the margins of error, from the response rows (one place).

    Element tallies with their sums of squares, and the moments of each respondent's
    weighted total T_j = sum_i a_i x_ij (a_i: the newest layout's weights as smallest whole
    numbers) over the respondents who answered every element of that layout that anyone
    answered. A questionnaire lacking one of those elements has no complete respondent.
    The exact tallies can replace this function: same numbers, no row scan.
    """
    sets = _element_sets()
    responses = _responses(date_from, date_to, service)
    layout, tallies, rows = _pooled_tallies(responses, sets, squares=True)
    answered = [e for e, tally in zip(layout, tallies, strict=True) if tally.answers]
    weights = dict(
        zip((e.code for e in answered), precision.integer_weights([e.weight for e in answered]), strict=True)
    )
    n = total = squares = 0
    for row in rows:
        by_code = {e.code: e for e in sets.get(row["questionnaire_id"], [])}
        if not weights or any(code not in by_code for code in weights):
            continue
        weighted = sum(Value(a) * Cast(by_code[code].field, BigIntegerField()) for code, a in weights.items())
        complete = responses.filter(
            questionnaire_id=row["questionnaire_id"], **{f"{by_code[code].field}__isnull": False for code in weights}
        )
        moments = _moments(complete.order_by().annotate(weighted_total=weighted).values("weighted_total"))
        n, total, squares = n + moments.n, total + moments.total, squares + moments.squares
    return tallies, ikm.Moments(n=n, total=total, squares=squares)


def _moments(totals: QuerySet) -> ikm.Moments:
    """COUNT, SUM and sum of squares of one computed column, each row's value computed once.

    `totals` selects that one column; wrapping it as a subquery keeps the database from
    evaluating the weighted sum twice per row (as SUM(expr), SUM(expr * expr) would).
    """
    sql, params = totals.query.sql_with_params()  # Django's own SQL; the values stay parameters
    outer = "SELECT COUNT(*), SUM(t.weighted_total), SUM(t.weighted_total * t.weighted_total) FROM ({}) t"
    with connection.cursor() as cursor:
        cursor.execute(outer.format(sql), params)
        count, total, squares = cursor.fetchone()
    return ikm.Moments(n=count, total=int(total or 0), squares=int(squares or 0))


def response_precision(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None, population: int | None = None
) -> precision.Precision:
    tallies, moments = response_statistics(date_from=date_from, date_to=date_to, service=service)
    return precision.precision(tallies, moments, population)


def period_precision(period: Period, service: Service | None = None) -> precision.Precision | None:
    """Margins of a period's results; None for published aggregates (none can be computed).

    The population (service users) is counted per period, so a per-service result has
    no finite-population correction.
    """
    if period.is_published_aggregate and service is None:
        return None
    return response_precision(
        date_from=period.start_date,
        date_to=period.end_date,
        service=service,
        population=period.service_users if service is None else None,
    )


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


# --- Results pages: respondent profile, suggestions, trend (results helper) ---------


@dataclass(frozen=True)
class CountRow:
    key: str  # stable value ("L", "20-29", "" for not filled, a service code)
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    """One demographic table: a count per category, every category listed (also 0)."""

    key: str  # "sex", "age", "education", "occupation", "service"
    title: str
    rows: tuple[CountRow, ...]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


NOT_FILLED = ""
# (key, lowest age, highest age); None = open end.
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("<20", None, 19),
    ("20-29", 20, 29),
    ("30-39", 30, 39),
    ("40-49", 40, 49),
    ("50-59", 50, 59),
    (">=60", 60, None),
)


def _age_label(key: str) -> str:
    if key == "<20":
        return _("Di bawah 20 tahun")
    if key == ">=60":
        return _("60 tahun ke atas")
    return _("%(band)s tahun") % {"band": key.replace("-", "–")}


def responses_between(date_from: dt.date, date_to: dt.date, service: Service | None = None):
    """Responses with a survey date in [date_from, date_to] (optionally one service), unordered."""
    responses = Response.objects.filter(survey_date__gte=date_from, survey_date__lte=date_to)
    if service is not None:
        responses = responses.filter(service=service)
    return responses.order_by()


PROFILE_COLUMNS = ["sex", "age_band", "education", "occupation", "service_id"]


def _age_band() -> Case:
    whens = []
    for key, low, high in AGE_BANDS:
        condition = Q(age__isnull=False)
        if low is not None:
            condition &= Q(age__gte=low)
        if high is not None:
            condition &= Q(age__lte=high)
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(NOT_FILLED), output_field=CharField())


def profile_crosstab(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> pd.DataFrame:
    """How many respondents gave each combination of profile answers: one GROUP BY, one row per
    combination met (columns PROFILE_COLUMNS and n). Any cross-tab of two answers or the count
    of one answer is a sum over it, e.g. `frame.pivot_table("n", "sex", "age_band", aggfunc="sum")`.
    """
    rows = (
        responses_between(date_from, date_to, service)
        .annotate(age_band=_age_band())
        .values(*PROFILE_COLUMNS)
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*PROFILE_COLUMNS, "n")
    )
    return pd.DataFrame.from_records(list(rows), columns=[*PROFILE_COLUMNS, "n"])


def _counts(crosstab: pd.DataFrame, column: str) -> dict:
    return {key: int(n) for key, n in crosstab.groupby(column)["n"].sum().items()}


def _choice_breakdown(key: str, title: str, counts: dict, choices) -> Breakdown:
    rows = [CountRow(value, str(label), counts.get(value, 0)) for value, label in choices]
    known = {value for value, _label in choices}
    # Values outside today's choices (older data) are counted with "not filled".
    other = sum(n for value, n in counts.items() if value not in known)
    rows.append(CountRow(NOT_FILLED, _("Tidak diisi"), other))
    return Breakdown(key=key, title=title, rows=tuple(rows))


def respondent_profile(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None
) -> tuple[Breakdown, ...]:
    """Counts of respondents by sex, age band, education, occupation and service.

    The database counts the combinations of answers in one scan (`profile_crosstab`);
    pandas sums them per answer. Age is optional on the form: those who left it empty
    count as "tidak diisi".
    """
    crosstab = profile_crosstab(date_from=date_from, date_to=date_to, service=service)
    age_counts = _counts(crosstab, "age_band")
    tables = [
        _choice_breakdown("sex", _("Jenis kelamin"), _counts(crosstab, "sex"), Response.Sex.choices),
        Breakdown(
            key="age",
            title=_("Usia"),
            rows=(
                *(CountRow(key, _age_label(key), age_counts.get(key, 0)) for key, _low, _high in AGE_BANDS),
                CountRow(NOT_FILLED, _("Tidak diisi"), age_counts.get(NOT_FILLED, 0)),
            ),
        ),
        _choice_breakdown("education", _("Pendidikan"), _counts(crosstab, "education"), Response.Education.choices),
        _choice_breakdown("occupation", _("Pekerjaan"), _counts(crosstab, "occupation"), Response.Occupation.choices),
    ]
    service_counts = _counts(crosstab, "service_id")
    services = Service.objects.filter(Q(is_active=True) | Q(pk__in=list(service_counts))).order_by("order", "name")
    if service is not None:
        services = services.filter(pk=service.pk)
    tables.append(
        Breakdown(
            key="service",
            title=_("Jenis layanan"),
            rows=tuple(CountRow(s.code, s.name, service_counts.get(s.pk, 0)) for s in services),
        )
    )
    return tuple(tables)


@dataclass(frozen=True)
class Suggestion:
    survey_date: dt.date
    service: str
    text: str


def suggestions(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Non-empty saran/masukan with their date and service, oldest first."""
    rows = (
        responses_between(date_from, date_to, service)
        .exclude(suggestion="")
        .order_by("survey_date", "pk")
        .values_list("survey_date", "service__name", "suggestion")
    )
    if limit is not None:
        rows = rows[:limit]
    return [Suggestion(day, name, text.strip()) for day, name, text in rows if text.strip()]


def suggestion_texts(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> list[tuple[str, int]]:
    """Each distinct saran with how many respondents wrote it (the database groups), most frequent first."""
    rows = (
        responses_between(date_from, date_to, service)
        .exclude(suggestion="")
        .values("suggestion")
        .annotate(n=Count("pk"))
        .order_by("-n", "suggestion")
        .values_list("suggestion", "n")
    )
    return [(text, n) for text, n in rows if text.strip()]


def suggestion_count(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> int:
    return responses_between(date_from, date_to, service).exclude(suggestion="").count()


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    result: ikm.IkmResult

    @property
    def ikm(self) -> Fraction | None:
        return self.result.ikm


def ikm_trend(*, public_only: bool = False, until: Period | None = None) -> list[TrendPoint]:
    """Every period's IKM in start-date order: entered aggregates or computed results.

    `until` stops at that period (inclusive), so a page about an older period does not
    show later ones.
    """
    periods = Period.objects.prefetch_related("published_results").order_by("start_date", "end_date", "pk")
    if public_only:
        periods = periods.filter(is_public=True)
    if until is not None:
        periods = periods.filter(start_date__lte=until.start_date)
    return [TrendPoint(period=p, result=period_results(p)) for p in periods]


def response_list() -> QuerySet:
    """Single responses for the officers' list (skm_portal.listing sorts and filters them)."""
    return Response.objects.select_related("service").order_by("-survey_date", "-pk")
