"""Reads of permit files: lists per user, the work queue, the file's clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from skm_portal.permissions import has_permission, user_roles
from skm_portal.roles import Role

from . import complaints, workflow
from .calendar import DAY, ZERO, WorkCalendar
from .deadlines import office_calendar
from .models import Complaint, OfficeDayOff, PermitApplication, ProcessLogEntry
from .rules import OFFICE_ROLES, agency_ids_of, may_act_on_complaint, visible_permits
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
    """Monitoring Izin: the files `user` may see, optionally only overdue ones or one step.

    The list's search, filters and sort are `permits.forms.MonitoringFilterForm`."""
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


# --- complaints ---------------------------------------------------------------------


def complaint_overdue_q(now: dt.datetime) -> Q:
    """Complaints not answered by their deadline (still open past it, or answered late)."""
    still_open = Q(status__in=[s.value for s in complaints.OPEN], deadline_at__lt=now)
    return still_open | Q(answered_at__gt=F("deadline_at"))


def complaint_list(user, *, overdue: bool = False, status: str = "", now: dt.datetime | None = None) -> QuerySet:
    """The complaints an officer may see (none for anyone else), oldest deadline first."""
    if not has_permission(user, "permits.complaints"):
        return Complaint.objects.none()
    found = Complaint.objects.select_related("permit")
    if overdue:
        found = found.filter(complaint_overdue_q(now or timezone.now()))
    if status:
        found = found.filter(status=status)
    return found.order_by("deadline_at", "pk")


def complaints_awaiting_answer(user, *, limit: int = 5) -> tuple[int, list[Complaint]]:
    """For those who answer complaints (the head of office): how many open complaints wait
    for an answer, and the `limit` with the nearest deadline. (0, []) for anyone else."""
    if not may_act_on_complaint(user, complaints.Action.ACCEPT):
        return 0, []
    waiting = Complaint.objects.filter(status__in=[s.value for s in complaints.OPEN]).order_by("deadline_at", "pk")
    return waiting.count(), list(waiting[:limit])


def complaint_clock(
    complaint: Complaint, *, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> Clock:
    """Deadline, working days used and overdue flag of a complaint, like a file's SLA."""
    now = (now or timezone.now()).replace(microsecond=0)
    end = complaint.answered_at or now
    working = (calendar or office_calendar()).working_time(complaint.filed_at, end)
    total = max(end - complaint.filed_at, ZERO)
    return Clock(
        total=total,
        duration=total,
        offtime=ZERO,
        working_used=working,
        open_duration=ZERO if complaint.answered_at else total,
        service_days=complaints.ANSWER_WORKING_DAYS,
        deadline=complaint.deadline_at,
    )


def days_off_list(*, year: int | None = None) -> QuerySet:
    days = OfficeDayOff.objects.all()
    if year is not None:
        days = days.filter(date__year=year)
    return days.order_by("date")
