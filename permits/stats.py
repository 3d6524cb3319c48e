"""Order statistics for service times, exact and without Django.

Percentiles use linear interpolation between closest ranks, the method of Excel's
PERCENTILE.INC and numpy's default: for n sorted values x[0..n-1] and a fraction q, the
position is h = (n - 1) * q; the result is x[floor(h)] + (h - floor(h)) * (x[floor(h)+1]
- x[floor(h)]). The median is the 50th percentile (the mean of the two middle values
for an even count). Times are whole seconds, computed with fractions and rounded half
up to a second, so a figure in the page and in the spreadsheet is the same figure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def percentile(values: Iterable[int | Fraction], q: Fraction) -> Fraction | None:
    """The q-th quantile (0 <= q <= 1) of `values` by linear interpolation; None if empty."""
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1")
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * Fraction(q)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _seconds(value: dt.timedelta) -> int:
    return value.days * 86400 + value.seconds  # whole seconds; the log stores no fractions


def duration_percentile(durations: Iterable[dt.timedelta], q: Fraction) -> dt.timedelta | None:
    """`percentile` over time spans, rounded half up to a whole second."""
    exact = percentile((_seconds(d) for d in durations), q)
    if exact is None:
        return None
    return dt.timedelta(seconds=math.floor(exact + Fraction(1, 2)))


def share(part: dt.timedelta | int, whole: dt.timedelta | int) -> Fraction | None:
    """part / whole as an exact fraction; None when the whole is zero."""
    part_s = _seconds(part) if isinstance(part, dt.timedelta) else part
    whole_s = _seconds(whole) if isinstance(whole, dt.timedelta) else whole
    if not whole_s:
        return None
    return Fraction(part_s, whole_s)
