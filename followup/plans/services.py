"""Writes of the plans half: priorities, plans, activities and realisation steps (evidence
is in `evidence`). Every change leaves an audit entry.

Each service is keyword-only, checks the acting user's permission (PermissionDenied),
runs in one transaction, validates with `full_clean()` and raises `ValidationError` with
a message for the officer (Indonesian) when the change is refused; a refused change
writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.ikm import round_half_up
from surveys.models import Period
from surveys.selectors import period_results, previous_period

from ..changes import MANAGE, audit_record, delete_files_on_commit, diff, renumber, require
from . import priorities
from .models import Activity, Evidence, FollowUpPlan, RealisationStep
from .selectors import candidate_reasons, priority_settings


def touch(plan: FollowUpPlan) -> None:
    """The plan changed now (its page and the lists show when)."""
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])


def lock_plan(plan_id: int) -> FollowUpPlan:
    """The plan, locked until commit: every change to a plan and its activities queues on it."""
    return FollowUpPlan.objects.select_for_update().select_related("period").get(pk=plan_id)


# --- priorities -----------------------------------------------------------------------


@transaction.atomic
def priorities_confirm(
    *, period: Period, codes: Sequence[str], user, rule: str | None = None, count: int | None = None
) -> list[FollowUpPlan]:
    """Make `codes` the period's priority elements: one plan each, weakest first.

    Elements no longer chosen lose their plan, unless the plan already has activities
    (then nothing changes and the officer is told which). Returns the period's plans.
    """
    require(user, MANAGE, period)
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
    require(user, MANAGE, plan)
    plan = FollowUpPlan.objects.select_for_update().get(pk=plan.pk)
    changes = diff(
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


def _move(items: list, item, direction: int) -> bool:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if direction > 0 else -1)
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    renumber(items)
    return True


@transaction.atomic
def activity_add(*, plan: FollowUpPlan, user, title: str) -> Activity:
    """Append a program/activity at the end of the plan (next letter)."""
    require(user, MANAGE, plan)
    plan = lock_plan(plan.pk)
    last = plan.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity(plan=plan, position=last + 1, title=title.strip(), created_at=timezone.now())
    activity.full_clean()
    activity.save()
    touch(plan)
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
    """Rename an activity; its letter stays."""
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
    activity = Activity.objects.get(pk=activity.pk)
    changes = diff(activity, {"title": title.strip()})
    if not changes:
        return activity
    activity.full_clean()
    activity.save(update_fields=["title"])
    touch(plan)
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
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
    items = list(plan.activities.order_by("position", "pk"))
    current = next(a for a in items if a.pk == activity.pk)
    old_letter = current.letter
    if _move(items, current, direction):
        touch(plan)
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


@transaction.atomic
def activity_remove(*, activity: Activity, user) -> None:
    """Delete an activity with its realisation and evidence; later letters move up."""
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
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
    renumber(list(plan.activities.order_by("position", "pk")))
    touch(plan)
    delete_files_on_commit(files)


@transaction.atomic
def activity_set_status(*, activity: Activity, user, status: str) -> Activity:
    """Set the activity's status. "Selesai" needs at least one realisation description."""
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
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
    touch(plan)
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
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
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
    touch(plan)
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
    """Change what a realisation step says and its dates."""
    require(user, MANAGE, step)
    plan = lock_plan(step.activity.plan_id)
    step = RealisationStep.objects.select_related("activity").get(pk=step.pk)
    changes = diff(step, {"description": description.strip(), "started_on": started_on, "ended_on": ended_on})
    if not changes:
        return step
    step.full_clean()
    step.save()
    touch(plan)
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
    """Move a realisation step one place up (direction < 0) or down; the letters follow."""
    require(user, MANAGE, step)
    plan = lock_plan(step.activity.plan_id)
    items = list(RealisationStep.objects.filter(activity_id=step.activity_id).order_by("position", "pk"))
    current = next(s for s in items if s.pk == step.pk)
    old_letter = current.letter
    if _move(items, current, direction):
        touch(plan)
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
    """Delete a realisation step; a done activity keeps at least one."""
    require(user, MANAGE, step)
    plan = lock_plan(step.activity.plan_id)
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
    renumber(list(siblings.order_by("position", "pk")))
    touch(plan)
