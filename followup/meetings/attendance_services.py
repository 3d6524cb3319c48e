"""Writes of a meeting's attendance: the public QR check-in (no login, so no user to check:
the meeting's token and check-in window are the guard), lines typed from a paper list,
struck rows, opening and closing the QR list, and the scanned paper list."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.uploads import size_label

from ..changes import MANAGE, delete_files_on_commit, require, upload_checked
from ..storage import evidence_storage
from . import checkin
from .models import AttendanceScan, Attendee, Meeting
from .services import lock_meeting, meeting_audit
from .signature import BadSignature, clean_path


def checkin_opens_before() -> dt.timedelta:
    """How long before the start the QR list opens (FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES)."""
    return dt.timedelta(minutes=int(getattr(settings, "FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES", 120)))


def checkin_state(meeting: Meeting, now: dt.datetime | None = None) -> checkin.CheckinState:
    """Whether the meeting's QR list is not open yet, open, or closed (WITA)."""
    now = now or timezone.now()
    return checkin.state(
        now,
        day=meeting.date,
        start=meeting.start_time,
        tz=timezone.get_current_timezone(),
        closed_by_officer=meeting.checkin_closed,
        opens_before=checkin_opens_before(),
    )


class AlreadyCheckedIn(Exception):
    """This person is already on the meeting's list; `attendee` is their row."""

    def __init__(self, attendee: Attendee):
        super().__init__(attendee.name)
        self.attendee = attendee


def _already_listed(meeting: Meeting, key: str) -> Attendee | None:
    return meeting.attendees.filter(person_key=key, struck=False).first()


def next_number(queryset) -> int:
    """The number after the highest of `queryset` (attendees, recommendations, representatives)."""
    return (queryset.aggregate(last=Max("number"))["last"] or 0) + 1


def _attendee_values(name: str, institution: str, sex: str, age: int | None) -> dict:
    return {"name": name.strip(), "institution": institution.strip(), "sex": sex or "", "age": age}


@transaction.atomic
def attendee_checkin(
    *,
    meeting: Meeting,
    name: str,
    institution: str,
    sex: str,
    age: int | None,
    signature: str = "",
    typed_signature: str = "",
    now: dt.datetime | None = None,
) -> Attendee:
    """A participant signs in on the QR page (no login). Refused outside the check-in
    window or without a well-formed drawn signature or a typed name (the no-JS fallback).
    The same person (name and institution, normalised) signs once: AlreadyCheckedIn."""
    meeting = lock_meeting(meeting)
    state = checkin_state(meeting, now)
    if state == checkin.CheckinState.NOT_YET:
        opens = timezone.localtime(
            checkin.window(meeting.date, meeting.start_time, timezone.get_current_timezone(), checkin_opens_before())[0]
        )
        raise ValidationError(
            _("Daftar hadir belum dibuka. Daftar hadir dibuka pukul %(time)s WITA.") % {"time": opens.strftime("%H.%M")}
        )
    if state == checkin.CheckinState.CLOSED:
        raise ValidationError(_("Daftar hadir rapat ini sudah ditutup."))
    path = ""
    if signature.strip():
        try:
            path = clean_path(signature)
        except BadSignature as error:
            raise ValidationError({"signature": str(error)}) from error
    elif not typed_signature.strip():
        raise ValidationError({"signature": _("Bubuhkan tanda tangan, atau ketik nama Anda sebagai tanda tangan.")})
    key = checkin.person_key(name, institution)
    listed = _already_listed(meeting, key)
    if listed is not None:
        raise AlreadyCheckedIn(listed)
    attendee = Attendee(
        meeting=meeting,
        number=next_number(meeting.attendees),
        signature_path=path,
        signature_typed="" if path else typed_signature.strip()[:200],
        source=Attendee.Source.QR,
        created_at=timezone.now(),
        person_key=key,
        **_attendee_values(name, institution, sex, age),
    )
    attendee.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        # Two phones of one person at the same moment (the row lock is a no-op on SQLite).
        listed = _already_listed(meeting, key)
        if listed is None:
            raise
        raise AlreadyCheckedIn(listed) from None
    return attendee


@transaction.atomic
def attendee_add(
    *, meeting: Meeting, user, name: str, institution: str, sex: str, age: int | None, number: int | None = None
) -> Attendee:
    """An officer types a line of a paper attendance list; `number` as written on the paper."""
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    if number is None:
        number = next_number(meeting.attendees)
    elif meeting.attendees.filter(number=number).exists():
        raise ValidationError({"number": _("Nomor %(number)s sudah ada pada daftar hadir.") % {"number": number}})
    key = checkin.person_key(name, institution)
    listed = _already_listed(meeting, key)
    if listed is not None:
        raise ValidationError(
            {
                "name": _("%(name)s sudah tercatat pada nomor %(number)s.")
                % {"name": listed.name, "number": listed.number}
            }
        )
    attendee = Attendee(
        meeting=meeting,
        number=number,
        source=Attendee.Source.MANUAL,
        created_at=timezone.now(),
        person_key=key,
        **_attendee_values(name, institution, sex, age),
    )
    attendee.full_clean()
    attendee.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="attendee_added",
        obj=attendee,
        summary=_("Peserta %(number)s. %(name)s dicatat dari daftar hadir kertas.")
        % {"number": number, "name": attendee.name},
    )
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee, user) -> None:
    """Remove a line (e.g. a double check-in). Other numbers stay as they are, like on paper."""
    require(user, MANAGE, attendee)
    meeting = lock_meeting(attendee.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="attendee_removed",
        obj=attendee,
        summary=_("Peserta %(number)s. %(name)s dihapus dari daftar hadir.")
        % {"number": attendee.number, "name": attendee.name},
    )
    attendee.delete()


@transaction.atomic
def attendee_strike(*, attendee: Attendee, user, reason: str) -> Attendee:
    """Strike a bogus row (a joke name, a double under another spelling): kept with the
    reason and who struck it, left off the printed list, audited. Needs a reason."""
    require(user, MANAGE, attendee)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan baris ini dicoret.")})
    meeting = lock_meeting(attendee.meeting)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.struck:
        raise ValidationError(_("Baris ini sudah dicoret."))
    attendee.struck, attendee.struck_reason = True, reason[:300]
    attendee.struck_by, attendee.struck_at = user, timezone.now()
    attendee.save(update_fields=["struck", "struck_reason", "struck_by", "struck_at"])
    meeting_audit(
        meeting=meeting,
        user=user,
        action="attendee_struck",
        obj=attendee,
        summary=_("Baris %(number)s. %(name)s (%(institution)s) dicoret dari daftar hadir: %(reason)s")
        % {
            "number": attendee.number,
            "name": attendee.name,
            "institution": attendee.institution or "-",
            "reason": reason,
        },
    )
    return attendee


@transaction.atomic
def checkin_set_closed(*, meeting: Meeting, user, closed: bool) -> Meeting:
    """Close the QR list early, or open it again (within the meeting day)."""
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    if meeting.checkin_closed == closed:
        return meeting
    meeting.checkin_closed = closed
    meeting.save(update_fields=["checkin_closed"])
    meeting_audit(
        meeting=meeting,
        user=user,
        action="checkin_closed" if closed else "checkin_reopened",
        obj=meeting,
        summary=_("Daftar hadir QR ditutup.") if closed else _("Daftar hadir QR dibuka kembali."),
    )
    return meeting


@transaction.atomic
def attendance_scan_upload(*, meeting: Meeting, user, upload: UploadedFile, title: str = "") -> AttendanceScan:
    """Keep the scanned paper list (PDF, JPEG or PNG, checked by content, size-limited) privately."""
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    checked = upload_checked(upload)
    name, data, kind = checked.name, checked.data, checked.kind
    scan = AttendanceScan(
        meeting=meeting,
        title=(title or "").strip() or _("Daftar hadir (pindaian)"),
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        created_at=timezone.now(),
    )
    scan.file.save(f"daftar-hadir{kind.extension}", ContentFile(data), save=False)
    try:
        scan.full_clean()
        scan.save()
        meeting_audit(
            meeting=meeting,
            user=user,
            action="attendance_scan_uploaded",
            obj=scan,
            summary=_("Pindaian daftar hadir %(name)s (%(size)s) diunggah.")
            % {"name": PurePath(name).name, "size": size_label(len(data))},
        )
    except Exception:
        evidence_storage().delete(scan.file.name)
        raise
    return scan


@transaction.atomic
def attendance_scan_remove(*, scan: AttendanceScan, user) -> None:
    """Delete a scanned list; its file goes once the change is committed."""
    require(user, MANAGE, scan)
    meeting = lock_meeting(scan.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="attendance_scan_removed",
        obj=scan,
        summary=_("Pindaian daftar hadir %(title)s dihapus.") % {"title": scan.title},
    )
    name = scan.file.name
    scan.delete()
    delete_files_on_commit([name] if name else [])
