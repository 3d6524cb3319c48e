"""Percentiles and shares, against values computed by hand (no Django)."""

import datetime as dt
from fractions import Fraction

import pytest

from permits.stats import MEDIAN, P90, duration_percentile, percentile, share

H = dt.timedelta(hours=1)


def test_percentile_interpolates_between_closest_ranks():
    # n = 5, sorted 1 2 3 4 10: h = 4 * 0.9 = 3.6 -> 4 + 0.6 * (10 - 4) = 7.6
    assert percentile([10, 3, 1, 4, 2], P90) == Fraction(76, 10)
    assert percentile([10, 3, 1, 4, 2], MEDIAN) == 3
    # Even count: the median is the mean of the middle two.
    assert percentile([1, 2, 3, 4], MEDIAN) == Fraction(5, 2)
    # n = 4: h = 3 * 0.9 = 2.7 -> 3 + 0.7 * (4 - 3) = 3.7
    assert percentile([4, 1, 3, 1], P90) == Fraction(37, 10)


def test_percentile_edges():
    assert percentile([], MEDIAN) is None
    assert percentile([7], P90) == 7
    assert percentile([1, 9], Fraction(0)) == 1
    assert percentile([1, 9], Fraction(1)) == 9
    with pytest.raises(ValueError):
        percentile([1], Fraction(3, 2))


def test_duration_percentile_rounds_half_up_to_seconds():
    assert duration_percentile([H, 2 * H], MEDIAN) == dt.timedelta(minutes=90)
    # 0 s and 1 s: the median 0.5 s rounds up to 1 s.
    assert duration_percentile([dt.timedelta(0), dt.timedelta(seconds=1)], MEDIAN) == dt.timedelta(seconds=1)
    # Days count: 1 day and 3 days -> p90 = 1 + 0.9 * 2 = 2.8 days.
    assert duration_percentile([dt.timedelta(days=3), dt.timedelta(days=1)], P90) == dt.timedelta(days=2.8)
    assert duration_percentile([], P90) is None


def test_share():
    assert share(22 * H, 60 * H) == Fraction(11, 30)
    assert share(dt.timedelta(0), dt.timedelta(0)) is None
    assert share(1, 4) == Fraction(1, 4)
