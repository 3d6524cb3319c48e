"""Working-day arithmetic for service-time standards (SLA in hari kerja). No database.

A working day is Monday to Friday that is neither an Indonesian national holiday nor
cuti bersama (the `holidays` package, country ID, categories public and government)
nor one of the office's own days off. Time counts in the office's zone (WITA).

Working time is continuous: every working day contributes its whole 24 hours, a
weekend or holiday contributes nothing. So a file submitted on Monday 10.00 with a
standard of 5 working days is due the next Monday 10.00 when no holiday intervenes, and
"working days used" is a fraction (2,5 hari kerja). Periods when the file is with the
applicant (offtime) are left out: the office's clock stops then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.timedelta(days=1)
ZERO = dt.timedelta(0)


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[dt.date, str]:
    found = holidays.country_holidays("ID", categories=("public", "government"), years=year, language="id")
    return dict(found.items())


class WorkCalendar:
    def __init__(self, *, days_off: Iterable[dt.date] = (), tz: dt.tzinfo = WITA):
        self.days_off = frozenset(days_off)
        self.tz = tz

    # --- days -----------------------------------------------------------------------
    def holiday_name(self, day: dt.date) -> str | None:
        """The national holiday or cuti bersama on `day`, if any."""
        return _national_holidays(day.year).get(day)

    def holidays_in(self, year: int) -> list[tuple[dt.date, str]]:
        """The national holidays and cuti bersama of `year`, in date order."""
        return sorted(_national_holidays(year).items())

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.days_off and self.holiday_name(day) is None

    # --- time -----------------------------------------------------------------------
    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz)

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("Waktu harus memuat zona waktu (aware datetime).")
        return moment.astimezone(self.tz)

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The part of [start, end) that falls on working days."""
        start, end = self._local(start), self._local(end)
        if end <= start:
            return ZERO
        total, day = ZERO, start.date()
        while day <= end.date():
            if self.is_working_day(day):
                lo = max(start, self._midnight(day))
                hi = min(end, self._midnight(day + DAY))
                if hi > lo:
                    total += hi - lo
            day += DAY
        return total

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest moment at which `amount` of working time has passed since `start`."""
        if amount < ZERO:
            raise ValueError("amount must not be negative")
        moment = self._local(start)
        left = amount
        while True:
            day = moment.date()
            if self.is_working_day(day):
                end_of_day = self._midnight(day + DAY)
                available = end_of_day - moment
                if left <= available:
                    return moment + left
                left -= available
                moment = end_of_day
            else:
                moment = self._midnight(day + DAY)

    def deadline(
        self,
        start: dt.datetime,
        days: int,
        *,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
    ) -> dt.datetime:
        """When `days` working days are spent, counting from `start` and skipping pauses.

        `pauses` are periods with the applicant (offtime); the clock stops during them.
        """
        left = dt.timedelta(days=days)
        moment = start
        for lo, hi in sorted(pauses):
            if hi <= moment:
                continue
            lo = max(lo, moment)
            chunk = self.working_time(moment, lo)
            if chunk >= left:
                return self.add_working_time(moment, left)
            left -= chunk
            moment = hi
        return self.add_working_time(moment, left)
