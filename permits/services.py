"""Writes of permit files. Every change of step goes through `permit_transition`.

The transition service follows pretix's `approve_order`: lock the file
(`select_for_update`), check its step and the actor against the workflow table and the
object rules, write the process log with the acting user, save with `update_fields`,
and send e-mail only after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.permissions import user_roles
from skm_portal.roles import Role
from surveys.services import survey_token_create

from . import workflow
from .calendar import ZERO, WorkCalendar
from .models import OfficeDayOff, PermitApplication, PermitDocument, PermitType, ProcessLogEntry, RequiredDocument
from .permissions import may_act
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


def _check_upload(required: RequiredDocument, upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in {"pdf", "jpg", "jpeg", "png"}:
        raise TransitionRefused(
            _("Dokumen %(name)s harus berupa PDF, JPG atau PNG.") % {"name": required.name},
            code=TransitionRefused.INVALID,
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise TransitionRefused(
            _("Dokumen %(name)s lebih besar dari 5 MB.") % {"name": required.name}, code=TransitionRefused.INVALID
        )


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
        _check_upload(requirement, upload)
        PermitDocument.objects.filter(application=permit, required_document=requirement, is_current=True).update(
            is_current=False
        )
        document = PermitDocument(
            application=permit,
            required_document=requirement,
            name=requirement.name,
            file=upload,
            original_name=(upload.name or "")[:255],
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
    ProcessLogEntry.objects.create(
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
    return settings.SITE_URL.rstrip("/") + path


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
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    )
