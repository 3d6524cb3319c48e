"""Two officers act on the same file at once: exactly one succeeds (PostgreSQL)."""

import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

import permits.services as services
from permits.models import PermitApplication, ProcessLogEntry
from permits.services import TransitionRefused, permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    # A transactional test flushes the tables afterwards, the migration's groups too.
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def race(permit, attempts):
    """Run each (actor, action, note) in its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    outcomes = [None] * len(attempts)

    def run(index, actor, action, note):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = permit_transition(
                permit=permit.pk, action=action, actor=actor, note=note, expected_step=permit.step
            )
        except TransitionRefused as refused:
            outcomes[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *attempt)) for i, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def slow_step(monkeypatch):
    """Hold the lock a little while: without it both officers would read the same step."""
    original = services._close_step

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_close_step", slow)


@pytest.mark.parametrize(
    "second",
    [(Action.KASI_APPROVE, ""), (Action.KASI_RETURN, "Lengkapi NIB.")],
    ids=["both-approve", "approve-vs-return"],
)
def test_two_kasi_at_once_exactly_one_succeeds(water_permit, people, apply, advance, make_user, slow_step, second):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KASI)
    other_kasi = make_user(Role.KASI, username="kasi_kedua")
    outcomes = race(
        permit,
        [(people[Role.KASI], Action.KASI_APPROVE, ""), (other_kasi, *second)],
    )
    successes = [o for o in outcomes if isinstance(o, PermitApplication)]
    refusals = [o for o in outcomes if isinstance(o, TransitionRefused)]
    assert len(successes) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].code == TransitionRefused.STALE
    assert "sudah diproses oleh pengguna lain" in refusals[0].message
    permit.refresh_from_db()
    assert permit.step == successes[0].step
    closing = ProcessLogEntry.objects.filter(application=permit, step=Step.VALIDASI_KASI)
    assert closing.count() == 1
