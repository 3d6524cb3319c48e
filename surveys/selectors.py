"""Reads of survey results. Sums and counts are computed by the database, one scan."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ikm, precision, tallies
from .models import (
    AGE_BANDS,
    PROFILE_COLUMNS,
    Element,
    Period,
    Questionnaire,
    Response,
    ResponseTally,
    Service,
    tally_slot_columns,
)

CLOSED_PERIOD_CACHE_SECONDS = 24 * 3600

# One page asks for the same range's sums several times (results, margins, profile, saran
# count) and for the tally version and the closed-period stamp once per period; inside
# `one_reading()` each is read once.
_reading: ContextVar[dict | None] = ContextVar("skm_tally_reading", default=None)


@contextlib.contextmanager
def one_reading():
    """Within the block (a page's view), the tallies' sums of a range (all columns, one
    query), the tally version and the closed-period stamp are read once and reused.

    Usable as a view decorator. Outside it every call reads afresh.
    """
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def _once(key, compute):
    memo = _reading.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _element_sets() -> dict[int, list[Element]]:
    sets: dict[int, list[Element]] = {}
    for element in Element.objects.order_by("questionnaire_id", "order", "code"):
        sets.setdefault(element.questionnaire_id, []).append(element)
    return sets


@functools.lru_cache(maxsize=64)
def _tally_sums_sql(vendor: str, columns: tuple[str, ...], by_service: bool) -> str:
    quote = connection.ops.quote_name
    sums = ", ".join(f"SUM({quote(column)})" for column in columns)
    where = "survey_date >= %s AND survey_date <= %s" + (" AND service_id = %s" if by_service else "")
    return (
        f"SELECT questionnaire_id, service_id, {sums} FROM {quote(ResponseTally._meta.db_table)} "  # noqa: S608
        f"WHERE {where} GROUP BY questionnaire_id, service_id"
    )


def tally_sums(
    *,
    date_from: dt.date,
    date_to: dt.date,
    service: Service | None = None,
    columns: Sequence[str] = tallies.VALUE_COLUMNS,
) -> dict[tuple[int, int], dict[str, int]]:
    """Sums of the tallies' `columns` in [date_from, date_to] per (questionnaire id, service id).

    One query over the tally rows (a few per day), never over the responses. Plain SQL:
    building 120 ORM aggregates costs more than the database takes to answer. A range
    that ended before today changes only by an import or a rebuild (they renew the tally
    version), so its sums are cached under that version.
    """
    columns = tuple(columns)
    if _reading.get() is not None and columns != tallies.VALUE_COLUMNS:
        every = _once(
            ("sums", date_from, date_to, service.pk if service else None),
            lambda: tally_sums(date_from=date_from, date_to=date_to, service=service),
        )
        return {group: {column: values[column] for column in columns} for group, values in every.items()}
    key = None
    if date_to < timezone.localdate():
        digest = hashlib.sha256(repr(columns).encode()).hexdigest()[:12]
        key = f"skm-tally-sums:{date_from}:{date_to}:{service.pk if service else 0}:{digest}:{_tally_version()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    params: list = [date_from, date_to] + ([service.pk] if service is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(_tally_sums_sql(connection.vendor, columns, service is not None), params)
        rows = cursor.fetchall()
    sums = {(row[0], row[1]): dict(zip(columns, map(int, row[2:]), strict=True)) for row in rows}
    if key is not None:
        cache.set(key, sums, CLOSED_PERIOD_CACHE_SECONDS)
    return sums


def _pooled(sums: dict[tuple[int, int], dict[str, int]], by: int) -> dict[int, dict[str, int]]:
    """Sums per questionnaire (by=0) or per service (by=1)."""
    pooled: dict[int, dict[str, int]] = {}
    for key, values in sums.items():
        into = pooled.setdefault(key[by], dict.fromkeys(values, 0))
        for column, value in values.items():
            into[column] += value
    return pooled


def response_results(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> ikm.IkmResult:
    """The IKM of all responses with a survey date in [date_from, date_to], pooled.

    Responses given on different questionnaires pool by element code; the element list
    and weights are those of the newest questionnaire among them. Read from the tallies.
    """
    element_tallies, respondents, moments = _tally_statistics(date_from, date_to, service)
    return ikm.compute(element_tallies, respondents=respondents, moments=moments)


def _tally_statistics(
    date_from: dt.date, date_to: dt.date, service: Service | None
) -> tuple[list[ikm.ElementTally], int, ikm.Moments]:
    """Element tallies (sums, squares, answers), respondents and respondent moments, from the
    tallies; once per range within `one_reading()` (a page's results, margins and trend)."""
    element_tallies, respondents, moments = _once(
        ("statistics", date_from, date_to, service.pk if service else None),
        lambda: _gather_tally_statistics(date_from, date_to, service),
    )
    return list(element_tallies), respondents, moments  # a list of its own: the memo stays as read


def _questionnaire_dates() -> dict[int, tuple[dt.datetime, int, bool]]:
    return {
        pk: (created_at, pk, is_active)
        for pk, created_at, is_active in Questionnaire.objects.values_list("pk", "created_at", "is_active")
    }


def _newest_questionnaire_id(ids) -> int:
    """The newest questionnaire (created last) among `ids`, or the active one when there
    are none. The questionnaires (a handful) are read once per `one_reading()`."""
    dates = _once("questionnaire-dates", _questionnaire_dates)
    if any(pk not in dates for pk in ids):  # made during this reading
        dates = _questionnaire_dates()
    if ids:
        return max(ids, key=lambda pk: dates[pk][:2])
    # The active one; none active: Questionnaire.active() raises DoesNotExist as before.
    return next((pk for pk, (*_order, active) in dates.items() if active), None) or Questionnaire.active().pk


def _gather_tally_statistics(
    date_from: dt.date, date_to: dt.date, service: Service | None
) -> tuple[tuple[ikm.ElementTally, ...], int, ikm.Moments]:
    sets = _once("element-sets", _element_sets)
    fields = sorted({e.field for elements in sets.values() for e in elements})
    used = (*tallies.BASE_COLUMNS, *(column for name in fields for column in tally_slot_columns(name)))
    sums = tally_sums(date_from=date_from, date_to=date_to, service=service, columns=used)
    per_questionnaire = _pooled(sums, by=0)
    layout = sets.get(_newest_questionnaire_id(per_questionnaire), [])
    totals = {e.code: [0, 0, 0] for e in layout}
    for questionnaire_id, sums in per_questionnaire.items():
        for element in sets.get(questionnaire_id, []):
            if element.code in totals:
                total, squares, answers = tally_slot_columns(element.field)
                totals[element.code][0] += sums[total]
                totals[element.code][1] += sums[squares]
                totals[element.code][2] += sums[answers]
    element_tallies = tuple(
        ikm.ElementTally(
            code=e.code,
            name=e.name,
            weight=Fraction(e.weight),
            total=totals[e.code][0],
            answers=totals[e.code][2],
            squares=totals[e.code][1],
        )
        for e in layout
    )
    respondents = sum(s["respondents"] for s in per_questionnaire.values())
    moments = ikm.Moments(
        n=respondents,
        total=sum(s["resp_total"] for s in per_questionnaire.values()),
        squares=sum(s["resp_squares"] for s in per_questionnaire.values()),
    )
    return element_tallies, respondents, moments


def response_statistics(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None
) -> tuple[list[ikm.ElementTally], ikm.Moments]:
    """The statistics behind the margins of error, read from the exact tallies (one place).

    Element tallies with their sums of squares, and the moments of each respondent's
    weighted total T_j = sum_i a_i x_ij (a_i: the questionnaire's weights as smallest whole
    numbers) over the elements the respondent answered (`surveys.tallies`).
    """
    element_tallies, _respondents, moments = _tally_statistics(date_from, date_to, service)
    return element_tallies, moments


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


def _tally_version() -> str:
    return _once("version", tallies.version)


def closed_period_stamp() -> str:
    """What cached results of closed periods depend on besides their dates: the tally
    version (renewed when responses land on a past day) and the questionnaires' elements."""
    return _once("stamp", _closed_period_stamp)


def _closed_period_stamp() -> str:
    # From the element sets and questionnaires a page reads anyway (`one_reading`).
    sets = _once("element-sets", _element_sets)
    dates = _once("questionnaire-dates", _questionnaire_dates)
    layout = sorted(
        (e.pk, e.questionnaire_id, dates[e.questionnaire_id][2], e.code, e.name, e.weight, e.slot, e.order)
        for elements in sets.values()
        for e in elements
    )
    fingerprint = hashlib.sha256(repr(layout).encode()).hexdigest()[:16]
    return f"{_tally_version()}:{fingerprint}"


def period_results(period: Period, service: Service | None = None, *, stamp: str | None = None) -> ikm.IkmResult:
    """A period's results: entered published aggregates, or computed from responses.

    Published aggregates hold no per-service breakdown; asking for one returns the
    computed results of the responses the app holds for that service. A closed period's
    computed results are cached (`stamp`: a `closed_period_stamp()` the caller already has).
    """
    if period.is_published_aggregate and service is None:
        return published_results(period)
    bounds = {"date_from": period.start_date, "date_to": period.end_date, "service": service}
    if period.end_date >= timezone.localdate():
        return response_results(**bounds)
    key = _period_results_key(period, service, stamp or closed_period_stamp())
    result = cache.get(key)
    if result is None:
        result = response_results(**bounds)
        cache.set(key, result, CLOSED_PERIOD_CACHE_SECONDS)
    return result


def _period_results_key(period: Period, service: Service | None, stamp: str) -> str:
    """The cache key of a closed period's computed results (`period_results`)."""
    return f"skm-period-results:{period.start_date}:{period.end_date}:{service.pk if service else 0}:{stamp}"


def _many_period_results(periods: list[Period]) -> list[ikm.IkmResult]:
    """`period_results(p)` of each period, the closed periods' cached results read in one
    round trip to the cache (one GET per period cost more than the rest of a trend), and
    those missing computed and stored together."""
    stamp = closed_period_stamp() if periods else ""
    today = timezone.localdate()
    keys = {
        p.pk: _period_results_key(p, None, stamp)
        for p in periods
        if not p.is_published_aggregate and p.end_date < today
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    fresh = {}
    for period in periods:
        key = keys.get(period.pk)
        if key is not None and key not in found:
            found[key] = fresh[key] = response_results(date_from=period.start_date, date_to=period.end_date)
    if fresh:
        cache.set_many(fresh, CLOSED_PERIOD_CACHE_SECONDS)
    return [found[keys[p.pk]] if p.pk in keys else period_results(p, stamp=stamp) for p in periods]


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


def _choice_breakdown(key: str, title: str, counts: dict, choices) -> Breakdown:
    rows = [CountRow(value, str(label), counts.get(value, 0)) for value, label in choices]
    # Values outside today's choices (older data) are tallied with "not filled".
    rows.append(CountRow(NOT_FILLED, _("Tidak diisi"), counts.get(NOT_FILLED, 0)))
    return Breakdown(key=key, title=title, rows=tuple(rows))


def respondent_profile(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None
) -> tuple[Breakdown, ...]:
    """Counts of respondents by sex, age band, education, occupation and service.

    Read from the tallies. Age is optional on the form: those who left it empty count
    as "tidak diisi".
    """
    columns = ("respondents", *tallies.PROFILE_COLUMN_NAMES)
    per_service = _pooled(tally_sums(date_from=date_from, date_to=date_to, service=service, columns=columns), by=1)
    dimensions: dict[str, dict[str, int]] = {}
    for dimension, value, column in PROFILE_COLUMNS:
        dimensions.setdefault(dimension, {})[value] = sum(s[column] for s in per_service.values())
    tables = [
        _choice_breakdown("sex", _("Jenis kelamin"), dimensions["sex"], Response.Sex.choices),
        Breakdown(
            key="age",
            title=_("Usia"),
            rows=(
                *(CountRow(key, _age_label(key), dimensions["age"][key]) for key, _low, _high in AGE_BANDS),
                CountRow(NOT_FILLED, _("Tidak diisi"), dimensions["age"][NOT_FILLED]),
            ),
        ),
        _choice_breakdown("education", _("Pendidikan"), dimensions["education"], Response.Education.choices),
        _choice_breakdown("occupation", _("Pekerjaan"), dimensions["occupation"], Response.Occupation.choices),
    ]
    service_counts = {pk: s["respondents"] for pk, s in per_service.items()}
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
    *,
    date_from: dt.date,
    date_to: dt.date,
    service: Service | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Suggestion]:
    """Non-empty saran/masukan with their date and service, oldest first (a page: offset, limit).

    A page deep in the list first skips through the ids alone (the partial index on
    survey date and id of rows with a saran answers that without reading the rows), then
    reads just the page's rows.
    """
    ordered = responses_between(date_from, date_to, service).exclude(suggestion="").order_by("survey_date", "pk")
    if limit is not None:
        ids = list(ordered.values_list("pk", flat=True)[offset : offset + limit])
        ordered = Response.objects.filter(pk__in=ids).order_by("survey_date", "pk")
    elif offset:
        ordered = ordered[offset:]
    rows = ordered.values_list("survey_date", "service__name", "suggestion")
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
    """Responses with a non-empty saran (from the tallies)."""
    sums = tally_sums(date_from=date_from, date_to=date_to, service=service, columns=("suggestions",))
    return sum(s["suggestions"] for s in sums.values())


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
    periods = list(periods)
    return [TrendPoint(period=p, result=r) for p, r in zip(periods, _many_period_results(periods), strict=True)]


def response_list() -> QuerySet:
    """Single responses for the officers' list (skm_portal.listing sorts and filters them)."""
    return Response.objects.select_related("service").order_by("-survey_date", "-pk")
