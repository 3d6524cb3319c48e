"""Running numbers of outgoing letters, as the office keeps them.

A letter number is classification code / running number / unit code / year
(500.16.7.2/1493/DPMPTSP-IV/2024). The running number comes from one of three sources:

- the central agenda book (buku agenda): an officer types the number the book gave; it
  must be unused in that year for that classification code;
- a range the agenda book reserved for the app (`LetterNumberRange`): numbers are drawn
  in order, skipping any already used; an exhausted range says so;
- the app's own counter (`LetterCounter`): the next number of the year, starting at the
  year's configurable first number and stepping over reserved ranges and used numbers.

Every numbering of a year locks that year's counter row first (select_for_update), so
concurrent requests queue: two officers never get the same number, whichever source
they use. A number can be corrected until the letter is signed (`invitation_signed`).

Services follow the app's contract: keyword-only, one transaction, Indonesian
`ValidationError` when refused (nothing written), an audit entry for every change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.numbers import format_int

from ..changes import MANAGE, audit_record, require
from .models import LetterCounter, LetterNumberRange, LetterNumberSource, Meeting
from .signals import letter_finality

MAX_RANGE_SIZE = 10_000


# --- the one guard ------------------------------------------------------------------------


def invitation_signed(meeting: Meeting) -> bool:
    """Whether the letter is final: THE single guard for correcting a number (and the letter's codes).

    Final once its invitation is signed (`Meeting.invitation_signed`), or once an app
    above this one says so through `signals.letter_finality` (reports: the year's annual
    follow-up report is signed, and its appendix reproduces that year's invitations).
    """
    if not meeting.letter_number:
        return False
    if meeting.invitation_signed:
        return True
    return any(final for _receiver, final in letter_finality.send(sender=Meeting, meeting=meeting))


def refuse_if_signed(meeting: Meeting) -> None:
    """ValidationError when the letter is final (`invitation_signed`)."""
    if invitation_signed(meeting):
        raise ValidationError(
            _("Surat %(ref)s sudah ditandatangani; nomornya tidak dapat diubah lagi.")
            % {"ref": meeting.letter_reference}
        )


# --- reading ------------------------------------------------------------------------------


def counter_for(year: int, *, lock: bool = False) -> LetterCounter:
    """The year's counter row (created when missing). With `lock`, inside a transaction,
    the row stays locked until commit: this is the queue every numbering of the year joins."""
    if not lock:  # a read: an unsaved default when the year has no row yet
        return LetterCounter.objects.filter(year=year).first() or LetterCounter(year=year, last=0)
    LetterCounter.objects.bulk_create([LetterCounter(year=year, last=0)], ignore_conflicts=True)
    return LetterCounter.objects.select_for_update().get(year=year)


def ranges_of(year: int) -> list[LetterNumberRange]:
    """The year's reserved ranges, lowest first."""
    return list(LetterNumberRange.objects.filter(year=year).order_by("first"))


def _used(year: int, start: int = 1) -> set[int]:
    """Running numbers of the year already on a letter (any classification code: the agenda
    book's numbers are office-wide, so a drawn number is never handed out twice)."""
    return set(
        Meeting.objects.filter(letter_year=year, letter_number__gte=start).values_list("letter_number", flat=True)
    )


def next_app_number(counter: LetterCounter, ranges: list[LetterNumberRange], used: set[int]) -> int:
    """The app's next number: after the last one it gave (never below the year's first
    number), outside every reserved range, not on any letter yet."""
    number = max(counter.last, counter.first_number - 1) + 1
    while True:
        inside = next((r for r in ranges if r.first <= number <= r.last), None)
        if inside is not None:
            number = inside.last + 1
        elif number in used:
            number += 1
        else:
            return number


def preview_app_number(year: int) -> int:
    """The number the app would give next in `year` (for display; nothing is reserved)."""
    counter = counter_for(year)
    start = max(counter.last, counter.first_number - 1) + 1
    return next_app_number(counter, ranges_of(year), _used(year, start))


def _range_label(number_range: LetterNumberRange) -> str:
    # Letter numbers are written without a thousands separator (".../1493/...").
    return f"{number_range.first}\u2013{number_range.last}"


# --- drawing a number (called with the year's counter locked) -----------------------------


def _draw(
    *, meeting: Meeting, year: int, counter: LetterCounter, number: int | None, number_range: LetterNumberRange | None
) -> tuple[int, str]:
    if number is not None and number_range is not None:
        raise ValidationError(_("Pilih salah satu: nomor dari buku agenda atau dari rentang cadangan."))
    if number is not None:
        number_check_free(meeting=meeting, year=year, number=number)
        if number > counter.last:
            counter.last = number
            counter.save(update_fields=["last"])
        return number, LetterNumberSource.AGENDA
    if number_range is not None:
        locked = LetterNumberRange.objects.select_for_update().get(pk=number_range.pk)
        if locked.year != year:
            raise ValidationError(
                _("Rentang nomor %(range)s milik tahun %(range_year)s; tanggal surat ini tahun %(year)s.")
                % {"range": _range_label(locked), "range_year": locked.year, "year": year}
            )
        used = _used(year, locked.next_number)
        candidate = locked.next_number
        while candidate <= locked.last and candidate in used:
            candidate += 1
        if candidate > locked.last:
            raise ValidationError(
                _(
                    "Rentang nomor %(range)s tahun %(year)s sudah habis terpakai. Minta rentang baru ke "
                    "pengelola buku agenda, atau ketik nomor dari buku agenda."
                )
                % {"range": _range_label(locked), "year": year}
            )
        locked.next_number = candidate + 1
        locked.save(update_fields=["next_number"])
        return candidate, LetterNumberSource.RANGE
    start = max(counter.last, counter.first_number - 1) + 1
    chosen = next_app_number(counter, ranges_of(year), _used(year, start))
    counter.last = chosen
    counter.save(update_fields=["last"])
    return chosen, LetterNumberSource.APP


def number_check_free(*, meeting: Meeting, year: int, number: int) -> None:
    """A typed number: positive and not on another letter of the year with the same code."""
    if number < 1:
        raise ValidationError({"number": _("Nomor surat harus bilangan bulat positif.")})
    taken = (
        Meeting.objects.filter(letter_year=year, letter_number=number, classification_code=meeting.classification_code)
        .exclude(pk=meeting.pk)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "number": _(
                    "Nomor %(number)s tahun %(year)s dengan kode klasifikasi %(code)s sudah dipakai surat lain "
                    "(%(title)s)."
                )
                % {"number": number, "year": year, "code": meeting.classification_code, "title": taken.title}
            }
        )


def assign(
    *, meeting: Meeting, user, number: int | None = None, number_range: LetterNumberRange | None = None
) -> Meeting:
    """Number a locked, unnumbered meeting's letter (see `services.invitation_assign_number`)."""
    require(user, MANAGE, meeting)
    if meeting.letter_number:
        raise ValidationError(_("Surat ini sudah bernomor %(ref)s.") % {"ref": meeting.letter_reference})
    if meeting.letter_date is None:
        raise ValidationError(_("Isi tanggal surat sebelum memberi nomor."))
    if not meeting.classification_code or not meeting.unit_code:
        raise ValidationError(_("Isi kode klasifikasi dan kode unit pengolah sebelum memberi nomor."))
    year = meeting.letter_date.year
    counter = counter_for(year, lock=True)
    chosen, source = _draw(meeting=meeting, year=year, counter=counter, number=number, number_range=number_range)
    meeting.letter_year, meeting.letter_number, meeting.letter_number_source = year, chosen, source
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["letter_year", "letter_number", "letter_number_source", "updated_at"])
    audit_record(
        period=None,
        meeting=meeting,
        user=user,
        action="letter_numbered",
        obj=meeting,
        summary=_("Surat undangan diberi nomor %(ref)s (dari %(source)s).")
        % {"ref": meeting.letter_reference, "source": meeting.get_letter_number_source_display()},
    )
    return meeting


def correct(*, meeting: Meeting, user, number: int, reason: str) -> Meeting:
    """Replace a locked meeting's number by the right one from the agenda book, before signing."""
    require(user, MANAGE, meeting)
    if not meeting.letter_number:
        raise ValidationError(_("Surat ini belum bernomor; beri nomor lebih dahulu."))
    refuse_if_signed(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan koreksi nomor (tercatat pada riwayat perubahan).")})
    if number == meeting.letter_number:
        raise ValidationError({"number": _("Nomor baru sama dengan nomor sekarang.")})
    year = meeting.letter_year
    counter = counter_for(year, lock=True)
    number_check_free(meeting=meeting, year=year, number=number)
    if number > counter.last:
        counter.last = number
        counter.save(update_fields=["last"])
    old = meeting.letter_reference
    meeting.letter_number, meeting.letter_number_source = number, LetterNumberSource.AGENDA
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["letter_number", "letter_number_source", "updated_at"])
    audit_record(
        period=None,
        meeting=meeting,
        user=user,
        action="letter_number_corrected",
        obj=meeting,
        summary=_("Nomor surat dikoreksi dari %(old)s menjadi %(new)s. Alasan: %(reason)s")
        % {"old": old, "new": meeting.letter_reference, "reason": reason},
        changes={str(_("nomor surat")): [old, meeting.letter_reference]},
    )
    return meeting


# --- the year's settings: first number and reserved ranges --------------------------------


@transaction.atomic
def letter_counter_set_first(*, user, year: int, first_number: int) -> LetterCounter:
    """Set the first number the app gives in `year` (e.g. 1401 when the app starts mid-year).
    Refused once the app has given a number that year: its numbers must keep ascending."""
    require(user)
    if first_number < 1:
        raise ValidationError({"first_number": _("Nomor pertama harus bilangan bulat positif.")})
    counter = counter_for(year, lock=True)
    if counter.first_number == first_number:
        return counter
    # Letters numbered before sources were recorded (blank) count as the app's.
    given = Meeting.objects.filter(
        letter_year=year, letter_number_source__in=[LetterNumberSource.APP, ""], letter_number__isnull=False
    ).exists()
    if given:
        raise ValidationError(
            {
                "first_number": _(
                    "Aplikasi sudah memberi nomor surat tahun %(year)s; nomor pertama tahun itu tidak dapat diubah lagi."
                )
                % {"year": year}
            }
        )
    old = counter.first_number
    counter.first_number = first_number
    counter.full_clean()
    counter.save(update_fields=["first_number"])
    audit_record(
        period=None,
        user=user,
        action="letter_first_number",
        obj=counter,
        summary=_("Nomor pertama surat tahun %(year)s menjadi %(number)s.") % {"year": year, "number": first_number},
        changes={str(_("nomor pertama")): [str(old), str(first_number)]},
    )
    return counter


@transaction.atomic
def letter_range_create(*, user, year: int, first: int, last: int, note: str = "") -> LetterNumberRange:
    """Record a block of numbers the agenda book reserved for the app. Ranges of a year
    must not overlap; numbers already on a letter are skipped when drawing."""
    require(user)
    counter_for(year, lock=True)
    if first < 1 or last < 1:
        raise ValidationError(_("Nomor awal dan akhir harus bilangan bulat positif."))
    if last < first:
        raise ValidationError({"last": _("Nomor akhir harus sama dengan atau lebih besar dari nomor awal.")})
    if last - first + 1 > MAX_RANGE_SIZE:
        raise ValidationError(
            {"last": _("Satu rentang paling banyak %(max)s nomor.") % {"max": format_int(MAX_RANGE_SIZE)}}
        )
    overlap = LetterNumberRange.objects.filter(year=year, first__lte=last, last__gte=first).first()
    if overlap is not None:
        raise ValidationError(
            _("Rentang ini bertumpang tindih dengan rentang %(range)s tahun %(year)s.")
            % {"range": _range_label(overlap), "year": year}
        )
    number_range = LetterNumberRange(
        year=year, first=first, last=last, next_number=first, note=note.strip(), created_by=user
    )
    number_range.full_clean()
    number_range.save()
    audit_record(
        period=None,
        user=user,
        action="letter_range_created",
        obj=number_range,
        summary=_("Rentang nomor surat %(range)s tahun %(year)s dicadangkan.")
        % {"range": _range_label(number_range), "year": year},
    )
    return number_range


@transaction.atomic
def letter_range_remove(*, user, number_range: LetterNumberRange) -> None:
    """Remove a range no number has been drawn from (e.g. entered by mistake)."""
    require(user)
    counter_for(number_range.year, lock=True)
    locked = LetterNumberRange.objects.select_for_update().get(pk=number_range.pk)
    if not locked.is_untouched:
        raise ValidationError(
            _("Nomor dari rentang %(range)s sudah dipakai; rentang tidak dapat dihapus.")
            % {"range": _range_label(locked)}
        )
    audit_record(
        period=None,
        user=user,
        action="letter_range_removed",
        obj=locked,
        summary=_("Rentang nomor surat %(range)s tahun %(year)s dihapus.")
        % {"range": _range_label(locked), "year": locked.year},
    )
    locked.delete()
