"""Confirming priorities, plans and their ordered activities, statuses and the audit log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from followup.models import Activity, FollowUpPlan, RealisationStep
from followup.plans import services
from skm_portal.audit import audit_for
from skm_portal.models import AuditEntry
from surveys.models import Period

pytestmark = pytest.mark.django_db


def test_confirm_creates_one_plan_per_chosen_element_weakest_first(tw3, officer):
    plans = services.priorities_confirm(period=tw3, codes=["U5", "U3"], user=officer)
    assert [(p.rank, p.element_code, p.element_name) for p in plans] == [
        (1, "U3", "Waktu Pelayanan"),
        (2, "U5", "Produk Layanan"),
    ]
    u3 = FollowUpPlan.objects.get(period=tw3, element_code="U3")
    assert str(u3.index_at_confirmation) == "81.52" and u3.grade_at_confirmation == "B"
    assert u3.was_proposed and "di bawah A" in u3.proposal_reason


def test_officer_may_choose_an_element_the_app_did_not_propose(tw3, officer):
    services.priorities_confirm(period=tw3, codes=["U3", "U9"], user=officer, rule="below_a", count=3)
    u9 = FollowUpPlan.objects.get(period=tw3, element_code="U9")
    assert not u9.was_proposed


def test_changing_priorities_keeps_plans_with_activities(plan, tw3, officer):
    services.activity_add(plan=plan, user=officer, title="Monitoring")
    with pytest.raises(ValidationError, match="tidak dapat dilepas"):
        services.priorities_confirm(period=tw3, codes=["U5"], user=officer)
    assert set(FollowUpPlan.objects.filter(period=tw3).values_list("element_code", flat=True)) == {"U3", "U5"}
    # An empty plan can be dropped, and a new element added.
    services.priorities_confirm(period=tw3, codes=["U3", "U2"], user=officer)
    assert set(FollowUpPlan.objects.filter(period=tw3).values_list("element_code", flat=True)) == {"U2", "U3"}


@pytest.mark.parametrize(("codes", "message"), [([], "sekurang-kurangnya"), (["U99"], "tidak dikenal")])
def test_bad_priority_input_changes_nothing(tw3, officer, codes, message):
    with pytest.raises(ValidationError, match=message):
        services.priorities_confirm(period=tw3, codes=codes, user=officer)
    assert not FollowUpPlan.objects.exists() and not AuditEntry.objects.exists()


def test_period_without_results_cannot_get_priorities(db, officer):
    empty = Period.objects.create(
        name="Triwulan I 2026", kind="triwulan", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 3, 31)
    )
    with pytest.raises(ValidationError, match="belum memiliki hasil"):
        services.priorities_confirm(period=empty, codes=["U1"], user=officer)


def test_activities_get_letters_in_order_and_follow_moves_and_removal(plan, officer):
    titles = ["Standarisasi", "Peningkatan kualitas", "Inovasi", "Informasi"]
    made = [services.activity_add(plan=plan, user=officer, title=t) for t in titles]
    assert [a.letter for a in made] == ["a", "b", "c", "d"]

    services.activity_move(activity=made[2], user=officer, direction=-1)  # Inovasi up
    ordered = list(plan.activities.order_by("position"))
    assert [(a.letter, a.title) for a in ordered] == [
        ("a", "Standarisasi"),
        ("b", "Inovasi"),
        ("c", "Peningkatan kualitas"),
        ("d", "Informasi"),
    ]
    services.activity_move(activity=made[0], user=officer, direction=-1)  # already first: nothing
    assert plan.activities.get(title="Standarisasi").letter == "a"

    services.activity_remove(activity=ordered[1], user=officer)
    assert [(a.letter, a.title) for a in plan.activities.order_by("position")] == [
        ("a", "Standarisasi"),
        ("b", "Peningkatan kualitas"),
        ("c", "Informasi"),
    ]


def test_steps_are_lettered_and_dates_checked(activity, officer):
    first = services.step_add(
        activity=activity, user=officer, description="Rapat evaluasi", started_on=dt.date(2024, 11, 11)
    )
    second = services.step_add(activity=activity, user=officer, description="Koordinasi Biro Organisasi")
    assert (first.letter, second.letter) == ("a", "b")
    services.step_move(step=second, user=officer, direction=-1)
    assert list(
        RealisationStep.objects.filter(activity=activity).order_by("position").values_list("description", flat=True)
    ) == [
        "Koordinasi Biro Organisasi",
        "Rapat evaluasi",
    ]
    with pytest.raises(ValidationError):
        services.step_add(
            activity=activity,
            user=officer,
            description="Terbalik",
            started_on=dt.date(2024, 11, 11),
            ended_on=dt.date(2024, 11, 1),
        )
    assert RealisationStep.objects.filter(activity=activity).count() == 2


def test_done_needs_a_realisation_and_keeps_one(activity, officer):
    with pytest.raises(ValidationError, match="belum dapat ditandai selesai"):
        services.activity_set_status(activity=activity, user=officer, status=Activity.Status.DONE)
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.PLANNED
    step = services.step_add(activity=activity, user=officer, description="Rapat evaluasi")
    services.activity_set_status(activity=activity, user=officer, status=Activity.Status.DONE)
    assert Activity.objects.get(pk=activity.pk).is_done
    with pytest.raises(ValidationError, match="sekurang-kurangnya satu realisasi"):
        services.step_remove(step=step, user=officer)
    assert RealisationStep.objects.filter(pk=step.pk).exists()


def test_every_change_is_audited_with_user_and_time(plan, officer):
    before = timezone.now()
    services.plan_update(
        plan=plan,
        user=officer,
        element_name="Waktu Pelayanan",
        time_frame="Oktober - November",
        person_in_charge="Bidang Perizinan",
    )
    activity = services.activity_add(plan=plan, user=officer, title="Monitoring dan evaluasi berkala")
    services.step_add(activity=activity, user=officer, description="Audit alur pelayanan")
    services.activity_set_status(activity=activity, user=officer, status="done")
    entries = sorted(audit_for(plan), key=lambda entry: (entry.at, entry.pk))
    actions = [e.action for e in entries]
    assert actions == ["priority_added", "plan_updated", "activity_added", "step_added", "activity_status"]
    for entry in entries:
        assert entry.actor == officer
        assert entry.actor_display == "petugas_test"
        assert entry.at >= before - dt.timedelta(seconds=5)
    updated = entries[1]
    assert updated.changes["waktu pelaksanaan"] == ["", "Oktober - November"]
    assert "Selesai" in entries[-1].summary


def test_plan_update_without_changes_writes_no_entry(plan, officer):
    count = AuditEntry.objects.count()
    services.plan_update(plan=plan, user=officer, element_name=plan.element_name, time_frame="", person_in_charge="")
    assert AuditEntry.objects.count() == count


def test_plan_progress_counts_done_activities(plan, officer):
    a = services.activity_add(plan=plan, user=officer, title="A")
    services.activity_add(plan=plan, user=officer, title="B")
    services.step_add(activity=a, user=officer, description="Selesai dikerjakan")
    services.activity_set_status(activity=a, user=officer, status="done")
    progress = FollowUpPlan.objects.get(pk=plan.pk).progress()
    assert (progress.done, progress.total) == (1, 2)
    assert progress.band.label == "30 - 80 %"
