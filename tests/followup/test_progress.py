"""Progress bands and the did-it-work change, pure; and the a., b., ... letters."""

from fractions import Fraction

import pytest

from followup.ordering import letter
from followup.plans.progress import Band, ElementChange, Progress, Verdict, band_for, element_change, pooled


@pytest.mark.parametrize(
    ("done", "total", "band"),
    [
        (0, 1, Band.BELOW_30),
        (29, 100, Band.BELOW_30),
        (299, 1000, Band.BELOW_30),
        (30, 100, Band.FROM_30_TO_80),
        (3, 10, Band.FROM_30_TO_80),
        (80, 100, Band.FROM_30_TO_80),
        (4, 5, Band.FROM_30_TO_80),
        (801, 1000, Band.ABOVE_80),
        (81, 100, Band.ABOVE_80),
        (99, 100, Band.ABOVE_80),
        (100, 100, Band.COMPLETE),
        (6, 6, Band.COMPLETE),
    ],
)
def test_band_boundaries_are_exact(done, total, band):
    assert Progress(done, total).band == band


def test_one_third_is_not_confused_by_float_rounding():
    # 1/3 = 33.3 %; 2/7 = 28.57 % stays below 30 %.
    assert Progress(1, 3).band == Band.FROM_30_TO_80
    assert Progress(2, 7).band == Band.BELOW_30
    assert band_for(Fraction(3, 10)) == Band.FROM_30_TO_80


def test_band_labels_are_the_regulations():
    assert [b.label for b in Band] == ["< 30 %", "30 - 80 %", "> 80 %", "100 %"]


def test_no_activities_has_no_band_and_invalid_counts_are_refused():
    assert Progress(0, 0).band is None and Progress(0, 0).percent is None
    with pytest.raises(ValueError):
        Progress(3, 2)


def test_year_progress_pools_activities_not_percentages():
    # One plan 1/1 done, one plan 0/9 done: pooled 1/10 = 10 %, not the mean 50 %.
    year = pooled([Progress(1, 1), Progress(0, 9)])
    assert (year.done, year.total) == (1, 10)
    assert year.band == Band.BELOW_30


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        ("81.52", "85.00", Verdict.IMPROVED),
        ("85.56", "81.32", Verdict.WORSENED),
        ("90.001", "90.004", Verdict.UNCHANGED),
    ],
)
def test_change_verdict_follows_the_displayed_indices(before, after, verdict):
    change = element_change(Fraction(before), Fraction(after))
    assert change.verdict == verdict


def test_change_delta_and_grades():
    change = ElementChange(Fraction("81.52"), Fraction("88.31"))
    assert str(change.delta) == "6.79"
    assert (change.grade_before, change.grade_after) == ("B", "A")
    assert element_change(Fraction(80), None) is None


@pytest.mark.parametrize(
    ("position", "text"), [(1, "a"), (2, "b"), (4, "d"), (26, "z"), (27, "aa"), (28, "ab"), (53, "ba")]
)
def test_letters(position, text):
    assert letter(position) == text


def test_letter_zero_is_refused():
    with pytest.raises(ValueError):
        letter(0)


def test_a_priority_without_activities_is_zero_percent_not_absent():
    empty = Progress(0, 0, empty=1)
    assert (empty.percent, empty.band) == (0, Band.BELOW_30)
    # Pooled: the empty priority is one unfinished item next to a finished plan's two.
    year = pooled([Progress(2, 2), empty])
    assert (year.done, year.total, year.empty, year.percent) == (2, 2, 1, Fraction(200, 3))
    assert year.band == Band.FROM_30_TO_80
    assert pooled([]).band is None  # no priorities at all: nothing to score
