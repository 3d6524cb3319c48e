"""Two phones of one person check in at the same moment: one row (PostgreSQL)."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone

from followup.meetings import attendance_services
from followup.models import Attendee
from skm_portal.roles import Role

from .meeting_fixtures import make_fkp

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_simultaneous_check_ins_of_one_person_store_one_row(make_user):
    meeting = make_fkp(
        make_user(Role.PETUGAS_SKM, username="petugas_rapat"), date=timezone.localdate(), start_time=None
    )
    spellings = ["Ani Ratna Sari", "ANI RATNA SARI", "ani  ratna-sari", "Ani Ratna Sari."]
    barrier = threading.Barrier(len(spellings))
    outcomes = [None] * len(spellings)

    def run(index, name):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = attendance_services.attendee_checkin(
                meeting=meeting, name=name, institution="DPMPTSP", sex="P", age=50, typed_signature=name
            )
        except attendance_services.AlreadyCheckedIn as already:
            outcomes[index] = already
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, name)) for i, name in enumerate(spellings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stored = [o for o in outcomes if isinstance(o, Attendee)]
    told = [o for o in outcomes if isinstance(o, attendance_services.AlreadyCheckedIn)]
    assert len(stored) == 1 and len(told) == len(spellings) - 1, outcomes
    assert Attendee.objects.filter(meeting=meeting).count() == 1
    assert {o.attendee.pk for o in told} == {stored[0].pk}
