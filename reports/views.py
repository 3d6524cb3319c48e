"""Report screens: list -> report (texts, drafts with progress, signed versions) -> sign;
and the public verification pages (behind the QR code, and an upload form).

Views are thin: permission, form, service or selector, render. Files are served only
here, after the permission check; signed reports are internal until published.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skm_portal.formviews import error_messages, submit
from skm_portal.permissions import has_permission, permission_required

from . import services, signing
from .forms import BuildForm, ReportCreateForm, ReportTextForm, SignForm, VerifyForm
from .models import Report, ReportBuild, SignedVersion
from .verification import verify_pdf

VIEW, EDIT, SIGN = "reports.view", "reports.edit", "reports.sign"


def _latest_build(report: Report) -> ReportBuild | None:
    return report.builds.order_by("-created_at", "-pk").first()


def _signable(report: Report, build: ReportBuild | None) -> bool:
    return (
        build is not None
        and build.status == ReportBuild.Status.DONE
        and build.revision == report.revision
        and not report.versions.filter(number__gte=build.version_number).exists()
    )


@permission_required(VIEW)
def report_list(request):
    reports = Report.objects.select_related("period").prefetch_related("versions")
    form = ReportCreateForm() if has_permission(request.user, EDIT) else None
    return render(request, "reports/list.html", {"reports": reports, "form": form})


@permission_required(EDIT)
@require_POST
def report_create(request):
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data.get("year"),
                period=form.cleaned_data.get("period"),
                user=request.user,
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("reports:list")
        messages.success(request, _("Laporan dibuat dengan teks awal. Periksa dan ubah teksnya bila perlu."))
        return redirect("reports:detail", report=report.pk)
    reports = Report.objects.select_related("period").prefetch_related("versions")
    return render(request, "reports/list.html", {"reports": reports, "form": form}, status=400)


@permission_required(VIEW)
def report_detail(request, report: int):
    report = get_object_or_404(Report.objects.select_related("period"), pk=report)
    build = services.build_check_alive(_latest_build(report))
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "build": build,
            "signable": _signable(report, build),
            "versions": report.versions.select_related("signer").order_by("-number"),
            "build_form": BuildForm(initial={"document_date": report.document_date}),
        },
    )


@permission_required(EDIT)
def report_edit(request, report: int):
    report = get_object_or_404(Report, pk=report)
    if request.method == "POST" and "propose" in request.POST:
        # "Usulkan dari data": the narrative fields get the app's draft, the rest keeps what
        # was typed; nothing is saved until the officer presses Simpan.
        typed = {name: request.POST[name] for name in ReportTextForm.Meta.fields if name in request.POST}
        proposal = services.report_proposal(report=report)
        form = ReportTextForm(instance=report, initial={**typed, **proposal})
        messages.info(
            request,
            _("Usulan teks dari data dimuat ke formulir dan belum disimpan. Periksa, ubah bila perlu, lalu simpan."),
        )
        return render(request, "reports/edit.html", {"report": report, "form": form})
    form = ReportTextForm(request.POST or None, instance=Report.objects.get(pk=report.pk))
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.report_update(report=report, user=request.user, **data),
            success=_("Teks laporan disimpan. Buat draf baru agar perubahan masuk ke PDF."),
            then=lambda result: redirect("reports:detail", report=report.pk),
        )
        if done:
            return done
    return render(request, "reports/edit.html", {"report": report, "form": form})


@permission_required(EDIT)
@require_POST
def build_start(request, report: int):
    report = get_object_or_404(Report, pk=report)
    if "document_date" in request.POST:  # the detail page's form always sends it; older clients may not
        form = BuildForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("reports:detail", report=report.pk)
        try:
            report = services.report_update(
                report=report, user=request.user, document_date=form.cleaned_data["document_date"]
            )
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("reports:detail", report=report.pk)
    services.build_request(report=report, user=request.user)
    messages.info(request, _("Draf sedang dibuat. Halaman ini memperbarui progresnya."))
    return redirect("reports:detail", report=report.pk)


@permission_required(VIEW)
def build_status(request, report: int, build: int):
    build = get_object_or_404(ReportBuild.objects.select_related("report"), pk=build, report_id=report)
    if not request.headers.get("HX-Request"):
        return redirect("reports:detail", report=report)
    services.build_check_alive(build)
    return render(
        request,
        "reports/_build_status.html",
        {"report": build.report, "build": build, "signable": _signable(build.report, build)},
    )


def _pdf_response(field_file, filename: str, *, attachment: bool) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=attachment, filename=filename, content_type="application/pdf")


@permission_required(VIEW)
def build_download(request, report: int, build: int):
    build = get_object_or_404(ReportBuild, pk=build, report_id=report, status=ReportBuild.Status.DONE)
    return _pdf_response(build.file, f"draf-laporan-{report}-{build.pk}.pdf", attachment=False)


@permission_required(VIEW)
def version_download(request, report: int, number: int):
    version = get_object_or_404(SignedVersion.objects.select_related("report"), report_id=report, number=number)
    name = f"laporan-{version.report.kind}-{version.report.year}-v{version.number}.pdf"
    return _pdf_response(version.file, name, attachment=True)


@permission_required(SIGN)
def report_sign(request, report: int):
    report = get_object_or_404(Report, pk=report)
    build = _latest_build(report)
    signable = _signable(report, build)
    form = SignForm(request.POST or None)
    if request.method == "POST" and signable and form.is_valid():
        try:
            version = services.report_sign(build=build, user=request.user, secret=form.cleaned_data["secret"])
        except ValidationError as error:
            for message in error_messages(error):
                form.add_error("secret" if "sandi" in message.lower() else None, message)
        else:
            messages.success(
                request, _("Laporan ditandatangani sebagai versi %(number)s.") % {"number": version.number}
            )
            return redirect("reports:detail", report=report.pk)
    context = {
        "report": report,
        "build": build,
        "signable": signable,
        "form": form,
        "asks_password": bool(signing.configured_passphrase()),
        "bsre": signing.cert_is_bsre(),
    }
    return render(request, "reports/sign.html", context, status=400 if request.method == "POST" else 200)


def verify_upload(request):
    """Public: upload a PDF, learn whether it is one of our signed reports, intact and valid."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify_pdf(form.cleaned_data["file"].read())
    return render(request, "reports/verify.html", {"form": form, "verdict": verdict})


def verify_code(request, ref: str):
    """Public page behind the QR code: what was signed, by whom and when; optionally check a file."""
    version = get_object_or_404(SignedVersion.objects.select_related("report"), verification_code=ref)
    latest = version.siblings().order_by("-number").first()
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify_pdf(form.cleaned_data["file"].read())
    return render(
        request,
        "reports/verify_code.html",
        {
            "version": version,
            "latest": latest,
            "form": form,
            "verdict": verdict,
            "matches": verdict is not None and verdict.ok and verdict.version.pk == version.pk,
        },
    )
