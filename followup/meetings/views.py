"""Meeting and FKP screens (officers': followup.view / followup.manage): the list, a
meeting and its letter, the letter's number, invitees, the documents and the minutes.
Attendance is in `attendance_views`, the FKP's berita acara in `fkp_views`; signing the
invitation is a page of the reports app (`reports:invitation_sign`).

Thin views: check the permission, bind a form, call a service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm_portal.formviews import error_messages, submit
from skm_portal.listing import export_format, listing_export, listing_page
from skm_portal.permissions import permission_required
from skm_portal.siteurl import absolute_url
from skm_portal.uploads import size_label

from ..changes import MANAGE, VIEW
from ..storage import evidence_max_bytes
from . import attendance_services, documents, letter_numbers
from . import selectors as meeting_selectors
from . import services as meeting_services
from .fkp_models import Recommendation
from .forms import (
    AttendeeForm,
    InviteeGroupForm,
    LetterFirstNumberForm,
    LetterNumberCorrectionForm,
    LetterNumberForm,
    LetterRangeForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    RecommendationForm,
    RepresentativeForm,
    ScanForm,
)
from .models import InviteeGroup, LetterNumberRange, Meeting


def meeting_or_404(pk: int) -> Meeting:
    return get_object_or_404(Meeting, pk=pk)


def to_meeting(meeting: Meeting, anchor: str = ""):
    url = reverse("followup:meeting", kwargs={"meeting": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def flash_errors(request, error: ValidationError) -> None:
    for message in error_messages(error):
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


def form_page(request, *, form, title, action, back=None, meeting=None, status=200, **extra):
    """A meeting's edit form on its own page; "back" leads to the meeting (or to `back`)."""
    back = back or reverse("followup:meeting", kwargs={"meeting": meeting.pk})
    context = {"form": form, "title": title, "action": action, "back": back, "meeting": meeting, **extra}
    return render(request, "followup/meetings/form.html", context, status=status)


@permission_required(MANAGE)
def meeting_create(request):
    kind = request.POST.get("jenis") or request.GET.get("jenis") or Meeting.Kind.RAPAT
    if kind not in Meeting.Kind.values:
        kind = Meeting.Kind.RAPAT
    form = MeetingForm(request.POST or None, kind=kind, instance=Meeting(kind=kind))
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: meeting_services.meeting_create(user=request.user, kind=kind, **data),
            success=lambda meeting: (
                _("%(kind)s disimpan. Lengkapi daftar undangan.") % {"kind": meeting.get_kind_display()}
            ),
            then=lambda meeting: to_meeting(meeting),
        )
        if done:
            return done
    title = _("Forum Konsultasi Publik baru") if kind == Meeting.Kind.FKP else _("Rapat baru")
    return form_page(
        request,
        form=form,
        title=title,
        action=reverse("followup:meeting_create"),
        back=reverse("followup:meetings"),
        kind=kind,
    )


@permission_required(MANAGE)
def meeting_edit(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = MeetingForm(request.POST or None, kind=obj.kind, instance=Meeting.objects.get(pk=obj.pk))
    done = submit(
        request,
        form,
        lambda data: meeting_services.meeting_update(meeting=obj, user=request.user, **data),
        success=_("Data rapat disimpan."),
        then=lambda _result: to_meeting(obj),
    )
    return done or form_page(
        request,
        form=form,
        title=_("Ubah %(title)s") % {"title": obj.title},
        action=reverse("followup:meeting_edit", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )


@permission_required(MANAGE)
@require_POST
def meeting_delete(request, meeting: int):
    obj = meeting_or_404(meeting)
    try:
        meeting_services.meeting_remove(meeting=obj, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return to_meeting(obj)
    messages.success(request, _("Rapat \u201c%(title)s\u201d dihapus.") % {"title": obj.title})
    return redirect("followup:meetings")


@permission_required(MANAGE)
@require_POST
def letter_number(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = LetterNumberForm(request.POST, year=obj.letter_date.year if obj.letter_date else None)
    done = submit(
        request,
        form,
        lambda data: meeting_services.invitation_assign_number(
            meeting=obj, user=request.user, **form.service_arguments()
        ),
        success=lambda obj: _("Nomor surat: %(ref)s.") % {"ref": obj.letter_reference},
        then=lambda obj: to_meeting(obj, "surat"),
    )
    return done or meeting_page(request, obj, letter_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def letter_number_correct(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = LetterNumberCorrectionForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: meeting_services.invitation_correct_number(
            meeting=obj, user=request.user, number=data["number"], reason=data["reason"]
        ),
        success=lambda obj: _("Nomor surat dikoreksi menjadi %(ref)s.") % {"ref": obj.letter_reference},
        then=lambda obj: to_meeting(obj, "surat"),
    )
    return done or meeting_page(request, obj, correction_form=form, status=400)


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
        done = submit(
            request,
            form,
            lambda data: letter_numbers.letter_counter_set_first(
                user=request.user, year=year, first_number=data["first_number"]
            ),
            success=_("Nomor pertama tahun %(year)s disimpan.") % {"year": year},
            then=lambda _counter: redirect(url),
        )
        return done or _numbering_page(request, year, first_form=form, status=400)
    if action == "rentang":
        form = LetterRangeForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: letter_numbers.letter_range_create(user=request.user, year=year, **data),
            success=_("Rentang nomor tahun %(year)s disimpan.") % {"year": year},
            then=lambda _range: redirect(url),
        )
        return done or _numbering_page(request, year, range_form=form, status=400)
    if action == "hapus-rentang":
        number_range = get_object_or_404(LetterNumberRange, pk=request.POST.get("rentang") or 0, year=year)
        try:
            letter_numbers.letter_range_remove(user=request.user, number_range=number_range)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Rentang nomor dihapus."))
        return redirect(url)
    return HttpResponseBadRequest(_("Permintaan tidak dikenal."))


# --- the meeting page ----------------------------------------------------------------------


def meeting_page(request, meeting: Meeting, status: int = 200, **forms):
    meeting = meeting_selectors.meeting_with_documents(meeting.pk)
    state = attendance_services.checkin_state(meeting)
    context = {
        "meeting": meeting,
        "checkin_state": state,
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
    return meeting_page(request, meeting_or_404(meeting))


# --- invitees ------------------------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def invitee_group_add(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = InviteeGroupForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: meeting_services.invitee_group_save(
            meeting=obj,
            user=request.user,
            heading=data["heading"],
            unsur=data["unsur"],
            lines=form.cleaned_lines(),
        ),
        success=_("Daftar undangan disimpan."),
        then=lambda _result: to_meeting(obj, "undangan"),
    )
    return done or meeting_page(request, obj, group_form=form, status=400)


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
            flash_errors(request, error)
        else:
            messages.success(request, _("Daftar undangan disimpan."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return to_meeting(obj.meeting, "undangan")


@permission_required(MANAGE)
@require_POST
def invitee_group_delete(request, group: int):
    obj = get_object_or_404(InviteeGroup.objects.select_related("meeting"), pk=group)
    meeting_services.invitee_group_remove(group=obj, user=request.user)
    messages.success(request, _("Kelompok undangan dihapus."))
    return to_meeting(obj.meeting, "undangan")


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
    """The invitation as PDF: a DRAF copy; once signed, the signed file (kept by the reports app)."""
    if get_object_or_404(Meeting, pk=meeting).invitation_signed:
        return redirect("reports:invitation_pdf", meeting=meeting)
    return _document(request, meeting, documents.INVITATION, as_pdf=True)


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
    obj = meeting_or_404(meeting)
    current = getattr(obj, "minutes", None)
    initial = None if current else {"basis": meeting_services.minutes_default_basis(obj)}
    form = MinutesForm(request.POST or None, instance=current, initial=initial)
    done = submit(
        request,
        form,
        lambda data: meeting_services.minutes_save(meeting=obj, user=request.user, **data),
        success=_("Notula disimpan."),
        then=lambda _result: to_meeting(obj, "notula"),
    )
    return done or form_page(
        request,
        form=form,
        title=_("Notula: %(title)s") % {"title": obj.title},
        action=reverse("followup:minutes_edit", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )
