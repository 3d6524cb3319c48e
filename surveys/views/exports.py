"""Exports of survey data: xlsx as background jobs shown where they were asked, CSV streamed.

The results pages (a period, a date range) offer the exports of their own scope. A click
on an xlsx export posts here and comes back to the same page, which lists the officer's
latest export jobs: progress while a worker writes, then the download, or the failure
with a retry. The CSV of the raw responses streams straight from a server-side cursor,
so even a year of a million rows starts downloading at once and never sits in memory.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from skm_portal.exporting import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_chunks
from skm_portal.formviews import submit
from skm_portal.permissions import permission_required

from .. import export_jobs, exporting
from ..forms_results import DateRangeForm
from ..models import ExportJob, Period, Service


class ScopeError(Exception):
    """The export's parameters do not name a period or a valid date range."""


def default_range() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def export_scope(data) -> tuple[Period | None, dt.date, dt.date, Service | None]:
    """periode=<pk> or dari=&sampai=, each with an optional layanan=<code>.

    Neither given: this year up to today, as on the range page.
    """
    if data.get("periode"):
        try:
            period = Period.objects.get(pk=int(data["periode"]))
        except (ValueError, Period.DoesNotExist):
            raise ScopeError(_("Periode tidak ditemukan.")) from None
        service = None
        if data.get("layanan"):
            service = Service.objects.filter(code=data["layanan"]).first()
            if service is None:
                raise ScopeError(_("Jenis layanan tidak dikenal."))
        return period, period.start_date, period.end_date, service
    if not any(data.get(key) for key in ("dari", "sampai")):
        start, end = default_range()
        form = DateRangeForm({"dari": start.isoformat(), "sampai": end.isoformat(), "layanan": data.get("layanan", "")})
    else:
        form = DateRangeForm(data)
    if not form.is_valid():
        raise ScopeError(" ".join(str(e) for errs in form.errors.values() for e in errs))
    return None, form.cleaned_data["dari"], form.cleaned_data["sampai"], form.cleaned_data["layanan"]


class ExportRequestForm(forms.Form):
    """What an export button posts: the kind, the scope of its page, and that page."""

    jenis = forms.ChoiceField(
        choices=ExportJob.Kind.choices, error_messages={"invalid_choice": gettext_lazy("Jenis ekspor tidak dikenal.")}
    )
    periode = forms.CharField(required=False, max_length=12)
    dari = forms.CharField(required=False, max_length=10)
    sampai = forms.CharField(required=False, max_length=10)
    layanan = forms.CharField(required=False, max_length=20)
    kembali = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        try:
            data["period"], data["date_from"], data["date_to"], data["service"] = export_scope(data)
        except ScopeError as error:
            raise forms.ValidationError(str(error)) from None
        return data


def _back(request, url: str | None):
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return redirect(url + "#ekspor")
    return redirect("surveys:range_results")


@permission_required("surveys.export")
@require_POST
def export_start(request):
    form = ExportRequestForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: export_jobs.export_request(
            kind=data["jenis"],
            user=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            period=data["period"],
            service=data["service"],
        ),
        success=lambda job: (
            _("%(kind)s sedang dibuat di latar; unduhannya muncul di bawah tombol ekspor.")
            % {"kind": job.get_kind_display()}
        ),
        then=lambda job: _back(request, request.POST.get("kembali")),
    )
    if done is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, request.POST.get("kembali"))
    return done


@permission_required("surveys.export")
@require_GET
def export_jobs_status(request):
    """The officer's latest export jobs (an htmx fragment, polled while one is unfinished)."""
    # A retry from the fragment goes back to the page that shows it (htmx names it).
    back = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    return render(request, "surveys/results/_export_jobs.html", export_jobs_context(request.user, back=back))


def export_jobs_context(user, *, back: str) -> dict:
    jobs = export_jobs.recent_jobs(user)
    return {
        "export_jobs": jobs,
        "export_jobs_polling": any(not j.is_finished for j in jobs),
        "export_back": back,
        "export_keep_days": export_jobs.keep_days(),
    }


def _own_job(request, pk: int) -> ExportJob:
    # Another officer's export is not shown, not even as "forbidden": 404.
    return get_object_or_404(ExportJob.objects.select_related("service"), pk=pk, requested_by=request.user)


@permission_required("surveys.export")
@require_GET
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404(_("Berkas ekspor ini belum selesai dibuat."))
    if job.file_removed:
        raise Http404(_("Berkas ekspor ini sudah dihapus setelah masa simpannya; buat ekspor baru."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas ekspor ini sudah tidak tersedia; buat ekspor baru.")) from None
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=XLSX_CONTENT_TYPE)


@permission_required("surveys.export")
@require_POST
def export_retry(request, pk: int):
    job = export_jobs.job_check_alive(_own_job(request, pk))
    try:
        export_jobs.export_retry(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Ekspor diulang; progresnya tampil di bawah tombol ekspor."))
    return _back(request, request.POST.get("kembali"))


@permission_required("surveys.export")
@require_GET
def export_responses_csv(request):
    """The raw responses as CSV, streamed while the database is read (server-side cursor)."""
    try:
        period, start, end, service = export_scope(request.GET)
    except ScopeError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    rows = exporting.response_rows(date_from=start, date_to=end, service=service)
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CSV_CONTENT_TYPE)
    filename = ExportJob(
        kind=ExportJob.Kind.RESPONSES, period=period, date_from=start, date_to=end, service=service
    ).file_name.removesuffix(".xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
