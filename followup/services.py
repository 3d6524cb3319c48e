"""Writes of the follow-up: every change goes through here and leaves an audit entry.

Each service is keyword-only, runs in one transaction, validates with `full_clean()`
and raises `ValidationError` with a message for the officer (Indonesian) when the
change is refused; a refused change writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import audit, uploads
from skm_portal import uploads as filetypes
from skm_portal.models import AuditEntry
from surveys.ikm import round_half_up
from surveys.models import Period
from surveys.selectors import period_results, previous_period

from . import priorities
from .models import Activity, Evidence, FollowUpPlan, RealisationStep
from .selectors import candidate_reasons, priority_settings
from .storage import evidence_max_bytes, evidence_storage

# --- audit ----------------------------------------------------------------------------


def audit_record(
    *,
    period: Period | None,
    user,
    action: str,
    obj,
    summary: str,
    plan: FollowUpPlan | None = None,
    meeting=None,
    changes: dict | None = None,
) -> AuditEntry:
    """Append one line to the portal's audit log (`skm_portal.audit.audit_record`), linked
    to the period, plan and meeting whose history pages show it. Kept with this signature
    so follow-up code can go on calling it; call it inside the change's transaction."""
    return audit.audit_record(
        actor=user,
        action=action,
        obj=obj,
        summary=summary,
        changes=changes,
        app="followup",
        links=(period, plan, meeting),
    )


def _diff(instance, values: dict) -> dict[str, list[str]]:
    """Apply `values` to `instance`; return {field label: [old, new]} of what changed."""
    changes = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            label = str(instance._meta.get_field(field).verbose_name)
            changes[label] = ["" if old is None else str(old), "" if new is None else str(new)]
            setattr(instance, field, new)
    return changes


def _touch(plan: FollowUpPlan) -> None:
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


# --- priorities -----------------------------------------------------------------------


@transaction.atomic
def priorities_confirm(
    *, period: Period, codes: Sequence[str], user, rule: str | None = None, count: int | None = None
) -> list[FollowUpPlan]:
    """Make `codes` the period's priority elements: one plan each, weakest first.

    Elements no longer chosen lose their plan, unless the plan already has activities
    (then nothing changes and the officer is told which). Returns the period's plans.
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    chosen = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    if not chosen:
        raise ValidationError(_("Pilih sekurang-kurangnya satu unsur prioritas."))
    current = period_results(period)
    if current.ikm is None:
        raise ValidationError(_("Periode ini belum memiliki hasil SKM, prioritas belum dapat ditetapkan."))
    before = previous_period(period)
    previous = period_results(before) if before is not None else None
    default_rule, default_count = priority_settings()
    proposal = priorities.propose(current, previous, rule=rule or default_rule, count=count or default_count)
    by_code = {c.code: c for c in proposal.candidates}
    unknown = [code for code in chosen if code not in by_code]
    if unknown:
        raise ValidationError(
            _("Unsur tidak dikenal pada hasil periode ini: %(codes)s.") % {"codes": ", ".join(unknown)}
        )

    existing = {p.element_code: p for p in FollowUpPlan.objects.select_for_update().filter(period=period)}
    dropped = [plan for code, plan in existing.items() if code not in chosen]
    busy = [plan for plan in dropped if plan.activities.exists()]
    if busy:
        raise ValidationError(
            _(
                "Unsur %(codes)s tidak dapat dilepas dari prioritas karena rencana tindak lanjutnya sudah berisi "
                "kegiatan. Hapus kegiatannya terlebih dahulu."
            )
            % {"codes": ", ".join(f"{p.element_code} {p.element_name}" for p in busy)}
        )
    for plan in dropped:
        audit_record(
            period=period,
            user=user,
            action="priority_removed",
            obj=plan,
            summary=_("Unsur %(code)s %(name)s dilepas dari prioritas.")
            % {"code": plan.element_code, "name": plan.element_name},
        )
        plan.delete()

    ordered = sorted(chosen, key=lambda code: by_code[code].rank)
    now = timezone.now()
    plans = []
    for rank, code in enumerate(ordered, start=1):
        candidate = by_code[code]
        plan = existing.get(code)
        if plan is None:
            plan = FollowUpPlan(
                period=period,
                element_code=code,
                element_name=candidate.name,
                rank=rank,
                index_at_confirmation=round_half_up(candidate.index, 2),
                grade_at_confirmation=candidate.grade,
                was_proposed=proposal.is_proposed(code),
                proposal_reason="; ".join(candidate_reasons(candidate, before))[:300],
                created_at=now,
                updated_at=now,
            )
            plan.full_clean()
            plan.save()
            audit_record(
                period=period,
                plan=plan,
                user=user,
                action="priority_added",
                obj=plan,
                summary=_("Unsur %(code)s %(name)s ditetapkan sebagai prioritas.")
                % {"code": code, "name": plan.element_name},
            )
        elif plan.rank != rank:
            plan.rank = rank
            plan.save(update_fields=["rank"])
        plans.append(plan)
    audit_record(
        period=period,
        user=user,
        action="priorities_confirmed",
        obj=period,
        summary=_("Prioritas unsur dikonfirmasi: %(chosen)s (usulan aplikasi: %(proposed)s).")
        % {"chosen": ", ".join(ordered), "proposed": ", ".join(proposal.proposed) or "-"},
    )
    return plans


# --- plan -----------------------------------------------------------------------------


@transaction.atomic
def plan_update(
    *, plan: FollowUpPlan, user, element_name: str, time_frame: str, person_in_charge: str, note: str = ""
) -> FollowUpPlan:
    """Change the plan's heading fields: how the element is named, when, who."""
    plan = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
    changes = _diff(
        plan,
        {
            "element_name": element_name.strip(),
            "time_frame": time_frame.strip(),
            "person_in_charge": person_in_charge.strip(),
            "note": note.strip(),
        },
    )
    if not changes:
        return plan
    plan.updated_at = timezone.now()
    plan.full_clean()
    plan.save()
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="plan_updated",
        obj=plan,
        summary=_("Rencana tindak lanjut diubah."),
        changes=changes,
    )
    return plan


# --- activities -----------------------------------------------------------------------


def _renumber(items, field: str = "position") -> None:
    """Close the gaps in an ordered list: 1, 2, 3, ... in the given order."""
    for position, item in enumerate(items, start=1):
        if getattr(item, field) != position:
            setattr(item, field, position)
            item.save(update_fields=[field])


def _move(items: list, item, direction: int) -> bool:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    return True


def _locked_plan(plan_id: int) -> FollowUpPlan:
    return FollowUpPlan.objects.select_for_update().select_related("period").get(pk=plan_id)


@transaction.atomic
def activity_add(*, plan: FollowUpPlan, user, title: str) -> Activity:
    """Append a program/activity at the end of the plan (next letter)."""
    plan = _locked_plan(plan.pk)
    last = plan.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity(plan=plan, position=last + 1, title=title.strip(), created_at=timezone.now())
    activity.full_clean()
    activity.save()
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="activity_added",
        obj=activity,
        summary=_("Kegiatan %(letter)s. %(title)s ditambahkan.") % {"letter": activity.letter, "title": activity.title},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, user, title: str) -> Activity:
    plan = _locked_plan(activity.plan_id)
    activity = Activity.objects.get(pk=activity.pk)
    changes = _diff(activity, {"title": title.strip()})
    if not changes:
        return activity
    activity.full_clean()
    activity.save(update_fields=["title"])
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="activity_updated",
        obj=activity,
        summary=_("Kegiatan %(letter)s. diubah.") % {"letter": activity.letter},
        changes=changes,
    )
    return activity


@transaction.atomic
def activity_move(*, activity: Activity, user, direction: int) -> Activity:
    """Move an activity one place up (direction < 0) or down; the letters follow."""
    plan = _locked_plan(activity.plan_id)
    items = list(plan.activities.order_by("position", "pk"))
    current = next(a for a in items if a.pk == activity.pk)
    old_letter = current.letter
    if _move(items, current, direction):
        _touch(plan)
        audit_record(
            period=plan.period,
            plan=plan,
            user=user,
            action="activity_moved",
            obj=current,
            summary=_("Kegiatan \u201c%(title)s\u201d dipindah dari %(old)s. ke %(new)s.")
            % {"title": current.title, "old": old_letter, "new": current.letter},
        )
    return current


def _delete_files_on_commit(names: list[str]) -> None:
    storage = evidence_storage()

    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


@transaction.atomic
def activity_remove(*, activity: Activity, user) -> None:
    """Delete an activity with its realisation and evidence; later letters move up."""
    plan = _locked_plan(activity.plan_id)
    activity = Activity.objects.get(pk=activity.pk)
    files = [name for name in Evidence.objects.filter(activity=activity).values_list("file", flat=True) if name]
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="activity_removed",
        obj=activity,
        summary=_("Kegiatan %(letter)s. %(title)s dihapus.") % {"letter": activity.letter, "title": activity.title},
    )
    activity.delete()
    _renumber(list(plan.activities.order_by("position", "pk")))
    _touch(plan)
    _delete_files_on_commit(files)


@transaction.atomic
def activity_set_status(*, activity: Activity, user, status: str) -> Activity:
    """Set the activity's status. "Selesai" needs at least one realisation description."""
    plan = _locked_plan(activity.plan_id)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if status not in Activity.Status.values:
        raise ValidationError(_("Status kegiatan tidak dikenal."))
    if status == activity.status:
        return activity
    if status == Activity.Status.DONE and not activity.steps.exists():
        raise ValidationError(
            _("Kegiatan belum dapat ditandai selesai: isi dahulu deskripsi realisasi (apa yang telah dilakukan).")
        )
    old = activity.get_status_display()
    activity.status = status
    activity.full_clean()
    activity.save(update_fields=["status"])
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="activity_status",
        obj=activity,
        summary=_("Status kegiatan %(letter)s. menjadi %(status)s.")
        % {"letter": activity.letter, "status": activity.get_status_display()},
        changes={str(Activity._meta.get_field("status").verbose_name): [str(old), str(activity.get_status_display())]},
    )
    return activity


# --- realisation ----------------------------------------------------------------------


@transaction.atomic
def step_add(
    *, activity: Activity, user, description: str, started_on: date | None = None, ended_on: date | None = None
) -> RealisationStep:
    """Append what was done for an activity (the next letter), with its dates."""
    plan = _locked_plan(activity.plan_id)
    last = RealisationStep.objects.filter(activity=activity).aggregate(last=Max("position"))["last"] or 0
    step = RealisationStep(
        activity_id=activity.pk,
        position=last + 1,
        description=description.strip(),
        started_on=started_on,
        ended_on=ended_on,
        created_at=timezone.now(),
    )
    step.full_clean()
    step.save()
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="step_added",
        obj=step,
        summary=_("Realisasi %(letter)s. ditambahkan pada kegiatan %(activity)s.: %(text)s")
        % {"letter": step.letter, "activity": activity.letter, "text": step.description[:200]},
    )
    return step


@transaction.atomic
def step_update(
    *, step: RealisationStep, user, description: str, started_on: date | None, ended_on: date | None
) -> RealisationStep:
    plan = _locked_plan(step.activity.plan_id)
    step = RealisationStep.objects.select_related("activity").get(pk=step.pk)
    changes = _diff(step, {"description": description.strip(), "started_on": started_on, "ended_on": ended_on})
    if not changes:
        return step
    step.full_clean()
    step.save()
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="step_updated",
        obj=step,
        summary=_("Realisasi %(letter)s. pada kegiatan %(activity)s. diubah.")
        % {"letter": step.letter, "activity": step.activity.letter},
        changes=changes,
    )
    return step


@transaction.atomic
def step_move(*, step: RealisationStep, user, direction: int) -> RealisationStep:
    plan = _locked_plan(step.activity.plan_id)
    items = list(RealisationStep.objects.filter(activity_id=step.activity_id).order_by("position", "pk"))
    current = next(s for s in items if s.pk == step.pk)
    old_letter = current.letter
    if _move(items, current, direction):
        _touch(plan)
        audit_record(
            period=plan.period,
            plan=plan,
            user=user,
            action="step_moved",
            obj=current,
            summary=_("Realisasi dipindah dari %(old)s. ke %(new)s. pada kegiatan %(activity)s.")
            % {"old": old_letter, "new": current.letter, "activity": step.activity.letter},
        )
    return current


@transaction.atomic
def step_remove(*, step: RealisationStep, user) -> None:
    plan = _locked_plan(step.activity.plan_id)
    step = RealisationStep.objects.select_related("activity").get(pk=step.pk)
    activity = step.activity
    siblings = RealisationStep.objects.filter(activity=activity)
    if activity.is_done and siblings.count() == 1:
        raise ValidationError(
            _("Kegiatan berstatus selesai harus memiliki sekurang-kurangnya satu realisasi. Ubah statusnya dahulu.")
        )
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="step_removed",
        obj=step,
        summary=_("Realisasi %(letter)s. pada kegiatan %(activity)s. dihapus: %(text)s")
        % {"letter": step.letter, "activity": activity.letter, "text": step.description[:200]},
    )
    step.delete()
    _renumber(list(siblings.order_by("position", "pk")))
    _touch(plan)


# --- evidence -------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    """The uploaded file's name without control characters; RefusedFile if it carries a path."""
    return uploads.safe_name(name)


def upload_checked(upload: UploadedFile) -> tuple[str, bytes, filetypes.FileKind]:
    """Read a private upload and check it: a name without a path, at most
    FOLLOWUP_EVIDENCE_MAX_BYTES, PDF/JPEG/PNG by content. ValidationError otherwise."""
    try:
        checked = uploads.upload_check(upload, max_bytes=evidence_max_bytes())
    except uploads.RefusedFile as refused:
        raise ValidationError({"file": str(refused)}) from refused
    return checked.name, checked.data, checked.kind


def _check_step(activity: Activity, step: RealisationStep | None) -> None:
    if step is not None and step.activity_id != activity.pk:
        raise ValidationError(_("Realisasi yang dipilih milik kegiatan lain."))


@transaction.atomic
def evidence_upload(
    *, activity: Activity, user, upload: UploadedFile, title: str = "", step: RealisationStep | None = None
) -> Evidence:
    """Store an evidence file privately after checking its content and size.

    Accepted: PDF, JPEG, PNG recognised by their first bytes, with a matching extension,
    no larger than FOLLOWUP_EVIDENCE_MAX_BYTES. Anything else: ValidationError, nothing stored.
    """
    plan = _locked_plan(activity.plan_id)
    _check_step(activity, step)
    name, data, kind = upload_checked(upload)
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.FILE,
        title=(title or "").strip() or PurePath(name).stem[:200],
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.file.save(f"bukti{kind.extension}", ContentFile(data), save=False)
    try:
        evidence.full_clean()
        evidence.save()
        audit_record(
            period=plan.period,
            plan=plan,
            user=user,
            action="evidence_uploaded",
            obj=evidence,
            summary=_("Bukti dukung %(title)s (%(kind)s, %(size)s) diunggah untuk kegiatan %(activity)s.")
            % {
                "title": evidence.title,
                "kind": kind.label,
                "size": filetypes.size_label(len(data)),
                "activity": activity.letter,
            },
        )
        _touch(plan)
    except Exception:
        evidence_storage().delete(evidence.file.name)
        raise
    # If an outer transaction rolls back later, the randomly named file stays unreferenced;
    # it is never served (no row points to it) and can be swept by an administrator.
    return evidence


@transaction.atomic
def evidence_add_link(
    *, activity: Activity, user, url: str, title: str, step: RealisationStep | None = None
) -> Evidence:
    """Record a link as evidence, e.g. a social-media post or a published document."""
    plan = _locked_plan(activity.plan_id)
    _check_step(activity, step)
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.LINK,
        title=title.strip(),
        url=url.strip(),
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_linked",
        obj=evidence,
        summary=_("Tautan bukti dukung %(title)s ditambahkan untuk kegiatan %(activity)s.")
        % {"title": evidence.title, "activity": activity.letter},
        changes={str(Evidence._meta.get_field("url").verbose_name): ["", evidence.url]},
    )
    return evidence


@transaction.atomic
def evidence_add_record(
    *, activity: Activity, user, record, title: str = "", step: RealisationStep | None = None
) -> Evidence:
    """Refer to a record of the app as evidence, e.g. the meeting or FKP that carried the activity out.
    The same record is linked to an activity at most once."""
    from django.contrib.contenttypes.models import ContentType

    plan = _locked_plan(activity.plan_id)
    _check_step(activity, step)
    record_type = ContentType.objects.get_for_model(record)
    if Evidence.objects.filter(activity_id=activity.pk, record_type=record_type, record_id=record.pk).exists():
        raise ValidationError(_("%(record)s sudah menjadi bukti dukung kegiatan ini.") % {"record": record})
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.RECORD,
        title=(title.strip() or str(record))[:200],
        record_type=record_type,
        record_id=record.pk,
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    _touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_record",
        obj=evidence,
        summary=_("%(record)s ditautkan sebagai bukti dukung kegiatan %(activity)s.")
        % {"record": evidence.title, "activity": activity.letter},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    """Delete an evidence entry; its file is removed from storage once the change is committed."""
    evidence = Evidence.objects.select_related("activity").get(pk=evidence.pk)
    plan = _locked_plan(evidence.activity.plan_id)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_removed",
        obj=evidence,
        summary=_("Bukti dukung %(title)s pada kegiatan %(activity)s dihapus.")
        % {"title": evidence.title, "activity": evidence.activity.letter},
    )
    name = evidence.file.name if evidence.file else ""
    evidence.delete()
    _touch(plan)
    _delete_files_on_commit([name] if name else [])
