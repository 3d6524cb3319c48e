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


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_allowed_matches_the_table_for_every_role_step_and_action(role):
    for step in Step:
        for action in Action:
            for returned_by in (None, Step.PERTIMBANGAN_DINAS_TEKNIS, Step.VALIDASI_KASI, Step.VALIDASI_KABID):
                for has_agency in (True, False):
                    expected = [
                        t
                        for t in TRANSITIONS
                        if t.source == step
                        and t.action == action
                        and role in t.roles
                        and (step != Step.REVISI or t.returned_by == returned_by)
                        and t.needs_agency in (None, has_agency)
                    ]
                    row = workflow.allowed(step, action, {role}, returned_by=returned_by, has_agency=has_agency)
                    assert (row is not None) == bool(expected)


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
