"""Results pages (officers and the public); their exports are in `exports.py`.

Views only parse the request, call selectors/summary/charts and render. The results
block (table, charts, change, ranking, sample check) is one include shared by the
officer's period page, the date-range page and the public page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from skm_portal.permissions import has_permission, permission_required

from .. import charts, masterdata, selectors, summary
from ..forms_results import DateRangeForm, ServiceFilterForm
from ..models import ExportJob, Period, Service
from .exports import default_range, export_jobs_context

SUGGESTIONS_PER_PAGE = 50
SUGGESTION_PAGE_PARAM = "saran"


def _suggestion_page(request, bounds: dict) -> dict:
    """One page of the saran (rows, oldest first) with the links to the pages beside it."""
    total = selectors.suggestion_count(**bounds)
    pages = max((total + SUGGESTIONS_PER_PAGE - 1) // SUGGESTIONS_PER_PAGE, 1)
    try:
        number = min(max(int(request.GET.get(SUGGESTION_PAGE_PARAM, 1)), 1), pages)
    except (TypeError, ValueError):
        number = 1
    rows = selectors.suggestions(**bounds, limit=SUGGESTIONS_PER_PAGE, offset=(number - 1) * SUGGESTIONS_PER_PAGE)

    def link(page: int) -> str:
        query = request.GET.copy()
        query[SUGGESTION_PAGE_PARAM] = str(page)
        return "?" + query.urlencode() + "#saran"

    return {
        "suggestions": rows,
        "suggestion_total": total,
        "suggestion_page": number,
        "suggestion_pages": pages,
        "suggestion_previous": link(number - 1) if number > 1 else "",
        "suggestion_next": link(number + 1) if number < pages else "",
    }


def _trend_chart(points: list[selectors.TrendPoint]) -> charts.Svg:
    return charts.ikm_trend_chart(
        [charts.TrendValue(label=p.period.name, ikm=p.ikm, published=p.result.published) for p in points]
    )


def _results_context(
    *,
    result,
    trend: list[selectors.TrendPoint],
    previous: Period | None = None,
    previous_result=None,
    service_users: int | None = None,
    check_sample: bool = True,
    margins=None,
    previous_margins=None,
) -> dict:
    overview = summary.summarise(
        result,
        previous=previous_result,
        service_users=service_users,
        check_sample=check_sample,
        margins=margins,
        previous_margins=previous_margins,
    )
    return {
        "result": result,
        "overview": overview,
        "previous": previous,
        "bar_chart": charts.element_bar_chart(result.elements),
        "trend_chart": _trend_chart(trend),
    }


def _period_list_rows(points: list[selectors.TrendPoint]) -> list[selectors.TrendPoint]:
    return sorted(points, key=lambda p: (p.period.start_date, p.period.end_date, p.period.pk), reverse=True)


def _service_filter(request) -> tuple[ServiceFilterForm, Service | None]:
    form = ServiceFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["layanan"]
    return form, None


def _export_context(request, scope: dict) -> dict:
    """The export buttons of a results page (its own scope) and the officer's export jobs."""
    if not has_permission(request.user, "surveys.export"):
        return {}
    kinds = [(ExportJob.Kind.RECAP, _("olah data")), (ExportJob.Kind.RESPONSES, _("data jawaban"))]
    return {
        "export_scope": scope,
        "export_query": urlencode(scope),
        "export_kinds": kinds,
        "recap_kind": ExportJob.Kind.RECAP,
        **export_jobs_context(request.user, back=request.get_full_path()),
    }


# --- Officers -------------------------------------------------------------------------


@permission_required("surveys.view_results")
@selectors.one_reading()
def period_list(request):
    masterdata.standard_periods_ensure()
    return render(
        request,
        "surveys/results/period_list.html",
        {"points": _period_list_rows(selectors.ikm_trend())},
    )


@permission_required("surveys.view_results")
@selectors.one_reading()
def period_results(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    form, service = _service_filter(request)
    result = selectors.period_results(period, service)
    previous = selectors.previous_period(period)
    previous_result = selectors.period_results(previous, service) if previous else None
    computed = not result.published
    context = {
        "period": period,
        "form": form,
        "service": service,
        "computed": computed,
        **_export_context(request, {"periode": period.pk, **({"layanan": service.code} if service else {})}),
        **_results_context(
            result=result,
            trend=selectors.ikm_trend(until=period),
            previous=previous,
            previous_result=previous_result,
            service_users=period.service_users,
            check_sample=service is None,  # the population is counted per period, not per service
            margins=selectors.period_precision(period, service),
            previous_margins=selectors.period_precision(previous, service) if previous else None,
        ),
    }
    if computed:
        bounds = {"date_from": period.start_date, "date_to": period.end_date, "service": service}
        context["profile"] = selectors.respondent_profile(**bounds)
        context.update(_suggestion_page(request, bounds))
    return render(request, "surveys/results/period_results.html", context)


@permission_required("surveys.view_results")
@selectors.one_reading()
def range_results(request):
    if request.GET:
        form = DateRangeForm(request.GET)
    else:
        start, end = default_range()
        form = DateRangeForm({"dari": start.isoformat(), "sampai": end.isoformat()})
    context = {"form": form}
    if form.is_valid():
        start, end = form.cleaned_data["dari"], form.cleaned_data["sampai"]
        service = form.cleaned_data["layanan"]
        bounds = {"date_from": start, "date_to": end, "service": service}
        context.update(
            date_from=start,
            date_to=end,
            service=service,
            computed=True,
            **_export_context(
                request,
                {
                    "dari": start.isoformat(),
                    "sampai": end.isoformat(),
                    **({"layanan": service.code} if service else {}),
                },
            ),
            profile=selectors.respondent_profile(**bounds),
            **_suggestion_page(request, bounds),
            **_results_context(
                result=selectors.response_results(**bounds),
                trend=selectors.ikm_trend(),
                check_sample=False,
                margins=selectors.response_precision(**bounds),
            ),
        )
    return render(request, "surveys/results/range_results.html", context)


# --- Public (the regulation requires publication; no login) ---------------------------


@selectors.one_reading()
def public_results(request):
    masterdata.standard_periods_ensure()
    points = selectors.ikm_trend(public_only=True)
    return render(
        request,
        "surveys/results/public_list.html",
        {"points": _period_list_rows(points), "trend_chart": _trend_chart(points) if points else None},
    )


@selectors.one_reading()
def public_period(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    if not period.is_public:
        raise Http404(_("Periode ini tidak dipublikasikan."))
    result = selectors.period_results(period)
    previous = selectors.previous_period(period)
    if previous is not None and not previous.is_public:
        previous = None
    context = {
        "period": period,
        "computed": not result.published,
        **_results_context(
            result=result,
            trend=selectors.ikm_trend(public_only=True, until=period),
            previous=previous,
            previous_result=selectors.period_results(previous) if previous else None,
            service_users=period.service_users,
            margins=selectors.period_precision(period),
            previous_margins=selectors.period_precision(previous) if previous else None,
        ),
    }
    return render(request, "surveys/results/public_period.html", context)
