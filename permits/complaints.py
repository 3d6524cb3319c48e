"""Complaints about permits (pengaduan perizinan) as data: statuses, actions, who may do what.

Plain Python, no database. From the seed's "ALUR LAYANAN PENGADUAN PERIZINAN": the head
of office (Kepala DPMPTSP) answers a complaint, accepted ("diterima") or rejected
("ditolak"), after a meeting with the agencies concerned (perangkat daerah terkait), at
the latest 5 working days after it was filed.

The table makes the order explicit: a complaint can be answered only once at least one
consultation has been recorded (status "dibahas"). `permits.complaint_services.complaint_transition`
is the only code that changes a status, and it asks this table first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from skm_portal.enums import StateEnum
from skm_portal.roles import Role

ANSWER_WORKING_DAYS = 5


class Status(StateEnum):
    FILED = "diajukan"
    CONSULTING = "dibahas"
    ACCEPTED = "diterima"
    REJECTED = "ditolak"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.FILED: _("menunggu pembahasan"),
    Status.CONSULTING: _("dibahas bersama perangkat daerah terkait"),
    Status.ACCEPTED: _("diterima"),
    Status.REJECTED: _("ditolak"),
}
STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in Status]
FILED = Status.FILED.value
OPEN = frozenset({Status.FILED, Status.CONSULTING})
ANSWERED = frozenset({Status.ACCEPTED, Status.REJECTED})


class Action(StateEnum):
    CONSULT = "consult"
    ACCEPT = "accept"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.CONSULT: _("Catat rapat dengan perangkat daerah terkait"),
    Action.ACCEPT: _("Jawab: pengaduan diterima"),
    Action.REJECT: _("Jawab: pengaduan ditolak"),
}


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    roles: frozenset[Role]
    target: Status

    @property
    def is_answer(self) -> bool:
        return self.target in ANSWERED


KADIS, KABID = Role.KEPALA_DINAS, Role.KABID

TRANSITIONS: tuple[Transition, ...] = (
    # The meeting may be recorded by the head of office or the head of division.
    Transition(Status.FILED, Action.CONSULT, frozenset({KADIS, KABID}), Status.CONSULTING),
    Transition(Status.CONSULTING, Action.CONSULT, frozenset({KADIS, KABID}), Status.CONSULTING),
    # Only the head of office answers, and only after a consultation.
    Transition(Status.CONSULTING, Action.ACCEPT, frozenset({KADIS}), Status.ACCEPTED),
    Transition(Status.CONSULTING, Action.REJECT, frozenset({KADIS}), Status.REJECTED),
)


def find(status: Status, action: Action) -> Transition | None:
    for row in TRANSITIONS:
        if row.source == status and row.action == action:
            return row
    return None


def allowed(status: Status, action: Action, roles: frozenset[Role] | set[Role]) -> Transition | None:
    """The row for `action` from `status` if one of `roles` may do it, else None."""
    row = find(status, action)
    if row is None or not (row.roles & set(roles)):
        return None
    return row


def available(status: Status, roles: frozenset[Role] | set[Role]) -> list[Transition]:
    """Rows from `status` that one of `roles` may do, in table order (the buttons to show)."""
    return [row for row in TRANSITIONS if row.source == status and row.roles & set(roles)]
