"""Attendance screens: the officers' paper-list lines, struck rows, the QR poster, opening
and closing the QR list, scanned lists; and the public QR check-in page (no login)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skm_portal import ratelimit
from skm_portal.formviews import apply_errors, submit
from skm_portal.permissions import permission_required

from ..changes import MANAGE, VIEW
from ..storage import evidence_storage
from . import attendance_services
from .checkin import CheckinState
from .forms import AttendeeForm, CheckinForm, ScanForm
from .models import AttendanceScan, Attendee, Meeting
from .views import checkin_url, flash_errors, meeting_or_404, meeting_page, to_meeting

# --- attendance ----------------------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def attendee_add(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = AttendeeForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: attendance_services.attendee_add(
            meeting=obj,
            user=request.user,
            number=data["number"],
            name=data["name"],
            institution=data["institution"],
            sex=data["sex"],
            age=data["age"],
        ),
        success=lambda attendee: _("Peserta %(number)s. dicatat.") % {"number": attendee.number},
        then=lambda attendee: to_meeting(obj, "hadir"),
    )
    return done or meeting_page(request, obj, attendee_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def attendee_delete(request, attendee: int):
    obj = get_object_or_404(Attendee.objects.select_related("meeting"), pk=attendee)
    attendance_services.attendee_remove(attendee=obj, user=request.user)
    messages.success(request, _("Peserta dihapus dari daftar hadir."))
    return to_meeting(obj.meeting, "hadir")


@permission_required(MANAGE)
@require_POST
def attendee_strike(request, attendee: int):
    obj = get_object_or_404(Attendee.objects.select_related("meeting"), pk=attendee)
    try:
        attendance_services.attendee_strike(attendee=obj, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("Baris %(number)s. dicoret; tidak dicetak pada daftar hadir.") % {"number": obj.number}
        )
    return to_meeting(obj.meeting, "hadir")


@permission_required(MANAGE)
@require_POST
def checkin_toggle(request, meeting: int):
    obj = meeting_or_404(meeting)
    closed = request.POST.get("tutup") == "1"
    attendance_services.checkin_set_closed(meeting=obj, user=request.user, closed=closed)
    messages.success(request, _("Daftar hadir QR ditutup.") if closed else _("Daftar hadir QR dibuka kembali."))
    return to_meeting(obj, "hadir")


@permission_required(VIEW)
def checkin_poster(request, meeting: int):
    """The QR code to show on the screen or print at the door during the meeting."""
    obj = meeting_or_404(meeting)
    url = checkin_url(obj)
    qr = segno.make(url, error="m", micro=False).svg_inline(
        border=4, omitsize=True, svgclass="poster-qr", lineclass="poster-qr-line"
    )
    return render(
        request,
        "followup/meetings/checkin_poster.html",
        {"meeting": obj, "qr_svg": qr, "checkin_url": url, "checkin_state": attendance_services.checkin_state(obj)},
    )


@permission_required(MANAGE)
@require_POST
def scan_upload(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = ScanForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: attendance_services.attendance_scan_upload(
            meeting=obj, user=request.user, upload=data["file"], title=data["title"]
        ),
        success=_("Pindaian daftar hadir diunggah."),
        then=lambda _result: to_meeting(obj, "hadir"),
    )
    return done or meeting_page(request, obj, scan_form=form, status=400)


@permission_required(VIEW)
def scan_download(request, scan: int):
    obj = get_object_or_404(AttendanceScan, pk=scan)
    storage = evidence_storage()
    if not storage.exists(obj.file.name):
        raise Http404(_("Berkas tidak ditemukan."))
    extension = obj.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        storage.open(obj.file.name, "rb"),
        content_type=obj.content_type,
        as_attachment=bool(request.GET.get("unduh")),
        filename=f"daftar-hadir-{obj.meeting_id}-{obj.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required(MANAGE)
@require_POST
def scan_delete(request, scan: int):
    obj = get_object_or_404(AttendanceScan.objects.select_related("meeting"), pk=scan)
    attendance_services.attendance_scan_remove(scan=obj, user=request.user)
    messages.success(request, _("Pindaian dihapus."))
    return to_meeting(obj.meeting, "hadir")


# --- public QR check-in --------------------------------------------------------------------


def checkin(request, checkin: str):
    """Public (no login): reached through the QR code shown during the meeting."""
    meeting = get_object_or_404(Meeting, checkin_token=checkin)
    state = attendance_services.checkin_state(meeting)
    form = CheckinForm(request.POST or None)
    # Per-client limit (its own bucket: SKM_CHECKIN_RATE_LIMIT per window), taken before the work.
    use = None
    if request.method == "POST" and state == CheckinState.OPEN:
        use = ratelimit.CHECKIN.take(request)
        if use is None:
            response = render(request, "followup/public/checkin_limited.html", {"meeting": meeting}, status=429)
            response["Retry-After"] = str(ratelimit.CHECKIN.retry_after())
            response["Cache-Control"] = "no-store"
            return response
    if use is not None and form.is_valid():
        data = form.cleaned_data
        try:
            attendee = attendance_services.attendee_checkin(
                meeting=meeting,
                name=data["name"],
                institution=data["institution"],
                sex=data["sex"],
                age=data["age"],
                signature=data["signature"],
                typed_signature=data["typed_signature"],
            )
        except attendance_services.AlreadyCheckedIn as already:
            return render(
                request,
                "followup/public/checkin_done.html",
                {"meeting": meeting, "attendee": already.attendee, "already": True},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "followup/public/checkin_done.html", {"meeting": meeting, "attendee": attendee})
    status = 200
    if request.method == "POST":
        status = 400 if state == CheckinState.OPEN else 409
    response = render(
        request,
        "followup/public/checkin.html",
        {"meeting": meeting, "form": form, "state": state, "open": state == CheckinState.OPEN},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    # The token in the URL must not leak to other sites, but the form posts back to this
    # one: with "no-referrer" Chromium sends "Origin: null" and the CSRF check refuses it.
    response["Referrer-Policy"] = "same-origin"
    return response
