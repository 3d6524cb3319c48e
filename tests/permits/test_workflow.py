"""The transition table: who may do what from which step, and where it leads."""

import itertools

import pytest

from permits import workflow
from permits.workflow import RETURNED_BY, TRANSITIONS, Action, Step
from skm_portal.roles import Role

ALL_ROLES = frozenset(Role)


def test_every_step_but_the_last_has_a_way_out():
    for step in Step:
        rows = [t for t in TRANSITIONS if t.source == step]
        assert bool(rows) == (step != Step.SELESAI), step


def test_the_ordinary_path_is_walkable_by_its_roles():
    for with_agency in (True, False):
        path = workflow.steps_for(with_agency=with_agency)
        for here, there in itertools.pairwise(path):
            rows = [
                t
                for t in workflow.transitions_from(here, has_agency=with_agency)
                if t.target == there and not t.is_return
            ]
            assert rows, f"{here} -> {there}"
        assert (Step.PERTIMBANGAN_DINAS_TEKNIS in path) is with_agency


def test_only_the_seeds_roles_act_and_nobody_else():
    # Administrators and SKM officers run the survey, never a permit file.
    for row in TRANSITIONS:
        assert not row.roles & {Role.ADMINISTRATOR, Role.PETUGAS_SKM}, row
    # Only dinas teknis decides on its recommendation; only backoffice returns for it.
    agency_rows = [t for t in TRANSITIONS if t.source == Step.PERTIMBANGAN_DINAS_TEKNIS]
    assert {r for t in agency_rows for r in t.roles} == {Role.DINAS_TEKNIS}
    returns = {t.action: t.roles for t in TRANSITIONS if t.is_return}
    assert returns == {
        Action.BACKOFFICE_RETURN: {Role.BACKOFFICE},
        Action.KASI_RETURN: {Role.KASI},
        Action.KABID_RETURN: {Role.KABID},
    }
    # Only the applicant sends a revision back.
    assert {r for t in TRANSITIONS if t.source == Step.REVISI for r in t.roles} == {Role.PEMOHON}


# The seed's process, written out by hand from its appendix "Alur Proses Revisi Berkas
# Permohonan" and its Monitoring Izin log (DOMAIN.md section 3), in plain strings so that
# nothing here is read from permits.workflow. Each row: (from step, action, role, to step,
# condition). The condition is "agency"/"no agency" for a type with or without a dinas
# teknis, or, for the applicant's resubmission, the step that returned the file ("after
# <step>"); a resubmission goes back to that very step.
ORDINARY_PATH = [
    ("pendaftaran", "submit", "pemohon", "verifikasi_pendaftaran", None),
    ("verifikasi_pendaftaran", "verify_registration", "backoffice", "verifikasi_izin", None),
    ("verifikasi_izin", "forward_to_agency", "backoffice", "pertimbangan_dinas_teknis", "agency"),
    ("verifikasi_izin", "forward_to_backoffice", "backoffice", "proses_backoffice", "no agency"),
    ("pertimbangan_dinas_teknis", "agency_approve", "dinas_teknis", "proses_backoffice", None),
    ("proses_backoffice", "backoffice_complete", "backoffice", "validasi_kasi", None),
    ("validasi_kasi", "kasi_approve", "kasi", "validasi_kabid", None),
    ("validasi_kabid", "kabid_approve", "kabid", "penetapan", None),
    ("penetapan", "issue", "kepala_dinas", "selesai", None),
]
# Loop 1, "Revisi atas pertimbangan Dinas Teknis": the agency does not approve and sends the
# file to backoffice, only backoffice returns it to the applicant (with a note), and the
# applicant's "Submit Perbaiki" brings it back to the agency's step.
LOOP_AGENCY_BACKOFFICE_APPLICANT = [
    ("pertimbangan_dinas_teknis", "agency_request_revision", "dinas_teknis", "backoffice_revisi_dinas", None),
    ("backoffice_revisi_dinas", "backoffice_return", "backoffice", "revisi", None),
    ("revisi", "submit_fix", "pemohon", "pertimbangan_dinas_teknis", "after pertimbangan_dinas_teknis"),
]
# Loop 2, "Revisi dari petugas e-ptsp": kasi or kabid returns the file to the applicant
# (e-mail, "revisi (pemohon)" in Monitoring Izin); "Simpan Revisi" brings it back to the
# step of the officer who returned it.
LOOP_KASI_KABID_APPLICANT = [
    ("validasi_kasi", "kasi_return", "kasi", "revisi", None),
    ("revisi", "save_revision", "pemohon", "validasi_kasi", "after validasi_kasi"),
    ("validasi_kabid", "kabid_return", "kabid", "revisi", None),
    ("revisi", "save_revision", "pemohon", "validasi_kabid", "after validasi_kabid"),
]
SEED_PROCESS = ORDINARY_PATH + LOOP_AGENCY_BACKOFFICE_APPLICANT + LOOP_KASI_KABID_APPLICANT
# Returns ask for a note to the applicant; the agency's refusal asks for a note to backoffice.
NOTE_REQUIRED = {"agency_request_revision", "backoffice_return", "kasi_return", "kabid_return"}
# Where the file goes after a return's revision (the step the resubmission answers).
RESUMES_AT = {
    "backoffice_return": "pertimbangan_dinas_teknis",
    "kasi_return": "validasi_kasi",
    "kabid_return": "validasi_kabid",
}


def _target_and_condition(row) -> tuple[str, str | None]:
    if row.needs_agency is not None:
        condition = "agency" if row.needs_agency else "no agency"
    elif row.returned_by is not None:
        condition = f"after {row.returned_by.value}"
    else:
        condition = None
    target = row.returned_by if row.target is RETURNED_BY else row.target
    return target.value, condition


def test_the_table_is_the_seeds_process_row_for_row():
    table = sorted(
        (t.source.value, t.action.value, role.value, *_target_and_condition(t)) for t in TRANSITIONS for role in t.roles
    )
    assert table == sorted(SEED_PROCESS)


def test_notes_and_resumption_of_the_two_loops():
    assert {t.action.value for t in TRANSITIONS if t.note_required} == NOTE_REQUIRED
    assert {t.action.value: t.resume.value for t in TRANSITIONS if t.is_return} == RESUMES_AT


def _expected(step, action, role, returned_by, has_agency) -> str | None:
    """Where the seed's process leads (step, action, role) for a file in this situation, else None."""
    for source, act, who, target, condition in SEED_PROCESS:
        if (source, act, who) != (step, action, role):
            continue
        if condition in ("agency", "no agency") and (condition == "agency") != has_agency:
            continue
        if step == "revisi" and condition != f"after {returned_by}":
            continue
        return target
    return None


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_allowed_follows_the_seeds_process_for_every_role_step_and_action(role):
    for step in Step:
        for action in Action:
            for returned_by in (None, Step.PERTIMBANGAN_DINAS_TEKNIS, Step.VALIDASI_KASI, Step.VALIDASI_KABID):
                for has_agency in (True, False):
                    expected = _expected(step.value, action.value, role.value, returned_by, has_agency)
                    row = workflow.allowed(step, action, {role}, returned_by=returned_by, has_agency=has_agency)
                    reached = None if row is None else workflow.resolve_target(row, returned_by=returned_by).value
                    assert reached == expected, (step, action, role, returned_by, has_agency)


def test_loop_a_agency_backoffice_applicant_and_back_to_the_agency():
    roles = ALL_ROLES
    row = workflow.allowed(Step.PERTIMBANGAN_DINAS_TEKNIS, Action.AGENCY_REQUEST_REVISION, roles, has_agency=True)
    assert row.note_required and row.target == Step.BACKOFFICE_REVISI_DINAS
    back = workflow.allowed(Step.BACKOFFICE_REVISI_DINAS, Action.BACKOFFICE_RETURN, roles, has_agency=True)
    assert back.target == Step.REVISI and back.resume == Step.PERTIMBANGAN_DINAS_TEKNIS and back.note_required
    # At backoffice's revision step the file cannot skip the applicant.
    assert [t.action for t in workflow.available(Step.BACKOFFICE_REVISI_DINAS, roles)] == [Action.BACKOFFICE_RETURN]
    fix = workflow.allowed(Step.REVISI, Action.SUBMIT_FIX, {Role.PEMOHON}, returned_by=back.resume)
    assert fix.target is RETURNED_BY
    assert workflow.resolve_target(fix, returned_by=back.resume) == Step.PERTIMBANGAN_DINAS_TEKNIS
    # "Simpan Revisi" is the button of loop B, not of loop A.
    assert workflow.allowed(Step.REVISI, Action.SAVE_REVISION, {Role.PEMOHON}, returned_by=back.resume) is None


@pytest.mark.parametrize(
    ("step", "action", "role"),
    [(Step.VALIDASI_KASI, Action.KASI_RETURN, Role.KASI), (Step.VALIDASI_KABID, Action.KABID_RETURN, Role.KABID)],
)
def test_loop_b_returns_to_the_step_that_returned_it(step, action, role):
    row = workflow.allowed(step, action, {role})
    assert row.target == Step.REVISI and row.resume == step
    save = workflow.allowed(Step.REVISI, Action.SAVE_REVISION, {Role.PEMOHON}, returned_by=row.resume)
    assert workflow.resolve_target(save, returned_by=row.resume) == step
    assert workflow.allowed(Step.REVISI, Action.SUBMIT_FIX, {Role.PEMOHON}, returned_by=row.resume) is None


def test_kasi_cannot_return_at_kabids_step_and_vice_versa():
    assert workflow.allowed(Step.VALIDASI_KABID, Action.KABID_RETURN, {Role.KASI}) is None
    assert workflow.allowed(Step.VALIDASI_KASI, Action.KASI_RETURN, {Role.KABID}) is None


def test_forwarding_depends_on_the_agency():
    with_agency = workflow.available(Step.VERIFIKASI_IZIN, {Role.BACKOFFICE}, has_agency=True)
    without = workflow.available(Step.VERIFIKASI_IZIN, {Role.BACKOFFICE}, has_agency=False)
    assert [t.action for t in with_agency] == [Action.FORWARD_TO_AGENCY]
    assert [t.action for t in without] == [Action.FORWARD_TO_BACKOFFICE]


def test_a_resubmission_needs_the_returning_step():
    row = workflow.find(Step.REVISI, Action.SAVE_REVISION, returned_by=Step.VALIDASI_KASI)
    with pytest.raises(ValueError):
        workflow.resolve_target(row, returned_by=None)


def test_work_queues():
    assert workflow.roles_acting_on(Step.PERTIMBANGAN_DINAS_TEKNIS) == {Role.DINAS_TEKNIS}
    assert workflow.roles_acting_on(Step.PENETAPAN) == {Role.KEPALA_DINAS}
    assert workflow.roles_acting_on(Step.SELESAI) == frozenset()
