"""Copy the follow-up audit entries into the portal's one audit log (skm_portal.AuditEntry).

Each entry keeps its time, user, action, summary and changes; its period, plan and meeting
become links, so the follow-up pages keep showing the same history. Reversible: going
back copies the follow-up lines to the old table again.
"""

from django.db import migrations

MODEL_LABELS = {
    # followup.AuditEntry.object_type held only the model name; these are the apps they live in.
    "period": "surveys.period",
}


def _label(model_name: str) -> str:
    return MODEL_LABELS.get(model_name, f"followup.{model_name}")


def forwards(apps, schema_editor):
    Old = apps.get_model("followup", "AuditEntry")
    New = apps.get_model("skm_portal", "AuditEntry")
    Link = apps.get_model("skm_portal", "AuditLink")
    for old in Old.objects.order_by("pk").iterator():
        object_type = _label(old.object_type)
        object_id = "" if old.object_id is None else str(old.object_id)
        new = New.objects.create(
            at=old.at,
            actor_id=old.user_id,
            actor_display=old.user_display,
            app="followup",
            action=old.action,
            object_type=object_type,
            object_id=object_id,
            object_repr="",
            summary=old.summary,
            changes=old.changes,
        )
        keys = set()
        if object_id:
            keys.add((object_type, object_id))
        if old.period_id:
            keys.add(("surveys.period", str(old.period_id)))
        if old.plan_id:
            keys.add(("followup.followupplan", str(old.plan_id)))
        if old.meeting_id:
            keys.add(("followup.meeting", str(old.meeting_id)))
        Link.objects.bulk_create([Link(entry=new, object_type=t, object_id=i) for t, i in sorted(keys)])


def backwards(apps, schema_editor):
    Old = apps.get_model("followup", "AuditEntry")
    New = apps.get_model("skm_portal", "AuditEntry")
    existing = {
        "surveys.period": set(apps.get_model("surveys", "Period").objects.values_list("pk", flat=True)),
        "followup.followupplan": set(apps.get_model("followup", "FollowUpPlan").objects.values_list("pk", flat=True)),
        "followup.meeting": set(apps.get_model("followup", "Meeting").objects.values_list("pk", flat=True)),
    }
    for new in New.objects.filter(app="followup").order_by("pk").prefetch_related("links"):
        # Only links to records that still exist become foreign keys again.
        links = {
            link.object_type: int(link.object_id)
            for link in new.links.all()
            if link.object_type in existing and int(link.object_id) in existing[link.object_type]
        }
        Old.objects.create(
            at=new.at,
            user_id=new.actor_id,
            user_display=new.actor_display,
            action=new.action,
            object_type=new.object_type.split(".")[-1][:40],
            object_id=int(new.object_id) if new.object_id.isdigit() else None,
            summary=new.summary,
            changes=new.changes,
            period_id=links.get("surveys.period"),
            plan_id=links.get("followup.followupplan"),
            meeting_id=links.get("followup.meeting"),
        )
    New.objects.filter(app="followup").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_letter_number_sources_ranges_first_number"),
        ("skm_portal", "0003_audit_log"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
