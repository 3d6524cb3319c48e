"""Reads of meetings and FKP: lists, one meeting with everything its documents need,
the public monitoring of FKP recommendations, and where a meeting is used as evidence."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q

from skm_portal.audit import audit_for
from skm_portal.models import AuditEntry

from ..plans.models import Activity, Evidence
from .fkp_models import Recommendation
from .models import InviteeGroup, Meeting


def meeting_list(kind: str | None = None):
    queryset = Meeting.objects.annotate(
        attendee_count=Count("attendees", filter=Q(attendees__struck=False), distinct=True)
    )
    return queryset.filter(kind=kind) if kind else queryset


def meeting_documents_queryset():
    """Meetings with the rows their documents print, in print order (for pages, PDFs and the report)."""
    return Meeting.objects.select_related("minutes", "berita_acara").prefetch_related(
        Prefetch(
            "invitee_groups", queryset=InviteeGroup.objects.order_by("position", "pk").prefetch_related("invitees")
        ),
        "attendees",
        "attendance_scans",
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("activity__plan__period", "followup_meeting"),
        ),
        "representatives",
    )


def meeting_with_documents(pk: int) -> Meeting:
    return meeting_documents_queryset().get(pk=pk)


def meeting_audit(meeting: Meeting, limit: int = 200) -> list[AuditEntry]:
    return audit_for(meeting, limit)


def numbered_letters(year: int) -> list[Meeting]:
    """The year's numbered invitation letters, by running number."""
    return list(
        Meeting.objects.filter(letter_year=year, letter_number__isnull=False).order_by(
            "letter_number", "classification_code"
        )
    )


def numbering_audit(limit: int = 50) -> list[AuditEntry]:
    """Changes to the numbering settings (first numbers, reserved ranges)."""
    actions = ["letter_first_number", "letter_range_created", "letter_range_removed"]
    return list(AuditEntry.objects.filter(action__in=actions).select_related("actor")[:limit])


def meeting_evidence(meeting: Meeting) -> list[Evidence]:
    """The RTL activities this meeting is evidence of."""
    record_type = ContentType.objects.get_for_model(Meeting)
    return list(
        Evidence.objects.filter(record_type=record_type, record_id=meeting.pk).select_related(
            "activity__plan__period", "step"
        )
    )


def activity_choices():
    return Activity.objects.select_related("plan__period").order_by(
        "-plan__period__start_date", "plan__rank", "position"
    )


def public_fkps():
    """FKPs whose berita acara has recommendations: what the public may monitor."""
    return (
        Meeting.objects.filter(kind=Meeting.Kind.FKP, berita_acara__isnull=False)
        .annotate(
            total=Count("recommendations", distinct=True),
            done=Count("recommendations", filter=Q(recommendations__status=Recommendation.Status.DONE), distinct=True),
        )
        .filter(total__gt=0)
        .order_by("-date", "-pk")
    )


def public_recommendations(meeting: Meeting) -> list[Recommendation]:
    return list(meeting.recommendations.select_related("activity", "followup_meeting").order_by("number", "pk"))


def report_appendix_documents(*, year: int) -> list[dict]:
    """The year's meeting and FKP documents for the annual report's Lampiran Bukti Dukung.

    Invitation, minutes, attendance list and (FKP) berita acara of every meeting held in
    `year`, in date order; a fixed number of queries however many meetings there are.
    Representatives' phone numbers stay out: the report may be published.
    """
    from . import documents

    items = []
    for meeting in meeting_documents_queryset().filter(date__year=year).order_by("date", "start_time", "pk"):
        for document in (documents.INVITATION, documents.MINUTES, documents.ATTENDANCE, documents.BERITA_ACARA):
            if not document.available(meeting):
                continue
            items.append(
                {
                    "title": document.heading(meeting),
                    "template": document.template,
                    "context": {"meeting": meeting, "blank_rows": 0, "show_phones": False},
                    "date": meeting.date,
                    "kind": document.key,
                    "section": meeting.kind,  # the report puts the meetings ("rapat") before the FKP
                }
            )
    return items
