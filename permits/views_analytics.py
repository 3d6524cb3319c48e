"""Analytics for officers: service times per permit type and step, and their xlsx export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from skm_portal.exporting import XLSX_CONTENT_TYPE, write_xlsx
from skm_portal.permissions import permission_required

from . import analytics
from .forms import AnalyticsFilterForm


def _filters(request) -> AnalyticsFilterForm:
    return AnalyticsFilterForm(request.GET or None, today=timezone.localdate())


def _report(form: AnalyticsFilterForm) -> analytics.Report | None:
    if form.is_bound and not form.is_valid():
        return None
    if not form.is_bound:
        form = AnalyticsFilterForm({}, today=form.today)
        form.is_valid()
    data = form.cleaned_data
    return analytics.permit_analytics(
        date_from=data["date_from"], date_to=data["date_to"], permit_type=data.get("permit_type")
    )


@permission_required("permits.analytics")
@require_GET
def analytics_page(request):
    form = _filters(request)
    report = _report(form)
    return render(
        request,
        "permits/analytics.html",
        {"filters": form, "report": report, "query": request.GET.urlencode()},
    )


@permission_required("permits.analytics")
@require_GET
def analytics_export(request):
    form = _filters(request)
    report = _report(form)
    if report is None:
        return render(request, "permits/analytics.html", {"filters": form, "report": None, "query": ""}, status=400)
    content = write_xlsx(analytics.export_sheets(report, viewer=request.user))
    name = f"waktu-pelayanan-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
