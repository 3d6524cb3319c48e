"""Writes of permit files. Every change of step goes through `permit_transition`.

The transition service follows pretix's `approve_order`: lock the file
(`select_for_update`), check its step and the actor against the workflow table and the
object rules, write the process log with the acting user, save with `update_fields`,
and send e-mail only after the commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import audit, uploads
from skm_portal.dates import date_id, deadline_id
from skm_portal.mail import mail_queue
from skm_portal.permissions import has_permission, user_roles
from skm_portal.roles import Role
from skm_portal.siteurl import absolute_url
from surveys.services import survey_token_create

from . import complaints, workflow
from .calendar import ZERO, WorkCalendar
from .models import (
    Agency,
    Complaint,
    ComplaintConsultation,
    OfficeDayOff,
    PermitApplication,
    PermitDocument,
    PermitType,
    ProcessLogEntry,
    RequiredDocument,
)
from .permissions import may_act, may_act_on_complaint
from .workflow import Action, Step

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class TransitionRefused(Exception):
    """A transition that may not happen; `message` is for the user, in Indonesian."""

    FORBIDDEN = "forbidden"  # the actor's role or relation to the file does not allow it
    STALE = "stale"  # the file moved on (another officer acted first)
    INVALID = "invalid"  # missing note, declaration or document

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def office_calendar() -> WorkCalendar:
    """The working-day calendar with the office's own days off."""
    return WorkCalendar(days_off=OfficeDayOff.objects.values_list("date", flat=True))


# --- documents ----------------------------------------------------------------------


def _check_upload(required: RequiredDocument, upload: UploadedFile) -> uploads.CheckedUpload:
    """The portal's upload policy (content, not the name's extension); TransitionRefused if not."""
    try:
        return uploads.upload_check(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except uploads.RefusedFile as refused:
        raise TransitionRefused(
            _("Dokumen %(name)s: %(reason)s") % {"name": required.name, "reason": refused},
            code=TransitionRefused.INVALID,
        ) from refused


def _store_documents(
    permit: PermitApplication, documents: Mapping[int, UploadedFile], *, user, now: dt.datetime
) -> list[PermitDocument]:
    required = {doc.pk: doc for doc in permit.permit_type.required_documents.all()}
    stored = []
    for required_id, upload in documents.items():
        if upload is None:
            continue
        requirement = required.get(int(required_id))
        if requirement is None:
            raise TransitionRefused(_("Dokumen tidak dikenal untuk jenis izin ini."), code=TransitionRefused.INVALID)
        checked = _check_upload(requirement, upload)
        PermitDocument.objects.filter(application=permit, required_document=requirement, is_current=True).update(
            is_current=False
        )
        document = PermitDocument(
            application=permit,
            required_document=requirement,
            name=requirement.name,
            file=upload,
            original_name=checked.name,
            uploaded_at=now,
            uploaded_by=user,
            revision_round=permit.revision_rounds,
        )
        document.save()
        stored.append(document)
    return stored


# --- applying -----------------------------------------------------------------------


def permit_apply(
    *,
    applicant,
    permit_type: PermitType,
    documents: Mapping[int, UploadedFile],
    declaration: bool,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> PermitApplication:
    """Register a file for `applicant` with its documents and submit it.

    Every mandatory document of the permit type must be present and the declaration
    ticked; otherwise TransitionRefused (INVALID) and nothing is stored. The file is
    numbered, gets a "pendaftaran permohonan" log entry and waits at "verifikasi
    pendaftaran".
    """
    now = (now or timezone.now()).replace(microsecond=0)
    if Role.PEMOHON not in user_roles(applicant):
        raise TransitionRefused(_("Hanya pemohon yang dapat mengajukan permohonan izin."), code="forbidden")
    if not permit_type.is_active:
        raise TransitionRefused(_("Jenis izin ini tidak menerima permohonan baru."), code=TransitionRefused.INVALID)
    if not declaration:
        raise TransitionRefused(
            _("Centang pernyataan kebenaran data sebelum mengirim permohonan."), code=TransitionRefused.INVALID
        )
    missing = [
        doc.name for doc in permit_type.required_documents.all() if doc.is_mandatory and not documents.get(doc.pk)
    ]
    if missing:
        raise TransitionRefused(
            _("Dokumen wajib belum diunggah: %(names)s.") % {"names": ", ".join(missing)},
            code=TransitionRefused.INVALID,
        )
    with transaction.atomic():
        permit = PermitApplication(
            applicant=applicant,
            permit_type=permit_type,
            agency=permit_type.agency,
            service_days=permit_type.service_days,
            step=Step.PENDAFTARAN,
            step_entered_at=now,
            declared_at=now,
        )
        permit.full_clean(exclude=["applicant", "permit_type", "agency", "survey_token"])
        permit.save(force_insert=True)
        permit.number = f"IZIN/{timezone.localtime(now).year}/{permit.pk:06d}"
        permit.save(update_fields=["number"])
        _store_documents(permit, documents, user=applicant, now=now)
        return permit_transition(
            permit=permit, action=Action.SUBMIT, actor=applicant, expected_step=Step.PENDAFTARAN, now=now, notify=notify
        )


# --- the transition -----------------------------------------------------------------


def _refuse_stale(permit: PermitApplication) -> TransitionRefused:
    return TransitionRefused(
        _(
            "Berkas %(number)s sudah diproses oleh pengguna lain dan kini berada pada tahap «%(step)s». "
            "Tidak ada yang diubah; muat ulang halaman untuk melihat keadaan terbaru."
        )
        % {"number": permit.number, "step": permit.step_label},
        code=TransitionRefused.STALE,
    )


def permit_transition(
    *,
    permit: PermitApplication | int,
    action: Action | str,
    actor,
    note: str = "",
    expected_step: Step | str | None = None,
    documents: Mapping[int, UploadedFile] | None = None,
    declaration: bool = False,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> PermitApplication:
    """Move a file one step along the workflow table, or raise TransitionRefused.

    `expected_step` is the step the actor saw; if the file moved on meanwhile (another
    officer acted first) nothing changes and the refusal says so (code STALE). The role
    and the actor's relation to the file (own file, own agency) are checked after the
    lock (code FORBIDDEN). Returns need a note; the applicant's resubmission needs the
    declaration and may carry replacement documents. E-mail (return for revision,
    completion with the one-time survey link) is sent after commit, once per transition;
    `notify=False` records history without mail (demo data).
    """
    # Whole seconds, so the process log's durations add up exactly as displayed.
    now = (now or timezone.now()).replace(microsecond=0)
    note = (note or "").strip()
    try:
        action = Action(action)
    except ValueError:
        raise TransitionRefused(_("Tindakan tidak dikenal."), code=TransitionRefused.INVALID) from None
    pk = permit.pk if isinstance(permit, PermitApplication) else permit

    with transaction.atomic():
        try:
            locked = (
                PermitApplication.objects.select_for_update(of=("self",))
                .select_related("permit_type", "agency", "applicant")
                .get(pk=pk)
            )
        except PermitApplication.DoesNotExist:
            raise TransitionRefused(_("Berkas tidak ditemukan."), code=TransitionRefused.FORBIDDEN) from None
        step = locked.current_step
        if expected_step is not None and expected_step not in {s.value for s in Step}:
            raise TransitionRefused(_("Permintaan tidak lengkap. Muat ulang halaman."), code=TransitionRefused.INVALID)
        if expected_step is not None and Step(expected_step) != step:
            raise _refuse_stale(locked)
        row = workflow.find(step, action, returned_by=locked.returned_by, has_agency=locked.agency_id is not None)
        if row is None:
            if expected_step is None and any(t.action == action for t in workflow.TRANSITIONS):
                raise _refuse_stale(locked)
            raise TransitionRefused(
                _("Tindakan «%(action)s» tidak berlaku pada tahap «%(step)s».")
                % {"action": action.label, "step": locked.step_label},
                code=TransitionRefused.FORBIDDEN,
            )
        if not may_act(actor, locked, row):
            raise TransitionRefused(
                _("Anda tidak berwenang melakukan «%(action)s» pada berkas ini.") % {"action": action.label},
                code=TransitionRefused.FORBIDDEN,
            )
        if row.note_required and not note:
            raise TransitionRefused(
                _("Catatan wajib diisi untuk «%(action)s».") % {"action": action.label},
                code=TransitionRefused.INVALID,
            )
        if row.is_resubmission and not declaration:
            raise TransitionRefused(
                _("Centang pernyataan kebenaran data sebelum mengirim perbaikan."), code=TransitionRefused.INVALID
            )
        if row.is_resubmission and not any(documents.values() if documents else ()) and not note:
            raise TransitionRefused(
                _(
                    "Ganti sekurang-kurangnya satu dokumen yang dikembalikan, atau jelaskan mengapa tidak ada "
                    "dokumen yang perlu diganti."
                ),
                code=TransitionRefused.INVALID,
            )
        if documents and step != Step.REVISI:
            raise TransitionRefused(
                _("Dokumen hanya dapat diganti saat berkas dalam revisi."), code=TransitionRefused.INVALID
            )
        target = workflow.resolve_target(row, returned_by=locked.returned_by)
        if documents:
            _store_documents(locked, documents, user=actor, now=now)
        _close_step(locked, row=row, actor=actor, note=note, now=now)
        changed = _enter_step(locked, row=row, target=target, note=note, now=now)
        locked.full_clean(exclude=["applicant", "permit_type", "agency", "survey_token", "number"])
        locked.save(update_fields=changed)
        if notify:
            _schedule_mail(locked, row=row, note=note)
    return locked


def _close_step(permit: PermitApplication, *, row: workflow.Transition, actor, note: str, now: dt.datetime) -> None:
    step = permit.current_step
    started = permit.step_entered_at or now
    elapsed = max(now - started, ZERO)
    duration = offtime = working = ZERO
    if step == Step.REVISI:
        offtime = elapsed
    elif step in workflow.OFFICE_STEPS:
        duration = elapsed
        working = office_calendar().working_time(started, now)
    log_row = ProcessLogEntry.objects.create(
        application=permit,
        step=step,
        action=row.action,
        user=actor,
        note=note,
        started_at=started,
        at=now,
        duration=duration,
        offtime=offtime,
        working_time=working,
        agency_name=permit.agency.name if step == Step.PERTIMBANGAN_DINAS_TEKNIS and permit.agency_id else "",
    )
    permit.office_working_seconds += int(working.total_seconds())
    # The process log holds the details; the audit line points at it and does not repeat them.
    audit.audit_record(
        actor=actor,
        action="permit_transition",
        obj=log_row,
        summary=_("Berkas %(number)s: %(action)s di tahap %(step)s.")
        % {"number": permit.number or f"#{permit.pk}", "action": Action(row.action).label, "step": Step(step).label},
        links=(permit,),
        object_repr=permit.number or f"#{permit.pk}",
    )


def _enter_step(
    permit: PermitApplication, *, row: workflow.Transition, target: Step, note: str, now: dt.datetime
) -> list[str]:
    changed = ["step", "step_entered_at", "office_working_seconds", "deadline_at"]
    if row.action == Action.SUBMIT:
        permit.submitted_at = now
        changed.append("submitted_at")
    if row.is_return:
        permit.returned_by_step = row.resume
        permit.applicant_note = note
        permit.revision_rounds += 1
        changed += ["returned_by_step", "applicant_note", "revision_rounds"]
    if row.is_resubmission:
        permit.returned_by_step = ""
        permit.declared_at = now
        changed += ["returned_by_step", "declared_at"]
    if row.action == Action.AGENCY_REQUEST_REVISION:
        permit.agency_note = note
        changed.append("agency_note")
    elif row.action == Action.AGENCY_APPROVE and permit.agency_note:
        # The agency's earlier "not approved" note is settled: the process log keeps it,
        # the file no longer shows it as the current note.
        permit.agency_note = ""
        changed.append("agency_note")
    if target == Step.PERTIMBANGAN_DINAS_TEKNIS and permit.sent_to_agency_at is None:
        permit.sent_to_agency_at = now
        changed.append("sent_to_agency_at")
    permit.step = target
    permit.step_entered_at = now
    if target in workflow.OFFICE_STEPS:
        permit.deadline_at = permit_deadline(permit)
    elif target == Step.REVISI:
        permit.deadline_at = None  # the clock stops while the applicant holds the file
    if target == Step.SELESAI:
        permit.completed_at = now
        changed.append("completed_at")
        if permit.survey_token_id is None:
            permit.survey_token = survey_token_create(
                service=permit.permit_type.survey_service, reference=permit.number or ""
            )
            changed.append("survey_token")
    return changed


def permit_deadline(permit: PermitApplication, *, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The moment the file will have used its standard of working days at the office.

    Counted from submission; the periods in revision (with the applicant) do not count.
    """
    if permit.submitted_at is None:
        return None
    calendar = calendar or office_calendar()
    pauses = [(entry.started_at, entry.at) for entry in permit.log.filter(step=Step.REVISI).only("started_at", "at")]
    return calendar.deadline(permit.submitted_at, permit.service_days, pauses=pauses)


# --- e-mail -------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute_url(path)


def _schedule_mail(permit: PermitApplication, *, row: workflow.Transition, note: str) -> None:
    recipient = permit.applicant.email
    if not recipient:
        return
    name = permit.applicant.get_full_name() or permit.applicant.username
    file_url = _absolute(reverse("permits:detail", args=[permit.pk]))
    if row.is_return:
        subject = _("Berkas %(number)s dikembalikan untuk revisi") % {"number": permit.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Berkas permohonan %(type)s nomor %(number)s dikembalikan kepada Anda untuk diperbaiki.\n\n"
            "Catatan untuk pemohon:\n%(note)s\n\n"
            "Silakan buka menu Permohonan Izin > Revisi, perbaiki berkas sesuai catatan, lalu kirim kembali:\n"
            "%(url)s\n\n"
            "Waktu layanan tidak dihitung selama berkas berada di tangan Anda.\n"
        ) % {"name": name, "type": permit.permit_type.name, "number": permit.number, "note": note, "url": file_url}
    elif permit.current_step == Step.SELESAI and permit.survey_token is not None:
        survey_url = _absolute(reverse("surveys:survey_token", args=[permit.survey_token.token]))
        subject = _("Permohonan %(number)s selesai") % {"number": permit.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Permohonan %(type)s nomor %(number)s telah selesai diproses.\n%(url)s\n\n"
            "Bantu kami memperbaiki layanan: isi Survei Kepuasan Masyarakat (SKM) melalui tautan berikut. "
            "Tautan ini khusus untuk berkas Anda dan hanya dapat dipakai satu kali:\n%(survey)s\n"
        ) % {
            "name": name,
            "type": permit.permit_type.name,
            "number": permit.number,
            "url": file_url,
            "survey": survey_url,
        }
    else:
        return
    mail_queue(to=[recipient], subject=subject, body=body, kind="permit", reference=permit.number or "")


# --- complaints (pengaduan perizinan) -----------------------------------------------


def complaint_deadline(filed_at: dt.datetime, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """When the answer is due: `complaints.ANSWER_WORKING_DAYS` working days after filing."""
    return (calendar or office_calendar()).deadline(filed_at, complaints.ANSWER_WORKING_DAYS)


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
            _schedule_complaint_mail(complaint, answered=False)
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
            _schedule_complaint_mail(locked, answered=True)
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


def _schedule_complaint_mail(complaint: Complaint, *, answered: bool) -> None:
    status_url = _absolute(reverse("permits:complaint_status", args=[complaint.token]))
    local_deadline = timezone.localtime(complaint.deadline_at)
    if answered:
        agencies = sorted({c.agency.name for c in complaint.consultations.select_related("agency")})
        subject = _("Jawaban pengaduan %(number)s: %(status)s") % {
            "number": complaint.number,
            "status": complaint.status_label,
        }
        body = _(
            "Yth. %(name)s,\n\n"
            "Pengaduan Anda nomor %(number)s (%(subject)s) telah dijawab oleh Kepala DPMPTSP setelah rapat "
            "bersama perangkat daerah terkait (%(agencies)s).\n\n"
            "Keputusan: pengaduan %(status)s.\n\nJawaban:\n%(answer)s\n\n"
            "Status pengaduan:\n%(url)s\n"
        ) % {
            "name": complaint.name,
            "number": complaint.number,
            "subject": complaint.subject,
            "agencies": ", ".join(agencies),
            "status": complaint.status_label.upper(),
            "answer": complaint.answer_note,
            "url": status_url,
        }
    else:
        subject = _("Pengaduan %(number)s telah kami terima") % {"number": complaint.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Pengaduan Anda (%(subject)s) telah kami terima dengan nomor %(number)s.\n"
            "Kepala DPMPTSP menjawab pengaduan, diterima atau ditolak, setelah rapat bersama perangkat daerah "
            "terkait, paling lama 5 (lima) hari kerja: sampai %(deadline)s.\n\n"
            "Ikuti status pengaduan Anda melalui tautan berikut (jangan dibagikan):\n%(url)s\n"
        ) % {
            "name": complaint.name,
            "subject": complaint.subject,
            "number": complaint.number,
            "deadline": deadline_id(local_deadline),
            "url": status_url,
        }
    mail_queue(to=[complaint.email], subject=subject, body=body, kind="complaint", reference=complaint.number or "")


# --- the office's own days off ------------------------------------------------------


def _refresh_deadlines(day: dt.date) -> int:
    """Recompute the stored deadlines that a change of `day` can move; returns how many.

    Open files at an office step and open complaints whose window reaches the day.
    Finished steps keep the working time they were logged with (history is not rewritten).
    """
    calendar = office_calendar()
    start = dt.datetime.combine(day, dt.time(), tzinfo=calendar.tz)
    end = start + dt.timedelta(days=1)
    changed = 0
    permits = PermitApplication.objects.select_for_update().filter(
        step__in=[s.value for s in workflow.OFFICE_STEPS], submitted_at__lt=end, deadline_at__gte=start
    )
    for permit in permits:
        deadline = permit_deadline(permit, calendar=calendar)
        if deadline != permit.deadline_at:
            permit.deadline_at = deadline
            permit.save(update_fields=["deadline_at"])
            changed += 1
    open_complaints = Complaint.objects.select_for_update().filter(
        status__in=[s.value for s in complaints.OPEN], filed_at__lt=end, deadline_at__gte=start
    )
    for complaint in open_complaints:
        deadline = complaint_deadline(complaint.filed_at, calendar=calendar)
        if deadline != complaint.deadline_at:
            complaint.deadline_at = deadline
            complaint.save(update_fields=["deadline_at"])
            changed += 1
    return changed


def office_day_off_create(*, date: dt.date, description: str, actor) -> OfficeDayOff:
    """Add a day the office is closed; deadlines of open files and complaints follow.

    Refused (ValidationError, nothing stored) for a day that is already not a working day
    (weekend, national holiday, cuti bersama) or already entered.
    """
    if not has_permission(actor, "permits.admin"):
        raise PermissionDenied(_("Hanya administrator yang dapat mengatur hari libur kantor."))
    calendar = WorkCalendar()
    if date.weekday() >= 5:
        raise ValidationError(
            _("%(date)s jatuh pada akhir pekan; hari itu sudah bukan hari kerja."),
            params={"date": date_id(date)},
        )
    holiday = calendar.holiday_name(date)
    if holiday:
        raise ValidationError(
            _("%(date)s sudah hari libur nasional atau cuti bersama (%(name)s)."),
            params={"date": date_id(date), "name": holiday},
        )
    if OfficeDayOff.objects.filter(date=date).exists():
        raise ValidationError(_("%(date)s sudah tercatat sebagai hari libur kantor."), params={"date": date_id(date)})
    with transaction.atomic():
        day_off = OfficeDayOff(date=date, description=(description or "").strip())
        day_off.full_clean()
        day_off.save()
        _refresh_deadlines(date)
        audit.audit_record(
            actor=actor,
            action="day_off_added",
            obj=day_off,
            summary=_("Hari libur kantor %(date)s ditambahkan: %(description)s.")
            % {"date": date.strftime("%d-%m-%Y"), "description": day_off.description or "-"},
        )
    return day_off


def office_day_off_delete(*, day_off: OfficeDayOff, actor) -> None:
    """Remove a day off; deadlines of open files and complaints follow."""
    if not has_permission(actor, "permits.admin"):
        raise PermissionDenied(_("Hanya administrator yang dapat mengatur hari libur kantor."))
    with transaction.atomic():
        date = day_off.date
        audit.audit_record(
            actor=actor,
            action="day_off_removed",
            obj=day_off,
            summary=_("Hari libur kantor %(date)s dihapus.") % {"date": date.strftime("%d-%m-%Y")},
        )
        OfficeDayOff.objects.filter(pk=day_off.pk).delete()
        _refresh_deadlines(date)
