"""Writes of meetings and Forum Konsultasi Publik: the meeting and its invitation letter,
the letter's number, the invitees and the minutes. Attendance is in
`attendance_services`, the FKP's berita acara in `fkp_services`; signing the invitation
belongs to the reports app (`reports.invitations`), which stands above this one.

Same contract as the plans' services: keyword-only, the acting user's permission checked
(PermissionDenied), one transaction each, `full_clean()` before saving, `ValidationError`
with an Indonesian message when refused (nothing is written then), and an audit entry for
every change made by an officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.models import OfficeProfile

from ..changes import MANAGE, audit_record, delete_files_on_commit, diff, renumber, require
from . import letter_numbers, words
from .models import Invitee, InviteeGroup, LetterNumberRange, Meeting, Minutes

DEFAULT_OPENING = {
    Meeting.Kind.RAPAT: "Sehubungan dengan {title}, bersama ini kami mengundang Bapak/Ibu/Sdr untuk dapat hadir "
    "pada rapat yang akan dilaksanakan pada :",
    Meeting.Kind.FKP: "Dalam upaya {title}, maka dengan ini kami mengundang Bapak/Ibu untuk dapat hadir pada :",
}


def meeting_audit(*, meeting: Meeting, user, action: str, obj, summary: str, changes: dict | None = None) -> None:
    """An audit line shown in the meeting's history."""
    audit_record(period=None, meeting=meeting, user=user, action=action, obj=obj, summary=summary, changes=changes)


def lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting, locked until commit: every change to a meeting and its rows queues on it."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def touch(meeting: Meeting) -> None:
    """The meeting changed now."""
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["updated_at"])


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


def strip_values(values: dict) -> dict:
    """The values with surrounding white space removed from the strings."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def meeting_create(*, user, kind: str, **fields) -> Meeting:
    """A new meeting or FKP. Unfilled signatory fields come from the office profile
    (the head of office), an unfilled opening sentence from the meeting's title."""
    require(user)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    office = OfficeProfile.get()
    values = strip_values(fields)
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
    require(user, MANAGE, meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = lock_meeting(meeting)
    values = strip_values(fields)
    if meeting.letter_number and any(
        field in values and values[field] != getattr(meeting, field) for field in LETTER_REFERENCE_FIELDS
    ):
        # The codes are part of the letter's number: final once the letter is signed.
        letter_numbers.refuse_if_signed(meeting)
    changes = diff(meeting, values)
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
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    if meeting.letter_number:
        raise ValidationError(
            _(
                "Surat undangan rapat ini sudah bernomor %(ref)s; rapat tidak dapat dihapus agar nomor surat tidak hilang."
            )
            % {"ref": meeting.letter_reference}
        )
    files = list(meeting.attendance_scans.values_list("file", flat=True))
    meeting.delete()
    delete_files_on_commit([f for f in files if f])


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
    require(user, MANAGE, meeting)
    return letter_numbers.assign(meeting=lock_meeting(meeting), user=user, number=number, number_range=number_range)


@transaction.atomic
def invitation_correct_number(*, meeting: Meeting, user, number: int, reason: str) -> Meeting:
    """Replace the letter's running number by the right one from the agenda book (e.g. a
    typing error, or the book gave another number). Allowed until the letter is signed
    (`letter_numbers.invitation_signed`); the old and new number and the reason are audited."""
    require(user, MANAGE, meeting)
    return letter_numbers.correct(meeting=lock_meeting(meeting), user=user, number=number, reason=reason)


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
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
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
    touch(meeting)
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
    """Delete a group of the invitee list; the later groups move up (I., II., ...)."""
    require(user, MANAGE, group)
    meeting = lock_meeting(group.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="invitees_removed",
        obj=group,
        summary=_("Kelompok undangan %(heading)s dihapus.") % {"heading": group.heading},
    )
    group.delete()
    renumber(meeting.invitee_groups.order_by("position", "pk"))
    touch(meeting)


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
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    created = minutes.pk is None
    changes = diff(
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
