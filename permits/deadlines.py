"""Deadlines of permit files and complaints in the office's working days.

The office's own days off (`OfficeDayOff`) join the national calendar; when one is added
or removed, `refresh_deadlines` moves the stored deadlines it touches.
"""

from __future__ import annotations

import datetime as dt

from . import complaints, workflow
from .calendar import WorkCalendar
from .models import Complaint, OfficeDayOff, PermitApplication
from .workflow import Step


def office_calendar() -> WorkCalendar:
    """The working-day calendar with the office's own days off."""
    return WorkCalendar(days_off=OfficeDayOff.objects.values_list("date", flat=True))


def permit_deadline(permit: PermitApplication, *, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The moment the file will have used its standard of working days at the office.

    Counted from submission; the periods in revision (with the applicant) do not count.
    """
    if permit.submitted_at is None:
        return None
    calendar = calendar or office_calendar()
    pauses = [(entry.started_at, entry.at) for entry in permit.log.filter(step=Step.REVISI).only("started_at", "at")]
    return calendar.deadline(permit.submitted_at, permit.service_days, pauses=pauses)


def complaint_deadline(filed_at: dt.datetime, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """When the answer is due: `complaints.ANSWER_WORKING_DAYS` working days after filing."""
    return (calendar or office_calendar()).deadline(filed_at, complaints.ANSWER_WORKING_DAYS)


def refresh_deadlines(day: dt.date) -> int:
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
