"""Complaints about permits: the public form and status page, the officers' screens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skm_portal import ratelimit
from skm_portal.formviews import submit
from skm_portal.listing import export_format, listing_export, listing_page, local_text
from skm_portal.permissions import permission_required, user_roles

from . import complaints, selectors
from .complaint_services import complaint_file, complaint_transition
from .forms import ComplaintAnswerForm, ComplaintFilterForm, ComplaintForm, ConsultationForm
from .models import Complaint
from .rules import may_act_on_complaint


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Anyone may file a complaint; a signed-in user gets the name and e-mail prefilled."""
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {"name": user.get_full_name() or user.get_username(), "email": user.email}
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST":
        use = ratelimit.COMPLAINT.take(request)
        if use is None:
            page = render(request, "permits/complaint_limited.html", status=429)
            page["Retry-After"] = str(ratelimit.COMPLAINT.retry_after())
            return page
        done = submit(
            request,
            form,
            lambda data: complaint_file(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                permit_number=data["permit_number"],
                subject=data["subject"],
                description=data["description"],
                user=user,
            ),
            success=lambda complaint: (
                _("Pengaduan Anda terkirim dengan nomor %(number)s. Tautan halaman ini juga dikirim ke surel Anda.")
                % {"number": complaint.number}
            ),
            then=lambda complaint: redirect("permits:complaint_status", key=complaint.token),
        )
        if done:
            return done
        use.give_back()  # invalid input stored nothing: it does not use up the limit
    return render(request, "permits/complaint_form.html", {"form": form})


@never_cache
def complaint_status(request, key: str):
    """The complainant's status page (secret link): no personal data on it."""
    complaint = Complaint.objects.filter(token=key).select_related("permit").first()
    if complaint is None:
        raise Http404(_("Tautan status pengaduan tidak dikenal."))
    context = {
        "complaint": complaint,
        "clock": selectors.complaint_clock(complaint),
        "agencies": sorted({c.agency.name for c in complaint.consultations.select_related("agency")}),
    }
    return render(request, "permits/complaint_status.html", context)


def _complaint_export_row(now, calendar):
    def row(complaint) -> list[object]:
        clock = selectors.complaint_clock(complaint, now=now, calendar=calendar)
        return [
            complaint.number or "",
            complaint.name,
            complaint.subject,
            complaint.permit.number if complaint.permit_id and complaint.permit.number else "",
            local_text(complaint.filed_at),
            complaint.status_label,
            local_text(clock.deadline),
            local_text(complaint.answered_at),
            _("Terlambat") if clock.is_overdue else _("Tepat waktu"),
        ]

    return row


@permission_required("permits.complaints")
@require_GET
def complaint_list(request):
    """Complaints: search, filters, sort and pages; export of exactly the filtered list."""
    now = timezone.now()
    form = ComplaintFilterForm(request.GET, now=now)
    found = selectors.complaint_list(request.user)
    calendar = selectors.office_calendar()
    fmt = export_format(request, form)
    if fmt:
        header = [_("No. Pengaduan"), _("Nama"), _("Pokok pengaduan"), _("No. Berkas"), _("Diajukan (WITA)"),
                  _("Status"), _("Batas Waktu (WITA)"), _("Dijawab (WITA)"), _("Ketepatan")]  # fmt: skip
        return listing_export(
            queryset=found,
            form=form,
            fmt=fmt,
            title=_("Pengaduan Perizinan"),
            header=header,
            row=_complaint_export_row(now, calendar),
            filename="pengaduan-perizinan",
        )
    listing = listing_page(request, found, form)
    rows = [(c, selectors.complaint_clock(c, now=now, calendar=calendar)) for c in listing.page]
    return render(request, "permits/complaint_list.html", {"rows": rows, "listing": listing})


def _detail_context(request, complaint: Complaint, *, consult_form=None, answer_form=None) -> dict:
    roles = user_roles(request.user)
    available = {row.action for row in complaints.available(complaints.Status(complaint.status), roles)}
    initial = {"expected_status": complaint.status}
    return {
        "complaint": complaint,
        "clock": selectors.complaint_clock(complaint),
        "consultations": complaint.consultations.select_related("agency", "recorded_by"),
        "may_consult": complaints.Action.CONSULT in available,
        "may_answer": complaints.Action.ACCEPT in available,
        "consult_form": consult_form or ConsultationForm(initial=initial),
        "answer_form": answer_form or ComplaintAnswerForm(initial=initial),
    }


@permission_required("permits.complaints")
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(selectors.complaint_list(request.user), pk=pk)
    return render(request, "permits/complaint_detail.html", _detail_context(request, complaint))


@permission_required("permits.complaints")
@require_POST
def complaint_act(request, pk: int):
    """Record a consultation (`action=consult`) or answer (`accept`/`reject`)."""
    complaint = get_object_or_404(selectors.complaint_list(request.user), pk=pk)
    try:
        action = complaints.Action(request.POST.get("action", ""))
    except ValueError:
        messages.error(request, _("Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi."))
        return redirect("permits:complaint_detail", pk=complaint.pk)
    if not may_act_on_complaint(request.user, action):
        raise PermissionDenied
    if action == complaints.Action.CONSULT:
        form = ConsultationForm(request.POST)
        forms = {"consult_form": form}
    else:
        form = ComplaintAnswerForm(request.POST)
        forms = {"answer_form": form}
    done = submit(
        request,
        form,
        lambda data: complaint_transition(
            complaint=complaint,
            action=action,
            actor=request.user,
            note=data["note"],
            agencies=data.get("agencies") or (),
            held_at=data.get("held_at"),
            expected_status=data["expected_status"],
        ),
        success=lambda changed: (
            _("Pengaduan %(number)s kini berstatus «%(status)s».")
            % {"number": changed.number, "status": changed.status_label}
        ),
        then=lambda changed: redirect("permits:complaint_detail", pk=changed.pk),
    )
    if done:
        return done
    complaint.refresh_from_db()
    return render(request, "permits/complaint_detail.html", _detail_context(request, complaint, **forms), status=400)
