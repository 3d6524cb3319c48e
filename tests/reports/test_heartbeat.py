"""A running report build beats its heartbeat while a long step runs (a live server's
thread writes it: a transactional test, apart from the demo-loaded dead-worker tests)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from reports import services
from tests.reports.helpers import killed_at_30_percent


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_beating_during_a_long_step(settings):
    settings.REPORT_BUILD_HEARTBEAT_SECONDS = 0.05
    report = services.report_create(year=2024)
    build = killed_at_30_percent(report, minutes_ago=60)
    with services._Heartbeat(build.pk):
        time.sleep(0.5)
    build.refresh_from_db()
    assert timezone.now() - build.heartbeat_at < dt.timedelta(seconds=5)
