"""Meeting and FKP screens: officers' pages (followup.view / followup.manage), the public
QR check-in page and the public monitoring of FKP recommendations.

Thin views: check the permission, bind a form, call a service or selector, render.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm_portal import ratelimit
from skm_portal.listing import export_format, listing_export, listing_page
from skm_portal.permissions import permission_required
from skm_portal.siteurl import absolute_url
from skm_portal.uploads import size_label

from . import documents, letter_numbers, meeting_selectors, meeting_services, services
from .checkin import CheckinState
from .forms_lists import MeetingFilterForm
from .meeting_forms import (
    AttendeeForm,
    BeritaAcaraForm,
    CheckinForm,
    EvidenceRecordForm,
    InviteeGroupForm,
    LetterFirstNumberForm,
    LetterNumberCorrectionForm,
    LetterNumberForm,
    LetterRangeForm,
    MeetingForm,
    MinutesForm,
    RecommendationEditForm,
    RecommendationForm,
    RecommendationStatusForm,
    RepresentativeForm,
    ScanForm,
)
from .models import (
    Activity,
    AttendanceScan,
    Attendee,
    InviteeGroup,
    LetterNumberRange,
    Meeting,
    Recommendation,
    Representative,
)
from .storage import evidence_max_bytes, evidence_storage
from .views import MANAGE, VIEW, _apply_errors, _errors

SIGN = "followup.sign"


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk)


def _to_meeting(meeting: Meeting, anchor: str = ""):
    url = reverse("followup:meeting", kwargs={"meeting": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _flash_errors(request, error: ValidationError) -> None:
    for message in _errors(error):
        messages.error(request, message)


def checkin_url(meeting: Meeting) -> str:
    return absolute_url(reverse("followup:checkin", kwargs={"checkin": meeting.checkin_token}))


# --- list, create, edit ------------------------------------------------------------------


def _meeting_export_row(meeting: Meeting) -> list[object]:
    return [
        meeting.date,
        meeting.get_kind_display(),
        meeting.title,
        meeting.place,
        meeting.letter_reference,
        meeting.attendee_count,
    ]


@permission_required(VIEW)
@require_GET
def meeting_list(request):
    """Meetings and FKP: search, kind, dates, sort and pages; export of exactly the filtered list."""
    form = MeetingFilterForm(request.GET)
    meetings = meeting_selectors.meeting_list()
    fmt = export_format(request, form)
    if fmt:
        header = [_("Tanggal"), _("Jenis"), _("Kegiatan"), _("Tempat"), _("Nomor surat"), _("Hadir")]
        return listing_export(
            queryset=meetings,
            form=form,
            fmt=fmt,
            title=_("Rapat dan FKP"),
            header=header,
            row=_meeting_export_row,
            filename="rapat-fkp",
        )
    listing = listing_page(request, meetings, form)
    kind = form.data_ok.get("jenis") or None
    return render(
        request,
        "followup/meetings/list.html",
        {"listing": listing, "meetings": listing.page, "kind": kind, "kinds": Meeting.Kind.choices},
    )


def _form_page(request, *, form, title, action, back, meeting=None, status=200, **extra):
    context = {"form": form, "title": title, "action": action, "back": back, "meeting": meeting, **extra}
    return render(request, "followup/meetings/form.html", context, status=status)


@permission_required(MANAGE)
def meeting_create(request):
    kind = request.POST.get("jenis") or request.GET.get("jenis") or Meeting.Kind.RAPAT
    if kind not in Meeting.Kind.values:
        kind = Meeting.Kind.RAPAT
    form = MeetingForm(request.POST or None, kind=kind, instance=Meeting(kind=kind))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_create(user=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(kind)s disimpan. Lengkapi daftar undangan.") % {"kind": meeting.get_kind_display()}
            )
            return _to_meeting(meeting)
    title = _("Forum Konsultasi Publik baru") if kind == Meeting.Kind.FKP else _("Rapat baru")
    return _form_page(
        request,
        form=form,
        title=title,
        action=reverse("followup:meeting_create"),
        back=reverse("followup:meetings"),
        kind=kind,
    )


@permission_required(MANAGE)
def meeting_edit(request, meeting: int):
    obj = _meeting(meeting)
    form = MeetingForm(request.POST or None, kind=obj.kind, instance=Meeting.objects.get(pk=obj.pk))
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_update(meeting=obj, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Data rapat disimpan."))
            return _to_meeting(obj)
    return _form_page(
        request,
        form=form,
        title=_("Ubah %(title)s") % {"title": obj.title},
        action=reverse("followup:meeting_edit", kwargs={"meeting": obj.pk}),
        back=reverse("followup:meeting", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )


@permission_required(MANAGE)
@require_POST
def meeting_delete(request, meeting: int):
    obj = _meeting(meeting)
    try:
        meeting_services.meeting_remove(meeting=obj, user=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
        return _to_meeting(obj)
    messages.success(request, _("Rapat \u201c%(title)s\u201d dihapus.") % {"title": obj.title})
    return redirect("followup:meetings")


@permission_required(MANAGE)
@require_POST
def letter_number(request, meeting: int):
    obj = _meeting(meeting)
    form = LetterNumberForm(request.POST, year=obj.letter_date.year if obj.letter_date else None)
    if form.is_valid():
        try:
            obj = meeting_services.invitation_assign_number(meeting=obj, user=request.user, **form.service_arguments())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Nomor surat: %(ref)s.") % {"ref": obj.letter_reference})
            return _to_meeting(obj, "surat")
    return _meeting_page(request, obj, letter_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def letter_number_correct(request, meeting: int):
    obj = _meeting(meeting)
    form = LetterNumberCorrectionForm(request.POST)
    if form.is_valid():
        try:
            obj = meeting_services.invitation_correct_number(
                meeting=obj, user=request.user, number=form.cleaned_data["number"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Nomor surat dikoreksi menjadi %(ref)s.") % {"ref": obj.letter_reference})
            return _to_meeting(obj, "surat")
    return _meeting_page(request, obj, correction_form=form, status=400)


def _numbering_page(request, year: int, status: int = 200, **forms):
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "counter": letter_numbers.counter_for(year),
        "next_app_number": letter_numbers.preview_app_number(year),
        "ranges": letter_numbers.ranges_of(year),
        "first_form": forms.get("first_form")
        or LetterFirstNumberForm(initial={"first_number": letter_numbers.counter_for(year).first_number}),
        "range_form": forms.get("range_form") or LetterRangeForm(),
        "letters": meeting_selectors.numbered_letters(year),
        "audit": meeting_selectors.numbering_audit(),
    }
    return render(request, "followup/meetings/numbering.html", context, status=status)


def _year(request) -> int:
    raw = request.POST.get("tahun") or request.GET.get("tahun") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@permission_required(MANAGE)
def letter_numbering(request):
    """The year's numbering settings: the app's first number and the ranges the agenda book reserved."""
    year = _year(request)
    if request.method != "POST":
        return _numbering_page(request, year)
    url = f"{reverse('followup:letter_numbering')}?tahun={year}"
    action = request.POST.get("aksi")
    if action == "awal":
        form = LetterFirstNumberForm(request.POST)
        if form.is_valid():
            try:
                letter_numbers.letter_counter_set_first(
                    user=request.user, year=year, first_number=form.cleaned_data["first_number"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Nomor pertama tahun %(year)s disimpan.") % {"year": year})
                return redirect(url)
        return _numbering_page(request, year, first_form=form, status=400)
    if action == "rentang":
        form = LetterRangeForm(request.POST)
        if form.is_valid():
            try:
                letter_numbers.letter_range_create(user=request.user, year=year, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Rentang nomor tahun %(year)s disimpan.") % {"year": year})
                return redirect(url)
        return _numbering_page(request, year, range_form=form, status=400)
    if action == "hapus-rentang":
        number_range = get_object_or_404(LetterNumberRange, pk=request.POST.get("rentang") or 0, year=year)
        try:
            letter_numbers.letter_range_remove(user=request.user, number_range=number_range)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Rentang nomor dihapus."))
        return redirect(url)
    return HttpResponseBadRequest(_("Permintaan tidak dikenal."))


# --- the meeting page ----------------------------------------------------------------------


def _meeting_page(request, meeting: Meeting, status: int = 200, **forms):
    meeting = meeting_selectors.meeting_with_documents(meeting.pk)
    state = meeting_services.checkin_state(meeting)
    context = {
        "meeting": meeting,
        "checkin_state": state,
        "checkin_open": state == CheckinState.OPEN,
        "checkin_url": checkin_url(meeting),
        "group_form": forms.get("group_form") or InviteeGroupForm(),
        "group_forms": [
            (
                group,
                InviteeGroupForm(
                    initial={
                        "heading": group.heading,
                        "unsur": group.unsur,
                        "lines": "\n".join(i.text for i in group.invitees.all()),
                    },
                    prefix=f"g{group.pk}",
                ),
            )
            for group in meeting.invitee_groups.all()
        ],
        "attendee_form": forms.get("attendee_form") or AttendeeForm(),
        "scan_form": forms.get("scan_form") or ScanForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
        "representative_form": forms.get("representative_form") or RepresentativeForm(),
        "statuses": Recommendation.Status.choices,
        "evidence": meeting_selectors.meeting_evidence(meeting),
        "audit": meeting_selectors.meeting_audit(meeting),
        "letter_form": forms.get("letter_form")
        or LetterNumberForm(year=meeting.letter_date.year if meeting.letter_date else None),
        "correction_form": forms.get("correction_form") or LetterNumberCorrectionForm(),
        "letter_signed": letter_numbers.invitation_signed(meeting),
        "max_size": size_label(evidence_max_bytes()),
        "has_minutes": documents.MINUTES.available(meeting),
        "has_berita_acara": documents.BERITA_ACARA.available(meeting),
    }
    return render(request, "followup/meetings/detail.html", context, status=status)


@permission_required(VIEW)
def meeting_detail(request, meeting: int):
    return _meeting_page(request, _meeting(meeting))


# --- invitees ------------------------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def invitee_group_add(request, meeting: int):
    obj = _meeting(meeting)
    form = InviteeGroupForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.invitee_group_save(
                meeting=obj,
                user=request.user,
                heading=form.cleaned_data["heading"],
                unsur=form.cleaned_data["unsur"],
                lines=form.cleaned_lines(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Daftar undangan disimpan."))
            return _to_meeting(obj, "undangan")
    return _meeting_page(request, obj, group_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def invitee_group_edit(request, group: int):
    obj = get_object_or_404(InviteeGroup.objects.select_related("meeting"), pk=group)
    form = InviteeGroupForm(request.POST, prefix=f"g{obj.pk}")
    if form.is_valid():
        try:
            meeting_services.invitee_group_save(
                meeting=obj.meeting,
                user=request.user,
                group=obj,
                heading=form.cleaned_data["heading"],
                unsur=form.cleaned_data["unsur"],
                lines=form.cleaned_lines(),
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Daftar undangan disimpan."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _to_meeting(obj.meeting, "undangan")


@permission_required(MANAGE)
@require_POST
def invitee_group_delete(request, group: int):
    obj = get_object_or_404(InviteeGroup.objects.select_related("meeting"), pk=group)
    meeting_services.invitee_group_remove(group=obj, user=request.user)
    messages.success(request, _("Kelompok undangan dihapus."))
    return _to_meeting(obj.meeting, "undangan")


# --- documents -----------------------------------------------------------------------------


def _document(request, meeting: int, document: documents.Document, *, as_pdf: bool):
    obj = get_object_or_404(meeting_selectors.meeting_documents_queryset(), pk=meeting)
    if not document.available(obj):
        if document is documents.MINUTES:
            messages.info(request, _("Notula belum dibuat. Isi notula terlebih dahulu."))
            return redirect("followup:minutes_edit", meeting=obj.pk)
        raise Http404(_("Dokumen ini tidak ada pada rapat ini."))
    if as_pdf:
        response = HttpResponse(documents.pdf(obj, document), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{document.filename(obj)}"'
        return response
    pdf_name = {"undangan": "invitation_pdf", "notula": "minutes_pdf", "daftar-hadir": "attendance_pdf"}.get(
        document.key, "berita_acara_pdf"
    )
    context = documents.context(
        obj,
        document,
        pdf=False,
        pdf_url=reverse(f"followup:{pdf_name}", kwargs={"meeting": obj.pk}),
        back_url=reverse("followup:meeting", kwargs={"meeting": obj.pk}),
    )
    return render(request, "followup/documents/standalone.html", context)


@permission_required(VIEW)
def invitation(request, meeting: int):
    return _document(request, meeting, documents.INVITATION, as_pdf=False)


@permission_required(VIEW)
def invitation_pdf(request, meeting: int):
    """The invitation as PDF: the signed file once it is signed, a DRAF copy before."""
    signed = meeting_selectors.invitation_signed_version(meeting)
    if signed is not None:
        name = f"undangan-{signed.meeting.letter_year}-{signed.meeting.letter_number}-bertanda-tangan.pdf"
        return FileResponse(signed.file.open("rb"), content_type="application/pdf", filename=name)
    return _document(request, meeting, documents.INVITATION, as_pdf=True)


@permission_required(SIGN)
def invitation_sign(request, meeting: int):
    """The letter's signer reviews the draft and signs it (certificate passphrase or own password)."""
    from reports import signing
    from reports.forms import SignForm

    obj = get_object_or_404(Meeting, pk=meeting)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.invitation_sign(meeting=obj, user=request.user, secret=form.cleaned_data["secret"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Surat undangan ditandatangani secara elektronik."))
            return _to_meeting(obj, "surat")
    context = {
        "meeting": obj,
        "form": form,
        "signed": obj.invitation_signed,
        "bsre": signing.cert_is_bsre(),
    }
    return render(request, "followup/meetings/invitation_sign.html", context, status=400 if form.errors else 200)


@permission_required(VIEW)
def minutes(request, meeting: int):
    return _document(request, meeting, documents.MINUTES, as_pdf=False)


@permission_required(VIEW)
def minutes_pdf(request, meeting: int):
    return _document(request, meeting, documents.MINUTES, as_pdf=True)


@permission_required(VIEW)
def attendance(request, meeting: int):
    return _document(request, meeting, documents.ATTENDANCE, as_pdf=False)


@permission_required(VIEW)
def attendance_pdf(request, meeting: int):
    return _document(request, meeting, documents.ATTENDANCE, as_pdf=True)


@permission_required(VIEW)
def berita_acara(request, meeting: int):
    return _document(request, meeting, documents.BERITA_ACARA, as_pdf=False)


@permission_required(VIEW)
def berita_acara_pdf(request, meeting: int):
    return _document(request, meeting, documents.BERITA_ACARA, as_pdf=True)


# --- minutes -------------------------------------------------------------------------------


@permission_required(MANAGE)
def minutes_edit(request, meeting: int):
    obj = _meeting(meeting)
    current = getattr(obj, "minutes", None)
    initial = None if current else {"basis": meeting_services.minutes_default_basis(obj)}
    form = MinutesForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.minutes_save(meeting=obj, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Notula disimpan."))
            return _to_meeting(obj, "notula")
    return _form_page(
        request,
        form=form,
        title=_("Notula: %(title)s") % {"title": obj.title},
        action=reverse("followup:minutes_edit", kwargs={"meeting": obj.pk}),
        back=reverse("followup:meeting", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )


# --- attendance ----------------------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def attendee_add(request, meeting: int):
    obj = _meeting(meeting)
    form = AttendeeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendee = meeting_services.attendee_add(
                meeting=obj,
                user=request.user,
                number=data["number"],
                name=data["name"],
                institution=data["institution"],
                sex=data["sex"],
                age=data["age"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Peserta %(number)s. dicatat.") % {"number": attendee.number})
            return _to_meeting(obj, "hadir")
    return _meeting_page(request, obj, attendee_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def attendee_delete(request, attendee: int):
    obj = get_object_or_404(Attendee.objects.select_related("meeting"), pk=attendee)
    meeting_services.attendee_remove(attendee=obj, user=request.user)
    messages.success(request, _("Peserta dihapus dari daftar hadir."))
    return _to_meeting(obj.meeting, "hadir")


@permission_required(MANAGE)
@require_POST
def attendee_strike(request, attendee: int):
    obj = get_object_or_404(Attendee.objects.select_related("meeting"), pk=attendee)
    try:
        meeting_services.attendee_strike(attendee=obj, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("Baris %(number)s. dicoret; tidak dicetak pada daftar hadir.") % {"number": obj.number}
        )
    return _to_meeting(obj.meeting, "hadir")


@permission_required(MANAGE)
@require_POST
def checkin_toggle(request, meeting: int):
    obj = _meeting(meeting)
    closed = request.POST.get("tutup") == "1"
    meeting_services.checkin_set_closed(meeting=obj, user=request.user, closed=closed)
    messages.success(request, _("Daftar hadir QR ditutup.") if closed else _("Daftar hadir QR dibuka kembali."))
    return _to_meeting(obj, "hadir")


@permission_required(VIEW)
def checkin_poster(request, meeting: int):
    """The QR code to show on the screen or print at the door during the meeting."""
    obj = _meeting(meeting)
    url = checkin_url(obj)
    qr = segno.make(url, error="m", micro=False).svg_inline(
        border=4, omitsize=True, svgclass="poster-qr", lineclass="poster-qr-line"
    )
    return render(
        request,
        "followup/meetings/checkin_poster.html",
        {"meeting": obj, "qr_svg": qr, "checkin_url": url, "checkin_state": meeting_services.checkin_state(obj)},
    )


@permission_required(MANAGE)
@require_POST
def scan_upload(request, meeting: int):
    obj = _meeting(meeting)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            meeting_services.attendance_scan_upload(
                meeting=obj, user=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Pindaian daftar hadir diunggah."))
            return _to_meeting(obj, "hadir")
    return _meeting_page(request, obj, scan_form=form, status=400)


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
    meeting_services.attendance_scan_remove(scan=obj, user=request.user)
    messages.success(request, _("Pindaian dihapus."))
    return _to_meeting(obj.meeting, "hadir")


# --- public QR check-in --------------------------------------------------------------------


def checkin(request, checkin: str):
    """Public (no login): reached through the QR code shown during the meeting."""
    meeting = get_object_or_404(Meeting, checkin_token=checkin)
    state = meeting_services.checkin_state(meeting)
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
            attendee = meeting_services.attendee_checkin(
                meeting=meeting,
                name=data["name"],
                institution=data["institution"],
                sex=data["sex"],
                age=data["age"],
                signature=data["signature"],
                typed_signature=data["typed_signature"],
            )
        except meeting_services.AlreadyCheckedIn as already:
            return render(
                request,
                "followup/public/checkin_done.html",
                {"meeting": meeting, "attendee": already.attendee, "already": True},
            )
        except ValidationError as error:
            _apply_errors(form, error)
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


# --- FKP: berita acara, recommendations, representatives -----------------------------------


@permission_required(MANAGE)
def berita_acara_edit(request, meeting: int):
    obj = _meeting(meeting)
    if not obj.is_fkp:
        raise Http404(_("Berita acara hanya ada pada Forum Konsultasi Publik."))
    current = getattr(obj, "berita_acara", None)
    initial = None
    if current is None:
        initial = {"signed_on": obj.date, "left_title": "Kepala Bidang Layanan Perizinan\ndan Non Perizinan,"}
        initial.update({"left_name": obj.chair_name, "left_nip": obj.chair_nip})
        from skm_portal.models import OfficeProfile

        office = OfficeProfile.get()
        initial.update(
            right_title=f"{office.head_title},", right_name=office.head_name, right_rank=office.head_rank,
            right_nip=office.head_nip, place=office.city or "Samarinda",
        )  # fmt: skip
    form = BeritaAcaraForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.berita_acara_save(meeting=obj, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Berita acara disimpan."))
            return _to_meeting(obj, "berita-acara")
    return _form_page(
        request,
        form=form,
        title=_("Berita acara: %(title)s") % {"title": obj.title},
        action=reverse("followup:berita_acara_edit", kwargs={"meeting": obj.pk}),
        back=reverse("followup:meeting", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )


@permission_required(MANAGE)
@require_POST
def recommendation_add(request, meeting: int):
    obj = _meeting(meeting)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.recommendation_add(meeting=obj, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Rekomendasi ditambahkan."))
            return _to_meeting(obj, "rekomendasi")
    return _meeting_page(request, obj, recommendation_form=form, status=400)


@permission_required(MANAGE)
def recommendation_edit(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    form = RecommendationEditForm(request.POST or None, instance=Recommendation.objects.get(pk=obj.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_services.recommendation_update(
                recommendation=obj,
                user=request.user,
                problem=data["problem"],
                recommendation_text=data["recommendation"],
                completion_period=data["completion_period"],
                due_date=data["due_date"],
                responsible_unit=data["responsible_unit"],
                activity=data["activity"],
                followup_meeting=data["followup_meeting"],
                progress_note=data["progress_note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Rekomendasi disimpan."))
            return _to_meeting(obj.meeting, "rekomendasi")
    return _form_page(
        request,
        form=form,
        title=_("Rekomendasi %(number)s. – %(title)s") % {"number": obj.number, "title": obj.meeting.title},
        action=reverse("followup:recommendation_edit", kwargs={"recommendation": obj.pk}),
        back=reverse("followup:meeting", kwargs={"meeting": obj.meeting_id}),
        meeting=obj.meeting,
    )


@permission_required(MANAGE)
@require_POST
def recommendation_status(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    form = RecommendationStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status rekomendasi tidak dikenal."))
    else:
        try:
            meeting_services.recommendation_set_status(
                recommendation=obj, user=request.user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Status rekomendasi %(number)s. disimpan.") % {"number": obj.number})
    return _to_meeting(obj.meeting, "rekomendasi")


@permission_required(MANAGE)
@require_POST
def recommendation_delete(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    meeting_services.recommendation_remove(recommendation=obj, user=request.user)
    messages.success(request, _("Rekomendasi dihapus."))
    return _to_meeting(obj.meeting, "rekomendasi")


@permission_required(MANAGE)
@require_POST
def representative_add(request, meeting: int):
    obj = _meeting(meeting)
    form = RepresentativeForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.representative_add(meeting=obj, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Perwakilan ditambahkan."))
            return _to_meeting(obj, "perwakilan")
    return _meeting_page(request, obj, representative_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def representative_delete(request, representative: int):
    obj = get_object_or_404(Representative.objects.select_related("meeting"), pk=representative)
    meeting_services.representative_remove(representative=obj, user=request.user)
    messages.success(request, _("Perwakilan dihapus."))
    return _to_meeting(obj.meeting, "perwakilan")


# --- evidence: a meeting as bukti dukung of an RTL activity --------------------------------


@permission_required(MANAGE)
@require_POST
def evidence_record(request, activity: int):
    obj = get_object_or_404(Activity.objects.select_related("plan__period"), pk=activity)
    form = EvidenceRecordForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_add_record(
                activity=obj, user=request.user, record=form.cleaned_data["meeting"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Rapat ditautkan sebagai bukti dukung."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("followup:activity", activity=obj.pk)


# --- public monitoring of FKP recommendations ----------------------------------------------


def fkp_monitoring(request):
    """Public (no login): every FKP's recommendations and their progress."""
    return render(request, "followup/public/fkp_list.html", {"fkps": meeting_selectors.public_fkps()})


def fkp_monitoring_detail(request, meeting: int):
    """Public (no login): one FKP's recommendations. No names or phone numbers of people."""
    obj = get_object_or_404(meeting_selectors.public_fkps(), pk=meeting)
    return render(
        request,
        "followup/public/fkp_detail.html",
        {"meeting": obj, "recommendations": meeting_selectors.public_recommendations(obj)},
    )
