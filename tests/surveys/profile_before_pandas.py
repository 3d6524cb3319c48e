"""The respondents' profile as it was computed before pandas (five GROUP BYs, commit 0b0a95d),
kept only as a regression reference for `surveys.selectors.respondent_profile`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils.translation import gettext as _

from surveys.models import Response, Service
from surveys.selectors import AGE_BANDS, NOT_FILLED, Breakdown, CountRow, _age_label, responses_between


def _counts(queryset, field: str) -> dict:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id"))}


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

    Each table is one GROUP BY in the database. Age is optional on the form: those who
    left it empty count as "tidak diisi".
    """
    responses = responses_between(date_from, date_to, service)
    tables = [
        _choice_breakdown("sex", _("Jenis kelamin"), _counts(responses, "sex"), Response.Sex.choices),
    ]

    whens = []
    for key, low, high in AGE_BANDS:
        condition = Q(age__isnull=False)
        if low is not None:
            condition &= Q(age__gte=low)
        if high is not None:
            condition &= Q(age__lte=high)
        whens.append(When(condition, then=Value(key)))
    banded = responses.annotate(age_band=Case(*whens, default=Value(NOT_FILLED), output_field=CharField()))
    age_counts = _counts(banded, "age_band")
    tables.append(
        Breakdown(
            key="age",
            title=_("Usia"),
            rows=(
                *(CountRow(key, _age_label(key), age_counts.get(key, 0)) for key, _low, _high in AGE_BANDS),
                CountRow(NOT_FILLED, _("Tidak diisi"), age_counts.get(NOT_FILLED, 0)),
            ),
        )
    )
    tables.append(
        _choice_breakdown("education", _("Pendidikan"), _counts(responses, "education"), Response.Education.choices)
    )
    tables.append(
        _choice_breakdown("occupation", _("Pekerjaan"), _counts(responses, "occupation"), Response.Occupation.choices)
    )
    service_counts = _counts(responses, "service_id")
    services = Service.objects.filter(Q(is_active=True) | Q(pk__in=service_counts)).order_by("order", "name")
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
