"""Follow-up reads the margins of error: the "did it work" verdict and the priority proposal."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

from followup.plans import priorities, selectors
from followup.plans import services as followup_services
from skm_portal.roles import Role
from surveys import precision
from surveys.ikm import PublishedIndex, from_published
from surveys.models import Period, Questionnaire, Response


def element_margin(period: Period, code: str) -> float:
    """Independent: 1.96 x stdev / sqrt(n) x fpc over the stored rows of the period."""
    element = Questionnaire.active().elements.get(code=code)
    rows = Response.objects.filter(survey_date__range=(period.start_date, period.end_date))
    values = [25.0 * r.score(element) for r in rows if r.score(element) is not None]
    n, population = len(values), period.service_users
    return 1.96 * statistics.stdev(values) / math.sqrt(n) * math.sqrt((population - n) / (population - 1))


def expected_verdict(before: Period, after: Period, code: str) -> str:
    element = Questionnaire.active().elements.get(code=code)

    def index(period):
        rows = Response.objects.filter(survey_date__range=(period.start_date, period.end_date))
        values = [r.score(element) for r in rows if r.score(element) is not None]
        return 25.0 * sum(values) / len(values)

    delta = index(after) - index(before)
    if abs(delta) > math.hypot(element_margin(before, code), element_margin(after, code)):
        return "naik nyata" if delta > 0 else "turun nyata"
    return "tidak berbeda nyata"


def test_plan_effect_says_whether_the_change_exceeds_chance(survey_demo, make_user):
    before = Period.objects.get(name="Semester I 2025")
    after = Period.objects.get(name="Triwulan III 2025")
    plans = followup_services.priorities_confirm(
        period=before, codes=["U3", "U5", "U1"], user=make_user(Role.PETUGAS_SKM)
    )
    effects = selectors.plan_effects(plans)
    for plan in plans:
        effect = effects[plan.pk]
        assert effect.next_period == after
        assert effect.verdict == expected_verdict(before, after, plan.element_code)


def test_plan_effect_against_published_aggregates_has_no_verdict(survey_demo, make_user):
    period = Period.objects.get(name="Semester I 2024")  # published; next is Triwulan III 2024, published
    plans = followup_services.priorities_confirm(period=period, codes=["U3"], user=make_user(Role.PETUGAS_SKM))
    effect = selectors.plan_effects(plans)[plans[0].pk]
    assert effect.change is not None and effect.verdict is None


def _result(indices: dict[str, int]):
    return from_published([PublishedIndex(code=c, name=c, weight=1, index=v) for c, v in indices.items()], 100)


def test_a_fall_beyond_chance_ranks_before_a_larger_fall_chance_explains():
    previous = _result({"U1": 95, "U2": 95, "U3": 95})
    current = _result({"U1": 90, "U2": 93, "U3": 94})  # U1 fell 5, U2 fell 2, U3 fell 1
    verdicts = {"U1": precision.NOT_SIGNIFICANT, "U2": precision.SIGNIFICANT_FALL, "U3": precision.NOT_SIGNIFICANT}
    plain = priorities.propose(current, previous, rule=priorities.RULE_LARGEST_FALL, count=3)
    assert plain.proposed == ("U1", "U2", "U3")
    informed = priorities.propose(current, previous, rule=priorities.RULE_LARGEST_FALL, count=3, verdicts=verdicts)
    assert informed.proposed == ("U2", "U1", "U3")
    assert {c.code: c.change_verdict for c in informed.candidates} == verdicts
    assert informed.candidates[0].change == Fraction(-5)


def test_proposal_reasons_name_the_verdict(survey_demo):
    period = Period.objects.get(name="Triwulan III 2025")
    before = Period.objects.get(name="Semester I 2025")
    result = selectors.period_priorities(period)
    fallen = [row for row in result.rows if row.candidate.fell]
    assert fallen
    for row in fallen:
        verdict = expected_verdict(before, period, row.candidate.code)
        assert row.candidate.change_verdict == verdict
        assert any(f"({verdict})" in reason for reason in row.reasons)
