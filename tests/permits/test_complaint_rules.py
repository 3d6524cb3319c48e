"""The complaint table (plain Python): who may do what, in which order."""

from permits.complaints import ANSWER_WORKING_DAYS, TRANSITIONS, Action, Status, allowed, available
from skm_portal.roles import Role

R = Role


def test_answer_takes_five_working_days_by_the_seed():
    assert ANSWER_WORKING_DAYS == 5


def test_only_the_head_of_office_answers_and_only_after_a_consultation():
    for action in (Action.ACCEPT, Action.REJECT):
        assert allowed(Status.FILED, action, set(Role)) is None  # no meeting yet
        for role in Role:
            row = allowed(Status.CONSULTING, action, {role})
            assert (row is not None) == (role == R.KEPALA_DINAS), (action, role)
    assert allowed(Status.CONSULTING, Action.ACCEPT, {R.KEPALA_DINAS}).target == Status.ACCEPTED
    assert allowed(Status.CONSULTING, Action.REJECT, {R.KEPALA_DINAS}).target == Status.REJECTED


def test_meetings_are_recorded_by_kabid_or_kadis_until_the_answer():
    for status in (Status.FILED, Status.CONSULTING):
        assert {r for r in Role if allowed(status, Action.CONSULT, {r})} == {R.KABID, R.KEPALA_DINAS}
    for status in (Status.ACCEPTED, Status.REJECTED):
        assert available(status, set(Role)) == []  # an answer is final
    assert all(row.source not in {Status.ACCEPTED, Status.REJECTED} for row in TRANSITIONS)
