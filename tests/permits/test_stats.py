"""Percentiles and shares, against values computed by hand and by the standard library (no Django)."""

import datetime as dt
import math
import statistics
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from permits.stats import MEDIAN, P90, group_percentiles, share

H = dt.timedelta(hours=1)


def one_group(values, q):
    """group_percentiles over a single group: the figure in whole seconds, None if empty."""
    result = group_percentiles(pd.DataFrame({"g": [1] * len(values), "s": values}), ["g"], "s", q)
    return int(result[1]) if len(result) else None


def test_percentile_interpolates_between_closest_ranks():
    # n = 5, sorted 1 2 3 4 10: h = 4 * 0.9 = 3.6 -> 4 + 0.6 * (10 - 4) = 7.6 -> 8 s
    assert one_group([10, 3, 1, 4, 2], P90) == 8
    assert one_group([10, 3, 1, 4, 2], MEDIAN) == 3
    # Even count: the median is the mean of the middle two, 2.5 s rounds half up to 3 s.
    assert one_group([1, 2, 3, 4], MEDIAN) == 3
    # n = 4: h = 3 * 0.9 = 2.7 -> 3 + 0.7 * (4 - 3) = 3.7 -> 4 s
    assert one_group([4, 1, 3, 1], P90) == 4
    # 30 and 40 s: p90 = 30 + 0.9 * 10 = 39 s; 31 and 36 s: 31 + 0.9 * 5 = 35.5 -> 36 s.
    assert one_group([40, 30], P90) == 39
    assert one_group([36, 31], P90) == 36


def test_percentile_edges():
    assert one_group([], MEDIAN) is None
    assert one_group([7], P90) == 7
    assert one_group([1, 9], Fraction(0)) == 1
    assert one_group([1, 9], Fraction(1)) == 9
    with pytest.raises(ValueError):
        one_group([1], Fraction(3, 2))


def test_durations_round_half_up_to_seconds():
    hour = int(H.total_seconds())
    assert one_group([hour, 2 * hour], MEDIAN) == 90 * 60
    # 0 s and 1 s: the median 0.5 s rounds up to 1 s.
    assert one_group([0, 1], MEDIAN) == 1
    # Days count: 1 day and 3 days -> p90 = 1 + 0.9 * 2 = 2.8 days.
    assert one_group([3 * 86400, 86400], P90) == int(dt.timedelta(days=2.8).total_seconds())


def test_every_group_gets_its_own_figure():
    frame = pd.DataFrame(
        {"kind": [1, 1, 1, 2, 2, 1], "step": ["a", "a", "b", "a", "a", "a"], "s": [10, 20, 5, 7, 9, 60]}
    )
    medians = group_percentiles(frame, ["kind", "step"], "s", MEDIAN)
    # (1, a): 10 20 60 -> 20; (1, b): 5; (2, a): 7 9 -> 8.
    assert medians.to_dict() == {(1, "a"): 20, (1, "b"): 5, (2, "a"): 8}


def _rounded(value) -> int:
    return math.floor(Fraction(value) + Fraction(1, 2))


@settings(deadline=None)  # pandas' first call and a loaded machine are slow, not wrong
@given(st.dictionaries(st.integers(1, 5), st.lists(st.integers(0, 10**7), min_size=1, max_size=30), min_size=1))
def test_matches_the_standard_library(samples):
    frame = pd.DataFrame([(g, v) for g, values in samples.items() for v in values], columns=["g", "s"])
    medians = group_percentiles(frame, ["g"], "s", MEDIAN)
    p90s = group_percentiles(frame, ["g"], "s", P90)
    for group, values in samples.items():
        assert medians[group] == _rounded(statistics.median(values))
        # statistics.quantiles, method "inclusive", is the same interpolation; the 9th decile cut.
        expected_p90 = values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]
        assert p90s[group] == _rounded(expected_p90)


def test_share():
    assert share(22 * H, 60 * H) == Fraction(11, 30)
    assert share(dt.timedelta(0), dt.timedelta(0)) is None
    assert share(1, 4) == Fraction(1, 4)
