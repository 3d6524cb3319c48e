"""Reads of permit files: lists per user, the work queue, the file's clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from skm_portal.permissions import user_roles
from skm_portal.roles import Role

from . import workflow
from .calendar import DAY, ZERO, WorkCalendar
from .models import PermitApplication, ProcessLogEntry
from .permissions import OFFICE_ROLES, agency_ids_of, visible_permits
from .services import office_calendar
from .workflow import Step

SECONDS_PER_DAY = 24 * 60 * 60


def overdue_q(now: dt.datetime) -> Q:
    """Files past their standard at `now` (in the office, with the applicant, or done late)."""
    at_office = Q(step__in=[s.value for s in workflow.OFFICE_STEPS], deadline_at__lt=now)
    used_too_much = Q(
        step__in=[Step.REVISI.value, Step.SELESAI.value],
        office_working_seconds__gt=F("service_days") * SECONDS_PER_DAY,
    )
    return at_office | used_too_much


def permit_list(user, *, overdue: bool = False, step: str = "", now: dt.datetime | None = None) -> QuerySet:
    """Monitoring Izin: the files `user` may see, optionally only overdue ones or one step."""
    files = visible_permits(user)
    if overdue:
        files = files.filter(overdue_q(now or timezone.now()))
    if step:
        files = files.filter(step=step)
    return files.order_by("-submitted_at", "-pk")


def work_queue(user) -> QuerySet:
    """Files waiting for an action of one of `user`'s roles (agency users: their agency only)."""
    roles = user_roles(user)
    steps_for_office = [s.value for s in Step if workflow.roles_acting_on(s) & roles & OFFICE_ROLES]
    condition = Q(step__in=steps_for_office)
    if Role.DINAS_TEKNIS in roles:
        agency_steps = [s.value for s in Step if Role.DINAS_TEKNIS in workflow.roles_acting_on(s)]
        condition |= Q(step__in=agency_steps, agency_id__in=agency_ids_of(user))
    return visible_permits(user).filter(condition).order_by("deadline_at", "submitted_at")


def revision_list(user) -> QuerySet:
    """Permohonan Izin > Revisi: the applicant's files waiting for their revision."""
    return (
        PermitApplication.objects.filter(applicant=user, step=Step.REVISI)
        .select_related("permit_type", "agency")
        .order_by("step_entered_at")
    )


@dataclass(frozen=True)
class Clock:
    """The time figures of one file at a moment."""

    total: dt.timedelta  # submission to completion (or now)
    duration: dt.timedelta  # time held by the office
    offtime: dt.timedelta  # time with the applicant
    working_used: dt.timedelta  # office time that fell on working days
    open_duration: dt.timedelta  # the current step so far (part of duration/offtime)
    service_days: int
    deadline: dt.datetime | None

    @property
    def working_days_used(self) -> float:
        return self.working_used / DAY

    @property
    def is_overdue(self) -> bool:
        return self.working_used > dt.timedelta(days=self.service_days)

    @property
    def working_days_left(self) -> float:
        return self.service_days - self.working_days_used


def permit_clock(
    permit: PermitApplication,
    *,
    entries: list[ProcessLogEntry] | None = None,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    entries = list(permit.log.all()) if entries is None else entries
    now = (now or timezone.now()).replace(microsecond=0)
    duration = sum((e.duration for e in entries), ZERO)
    offtime = sum((e.offtime for e in entries), ZERO)
    working = dt.timedelta(seconds=permit.office_working_seconds)
    open_duration = ZERO
    step = permit.current_step
    if permit.submitted_at and step not in workflow.FINAL_STEPS and permit.step_entered_at:
        open_duration = max(now - permit.step_entered_at, ZERO)
        if step == Step.REVISI:
            offtime += open_duration
        elif step in workflow.OFFICE_STEPS:
            duration += open_duration
            working += (calendar or office_calendar()).working_time(permit.step_entered_at, now)
    end = permit.completed_at or now
    total = max(end - permit.submitted_at, ZERO) if permit.submitted_at else ZERO
    return Clock(
        total=total,
        duration=duration,
        offtime=offtime,
        working_used=working,
        open_duration=open_duration,
        service_days=permit.service_days,
        deadline=permit.deadline_at,
    )
