"""The database path: sums and counts per element from stored responses equal brute force."""

import datetime as dt
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from surveys.models import Period, PublishedElementResult, Questionnaire, Response, Service
from surveys.selectors import period_results, previous_period, response_results
from surveys.tallies import tallies_rebuild

START = dt.date(2025, 1, 1)

answer_rows = st.lists(
    st.tuples(
        st.integers(0, 60),  # day offset
        st.booleans(),  # which service
        st.lists(st.integers(1, 4), min_size=11, max_size=11),
    ),
    min_size=0,
    max_size=40,
)


class ResponseResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.questionnaire = Questionnaire.active()
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

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer_rows, st.integers(0, 60), st.integers(0, 60), st.sampled_from([None, "a", "b"]))
    def test_results_equal_brute_force(self, rows, day1, day2, service_code):
        self.store(rows)
        low, high = sorted([day1, day2])
        date_from, date_to = START + dt.timedelta(days=low), START + dt.timedelta(days=high)
        service = Service.objects.get(code=service_code) if service_code else None

        chosen = [
            scores
            for offset, use_b, scores in rows
            if low <= offset <= high and (service_code is None or ("b" if use_b else "a") == service_code)
        ]
        result = response_results(date_from=date_from, date_to=date_to, service=service)

        assert result.respondents == len(chosen)
        if not chosen:
            assert result.ikm is None
            return
        for i, element in enumerate(result.elements):
            assert element.code == f"U{i + 1}"
            assert element.answers == len(chosen)
            assert element.total == sum(s[i] for s in chosen)
            assert element.nrr == Fraction(sum(s[i] for s in chosen), len(chosen))
        expected = sum(Fraction(sum(s[i] for s in chosen), len(chosen)) for i in range(11)) / 11 * 25
        assert result.ikm == expected

    def test_longer_period_pools_instead_of_averaging(self):
        # Month 1: one respondent scoring 1 everywhere; month 2: three scoring 4.
        self.store([(0, False, [1] * 11), (40, False, [4] * 11), (41, False, [4] * 11), (42, False, [4] * 11)])
        pooled = response_results(date_from=START, date_to=START + dt.timedelta(days=60))
        assert pooled.ikm == Fraction(13, 4) * 25  # (1 + 4 + 4 + 4) / 4, not (1 + 4) / 2

    def test_period_results_use_published_aggregates_when_entered(self):
        period = Period.objects.create(
            name="Lama", kind=Period.Kind.CUSTOM, start_date=START, end_date=START, source=Period.Source.PUBLISHED,
            published_respondents=10,
        )  # fmt: skip
        for element, index in zip(self.elements, range(80, 91), strict=True):
            PublishedElementResult.objects.create(
                period=period, code=element.code, name=element.name, index=index, order=element.order
            )
        result = period_results(period)
        assert result.published
        assert result.respondents == 10
        assert result.ikm == Fraction(sum(range(80, 91)), 11)

    def test_previous_period_is_the_one_that_started_before(self):
        first = Period.objects.create(
            name="S1", kind="semester", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30)
        )
        second = Period.objects.create(
            name="T3", kind="triwulan", start_date=dt.date(2024, 7, 1), end_date=dt.date(2024, 9, 30)
        )
        assert previous_period(second) == first
        assert previous_period(first) is None
