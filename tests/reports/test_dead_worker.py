"""A report build whose worker died is given up, explained, and can be run again."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportBuild
from skm_portal.roles import Role
from tests.reports.helpers import killed_at_30_percent

pytestmark = pytest.mark.django_db


def test_page_explains_a_dead_worker_stops_polling_and_a_retry_completes(client_as, report_2024, settings):
    settings.REPORT_BUILD_STALE_SECONDS = 120
    dead = killed_at_30_percent(report_2024, minutes_ago=5)
    client = client_as(Role.PETUGAS_SKM)
    page = client.get(reverse("reports:detail", kwargs={"report": report_2024.pk})).content.decode()
    assert "Pembuatan draf terhenti" in page and "berhenti di 30 %" in page
    assert "Jalankan ulang" in page
    assert 'hx-trigger="every 2s"' not in page and 'http-equiv="refresh"' not in page
    dead.refresh_from_db()
    assert dead.status == ReportBuild.Status.FAILED and dead.worker_died and dead.finished_at is not None

    response = client.post(reverse("reports:build_start", kwargs={"report": report_2024.pk}), follow=True)
    retry = ReportBuild.objects.exclude(pk=dead.pk).get()
    assert retry.status == ReportBuild.Status.DONE and retry.progress == 100  # immediate backend in tests
    assert "Draf selesai" in response.content.decode() and "Pembuatan draf terhenti" not in response.content.decode()


def test_the_polled_fragment_also_notices_and_readers_without_edit_right_get_no_button(client_as, report_2024):
    dead = killed_at_30_percent(report_2024, minutes_ago=10)
    fragment = client_as(Role.KABID).get(
        reverse("reports:build_status", kwargs={"report": report_2024.pk, "build": dead.pk}), HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert "Pembuatan draf terhenti" in html and "hx-trigger" not in html
    assert "Jalankan ulang" not in html and "Minta petugas SKM" in html


def test_a_live_build_keeps_running_and_polling(client_as, report_2024, settings):
    settings.REPORT_BUILD_STALE_SECONDS = 120
    alive = killed_at_30_percent(report_2024, minutes_ago=1)
    page = client_as(Role.KABID).get(reverse("reports:detail", kwargs={"report": report_2024.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in page and "(30 %)" in page
    alive.refresh_from_db()
    assert alive.status == ReportBuild.Status.RUNNING and not alive.worker_died


def test_a_worker_starting_gives_up_dead_builds_and_leaves_live_ones(report_2024, settings):
    from reports.models import Report
    from surveys.models import Period

    settings.REPORT_BUILD_STALE_SECONDS = 120
    dead = killed_at_30_percent(report_2024, minutes_ago=30)
    alive = killed_at_30_percent(report_2024, minutes_ago=0)
    # The build the worker starts: any report's (dead builds are given up whichever report they
    # belong to); a period's results report is a few pages, the year's follow-up report dozens.
    period = Period.objects.filter(start_date__year=2024).order_by("start_date").first()
    queued = services.build_create(report=services.report_create(kind=Report.Kind.RESULTS, period=period))
    services.build_run(build_id=queued.pk)
    states = {b.pk: (b.status, b.worker_died) for b in ReportBuild.objects.all()}
    assert states[dead.pk] == (ReportBuild.Status.FAILED, True)
    assert states[alive.pk] == (ReportBuild.Status.RUNNING, False)
    assert states[queued.pk] == (ReportBuild.Status.DONE, False)
    # The same task delivered again for the live build does not build it a second time.
    assert services.build_run(build_id=alive.pk).status == ReportBuild.Status.RUNNING
    assert ReportBuild.objects.get(pk=alive.pk).progress == 30
