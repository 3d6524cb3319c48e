"""The follow-up app's models, from its two halves (`followup.plans`, `followup.meetings`).

One Django app (label `followup`, the same tables); `from followup.models import Meeting`
keeps working for the other apps.
"""

from .meetings.fkp_models import DEFAULT_COMMITMENTS, BeritaAcara, Recommendation, Representative
from .meetings.models import (
    AttendanceScan,
    Attendee,
    Invitee,
    InviteeGroup,
    LetterCounter,
    LetterNumberRange,
    LetterNumberSource,
    Meeting,
    Minutes,
    Sex,
    new_checkin_token,
)
from .plans.models import Activity, Evidence, FollowUpPlan, RealisationStep, http_url

__all__ = [
    "DEFAULT_COMMITMENTS",
    "Activity",
    "AttendanceScan",
    "Attendee",
    "BeritaAcara",
    "Evidence",
    "FollowUpPlan",
    "Invitee",
    "InviteeGroup",
    "LetterCounter",
    "LetterNumberRange",
    "LetterNumberSource",
    "Meeting",
    "Minutes",
    "RealisationStep",
    "Recommendation",
    "Representative",
    "Sex",
    "http_url",
    "new_checkin_token",
]
