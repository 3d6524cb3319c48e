"""When the QR check-in of a meeting accepts signatures, and who counts as the same
person. Pure Python.

It opens `opens_before` (two hours by default, FOLLOWUP_CHECKIN_OPENS_BEFORE_MINUTES)
before the start (at midnight if no start time is set) and closes at the end of the
meeting day, local time (WITA), or earlier when an officer closes it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum

OPENS_BEFORE = dt.timedelta(hours=2)


class CheckinState(StrEnum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"

    # Templates ask these instead of comparing with raw strings.
    @property
    def is_not_yet(self) -> bool:
        return self is CheckinState.NOT_YET

    @property
    def is_open(self) -> bool:
        return self is CheckinState.OPEN

    @property
    def is_closed(self) -> bool:
        return self is CheckinState.CLOSED


def window(
    day: dt.date, start: dt.time | None, tz: dt.tzinfo, opens_before: dt.timedelta = OPENS_BEFORE
) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, start or dt.time(0, 0), tzinfo=tz)
    if start is not None:
        begin -= opens_before
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    return begin, end


def state(
    now: dt.datetime,
    *,
    day: dt.date,
    start: dt.time | None,
    tz: dt.tzinfo,
    closed_by_officer: bool,
    opens_before: dt.timedelta = OPENS_BEFORE,
) -> CheckinState:
    begin, end = window(day, start, tz, opens_before)
    if closed_by_officer or now >= end:
        return CheckinState.CLOSED
    if now < begin:
        return CheckinState.NOT_YET
    return CheckinState.OPEN


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed: "Drs.  Budi,S.T." -> "drs budi s t"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).split())


def person_key(name: str, institution: str) -> str:
    """One key per person per meeting: name and institution, normalised.

    Titles stay part of the name (an officer strikes a row that slipped through); what
    differs only in case, spacing or punctuation is the same person."""
    return f"{normalise(name)}|{normalise(institution)}"[:420]
