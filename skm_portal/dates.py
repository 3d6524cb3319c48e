"""Dates as Indonesian readers write them, for messages, mails and logs: "2 Desember 2026",
"Rabu, 2 Desember 2026", "2 Desember 2026 pukul 10.00 WITA". Pure Python (no locale
settings needed); aware datetimes are shown in the office's zone (WITA)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(WITA) if moment.tzinfo else moment


def date_id(day: dt.date) -> str:
    """ "2 Desember 2026"."""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_long_id(day: dt.date) -> str:
    """ "Rabu, 2 Desember 2026"."""
    if isinstance(day, dt.datetime):
        day = local(day).date()
    return f"{DAYS[day.weekday()]}, {date_id(day)}"


def datetime_id(moment: dt.datetime) -> str:
    """ "2 Desember 2026 pukul 10.00 WITA"."""
    moment = local(moment)
    return f"{date_id(moment.date())} pukul {moment:%H.%M} WITA"


def deadline_id(moment: dt.datetime) -> str:
    """A deadline as people read it. Working time runs to the end of a working day, so a
    deadline at 00.00 is the end of the day before: "Jumat, 4 Desember 2026", never
    "Sabtu, 5 Desember 2026 00.00". Otherwise day, date and time: "Senin, 7 Desember
    2026 pukul 10.00 WITA"."""
    moment = local(moment)
    if moment.time() == dt.time(0, 0):
        return date_long_id(moment.date() - dt.timedelta(days=1))
    return f"{date_long_id(moment.date())} pukul {moment:%H.%M} WITA"
