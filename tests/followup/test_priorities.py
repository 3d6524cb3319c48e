"""The priority proposal rule, pure: no database."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.plans import priorities
from surveys.ikm import PublishedIndex, from_published

from .helpers import NAMES, SEMESTER_I, TRIWULAN_III


def result(indices, names=NAMES):
    return from_published(
        [
            PublishedIndex(f"U{i}", name, 1, Decimal(v))
            for i, (name, v) in enumerate(zip(names, indices, strict=True), start=1)
        ],
        100,
    )


def seed():
    return result(TRIWULAN_III), result(SEMESTER_I)


def test_below_a_lists_every_element_under_88_31_weakest_first():
    current, previous = seed()
    proposal = priorities.propose(current, previous, rule=priorities.RULE_BELOW_A, count=11)
    expected = sorted((Decimal(v), f"U{i}") for i, v in enumerate(TRIWULAN_III, 1) if Decimal(v) < Decimal("88.31"))
    assert list(proposal.proposed) == [code for _, code in expected]
    # The seed: Prosedur, Waktu Pelayanan and Produk Layanan were graded B in Triwulan III.
    assert set(proposal.proposed) == {"U2", "U3", "U5"}


def test_lowest_takes_the_count_weakest():
    current, previous = seed()
    proposal = priorities.propose(current, previous, rule=priorities.RULE_LOWEST, count=2)
    ranked = sorted(range(11), key=lambda i: Decimal(TRIWULAN_III[i]))
    assert list(proposal.proposed) == [f"U{ranked[0] + 1}", f"U{ranked[1] + 1}"]


def test_largest_fall_orders_by_fall_and_ignores_rises():
    current, previous = seed()
    proposal = priorities.propose(current, previous, rule=priorities.RULE_LARGEST_FALL, count=11)
    falls = {
        f"U{i}": Decimal(now) - Decimal(before)
        for i, (now, before) in enumerate(zip(TRIWULAN_III, SEMESTER_I, strict=True), 1)
    }
    expected = sorted((code for code, d in falls.items() if d < 0), key=lambda code: falls[code])
    assert list(proposal.proposed) == expected
    assert "U4" not in proposal.proposed  # Biaya/Tarif rose from 90,9 to 97,52
    assert proposal.proposed[0] == "U2"  # Prosedur fell 8,20 points, the most


def test_largest_fall_without_previous_period_proposes_nothing():
    current, _ = seed()
    assert priorities.propose(current, None, rule=priorities.RULE_LARGEST_FALL, count=3).proposed == ()


def test_combined_puts_below_a_first_then_falls_then_rank():
    current, previous = seed()
    proposal = priorities.propose(current, previous, rule=priorities.RULE_COMBINED, count=5)
    below = [c for c in proposal.candidates if c.grade != "A"]
    assert list(proposal.proposed[:3]) == [c.code for c in below]
    # Then the grade-A elements that fell most: Sarana (-2,17), then Perilaku (-1,88).
    assert list(proposal.proposed[3:]) == ["U8", "U7"]


def test_count_limits_and_seed_choice_is_a_subset_of_the_default_proposal():
    current, previous = seed()
    proposal = priorities.propose(current, previous)
    assert proposal.count == priorities.DEFAULT_COUNT
    assert len(proposal.proposed) == priorities.DEFAULT_COUNT
    # The office chose Waktu Pelayanan and Produk Pelayanan; both are proposed.
    assert {"U3", "U5"} <= set(proposal.proposed)


def test_candidates_carry_rank_change_and_grade_exactly():
    current, previous = seed()
    by_code = {c.code: c for c in priorities.candidates(current, previous)}
    assert by_code["U3"].rank == 1
    assert by_code["U3"].change == Fraction("81.52") - Fraction("85.87")
    assert by_code["U3"].grade == "B" and by_code["U3"].below_a
    assert by_code["U4"].change > 0 and not by_code["U4"].fell


def test_bad_rule_or_count_is_refused():
    current, previous = seed()
    with pytest.raises(ValueError):
        priorities.propose(current, previous, rule="acak")
    with pytest.raises(ValueError):
        priorities.propose(current, previous, count=0)


indices = st.lists(st.decimals(min_value=25, max_value=100, places=2), min_size=1, max_size=11)


@given(now=indices, count=st.integers(min_value=1, max_value=12))
def test_combined_never_ranks_an_a_element_before_one_below_a(now, count):
    names = [f"Unsur {i}" for i in range(len(now))]
    current = result([str(v) for v in now], names)
    proposal = priorities.propose(current, None, count=count)
    grades = {c.code: c.grade for c in proposal.candidates}
    assert len(proposal.proposed) == min(count, len(now))
    seen_a = False
    for code in proposal.proposed:
        if grades[code] == "A":
            seen_a = True
        else:
            assert not seen_a
    # Without a previous period, combined equals rank order (below A are the lowest anyway).
    assert list(proposal.proposed) == [c.code for c in proposal.candidates][: len(proposal.proposed)]
