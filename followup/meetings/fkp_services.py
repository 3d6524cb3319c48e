"""Writes of a Forum Konsultasi Publik's berita acara: the document itself, its
recommendations (tracked to completion, shown publicly) and the community representatives
who sign it. Same contract as `services`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.models import OfficeProfile

from ..changes import MANAGE, diff, renumber, require
from ..plans.models import Activity
from .attendance_services import next_number
from .fkp_models import BeritaAcara, Recommendation, Representative
from .models import Meeting
from .services import lock_meeting, meeting_audit, strip_values
from .signature import BadSignature, clean_path


def _require_fkp(meeting: Meeting) -> None:
    if not meeting.is_fkp:
        raise ValidationError(_("Berita acara, rekomendasi dan perwakilan hanya ada pada Forum Konsultasi Publik."))


BERITA_ACARA_FIELDS = (
    "commitments", "place", "signed_on", "left_title", "left_name", "left_rank", "left_nip",
    "right_title", "right_name", "right_rank", "right_nip",
)  # fmt: skip


@transaction.atomic
def berita_acara_save(*, meeting: Meeting, user, **fields) -> BeritaAcara:
    """Write or change the FKP's berita acara (its commitments, place, date and the two signatories)."""
    require(user, MANAGE, meeting)
    unknown = set(fields) - set(BERITA_ACARA_FIELDS)
    if unknown:
        raise TypeError(f"Unknown berita acara fields: {sorted(unknown)}")
    meeting = lock_meeting(meeting)
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
    changes = diff(record, strip_values(fields))
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
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    _require_fkp(meeting)
    item = Recommendation(
        meeting=meeting,
        number=next_number(meeting.recommendations),
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
    require(user, MANAGE, recommendation)
    meeting = lock_meeting(recommendation.meeting)
    item = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changes = diff(
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
    require(user, MANAGE, recommendation)
    meeting = lock_meeting(recommendation.meeting)
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
    """Delete a row of the berita acara table; the later rows move up."""
    require(user, MANAGE, recommendation)
    meeting = lock_meeting(recommendation.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="recommendation_removed",
        obj=recommendation,
        summary=_("Rekomendasi %(number)s. dihapus.") % {"number": recommendation.number},
    )
    recommendation.delete()
    renumber(meeting.recommendations.order_by("number", "pk"), field="number")


@transaction.atomic
def representative_add(
    *, meeting: Meeting, user, name: str, represents: str, phone: str = "", sex: str = "", signature: str = ""
) -> Representative:
    """A community representative who signs the berita acara."""
    require(user, MANAGE, meeting)
    meeting = lock_meeting(meeting)
    _require_fkp(meeting)
    path = ""
    if signature.strip():
        try:
            path = clean_path(signature)
        except BadSignature as error:
            raise ValidationError({"signature": str(error)}) from error
    person = Representative(
        meeting=meeting,
        number=next_number(meeting.representatives),
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
    """Delete a representative; the later numbers move up."""
    require(user, MANAGE, representative)
    meeting = lock_meeting(representative.meeting)
    meeting_audit(
        meeting=meeting,
        user=user,
        action="representative_removed",
        obj=representative,
        summary=_("Perwakilan %(number)s. %(name)s dihapus.")
        % {"number": representative.number, "name": representative.name},
    )
    representative.delete()
    renumber(meeting.representatives.order_by("number", "pk"), field="number")
