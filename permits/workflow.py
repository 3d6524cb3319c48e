"""The permit workflow as data: steps, actions and the table of allowed transitions.

Plain Python, no Django models and no database: `permits.services.permit_transition` is
the only code that moves a file, and it asks this table first. Each row says: from this
step, this action, done by one of these roles, leads to that step. The two revision
loops of the seed's appendix ("Alur Proses Revisi Berkas Permohonan") are rows too:

- Loop A (dinas teknis): the agency records "rekomendasi tidak disetujui, perlu revisi"
  and forwards to backoffice; backoffice returns the file to the applicant; the
  applicant's "Submit Perbaiki" brings it back to the agency's step.
- Loop B (kasi/kabid): the officer returns the file to the applicant; "Simpan Revisi"
  brings it back to the step of the officer who returned it.

A return row names `resume`, the step the file goes back to after the revision; the
applicant's resubmission row has `target=RETURNED_BY`, resolved from the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from skm_portal.enums import StateEnum
from skm_portal.roles import Role


class Step(StateEnum):
    PENDAFTARAN = "pendaftaran"
    VERIFIKASI_PENDAFTARAN = "verifikasi_pendaftaran"
    VERIFIKASI_IZIN = "verifikasi_izin"
    PERTIMBANGAN_DINAS_TEKNIS = "pertimbangan_dinas_teknis"
    BACKOFFICE_REVISI_DINAS = "backoffice_revisi_dinas"
    PROSES_BACKOFFICE = "proses_backoffice"
    VALIDASI_KASI = "validasi_kasi"
    VALIDASI_KABID = "validasi_kabid"
    PENETAPAN = "penetapan"
    SELESAI = "selesai"
    REVISI = "revisi"

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self])


STEP_LABELS = {
    Step.PENDAFTARAN: _("pendaftaran permohonan"),
    Step.VERIFIKASI_PENDAFTARAN: _("verifikasi pendaftaran"),
    Step.VERIFIKASI_IZIN: _("verifikasi izin"),
    Step.PERTIMBANGAN_DINAS_TEKNIS: _("pertimbangan dinas teknis"),
    Step.BACKOFFICE_REVISI_DINAS: _("proses (backoffice): revisi dinas teknis"),
    Step.PROSES_BACKOFFICE: _("proses (backoffice)"),
    Step.VALIDASI_KASI: _("validasi kasi"),
    Step.VALIDASI_KABID: _("validasi kabid"),
    Step.PENETAPAN: _("penetapan"),
    Step.SELESAI: _("selesai"),
    Step.REVISI: _("revisi (pemohon)"),
}

# The file is with the applicant in these steps: the office's clock stops.
APPLICANT_STEPS = frozenset({Step.PENDAFTARAN, Step.REVISI})
FINAL_STEPS = frozenset({Step.SELESAI})
OFFICE_STEPS = frozenset(Step) - APPLICANT_STEPS - FINAL_STEPS


def steps_for(*, with_agency: bool) -> list[Step]:
    """The ordinary path of a permit type, without the revision detours."""
    path = [
        Step.PENDAFTARAN,
        Step.VERIFIKASI_PENDAFTARAN,
        Step.VERIFIKASI_IZIN,
        Step.PERTIMBANGAN_DINAS_TEKNIS,
        Step.PROSES_BACKOFFICE,
        Step.VALIDASI_KASI,
        Step.VALIDASI_KABID,
        Step.PENETAPAN,
        Step.SELESAI,
    ]
    if not with_agency:
        path.remove(Step.PERTIMBANGAN_DINAS_TEKNIS)
    return path


class Action(StateEnum):
    SUBMIT = "submit"
    VERIFY_REGISTRATION = "verify_registration"
    FORWARD_TO_AGENCY = "forward_to_agency"
    FORWARD_TO_BACKOFFICE = "forward_to_backoffice"
    AGENCY_APPROVE = "agency_approve"
    AGENCY_REQUEST_REVISION = "agency_request_revision"
    BACKOFFICE_RETURN = "backoffice_return"
    BACKOFFICE_COMPLETE = "backoffice_complete"
    KASI_APPROVE = "kasi_approve"
    KASI_RETURN = "kasi_return"
    KABID_APPROVE = "kabid_approve"
    KABID_RETURN = "kabid_return"
    ISSUE = "issue"
    SUBMIT_FIX = "submit_fix"
    SAVE_REVISION = "save_revision"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.SUBMIT: _("Ajukan permohonan"),
    Action.VERIFY_REGISTRATION: _("Pendaftaran lengkap, lanjut verifikasi izin"),
    Action.FORWARD_TO_AGENCY: _("Teruskan ke dinas teknis"),
    Action.FORWARD_TO_BACKOFFICE: _("Teruskan ke proses backoffice"),
    Action.AGENCY_APPROVE: _("Rekomendasi disetujui"),
    Action.AGENCY_REQUEST_REVISION: _("Rekomendasi tidak disetujui, perlu revisi"),
    Action.BACKOFFICE_RETURN: _("Kembalikan ke pemohon untuk revisi"),
    Action.BACKOFFICE_COMPLETE: _("Teruskan ke validasi kasi"),
    Action.KASI_APPROVE: _("Validasi, teruskan ke kabid"),
    Action.KASI_RETURN: _("Kembalikan ke pemohon untuk revisi"),
    Action.KABID_APPROVE: _("Validasi, teruskan ke penetapan"),
    Action.KABID_RETURN: _("Kembalikan ke pemohon untuk revisi"),
    Action.ISSUE: _("Tetapkan izin"),
    Action.SUBMIT_FIX: _("Submit Perbaiki"),
    Action.SAVE_REVISION: _("Simpan Revisi"),
}


class ReturnedBy(StateEnum):
    """Placeholder target: the step recorded on the file when it was returned."""

    STEP = "returned_by_step"


RETURNED_BY = ReturnedBy.STEP


@dataclass(frozen=True)
class Transition:
    source: Step
    action: Action
    roles: frozenset[Role]
    target: Step | ReturnedBy
    resume: Step | None = None  # for returns: where the file goes after the revision
    note_required: bool = False
    returned_by: Step | None = None  # for resubmissions: which return this answers
    needs_agency: bool | None = None  # True: only for types with a dinas teknis; False: only without

    @property
    def is_return(self) -> bool:
        return self.resume is not None

    @property
    def is_resubmission(self) -> bool:
        return self.target is RETURNED_BY


def _t(source, action, roles, target, **extra) -> Transition:
    return Transition(source, action, frozenset(roles), target, **extra)


B, KASI, KABID, DT, KADIS, P = (
    Role.BACKOFFICE,
    Role.KASI,
    Role.KABID,
    Role.DINAS_TEKNIS,
    Role.KEPALA_DINAS,
    Role.PEMOHON,
)

TRANSITIONS: tuple[Transition, ...] = (
    _t(Step.PENDAFTARAN, Action.SUBMIT, {P}, Step.VERIFIKASI_PENDAFTARAN),
    _t(Step.VERIFIKASI_PENDAFTARAN, Action.VERIFY_REGISTRATION, {B}, Step.VERIFIKASI_IZIN),
    _t(Step.VERIFIKASI_IZIN, Action.FORWARD_TO_AGENCY, {B}, Step.PERTIMBANGAN_DINAS_TEKNIS, needs_agency=True),
    _t(Step.VERIFIKASI_IZIN, Action.FORWARD_TO_BACKOFFICE, {B}, Step.PROSES_BACKOFFICE, needs_agency=False),
    # Loop A: the technical agency, then backoffice returns the file to the applicant.
    _t(Step.PERTIMBANGAN_DINAS_TEKNIS, Action.AGENCY_APPROVE, {DT}, Step.PROSES_BACKOFFICE),
    _t(
        Step.PERTIMBANGAN_DINAS_TEKNIS,
        Action.AGENCY_REQUEST_REVISION,
        {DT},
        Step.BACKOFFICE_REVISI_DINAS,
        note_required=True,
    ),
    _t(
        Step.BACKOFFICE_REVISI_DINAS,
        Action.BACKOFFICE_RETURN,
        {B},
        Step.REVISI,
        resume=Step.PERTIMBANGAN_DINAS_TEKNIS,
        note_required=True,
    ),
    _t(Step.PROSES_BACKOFFICE, Action.BACKOFFICE_COMPLETE, {B}, Step.VALIDASI_KASI),
    # Loop B: kasi or kabid returns the file; it comes back to the same step.
    _t(Step.VALIDASI_KASI, Action.KASI_APPROVE, {KASI}, Step.VALIDASI_KABID),
    _t(Step.VALIDASI_KASI, Action.KASI_RETURN, {KASI}, Step.REVISI, resume=Step.VALIDASI_KASI, note_required=True),
    _t(Step.VALIDASI_KABID, Action.KABID_APPROVE, {KABID}, Step.PENETAPAN),
    _t(Step.VALIDASI_KABID, Action.KABID_RETURN, {KABID}, Step.REVISI, resume=Step.VALIDASI_KABID, note_required=True),
    _t(Step.PENETAPAN, Action.ISSUE, {KADIS}, Step.SELESAI),
    # The applicant's resubmission: "Submit Perbaiki" (loop A), "Simpan Revisi" (loop B).
    _t(Step.REVISI, Action.SUBMIT_FIX, {P}, RETURNED_BY, returned_by=Step.PERTIMBANGAN_DINAS_TEKNIS),
    _t(Step.REVISI, Action.SAVE_REVISION, {P}, RETURNED_BY, returned_by=Step.VALIDASI_KASI),
    _t(Step.REVISI, Action.SAVE_REVISION, {P}, RETURNED_BY, returned_by=Step.VALIDASI_KABID),
)


def transitions_from(step: Step, *, returned_by: Step | None = None, has_agency: bool = False) -> list[Transition]:
    """Rows leaving `step` for a file in this situation.

    In revision only the row answering the recorded return applies; a row tied to the
    presence of a dinas teknis applies only to files whose type has (or lacks) one.
    """
    rows = [t for t in TRANSITIONS if t.source == step]
    if step == Step.REVISI:
        rows = [t for t in rows if t.returned_by == returned_by]
    return [t for t in rows if t.needs_agency is None or t.needs_agency == has_agency]


def find(step: Step, action: Action, *, returned_by: Step | None = None, has_agency: bool = False) -> Transition | None:
    for row in transitions_from(step, returned_by=returned_by, has_agency=has_agency):
        if row.action == action:
            return row
    return None


def allowed(
    step: Step,
    action: Action,
    roles: frozenset[Role] | set[Role],
    *,
    returned_by: Step | None = None,
    has_agency: bool = False,
) -> Transition | None:
    """The row for `action` from `step` if one of `roles` may do it, else None."""
    row = find(step, action, returned_by=returned_by, has_agency=has_agency)
    if row is None or not (row.roles & set(roles)):
        return None
    return row


def available(
    step: Step, roles: frozenset[Role] | set[Role], *, returned_by: Step | None = None, has_agency: bool = False
) -> list[Transition]:
    """Rows from `step` that one of `roles` may do, in table order (the buttons to show)."""
    rows = transitions_from(step, returned_by=returned_by, has_agency=has_agency)
    return [t for t in rows if t.roles & set(roles)]


def resolve_target(row: Transition, *, returned_by: Step | None) -> Step:
    """The step a transition leads to; a resubmission goes back to the returning step."""
    if row.target is RETURNED_BY:
        if returned_by is None:
            raise ValueError("A resubmission needs the step that returned the file.")
        return returned_by
    return row.target


def roles_acting_on(step: Step) -> frozenset[Role]:
    """Every role that has at least one action from `step` (the work queue of a role)."""
    roles: set[Role] = set()
    for row in TRANSITIONS:
        if row.source == step:
            roles |= row.roles
    return frozenset(roles)
