"""The office's own days off (Hari Libur Kantor), kept by the administrator."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.dates import date_id
from skm_portal.permissions import has_permission

from .calendar import WorkCalendar
from .deadlines import refresh_deadlines
from .models import OfficeDayOff


def _refused(message: str, **params) -> ValidationError:
    """A refusal shown on the form's date field."""
    return ValidationError({"date": ValidationError(message, params=params)})


def office_day_off_create(*, date: dt.date, description: str, actor) -> OfficeDayOff:
    """Add a day the office is closed; deadlines of open files and complaints follow.

    Refused (ValidationError on "date", nothing stored) for a day that is already not a working day
    (weekend, national holiday, cuti bersama) or already entered.
    """
    if not has_permission(actor, "permits.admin"):
        raise PermissionDenied(_("Hanya administrator yang dapat mengatur hari libur kantor."))
    calendar = WorkCalendar()
    if date.weekday() >= 5:
        raise _refused(_("%(date)s jatuh pada akhir pekan; hari itu sudah bukan hari kerja."), date=date_id(date))
    holiday = calendar.holiday_name(date)
    if holiday:
        raise _refused(
            _("%(date)s sudah hari libur nasional atau cuti bersama (%(name)s)."), date=date_id(date), name=holiday
        )
    if OfficeDayOff.objects.filter(date=date).exists():
        raise _refused(_("%(date)s sudah tercatat sebagai hari libur kantor."), date=date_id(date))
    with transaction.atomic():
        day_off = OfficeDayOff(date=date, description=(description or "").strip())
        day_off.full_clean()
        day_off.save()
        refresh_deadlines(date)
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
        refresh_deadlines(date)
