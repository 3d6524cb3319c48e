"""When the QR check-in of a meeting accepts signatures. Pure Python.

It opens two hours before the start (at midnight if no start time is set) and closes at
the end of the meeting day, local time (WITA), or earlier when an officer closes it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

OPENS_BEFORE = dt.timedelta(hours=2)


class CheckinState(StrEnum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def window(day: dt.date, start: dt.time | None, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, start or dt.time(0, 0), tzinfo=tz)
    if start is not None:
        begin -= OPENS_BEFORE
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    return begin, end


def state(
    now: dt.datetime, *, day: dt.date, start: dt.time | None, tz: dt.tzinfo, closed_by_officer: bool
) -> CheckinState:
    begin, end = window(day, start, tz)
    if closed_by_officer or now >= end:
        return CheckinState.CLOSED
    if now < begin:
        return CheckinState.NOT_YET
    return CheckinState.OPEN
