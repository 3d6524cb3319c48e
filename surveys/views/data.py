"""Data management for petugas SKM: import responses, services, periods, published aggregates.

Views stay thin: forms check input, services in `surveys.importing` and
`surveys.masterdata` write.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from skm_portal.formviews import apply_errors, submit
from skm_portal.numbers import format_int
from skm_portal.permissions import permission_required

from .. import masterdata
from ..forms_data import ImportForm, PeriodForm, PublishedForm, ServiceForm
from ..import_audit import audit_import
from ..importing import ImportLimits, ImportRefused, expected_header, published_indices_read, responses_import
from ..models import Period, Questionnaire, Response, Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_results_url(period: Period) -> str:
    try:
        return reverse("surveys:period_results", args=[period.pk])
    except NoReverseMatch:
        return reverse("surveys:period_edit", args=[period.pk])


# -- import ------------------------------------------------------------------------------


@permission_required("surveys.manage")
def import_responses(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            report = responses_import(
                file=form.cleaned_data["file"],
                create_missing_services=form.cleaned_data["create_missing_services"],
                actor=request.user,
            )
        except ImportRefused as exc:
            refused = exc
        else:
            audit_import(actor=request.user, report=report, file_name=form.cleaned_data["file"].name)
            for name in report.created_services:
                messages.info(request, _("Jenis layanan baru dibuat: %(name)s.") % {"name": name})
            messages.success(
                request, _("%(count)s baris jawaban berhasil diimpor.") % {"count": format_int(report.imported)}
            )
            if report.skipped:
                messages.info(
                    request,
                    _("%(count)s baris dilewati karena id-nya sudah tersimpan dari impor sebelumnya.")
                    % {"count": format_int(report.skipped)},
                )
            return redirect("surveys:import_responses")
    questionnaire = Questionnaire.active()
    limits = ImportLimits.from_settings()
    return render(
        request,
        "surveys/data/import.html",
        {
            "form": form,
            "refused": refused,
            "header": expected_header(questionnaire),
            "questionnaire": questionnaire,
            "limits_mb": format_int(limits.max_bytes // (1024 * 1024)),
            "limits_rows": format_int(limits.max_rows),
        },
    )


def template_rows(questionnaire: Questionnaire) -> list[tuple[str, str, str]]:
    """(column, meaning, allowed values) for the template's "Petunjuk" sheet."""
    services = ", ".join(f"{s.code} ({s.name})" for s in Service.objects.filter(is_active=True))
    rows = [
        ("tanggal", _("Tanggal survei"), _("Tanggal Excel atau teks TTTT-BB-HH, mis. 2025-03-31. Wajib.")),
        (
            "layanan",
            _("Jenis layanan yang diterima"),
            _("Kode atau nama jenis layanan (huruf besar/kecil sama). Wajib. Terdaftar: %(services)s.")
            % {"services": services or "-"},
        ),
        ("jenis_kelamin", _("Jenis kelamin"), _("L atau P. Wajib.")),
        ("usia", _("Usia (tahun)"), _("Bilangan bulat 10-120, atau kosong.")),
        ("pendidikan", _("Pendidikan terakhir"), ", ".join(Response.Education.values) + _(", atau kosong.")),
        ("pekerjaan", _("Pekerjaan"), ", ".join(Response.Occupation.values) + _(", atau kosong.")),
    ]
    for element in questionnaire.elements.all():
        labels = "; ".join(f"{n} = {label}" for n, label in enumerate(element.labels, start=1))
        rows.append((element.code, f"{element.name}: {element.question}", _("Bilangan bulat 1-4. Wajib. ") + labels))
    rows.append(("saran", _("Saran dan masukan"), _("Teks bebas, boleh kosong.")))
    return rows


@permission_required("surveys.manage")
def import_template(request):
    questionnaire = Questionnaire.active()
    workbook = Workbook()
    data = workbook.active
    data.title = "Data"
    data.append(expected_header(questionnaire))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.column_dimensions["A"].number_format = "yyyy-mm-dd"
    guide = workbook.create_sheet(_("Petunjuk"))
    guide.append([_("Kolom"), _("Isi"), _("Nilai yang boleh")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in template_rows(questionnaire):
        guide.append(list(row))
    guide.append([])
    for note in (
        _("Baris 1 lembar Data adalah judul kolom: jangan diubah, ditambah atau diurutkan ulang."),
        _("Satu baris = satu responden. Baris kosong diabaikan."),
        _(
            "Bila ada satu baris yang salah, tidak ada baris yang disimpan; perbaiki baris yang disebut lalu unggah ulang."
        ),
    ):
        guide.append([note])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-skm.xlsx"'
    return response


# -- services ----------------------------------------------------------------------------


@permission_required("surveys.manage")
def service_manage(request):
    form = ServiceForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: masterdata.service_create(**data, actor=request.user),
            success=lambda service: _("Jenis layanan %(name)s ditambahkan.") % {"name": service.name},
            then=lambda service: redirect("surveys:service_manage"),
        )
        if done:
            return done
    services = Service.objects.annotate(response_count=Count("responses"))
    return render(request, "surveys/data/services.html", {"form": form, "services": services})


@permission_required("surveys.manage")
def service_edit(request, code: str):
    service = get_object_or_404(Service, code=code)
    form = ServiceForm(request.POST or None, instance=Service.objects.get(pk=service.pk))
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: masterdata.service_update(service=service, **data, actor=request.user),
            success=_("Jenis layanan %(name)s disimpan.") % {"name": service.name},
            then=lambda result: redirect("surveys:service_manage"),
        )
        if done:
            return done
    has_responses = service.responses.exists() or service.tokens.exists()
    return render(
        request, "surveys/data/service_form.html", {"form": form, "service": service, "has_responses": has_responses}
    )


@permission_required("surveys.manage")
@require_POST
def service_delete(request, code: str):
    service = get_object_or_404(Service, code=code)
    if masterdata.service_remove(service=service, actor=request.user):
        messages.success(request, _("Jenis layanan %(name)s dihapus.") % {"name": service.name})
    else:
        messages.info(
            request,
            _("Jenis layanan %(name)s sudah punya jawaban, jadi dinonaktifkan (tidak dihapus).")
            % {"name": service.name},
        )
    return redirect("surveys:service_manage")


# -- periods -----------------------------------------------------------------------------


@permission_required("surveys.manage")
def period_manage(request):
    periods = Period.objects.order_by("-start_date", "-end_date", "name")
    return render(request, "surveys/data/periods.html", {"periods": periods})


@permission_required("surveys.manage")
def period_create(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: masterdata.period_create(**data, actor=request.user),
            success=lambda period: _("Periode %(name)s dibuat.") % {"name": period.name},
            then=lambda period: (
                redirect("surveys:published_edit", pk=period.pk)
                if period.is_published_aggregate
                else redirect("surveys:period_manage")
            ),
        )
        if done:
            return done
    return render(request, "surveys/data/period_form.html", {"form": form, "period": None})


@permission_required("surveys.manage")
def period_edit(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    form = PeriodForm(request.POST or None, instance=Period.objects.get(pk=pk))
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: masterdata.period_update(period=period, **data, actor=request.user),
            success=_("Periode %(name)s disimpan.") % {"name": period.name},
            then=lambda result: redirect("surveys:period_manage"),
        )
        if done:
            return done
    return render(request, "surveys/data/period_form.html", {"form": form, "period": period})


def _typed(value: Decimal) -> str:
    """An index as people type it: 94,79 (no trailing zeros)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


@permission_required("surveys.manage")
def published_edit(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    questionnaire = Questionnaire.active()
    elements = list(questionnaire.elements.all())
    initial = {"respondents": period.published_respondents, "source_note": period.source_note}
    for row in period.published_results.all():
        initial[PublishedForm.field_name(row.code)] = _typed(row.index)
    form = PublishedForm(request.POST or None, request.FILES or None, elements=elements, initial=initial)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["file"]:
                indices = published_indices_read(file=form.cleaned_data["file"], questionnaire=questionnaire)
            else:
                indices = form.typed_indices()
            masterdata.published_results_set(
                period=period,
                respondents=form.cleaned_data["respondents"],
                source_note=form.cleaned_data["source_note"],
                indices=indices,
                questionnaire=questionnaire,
                actor=request.user,
            )
        except ImportRefused as exc:
            refused = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agregat terpublikasi periode %(name)s disimpan.") % {"name": period.name})
            return redirect(_period_results_url(period))
    return render(
        request,
        "surveys/data/published_form.html",
        {"form": form, "period": period, "refused": refused, "elements": elements},
    )
