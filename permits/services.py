"""Writes of permit files. Every change of step goes through `permit_transition`.

The transition service follows pretix's `approve_order`: lock the file
(`select_for_update`), check its step and the actor against the workflow table and the
object rules, write the process log with the acting user, save with `update_fields`,
and send e-mail only after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import audit, uploads
from skm_portal.permissions import has_permission
from skm_portal.roles import Role
from surveys.services import survey_token_create

from . import workflow
from .calendar import ZERO
from .deadlines import office_calendar, permit_deadline
from .mail import permit_mail_schedule
from .models import (
    PermitApplication,
    PermitDocument,
    PermitType,
    ProcessLogEntry,
    RequiredDocument,
)
from .refusals import TransitionRefused
from .rules import may_act
from .workflow import Action, Step

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


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
    if not has_permission(applicant, "permits.apply"):
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
        # The one policy first (the applicant's own file, the agency's own file), then the
        # workflow row's roles on this file.
        needed = "permits.apply" if Role.PEMOHON in row.roles else "permits.process"
        if not has_permission(actor, needed, locked) or not may_act(actor, locked, row):
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
            permit_mail_schedule(locked, row=row, note=note)
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
