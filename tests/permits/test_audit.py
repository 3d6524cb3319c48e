"""Permit transitions and office days off write the portal's audit log."""

import datetime as dt

import pytest
from django.urls import reverse

from permits.models import ProcessLogEntry
from permits.workflow import Step
from skm_portal.audit import audit_for
from skm_portal.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_each_transition_has_one_audit_line_pointing_at_its_process_log_row(water_permit, people, apply, advance):
    permit = apply(water_permit)
    permit = advance(permit, Step.PERTIMBANGAN_DINAS_TEKNIS)
    log_rows = list(ProcessLogEntry.objects.filter(application=permit).order_by("pk"))
    lines = sorted(audit_for(permit), key=lambda entry: entry.pk)
    assert [line.object_id for line in lines] == [str(row.pk) for row in log_rows]
    assert {line.object_type for line in lines} == {"permits.processlogentry"}
    assert [line.actor for line in lines] == [row.user for row in log_rows]
    assert all(permit.number in line.summary for line in lines)
    # The process log keeps the note and durations; the audit line does not copy them.
    assert all(line.changes == {} for line in lines)


def test_days_off_added_and_removed_are_audited(admin_client):
    admin_client.post(reverse("permits:days_off"), {"date": "2025-03-12", "description": "Rapat kerja"})
    added = AuditEntry.objects.get(action="day_off_added")
    assert "12-03-2025" in added.summary and "Rapat kerja" in added.summary and added.actor.username == "admin"
    admin_client.post(reverse("permits:day_off_delete", args=[added.object_id]))
    removed = AuditEntry.objects.get(action="day_off_removed")
    assert removed.object_id == added.object_id and removed.app == "permits"
    assert dt.date(2025, 3, 12).strftime("%d-%m-%Y") in removed.summary
