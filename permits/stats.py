"""Order statistics for service times, exact and without Django (pandas tables in, figures out).

Percentiles use linear interpolation between closest ranks, the method of Excel's
PERCENTILE.INC and numpy's default: for n sorted values x[0..n-1] and a fraction q, the
position is h = (n - 1) * q; the result is x[floor(h)] + (h - floor(h)) * (x[floor(h)+1]
- x[floor(h)]). The median is the 50th percentile (the mean of the two middle values
for an even count). Times are whole seconds, computed exactly in integers and rounded
half up to a second (no float rounding can move a half second), so a figure in the page
and in the spreadsheet is the same figure.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def _seconds(value: dt.timedelta) -> int:
    return value.days * 86400 + value.seconds  # whole seconds; the log stores no fractions


def share(part: dt.timedelta | int, whole: dt.timedelta | int) -> Fraction | None:
    """part / whole as an exact fraction; None when the whole is zero."""
    part_s = _seconds(part) if isinstance(part, dt.timedelta) else part
    whole_s = _seconds(whole) if isinstance(whole, dt.timedelta) else whole
    if not whole_s:
        return None
    return Fraction(part_s, whole_s)


def group_percentiles(frame: pd.DataFrame, by: list[str], seconds: str, q: Fraction) -> pd.Series:
    """Per group of `by`, the q-th quantile of the integer column `seconds` as whole seconds.

    Linear interpolation rounded half up, computed exactly: with q = c / d and the position
    h = (n - 1) * q = low + rest / d, x[low] + rest / d * (x[high] - x[low]) + 1/2 rounds
    down to (2d * x[low] + 2 * rest * (x[high] - x[low]) + d) // 2d. Groups without rows
    do not appear.
    """
    if not 0 <= q <= 1:
        raise ValueError("q must lie between 0 and 1")
    ordered = frame[[*by, seconds]].sort_values([*by, seconds], kind="stable")
    groups = ordered.groupby(by, sort=False)[seconds]
    size = groups.transform("size")
    position = (size - 1) * q.numerator
    ordered = ordered.assign(
        _rank=groups.cumcount(),
        _low=position // q.denominator,
        _rest=position % q.denominator,
        _high=(position // q.denominator + 1).clip(upper=size - 1),
    )
    low = ordered[ordered["_rank"] == ordered["_low"]].set_index(by)
    high = ordered[ordered["_rank"] == ordered["_high"]].set_index(by)[seconds]
    d = q.denominator
    value = (2 * d * low[seconds] + 2 * low["_rest"] * (high - low[seconds]) + d) // (2 * d)
    return value.astype("int64")
