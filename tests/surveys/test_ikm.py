"""The IKM arithmetic against the regulation: brute force, boundaries, published means."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import ikm


def brute_force_ikm(responses: list[list[int]], weights: list[int]) -> Fraction:
    """DOMAIN.md read literally: NRR per element over every answer, weighted, x 25."""
    k = len(weights)
    weight_sum = sum(weights)
    nrr = [Fraction(sum(r[i] for r in responses), len(responses)) for i in range(k)]
    return sum((nrr[i] * Fraction(weights[i], weight_sum) for i in range(k)), Fraction(0)) * 25


def tallies_of(responses, weights):
    return [
        ikm.ElementTally(
            code=f"U{i + 1}",
            name=f"Unsur {i + 1}",
            weight=Fraction(w),
            total=sum(r[i] for r in responses),
            answers=len(responses),
        )
        for i, w in enumerate(weights)
    ]


response_sets = st.integers(min_value=1, max_value=12).flatmap(
    lambda k: st.tuples(
        st.lists(st.lists(st.integers(1, 4), min_size=k, max_size=k), min_size=1, max_size=60),
        st.lists(st.integers(1, 5), min_size=k, max_size=k),
    )
)


@given(response_sets)
def test_ikm_equals_brute_force(data):
    responses, weights = data
    result = ikm.compute(tallies_of(responses, weights), respondents=len(responses))
    assert result.ikm == brute_force_ikm(responses, weights)
    assert result.respondents == len(responses)
    for i, element in enumerate(result.elements):
        assert element.index == Fraction(sum(r[i] for r in responses) * 25, len(responses))


@given(response_sets)
def test_normalised_weights_sum_to_exactly_one(data):
    responses, weights = data
    result = ikm.compute(tallies_of(responses, weights), respondents=len(responses))
    assert sum(e.weight for e in result.elements) == 1


def test_equal_weights_are_exactly_one_eleventh():
    responses = [[4] * 10 + [1]]
    result = ikm.compute(tallies_of(responses, [1] * 11), respondents=1)
    assert result.elements[0].weight == Fraction(1, 11)
    # 0.111 per weight would give 0.111 * 41 * 25 = 113.775 / 11 ... rather than exactly 41/11 * 25.
    assert result.ikm == Fraction(41 * 25, 11)


@given(st.fractions(min_value=25, max_value=100), st.fractions(min_value=25, max_value=100))
def test_grade_is_monotone_in_the_index(a, b):
    order = "DCBA"
    low, high = sorted([a, b])
    assert order.index(ikm.grade_for(low).letter) <= order.index(ikm.grade_for(high).letter)


@pytest.mark.parametrize(
    ("index", "letter", "performance"),
    [
        ("25.00", "D", "Tidak Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("64.994", "D", "Tidak Baik"),
        ("64.995", "C", "Kurang Baik"),  # rounds onto 65.00
        ("65.00", "C", "Kurang Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("76.6049", "C", "Kurang Baik"),
        ("76.605", "B", "Baik"),  # rounds onto 76.61
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.304999", "B", "Baik"),
        ("88.305", "A", "Sangat Baik"),  # rounds onto 88.31, the example of DOMAIN.md
        ("88.31", "A", "Sangat Baik"),
        ("100", "A", "Sangat Baik"),
    ],
)
def test_grade_boundaries(index, letter, performance):
    grade = ikm.grade_for(Decimal(index))
    assert (grade.letter, grade.performance) == (letter, performance)


def test_boundary_reached_by_exact_fraction_not_float():
    # 5,000 respondents whose element totals pool to an IKM of exactly 88.305: grade A.
    totals = [15242, 18844, 15356, 17527, 19859, 19736, 18224, 16395, 16381, 19114, 17593]
    as_floats = sum((t / 5000) * (1 / 11) for t in totals) * 25
    assert round(as_floats, 2) == 88.3  # the float trap: 88.30499999999999 -> grade B
    tallies = [
        ikm.ElementTally(code=f"U{i}", name="", weight=Fraction(1), total=t, answers=5000) for i, t in enumerate(totals)
    ]
    result = ikm.compute(tallies, respondents=5000)
    assert result.ikm == Fraction(88305, 1000)
    assert result.grade.letter == "A"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(88305, 1000), 2, Decimal("88.31")),
        (Fraction(88304999, 1000000), 2, Decimal("88.30")),
        (Fraction(-4345, 1000), 2, Decimal("-4.35")),
        (Fraction(2, 3), 4, Decimal("0.6667")),
        (Fraction(1, 8), 2, Decimal("0.13")),
        (0, 2, Decimal("0.00")),
    ],
)
def test_round_half_up(value, places, expected):
    assert ikm.round_half_up(value, places) == expected


def test_published_ikm_is_weighted_mean_of_indices():
    # The seed's Tabel 2.1 (Semester I 2024): the office reports IKM 92,38.
    seed = ["94.79", "92.05", "85.87", "90.9", "89.14", "93.2", "95.67", "92.85", "96.82", "91.86", "93.02"]
    entries = [ikm.PublishedIndex(code=f"U{i}", name="", weight=1, index=Decimal(v)) for i, v in enumerate(seed, 1)]
    result = ikm.from_published(entries, respondents=283)
    assert result.published
    assert result.ikm == sum(Fraction(Decimal(v)) for v in seed) / 11
    assert ikm.round_half_up(result.ikm, 2) == Decimal("92.38")
    assert result.grade.letter == "A"


def test_published_with_unequal_weights():
    entries = [
        ikm.PublishedIndex(code="U1", name="", weight=3, index=Decimal("80")),
        ikm.PublishedIndex(code="U2", name="", weight=1, index=Decimal("100")),
    ]
    assert ikm.from_published(entries, respondents=10).ikm == Fraction(85)


def test_published_index_out_of_range_is_refused():
    with pytest.raises(ValueError, match="antara 25 dan 100"):
        ikm.from_published([ikm.PublishedIndex(code="U1", name="", weight=1, index=101)], respondents=1)


def test_unanswered_element_has_no_index_and_others_carry_the_ikm():
    tallies = [
        ikm.ElementTally(code="U1", name="", weight=Fraction(1), total=8, answers=2),
        ikm.ElementTally(code="U2", name="", weight=Fraction(1), total=0, answers=0),
    ]
    result = ikm.compute(tallies, respondents=2)
    assert result.elements[1].index is None
    assert result.ikm == 100


def test_no_answers_no_ikm():
    result = ikm.compute([ikm.ElementTally(code="U1", name="", weight=Fraction(1), total=0, answers=0)], 0)
    assert result.ikm is None
    assert result.grade is None


def test_impossible_totals_are_refused():
    with pytest.raises(ValueError):
        ikm.compute([ikm.ElementTally(code="U1", name="", weight=Fraction(1), total=9, answers=2)], 2)


def test_ranked_puts_weakest_first():
    tallies = [
        ikm.ElementTally(code="U1", name="", weight=Fraction(1), total=8, answers=2),
        ikm.ElementTally(code="U2", name="", weight=Fraction(1), total=5, answers=2),
        ikm.ElementTally(code="U3", name="", weight=Fraction(1), total=5, answers=2),
    ]
    assert [e.code for e in ikm.compute(tallies, 2).ranked()] == ["U2", "U3", "U1"]


@pytest.mark.parametrize(
    ("population", "minimum"),
    [
        (0, 0),
        (7, 7),
        (100, 80),
        (101, 86),  # conservative: the next row up (110)
        (200, 132),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (5000, 357),
        (10000, 370),
        (20000, 377),
        (100000, 384),
        (5_000_000, 384),
    ],
)
def test_krejcie_morgan_minimum(population, minimum):
    assert ikm.minimum_sample(population) == minimum


@settings(max_examples=200)
@given(st.integers(0, 200_000), st.integers(0, 200_000))
def test_minimum_sample_is_monotone(a, b):
    low, high = sorted([a, b])
    assert ikm.minimum_sample(low) <= ikm.minimum_sample(high)
