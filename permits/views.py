"""Permit screens. Thin: forms validate, services change, selectors read."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skm_portal import ratelimit
from skm_portal.exporting import Num
from skm_portal.formviews import submit
from skm_portal.listing import export_format, listing_export, listing_page, local_text
from skm_portal.permissions import get_object_or_403, has_permission, permission_required, user_roles

from . import selectors, workflow
from .forms import DECLARATION, ActionForm, DocumentsForm, MonitoringFilterForm, RegisterForm, RevisionFilterForm
from .models import PermitApplication, PermitDocument, PermitType
from .registration import applicant_activate, applicant_register
from .rules import may_act
from .services import permit_apply, permit_transition
from .workflow import Action, Step

FILES = PermitApplication.objects.select_related("permit_type", "agency", "applicant")


def available_actions(user, permit) -> list[workflow.Transition]:
    """The officer's buttons on a file: the table's rows this user may do on it."""
    rows = workflow.available(
        permit.current_step, user_roles(user), returned_by=permit.returned_by, has_agency=permit.agency_id is not None
    )
    return [row for row in rows if not row.is_resubmission and may_act(user, permit, row)]


@require_http_methods(["GET", "POST"])
def register(request):
    """Self-service sign-up of an applicant (pemohon): the same answer whatever was entered;
    the activation link, or why there is none, goes to the e-mail address."""
    if request.user.is_authenticated:
        return redirect("permits:index")
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        use = ratelimit.REGISTER.take(request)
        if use is None:
            page = render(request, "permits/register_limited.html", status=429)
            page["Retry-After"] = str(ratelimit.REGISTER.retry_after())
            return page
        if form.is_valid():
            data = form.cleaned_data
            applicant_register(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            return redirect("permits:register_sent")
        use.give_back()  # invalid input sent nothing: it does not use up the limit
    return render(request, "permits/register.html", {"form": form})


@require_GET
def register_sent(request):
    return render(request, "permits/register_sent.html")


@require_GET
def register_activate(request, uidb64: str, token: str):
    user = applicant_activate(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "permits/register_invalid.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Akun pemohon aktif. Silakan ajukan permohonan izin."))
    return redirect("permits:apply")


@permission_required("permits.view")
def index(request):
    if has_permission(request.user, "permits.process"):
        return redirect("permits:queue")
    return redirect("permits:monitoring")


@permission_required("permits.apply")
def apply_choose(request):
    kinds = PermitType.objects.filter(is_active=True).select_related("agency").prefetch_related("required_documents")
    return render(request, "permits/apply_choose.html", {"permit_types": kinds})


@permission_required("permits.apply")
@require_http_methods(["GET", "POST"])
def apply_form(request, pk: int):
    permit_type = get_object_or_404(PermitType, pk=pk, is_active=True)
    form = DocumentsForm(request.POST or None, request.FILES or None, permit_type=permit_type)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: permit_apply(
                applicant=request.user,
                permit_type=permit_type,
                documents=form.documents(),
                declaration=data["declaration"],
            ),
            success=lambda permit: (
                _("Permohonan %(number)s terkirim dan menunggu verifikasi.") % {"number": permit.number}
            ),
            then=lambda permit: redirect("permits:detail", pk=permit.pk),
        )
        if done:
            return done
    return render(request, "permits/apply_form.html", {"form": form, "permit_type": permit_type})


def _page_rows(permits, *, now) -> list:
    """(file, clock) per row; the list shows no log sums, so no log query per file."""
    calendar = selectors.office_calendar()
    return [(permit, selectors.permit_clock(permit, entries=[], now=now, calendar=calendar)) for permit in permits]


def _monitoring_export_row(now, calendar):
    def row(permit) -> list[object]:
        clock = selectors.permit_clock(permit, entries=[], now=now, calendar=calendar)
        return [
            permit.number or "",
            permit.permit_type.name,
            permit.applicant.get_full_name() or permit.applicant.get_username(),
            local_text(permit.submitted_at),
            permit.step_label,
            "" if permit.is_with_applicant else local_text(clock.deadline),
            Num(Decimal(str(round(clock.working_days_used, 6))), 1, "0.0"),
            clock.service_days,
            _("Terlambat") if clock.is_overdue else _("Tepat waktu"),
        ]

    return row


@permission_required("permits.view")
@require_GET
def monitoring(request):
    """Monitoring Izin: search, filters, sort and pages; export of exactly the filtered list."""
    now = timezone.now()
    form = MonitoringFilterForm(request.GET, now=now)
    files = selectors.permit_list(request.user)
    fmt = export_format(request, form)
    if fmt:
        header = [_("No. Berkas"), _("Jenis Izin"), _("Pemohon"), _("Diajukan (WITA)"), _("Status"),
                  _("Batas Waktu (WITA)"), _("Hari Kerja Terpakai"), _("Standar (hari kerja)"), _("Ketepatan")]  # fmt: skip
        return listing_export(
            queryset=files,
            form=form,
            fmt=fmt,
            title=_("Monitoring Izin"),
            header=header,
            row=_monitoring_export_row(now, selectors.office_calendar()),
            filename="monitoring-izin",
        )
    listing = listing_page(request, files, form)
    return render(request, "permits/monitoring.html", {"listing": listing, "rows": _page_rows(listing.page, now=now)})


@permission_required("permits.process")
def queue(request):
    now = timezone.now()
    calendar = selectors.office_calendar()
    files = list(selectors.work_queue(request.user)[:500])
    rows = [(permit, selectors.permit_clock(permit, now=now, calendar=calendar)) for permit in files]
    return render(request, "permits/queue.html", {"rows": rows})


@permission_required("permits.apply")
def revision_list(request):
    """Permohonan Izin > Revisi: the applicant's returned files with their notes."""
    files = selectors.revision_list(request.user)
    form = RevisionFilterForm(request.GET)
    listing = listing_page(request, files, form)
    return render(request, "permits/revision_list.html", {"listing": listing, "files": listing.page})


@permission_required("permits.apply")
@require_http_methods(["GET", "POST"])
def revision_form(request, pk: int):
    permit = get_object_or_403(request.user, "permits.apply", FILES, pk=pk, conceal=True)
    if permit.current_step != Step.REVISI:
        messages.info(request, _("Berkas ini tidak sedang dalam revisi."))
        return redirect("permits:detail", pk=permit.pk)
    action = Action.SUBMIT_FIX if permit.returned_by == Step.PERTIMBANGAN_DINAS_TEKNIS else Action.SAVE_REVISION
    form = DocumentsForm(request.POST or None, request.FILES or None, permit_type=permit.permit_type, replacing=True)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: permit_transition(
                permit=permit,
                action=action,
                actor=request.user,
                expected_step=Step.REVISI,
                documents=form.documents(),
                declaration=data["declaration"],
                note=data.get("explanation", ""),
            ),
            success=_("Perbaikan berkas %(number)s terkirim.") % {"number": permit.number},
            then=lambda changed: redirect("permits:detail", pk=changed.pk),
        )
        if done:
            return done
    return render(
        request,
        "permits/revision_form.html",
        {"permit": permit, "form": form, "action": action, "declaration": DECLARATION},
    )


@permission_required("permits.view")
def detail(request, pk: int):
    permit = get_object_or_403(request.user, "permits.view", FILES, pk=pk, conceal=True)
    entries = list(permit.log.select_related("user"))
    clock = selectors.permit_clock(permit, entries=entries)
    actions = available_actions(request.user, permit)
    documents = PermitDocument.objects.filter(application=permit).select_related("required_document")
    context = {
        "permit": permit,
        "entries": entries,
        "clock": clock,
        "actions": actions,
        "needs_note": any(row.note_required for row in actions),
        "action_form": ActionForm(initial={"expected_step": permit.step}),
        "documents": documents,
        "is_applicant": permit.applicant_id == request.user.pk,
    }
    return render(request, "permits/detail.html", context)


@permission_required("permits.process")
@require_POST
def act(request, pk: int):
    permit = get_object_or_403(request.user, "permits.process", FILES, pk=pk, conceal=True)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi."))
        return redirect("permits:detail", pk=permit.pk)
    done = submit(
        request,
        form,
        lambda data: permit_transition(
            permit=permit,
            action=data["action"],
            actor=request.user,
            note=data["note"],
            expected_step=data["expected_step"],
        ),
        success=lambda changed: (
            _("Berkas %(number)s kini pada tahap «%(step)s».") % {"number": changed.number, "step": changed.step_label}
        ),
        then=lambda changed: (
            redirect("permits:detail", pk=changed.pk)
            if has_permission(request.user, "permits.view", changed)
            else redirect("permits:queue")
        ),
    )
    if done:
        return done
    for message in form.non_field_errors():
        messages.error(request, message)
    return redirect("permits:detail", pk=permit.pk)


@permission_required("permits.view")
def document(request, pk: int):
    doc = get_object_or_404(PermitDocument.objects.select_related("application"), pk=pk)
    if not has_permission(request.user, "permits.view", doc.application):
        raise Http404
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas dokumen tidak ditemukan.")) from None
    return FileResponse(handle, as_attachment=False, filename=doc.original_name)
