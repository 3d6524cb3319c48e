"""Writes of complaints (pengaduan perizinan): filing, consultations, the answer.

Like `permits.services.permit_transition`: the complaint is locked, the actor checked
against the one policy ("permits.complaints") and the complaint table, the e-mail queued
after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import complaints
from .deadlines import complaint_deadline
from .mail import complaint_mail_schedule
from .models import Agency, Complaint, ComplaintConsultation, PermitApplication
from .refusals import TransitionRefused
from .rules import may_act_on_complaint


def complaint_file(
    *,
    name: str,
    email: str,
    subject: str,
    description: str,
    phone: str = "",
    permit_number: str = "",
    user=None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Complaint:
    """File a complaint from an applicant or a member of the public (no account needed).

    A file number never tells the complainant whether someone else's file exists:
    - a signed-in user's number must name one of their own files (TransitionRefused
      INVALID otherwise, the same message whether the file is someone else's or none);
    - from the public it is always accepted: linked when it names a file (shown to the
      office only), else kept in the description for the officers.
    The complaint is numbered, gets its answer deadline (5 working days) and a secret
    status link; the complainant receives the link by e-mail after commit.
    """
    now = (now or timezone.now()).replace(microsecond=0)
    permit_number = (permit_number or "").strip()
    permit = None
    signed_in = getattr(user, "is_authenticated", False)
    if permit_number:
        permit = PermitApplication.objects.filter(number__iexact=permit_number).first()
        if signed_in and (permit is None or permit.applicant_id != user.pk):
            raise TransitionRefused(
                _(
                    "Nomor berkas %(number)s tidak ditemukan di antara berkas Anda. Periksa kembali atau kosongkan isian ini."
                )
                % {"number": permit_number},
                code=TransitionRefused.INVALID,
                field="permit_number",
            )
        if permit is None:
            note = _("Nomor berkas yang disebut pengadu (tidak ditemukan): %(number)s") % {"number": permit_number[:40]}
            limit = Complaint._meta.get_field("description").max_length - len(note) - 2
            description = f"{(description or '').strip()[:limit]}\n\n{note}"
    with transaction.atomic():
        complaint = Complaint(
            token=secrets.token_urlsafe(24),
            complainant=user if getattr(user, "is_authenticated", False) else None,
            name=(name or "").strip(),
            email=(email or "").strip().lower(),
            phone=(phone or "").strip(),
            permit=permit,
            subject=(subject or "").strip(),
            description=(description or "").strip(),
            status=complaints.Status.FILED,
            filed_at=now,
            deadline_at=complaint_deadline(now),
        )
        complaint.full_clean(exclude=["number", "complainant", "permit", "answered_by"])
        complaint.save(force_insert=True)
        complaint.number = f"ADU/{timezone.localtime(now).year}/{complaint.pk:06d}"
        complaint.save(update_fields=["number"])
        if notify:
            complaint_mail_schedule(complaint, answered=False)
    return complaint


def _refuse_complaint(message: str, code: str) -> TransitionRefused:
    return TransitionRefused(message, code=code)


def complaint_transition(
    *,
    complaint: Complaint | int,
    action: complaints.Action | str,
    actor,
    note: str = "",
    agencies: Iterable[Agency] = (),
    held_at: dt.datetime | None = None,
    expected_status: str | None = None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Complaint:
    """Record a consultation on a complaint or answer it, or raise TransitionRefused.

    Like `permit_transition`: the complaint is locked, the actor's role checked against
    `permits.complaints` (FORBIDDEN), a complaint that moved on since the actor saw it
    (`expected_status`) is refused (STALE). CONSULT records one row per agency with the
    meeting's time (not in the future, not before filing). ACCEPT/REJECT need the answer
    and at least one recorded consultation; the complainant is e-mailed after commit.
    """
    now = (now or timezone.now()).replace(microsecond=0)
    note = (note or "").strip()
    try:
        action = complaints.Action(action)
    except ValueError:
        raise _refuse_complaint(_("Tindakan tidak dikenal."), TransitionRefused.INVALID) from None
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    with transaction.atomic():
        try:
            locked = Complaint.objects.select_for_update().get(pk=pk)
        except Complaint.DoesNotExist:
            raise _refuse_complaint(_("Pengaduan tidak ditemukan."), TransitionRefused.FORBIDDEN) from None
        status = complaints.Status(locked.status)
        if not may_act_on_complaint(actor, action):
            raise _refuse_complaint(
                _("Anda tidak berwenang melakukan «%(action)s».") % {"action": action.label},
                TransitionRefused.FORBIDDEN,
            )
        if expected_status is not None and expected_status != status.value:
            raise _refuse_complaint(
                _(
                    "Pengaduan %(number)s sudah diproses oleh pengguna lain dan kini berstatus «%(status)s». "
                    "Tidak ada yang diubah; muat ulang halaman."
                )
                % {"number": locked.number, "status": status.label},
                TransitionRefused.STALE,
            )
        row = complaints.find(status, action)
        if row is None:
            if status in complaints.ANSWERED:
                message = _("Pengaduan %(number)s sudah dijawab (%(status)s); tidak ada yang diubah.") % {
                    "number": locked.number,
                    "status": status.label,
                }
                raise _refuse_complaint(message, TransitionRefused.STALE)
            raise _refuse_complaint(
                _("Pengaduan dijawab setelah rapat dengan perangkat daerah terkait. Catat rapatnya terlebih dahulu."),
                TransitionRefused.INVALID,
            )
        if action == complaints.Action.CONSULT:
            _record_consultations(locked, agencies=list(agencies), held_at=held_at, note=note, actor=actor, now=now)
        else:
            if not note:
                raise _refuse_complaint(_("Tulis jawaban untuk pelapor."), TransitionRefused.INVALID)
            locked.answered_at = now
            locked.answered_by = actor
            locked.answer_note = note
        locked.status = row.target
        changed = ["status"] + (["answered_at", "answered_by", "answer_note"] if row.is_answer else [])
        locked.full_clean(exclude=["complainant", "permit", "answered_by"])
        locked.save(update_fields=changed)
        if notify and row.is_answer:
            complaint_mail_schedule(locked, answered=True)
    return locked


def _record_consultations(
    complaint: Complaint, *, agencies: list[Agency], held_at: dt.datetime | None, note: str, actor, now: dt.datetime
) -> None:
    if not agencies:
        raise _refuse_complaint(_("Pilih perangkat daerah yang diajak rapat."), TransitionRefused.INVALID)
    if held_at is None or held_at.tzinfo is None:
        raise _refuse_complaint(_("Isi tanggal dan jam rapat."), TransitionRefused.INVALID)
    if held_at > now:
        raise _refuse_complaint(
            _("Waktu rapat tidak boleh di masa depan; catat rapat setelah dilaksanakan."), TransitionRefused.INVALID
        )
    if held_at < complaint.filed_at.replace(second=0):
        raise _refuse_complaint(_("Waktu rapat tidak boleh sebelum pengaduan diajukan."), TransitionRefused.INVALID)
    for agency in agencies:
        if not agency.is_active:
            raise _refuse_complaint(_("%(agency)s tidak aktif.") % {"agency": agency.name}, TransitionRefused.INVALID)
        if ComplaintConsultation.objects.filter(complaint=complaint, agency=agency, held_at=held_at).exists():
            raise _refuse_complaint(
                _("Rapat dengan %(agency)s pada waktu itu sudah dicatat.") % {"agency": agency.name},
                TransitionRefused.INVALID,
            )
        consultation = ComplaintConsultation(
            complaint=complaint, agency=agency, held_at=held_at, note=note, recorded_by=actor, recorded_at=now
        )
        consultation.full_clean(exclude=["complaint", "agency", "recorded_by"])
        consultation.save()
