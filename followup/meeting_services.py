"""Writes of meetings and Forum Konsultasi Publik: the meeting and its letter, the letter
number, invitees, minutes, attendance (QR check-in and paper lists), the FKP berita acara,
its recommendations (tracked to completion) and representatives.

Same contract as `services`: keyword-only, one transaction each, `full_clean()` before
saving, `ValidationError` with an Indonesian message when refused (nothing is written
then), and an audit entry for every change made by an officer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import uploads as filetypes
from skm_portal.models import OfficeProfile
from skm_portal.permissions import has_permission

from . import checkin, letter_numbers, words
from .models import (
    Activity,
    AttendanceScan,
    Attendee,
    BeritaAcara,
    Invitee,
    InviteeGroup,
    LetterNumberRange,
    Meeting,
    Minutes,
    Recommendation,
    Representative,
)
from .services import _delete_files_on_commit, _diff, _renumber, audit_record, upload_checked
from .signature import BadSignature, clean_path
from .storage import evidence_storage

DEFAULT_OPENING = {
    Meeting.Kind.RAPAT: "Sehubungan dengan {title}, bersama ini kami mengundang Bapak/Ibu/Sdr untuk dapat hadir "
    "pada rapat yang akan dilaksanakan pada :",
    Meeting.Kind.FKP: "Dalam upaya {title}, maka dengan ini kami mengundang Bapak/Ibu untuk dapat hadir pada :",
}


def meeting_audit(*, meeting: Meeting, user, action: str, obj, summary: str, changes: dict | None = None) -> None:
    audit_record(period=None, meeting=meeting, user=user, action=action, obj=obj, summary=summary, changes=changes)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _touch(meeting: Meeting) -> None:
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["updated_at"])


def _require_fkp(meeting: Meeting) -> None:
    if not meeting.is_fkp:
        raise ValidationError(_("Berita acara, rekomendasi dan perwakilan hanya ada pada Forum Konsultasi Publik."))


# --- meeting and its letter ------------------------------------------------------------

MEETING_FIELDS = (
    "title", "agenda", "date", "start_time", "until_finished", "end_time", "place", "place_detail",
    "chair_position", "chair_name", "chair_nip", "minute_taker_name", "minute_taker_nip", "material_url",
    "letter_date", "classification_code", "unit_code", "nature", "attachment_sheets", "subject",
    "invitees_attached", "addressee_place", "opening", "closing", "signer_title", "signer_name", "signer_rank",
    "signer_nip", "carbon_copy",
)  # fmt: skip


# Fields that make up the letter's number (classification / number / unit / year).
LETTER_REFERENCE_FIELDS = ("classification_code", "unit_code", "letter_date")


def _strip(values: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def meeting_create(*, user, kind: str, **fields) -> Meeting:
    """A new meeting or FKP. Unfilled signatory fields come from the office profile
    (the head of office), an unfilled opening sentence from the meeting's title."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    office = OfficeProfile.get()
    values = _strip(fields)
    values.setdefault("signer_title", "")
    values.setdefault("signer_name", "")
    if not values["signer_name"]:
        values["signer_title"] = values["signer_title"] or office.head_title
        values["signer_name"] = office.head_name
        # The form sends these as "" when left empty: fill them too, not only when absent.
        values["signer_rank"] = values.get("signer_rank") or office.head_rank
        values["signer_nip"] = values.get("signer_nip") or office.head_nip
    if not values["signer_name"]:
        raise ValidationError(
            {"signer_name": _("Isi nama penanda tangan surat, atau lengkapi nama kepala pada Profil Instansi.")}
        )
    if not values.get("opening"):
        template = DEFAULT_OPENING.get(kind, DEFAULT_OPENING[Meeting.Kind.RAPAT])
        values["opening"] = template.format(title=values.get("title", ""))
    if not values.get("closing"):
        values.pop("closing", None)
    if not values.get("letter_date"):
        values["letter_date"] = timezone.localdate()
    now = timezone.now()
    meeting = Meeting(kind=kind, created_by=user, created_at=now, updated_at=now, **values)
    meeting.full_clean()
    meeting.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="meeting_created",
        obj=meeting,
        summary=_("%(kind)s \u201c%(title)s\u201d dibuat.")
        % {"kind": meeting.get_kind_display(), "title": meeting.title},
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, user, **fields) -> Meeting:
    """Change the meeting and letter fields. A numbered letter keeps its year."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = _locked(meeting)
    values = _strip(fields)
    if meeting.letter_number and any(
        field in values and values[field] != getattr(meeting, field) for field in LETTER_REFERENCE_FIELDS
    ):
        # The codes are part of the letter's number: final once the letter is signed.
        letter_numbers.refuse_if_signed(meeting)
    changes = _diff(meeting, values)
    if not changes:
        return meeting
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:  # another officer took the same code and number meanwhile
        raise ValidationError(
            _("Nomor surat ini sudah dipakai surat lain dengan kode klasifikasi yang sama.")
        ) from error
    meeting_audit(
        meeting=meeting,
        user=user,
        action="meeting_updated",
        obj=meeting,
        summary=_("Data rapat diubah."),
        changes=changes,
    )
    return meeting


@transaction.atomic
def meeting_remove(*, meeting: Meeting, user) -> None:
    """Delete a meeting whose letter has no number yet (a numbered letter stays, so the
    year's numbers have no gap)."""
    meeting = _locked(meeting)
    if meeting.letter_number:
        raise ValidationError(
            _(
                "Surat undangan rapat ini sudah bernomor %(ref)s; rapat tidak dapat dihapus agar nomor surat tidak hilang."
            )
            % {"ref": meeting.letter_reference}
        )
    files = list(meeting.attendance_scans.values_list("file", flat=True))
    meeting.delete()
    _delete_files_on_commit([f for f in files if f])


@transaction.atomic
def invitation_assign_number(
    *, meeting: Meeting, user, number: int | None = None, number_range: LetterNumberRange | None = None
) -> Meeting:
    """Give the invitation letter its running number for the letter date's year.

    - `number`: the number the central agenda book gave (typed by the officer); it must be
      unused in that year for the letter's classification code;
    - `number_range`: the next free number of a range the agenda book reserved for the app;
      an exhausted range is refused with a clear message;
    - neither: the app's next number (from the year's first number, past reserved ranges).

    The year's counter row is locked (select_for_update), so concurrent requests queue:
    no two letters get the same number. A numbered letter keeps its number; correct it
    with `invitation_correct_number`.
    """
    return letter_numbers.assign(meeting=_locked(meeting), user=user, number=number, number_range=number_range)


@transaction.atomic
def invitation_correct_number(*, meeting: Meeting, user, number: int, reason: str) -> Meeting:
    """Replace the letter's running number by the right one from the agenda book (e.g. a
    typing error, or the book gave another number). Allowed until the letter is signed
    (`letter_numbers.invitation_signed`); the old and new number and the reason are audited."""
    return letter_numbers.correct(meeting=_locked(meeting), user=user, number=number, reason=reason)


def invitation_sign(*, meeting: Meeting, user, secret: str):
    """The letter's signer signs the invitation with the office's certificate (PAdES).

    The same flow as a report (reports.services): `secret` is the certificate's passphrase,
    or the signer's own password when the server holds the passphrase. The invitation is
    rendered as it stands, with the signature statement, QR code and verification link
    (SITE_URL) instead of the DRAF mark, signed, and stored as an immutable
    reports.SignedVersion with its SHA-256, verified by /laporan/verifikasi/. A letter is
    signed once and must carry its number first. Returns the SignedVersion.
    """
    from reports import services as report_services
    from skm_portal.permissions import has_permission

    if not has_permission(user, "followup.sign"):
        raise PermissionDenied
    passphrase = report_services.signing_passphrase(user=user, secret=secret)
    return invitation_sign_with_passphrase(meeting=meeting, user=user, passphrase=passphrase)


def invitation_sign_with_passphrase(*, meeting: Meeting, user, passphrase: str):
    """`invitation_sign` once the passphrase is known (also the demo's path); ValidationError when refused."""
    from reports import services as report_services
    from reports import signing
    from reports.models import new_verification_code

    from . import documents, meeting_selectors

    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.invitation_signed:
            raise ValidationError(_("Surat undangan ini sudah ditandatangani."))
        if not meeting.letter_number:
            raise ValidationError(_("Beri nomor surat undangan sebelum ditandatangani."))
        identity = report_services.signing_identity(passphrase=passphrase)
        office = OfficeProfile.get()
        code = new_verification_code()
        marks = signing.signed_marks(code=code, office_name=office.name)
        full = meeting_selectors.meeting_documents_queryset().get(pk=meeting.pk)
        pdf = documents.pdf(full, documents.INVITATION, signed=marks)
        title = _("Surat Undangan Nomor %(ref)s: %(title)s") % {"ref": meeting.letter_reference, "title": meeting.title}
        version = report_services.signed_version_store(
            pdf=pdf,
            identity=identity,
            code=code,
            number=1,
            title=title,
            reason=_("Menandatangani surat undangan nomor %(ref)s") % {"ref": meeting.letter_reference},
            location=office.city,
            signer_name=meeting.signer_name,
            signer_title=meeting.signer_title.rstrip(" ,"),
            signer_rank=meeting.signer_rank,
            signer_nip=meeting.signer_nip,
            user=user,
            meeting=meeting,
        )
        meeting_audit(
            meeting=meeting,
            user=user,
            action="invitation_signed",
            obj=meeting,
            summary=_("Surat undangan %(ref)s ditandatangani secara elektronik (SHA-256 %(sha)s).")
            % {"ref": meeting.letter_reference, "sha": version.sha256[:16]},
        )
    return version


# --- invitees ---------------------------------------------------------------------------


@transaction.atomic
def invitee_group_save(
    *,
    meeting: Meeting,
    user,
    lines: Sequence[str],
    heading: str = "",
    unsur: str = "",
    group: InviteeGroup | None = None,
) -> InviteeGroup:
    """Create or replace one group of the invitee list (its heading, unsur and lines in order)."""
    meeting = _locked(meeting)
    entries = [line.strip() for line in lines if line and line.strip()]
    if not entries:
        raise ValidationError(_("Isi sekurang-kurangnya satu undangan (satu per baris)."))
    if group is None:
        last = meeting.invitee_groups.aggregate(last=Max("position"))["last"] or 0
        group = InviteeGroup(meeting=meeting, position=last + 1)
    elif group.meeting_id != meeting.pk:
        raise ValidationError(_("Kelompok undangan ini milik rapat lain."))
    group.heading, group.unsur = heading.strip(), unsur
    group.full_clean()
    group.save()
    group.invitees.all().delete()
    invitees = [Invitee(group=group, position=i, text=text) for i, text in enumerate(entries, start=1)]
    for invitee in invitees:
        invitee.full_clean(exclude=["group"])
    Invitee.objects.bulk_create(invitees)
    _touch(meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="invitees_saved",
        obj=group,
        summary=_("Daftar undangan %(heading)s disimpan (%(count)d undangan).")
        % {"heading": group.heading or "", "count": len(invitees)},
    )
    return group


@transaction.atomic
def invitee_group_remove(*, group: InviteeGroup, user) -> None:
    meeting = _locked(group.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="invitees_removed",
        obj=group,
        summary=_("Kelompok undangan %(heading)s dihapus.") % {"heading": group.heading},
    )
    group.delete()
    _renumber(meeting.invitee_groups.order_by("position", "pk"))
    _touch(meeting)


# --- minutes ----------------------------------------------------------------------------


def minutes_default_basis(meeting: Meeting, office: OfficeProfile | None = None) -> str:
    """ "Surat Kepala Dinas ... Nomor 500.16.7.2/1493/DPMPTSP-IV/2024 Tanggal 11 November 2024 Hal: Undangan Rapat."""
    office = office or OfficeProfile.get()
    region = office.government.removeprefix("Pemerintah").strip()
    reference = meeting.letter_reference or "...."
    day = words.date_plain(meeting.letter_date) if meeting.letter_date else "...."
    return f"Surat Kepala {office.name} {region} Nomor {reference} Tanggal {day} Hal: {meeting.subject}."


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, user, basis: str, participants: str, results: str, start_time: dt.time | None = None
) -> Minutes:
    """Write or rewrite the meeting's notula."""
    meeting = _locked(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    created = minutes.pk is None
    changes = _diff(
        minutes,
        {
            "basis": basis.strip(),
            "participants": participants.strip(),
            "results": results.strip(),
            "start_time": start_time,
        },
    )
    if not changes and not created:
        return minutes
    minutes.updated_at = timezone.now()
    minutes.full_clean()
    minutes.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="minutes_saved",
        obj=minutes,
        summary=_("Notula dibuat.") if created else _("Notula diubah."),
        changes={} if created else changes,
    )
    return minutes


# --- attendance -------------------------------------------------------------------------


def checkin_opens_before() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES", 120)))


def checkin_state(meeting: Meeting, now: dt.datetime | None = None) -> checkin.CheckinState:
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


def _next_number(queryset) -> int:
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
    meeting = _locked(meeting)
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
        number=_next_number(meeting.attendees),
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
    meeting = _locked(meeting)
    if number is None:
        number = _next_number(meeting.attendees)
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
    meeting = _locked(attendee.meeting)
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
    if not has_permission(user, "followup.manage"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan baris ini dicoret.")})
    meeting = _locked(attendee.meeting)
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
    meeting = _locked(meeting)
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
    meeting = _locked(meeting)
    name, data, kind = upload_checked(upload)
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
            % {"name": PurePath(name).name, "size": filetypes.size_label(len(data))},
        )
    except Exception:
        evidence_storage().delete(scan.file.name)
        raise
    return scan


@transaction.atomic
def attendance_scan_remove(*, scan: AttendanceScan, user) -> None:
    meeting = _locked(scan.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="attendance_scan_removed",
        obj=scan,
        summary=_("Pindaian daftar hadir %(title)s dihapus.") % {"title": scan.title},
    )
    name = scan.file.name
    scan.delete()
    _delete_files_on_commit([name] if name else [])


# --- FKP: berita acara, recommendations, representatives --------------------------------

BERITA_ACARA_FIELDS = (
    "commitments", "place", "signed_on", "left_title", "left_name", "left_rank", "left_nip",
    "right_title", "right_name", "right_rank", "right_nip",
)  # fmt: skip


@transaction.atomic
def berita_acara_save(*, meeting: Meeting, user, **fields) -> BeritaAcara:
    """Write or change the FKP's berita acara (its commitments, place, date and the two signatories)."""
    unknown = set(fields) - set(BERITA_ACARA_FIELDS)
    if unknown:
        raise TypeError(f"Unknown berita acara fields: {sorted(unknown)}")
    meeting = _locked(meeting)
    _require_fkp(meeting)
    record = BeritaAcara.objects.filter(meeting=meeting).first()
    created = record is None
    if created:
        office = OfficeProfile.get()
        record = BeritaAcara(
            meeting=meeting,
            signed_on=meeting.date,
            right_title=office.head_title,
            right_name=office.head_name,
            right_rank=office.head_rank,
            right_nip=office.head_nip,
            place=office.city or "Samarinda",
        )
    changes = _diff(record, _strip(fields))
    if not changes and not created:
        return record
    record.updated_at = timezone.now()
    record.full_clean()
    record.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="berita_acara_saved",
        obj=record,
        summary=_("Berita acara dibuat.") if created else _("Berita acara diubah."),
        changes={} if created else changes,
    )
    return record


@transaction.atomic
def recommendation_add(
    *, meeting: Meeting, user, problem: str, recommendation: str, completion_period: str = ""
) -> Recommendation:
    """Append a row to the berita acara table; it becomes a tracked item (status "Belum dimulai")."""
    meeting = _locked(meeting)
    _require_fkp(meeting)
    item = Recommendation(
        meeting=meeting,
        number=_next_number(meeting.recommendations),
        problem=problem.strip(),
        recommendation=recommendation.strip(),
        completion_period=completion_period.strip(),
        updated_at=timezone.now(),
    )
    item.full_clean()
    item.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="recommendation_added",
        obj=item,
        summary=_("Rekomendasi %(number)s. ditambahkan: %(text)s")
        % {"number": item.number, "text": item.recommendation[:200]},
    )
    return item


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    user,
    problem: str,
    recommendation_text: str,
    completion_period: str,
    due_date: dt.date | None,
    responsible_unit: str,
    activity: Activity | None,
    followup_meeting: Meeting | None,
    progress_note: str,
) -> Recommendation:
    """Change a recommendation's text and its tracking (target date, unit, what carries it out)."""
    meeting = _locked(recommendation.meeting)
    item = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changes = _diff(
        item,
        {
            "problem": problem.strip(),
            "recommendation": recommendation_text.strip(),
            "completion_period": completion_period.strip(),
            "due_date": due_date,
            "responsible_unit": responsible_unit.strip(),
            "activity": activity,
            "followup_meeting": followup_meeting,
            "progress_note": progress_note.strip(),
        },
    )
    if not changes:
        return item
    item.updated_at = timezone.now()
    item.full_clean()
    item.save()
    meeting_audit(
        meeting=meeting,
        user=user,
        action="recommendation_updated",
        obj=item,
        summary=_("Rekomendasi %(number)s. diubah.") % {"number": item.number},
        changes=changes,
    )
    return item


@transaction.atomic
def recommendation_set_status(*, recommendation: Recommendation, user, status: str) -> Recommendation:
    """Move a recommendation between Belum dimulai, Sedang ditindaklanjuti and Selesai.
    "Selesai" needs a progress note the public can read."""
    meeting = _locked(recommendation.meeting)
    item = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in Recommendation.Status.values:
        raise ValidationError(_("Status rekomendasi tidak dikenal."))
    if status == item.status:
        return item
    if status == Recommendation.Status.DONE and not item.progress_note.strip():
        raise ValidationError(
            _("Rekomendasi belum dapat ditandai selesai: isi dahulu perkembangan (apa yang telah dilakukan).")
        )
    old = item.get_status_display()
    item.status = status
    item.updated_at = timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "updated_at"])
    meeting_audit(
        meeting=meeting,
        user=user,
        action="recommendation_status",
        obj=item,
        summary=_("Status rekomendasi %(number)s. menjadi %(status)s.")
        % {"number": item.number, "status": item.get_status_display()},
        changes={str(_("status")): [str(old), str(item.get_status_display())]},
    )
    return item


@transaction.atomic
def recommendation_remove(*, recommendation: Recommendation, user) -> None:
    meeting = _locked(recommendation.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="recommendation_removed",
        obj=recommendation,
        summary=_("Rekomendasi %(number)s. dihapus.") % {"number": recommendation.number},
    )
    recommendation.delete()
    _renumber(meeting.recommendations.order_by("number", "pk"), field="number")


@transaction.atomic
def representative_add(
    *, meeting: Meeting, user, name: str, represents: str, phone: str = "", sex: str = "", signature: str = ""
) -> Representative:
    """A community representative who signs the berita acara."""
    meeting = _locked(meeting)
    _require_fkp(meeting)
    path = ""
    if signature.strip():
        try:
            path = clean_path(signature)
        except BadSignature as error:
            raise ValidationError({"signature": str(error)}) from error
    person = Representative(
        meeting=meeting,
        number=_next_number(meeting.representatives),
        name=name.strip(),
        represents=represents.strip(),
        phone=phone.strip(),
        sex=sex or "",
        signature_path=path,
    )
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # pragma: no cover - the meeting row is locked
        raise ValidationError(_("Nomor perwakilan bentrok, coba lagi.")) from error
    meeting_audit(
        meeting=meeting,
        user=user,
        action="representative_added",
        obj=person,
        summary=_("Perwakilan %(number)s. %(name)s (%(represents)s) ditambahkan.")
        % {"number": person.number, "name": person.name, "represents": person.represents},
    )
    return person


@transaction.atomic
def representative_remove(*, representative: Representative, user) -> None:
    meeting = _locked(representative.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="representative_removed",
        obj=representative,
        summary=_("Perwakilan %(number)s. %(name)s dihapus.")
        % {"number": representative.number, "name": representative.name},
    )
    representative.delete()
    _renumber(meeting.representatives.order_by("number", "pk"), field="number")
