"""Margins of error: equal to an independent computation (statistics.stdev on floats).

The independent route works on each respondent's own index (25 x the weighted mean of
their answers, normalised float weights), never on the integer-weight moments the code
uses, so a mistake in either route shows.
"""

import datetime as dt
import math
import statistics
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from surveys import precision
from surveys.ikm import ElementTally, Moments, round_half_up
from surveys.models import Period, Questionnaire, Response, Service
from surveys.selectors import period_precision, period_results, response_precision
from surveys.tallies import tallies_rebuild

START = dt.date(2025, 1, 1)


def expected_margin(values: list[float], population: int | None) -> float | None:
    n = len(values)
    if n < 2:
        return None
    fpc = math.sqrt((population - n) / (population - 1)) if population and population >= n else 1.0
    return 1.96 * statistics.stdev(values) / math.sqrt(n) * fpc


# --- pure functions ------------------------------------------------------------------


@given(st.lists(st.integers(1, 4), min_size=0, max_size=60), st.one_of(st.none(), st.integers(1, 5000)))
def test_element_margin_equals_stdev(scores, population):
    tally = ElementTally(
        code="U1", name="x", weight=Fraction(1), total=sum(scores), answers=len(scores),
        squares=sum(s * s for s in scores),
    )  # fmt: skip
    squared = precision.element_margin_squared(tally, population)
    expected = expected_margin([25.0 * s for s in scores], population)
    if expected is None:
        assert squared is None
    else:
        assert float(precision.sqrt(squared)) == pytest.approx(expected, abs=1e-9)


def test_known_values_by_hand():
    # Scores 3, 4, 4, 3 -> mean 3.5, s^2 = (1/4*4)/3 = 1/3; margin = 49 x sqrt(1/3) / 2 = 14,1451.
    tally = ElementTally(code="U1", name="x", weight=Fraction(1), total=14, answers=4, squares=50)
    assert round_half_up(precision.sqrt(precision.element_margin_squared(tally)), 2) == Decimal("14.15")
    # All answers alike: no spread, margin 0. A census (N == n): margin 0 too.
    same = ElementTally(code="U2", name="y", weight=Fraction(1), total=12, answers=4, squares=36)
    assert precision.element_margin_squared(same) == 0
    assert precision.element_margin_squared(tally, population=4) == 0
    # N smaller than n contradicts the data: no correction.
    assert precision.element_margin_squared(tally, population=3) == precision.element_margin_squared(tally)


def test_integer_weights():
    assert precision.integer_weights([1, 1, 1]) == [1, 1, 1]
    assert precision.integer_weights([Decimal("0.5"), Decimal("0.25"), Decimal("0.25")]) == [2, 1, 1]
    assert precision.integer_weights([Fraction(2, 3), Fraction(4, 9)]) == [3, 2]
    with pytest.raises(ValueError):
        precision.integer_weights([0, 0])


def test_verdicts():
    m = Fraction(1)  # margins 1 and 1: the threshold is sqrt(2) = 1.414...
    assert precision.verdict(Fraction(9215, 100), m, Fraction(9070, 100), m) == precision.SIGNIFICANT_RISE
    assert precision.verdict(Fraction(9070, 100), m, Fraction(9215, 100), m) == precision.SIGNIFICANT_FALL
    assert precision.verdict(Fraction(9238, 100), m, Fraction(9170, 100), m) == precision.NOT_SIGNIFICANT
    assert precision.verdict(92, None, 91, m) is None  # published aggregate: no verdict
    # Exactly at the threshold is not beyond chance: (a-b)^2 == ma^2 + mb^2.
    assert precision.verdict(5, Fraction(9), 0, Fraction(16)) == precision.NOT_SIGNIFICANT


def test_ikm_margin_with_moments_by_hand():
    # Two elements with weights 2:1, three respondents: T = 2*4+3=11, 2*3+3=9, 2*2+4=8.
    moments = Moments(n=3, total=28, squares=121 + 81 + 64)
    squared = precision.ikm_margin_squared(moments, [2, 1])
    per_respondent = [25 * 11 / 3, 25 * 9 / 3, 25 * 8 / 3]
    assert float(precision.sqrt(squared)) == pytest.approx(expected_margin(per_respondent, None), abs=1e-9)
    assert precision.ikm_margin_squared(Moments(n=1, total=11, squares=121), [2, 1]) is None


# --- the database path ---------------------------------------------------------------

answer_rows = st.lists(
    st.tuples(
        st.integers(0, 30),  # day offset
        st.booleans(),  # which service
        st.lists(st.one_of(st.integers(1, 4), st.integers(1, 4), st.none()), min_size=11, max_size=11),
    ),
    min_size=0,
    max_size=40,
)


class PrecisionSelectorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.questionnaire = Questionnaire.active()
        cls.elements = list(cls.questionnaire.elements.all())
        # Unequal weights: U1 counts double, U2 one and a half.
        for element, weight in zip(cls.elements[:2], [Decimal("2"), Decimal("1.5")], strict=True):
            element.weight = weight
            element.save(update_fields=["weight"])
        cls.elements = list(cls.questionnaire.elements.all())
        cls.a = Service.objects.create(code="a", name="Layanan A")
        cls.b = Service.objects.create(code="b", name="Layanan B")

    def store(self, rows):
        Response.objects.all().delete()
        objs = []
        for offset, use_b, scores in rows:
            response = Response(
                questionnaire=self.questionnaire,
                service=self.b if use_b else self.a,
                survey_date=START + dt.timedelta(days=offset),
                sex="L",
            )
            for element, score in zip(self.elements, scores, strict=True):
                setattr(response, element.field, score)
            objs.append(response)
        Response.objects.bulk_create(objs)
        tallies_rebuild()  # rows made directly, not through a service: count them

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer_rows, st.sampled_from([None, "a"]), st.one_of(st.none(), st.integers(1, 200)))
    def test_margins_equal_independent_computation(self, rows, service_code, population):
        self.store(rows)
        service = Service.objects.get(code=service_code) if service_code else None
        chosen = [s for _o, use_b, s in rows if service_code is None or ("b" if use_b else "a") == service_code]
        result = response_precision(
            date_from=START, date_to=START + dt.timedelta(days=30), service=service, population=population
        )
        for i, element in enumerate(self.elements):
            answers = [25.0 * s[i] for s in chosen if s[i] is not None]
            expected = expected_margin(answers, population)
            got = result.element(element.code)
            if expected is None:
                assert got is None
            else:
                assert float(got) == pytest.approx(expected, abs=1e-9)
        # The IKM leaves out elements nobody answered; each respondent counts with the weighted
        # total of the elements they answered (a skipped element adds nothing: the margin widens).
        answered = [i for i in range(len(self.elements)) if any(s[i] is not None for s in chosen)]
        weights = {i: float(self.elements[i].weight) for i in answered}
        per_respondent = [
            25.0 * sum(w * s[i] for i, w in weights.items() if s[i] is not None) / sum(weights.values())
            for s in chosen
            if weights
        ]
        expected_ikm = expected_margin(per_respondent, population)
        if expected_ikm is None:
            assert result.ikm is None
        else:
            assert float(result.ikm) == pytest.approx(expected_ikm, abs=1e-9)


@pytest.mark.django_db
def test_period_precision_uses_service_users_and_none_for_published():
    questionnaire = Questionnaire.active()
    elements = list(questionnaire.elements.all())
    service = Service.objects.create(code="a", name="Layanan A")
    scores = [[4] * 11, [3] * 11, [4] * 10 + [2], [2] * 11]
    for row in scores:
        response = Response(questionnaire=questionnaire, service=service, survey_date=START, sex="P")
        for element, score in zip(elements, row, strict=True):
            setattr(response, element.field, score)
        response.save()
    tallies_rebuild()  # rows made directly, not through a service: count them
    period = Period.objects.create(
        name="T", kind=Period.Kind.TRIWULAN, start_date=START, end_date=START, service_users=10
    )
    got = period_precision(period)
    per_respondent = [25.0 * sum(r) / 11 for r in scores]
    assert float(got.ikm) == pytest.approx(expected_margin(per_respondent, 10), abs=1e-9)
    assert float(got.element("U11")) == pytest.approx(expected_margin([100.0, 75, 50, 50], 10), abs=1e-9)
    # Per service: no population known for the service, so no correction.
    per_service = period_precision(period, service)
    assert float(per_service.ikm) == pytest.approx(expected_margin(per_respondent, None), abs=1e-9)
    assert period_results(period).ikm is not None
    period.source = Period.Source.PUBLISHED
    period.save()
    assert period_precision(period) is None
