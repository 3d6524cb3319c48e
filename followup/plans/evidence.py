"""Writes of evidence (bukti dukung) on an activity: a private file, a link, or a record of
the app (a meeting or FKP). Same contract as `services`: permission, one transaction,
`full_clean()`, Indonesian `ValidationError`, an audit entry."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.uploads import size_label

from ..changes import MANAGE, audit_record, delete_files_on_commit, require, upload_checked
from ..storage import evidence_storage
from .models import Activity, Evidence, RealisationStep
from .services import lock_plan, touch


def _check_step(activity: Activity, step: RealisationStep | None) -> None:
    if step is not None and step.activity_id != activity.pk:
        raise ValidationError(_("Realisasi yang dipilih milik kegiatan lain."))


@transaction.atomic
def evidence_upload(
    *, activity: Activity, user, upload: UploadedFile, title: str = "", step: RealisationStep | None = None
) -> Evidence:
    """Store an evidence file privately after checking its content and size.

    Accepted: PDF, JPEG, PNG recognised by their first bytes, with a matching extension,
    no larger than FOLLOWUP_EVIDENCE_MAX_BYTES. Anything else: ValidationError, nothing stored.
    """
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
    _check_step(activity, step)
    checked = upload_checked(upload)
    name, data, kind = checked.name, checked.data, checked.kind
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.FILE,
        title=(title or "").strip() or PurePath(name).stem[:200],
        original_name=name,
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.file.save(f"bukti{kind.extension}", ContentFile(data), save=False)
    try:
        evidence.full_clean()
        evidence.save()
        audit_record(
            period=plan.period,
            plan=plan,
            user=user,
            action="evidence_uploaded",
            obj=evidence,
            summary=_("Bukti dukung %(title)s (%(kind)s, %(size)s) diunggah untuk kegiatan %(activity)s.")
            % {
                "title": evidence.title,
                "kind": kind.label,
                "size": size_label(len(data)),
                "activity": activity.letter,
            },
        )
        touch(plan)
    except Exception:
        evidence_storage().delete(evidence.file.name)
        raise
    # If an outer transaction rolls back later, the randomly named file stays unreferenced;
    # it is never served (no row points to it) and can be swept by an administrator.
    return evidence


@transaction.atomic
def evidence_add_link(
    *, activity: Activity, user, url: str, title: str, step: RealisationStep | None = None
) -> Evidence:
    """Record a link as evidence, e.g. a social-media post or a published document."""
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
    _check_step(activity, step)
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.LINK,
        title=title.strip(),
        url=url.strip(),
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_linked",
        obj=evidence,
        summary=_("Tautan bukti dukung %(title)s ditambahkan untuk kegiatan %(activity)s.")
        % {"title": evidence.title, "activity": activity.letter},
        changes={str(Evidence._meta.get_field("url").verbose_name): ["", evidence.url]},
    )
    return evidence


@transaction.atomic
def evidence_add_record(
    *, activity: Activity, user, record, title: str = "", step: RealisationStep | None = None
) -> Evidence:
    """Refer to a record of the app as evidence, e.g. the meeting or FKP that carried the activity out.
    The same record is linked to an activity at most once."""
    require(user, MANAGE, activity)
    plan = lock_plan(activity.plan_id)
    _check_step(activity, step)
    record_type = ContentType.objects.get_for_model(record)
    if Evidence.objects.filter(activity_id=activity.pk, record_type=record_type, record_id=record.pk).exists():
        raise ValidationError(_("%(record)s sudah menjadi bukti dukung kegiatan ini.") % {"record": record})
    evidence = Evidence(
        activity_id=activity.pk,
        step=step,
        kind=Evidence.Kind.RECORD,
        title=(title.strip() or str(record))[:200],
        record_type=record_type,
        record_id=record.pk,
        uploaded_by=user,
        created_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    touch(plan)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_record",
        obj=evidence,
        summary=_("%(record)s ditautkan sebagai bukti dukung kegiatan %(activity)s.")
        % {"record": evidence.title, "activity": activity.letter},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    """Delete an evidence entry; its file is removed from storage once the change is committed."""
    require(user, MANAGE, evidence)
    evidence = Evidence.objects.select_related("activity").get(pk=evidence.pk)
    plan = lock_plan(evidence.activity.plan_id)
    audit_record(
        period=plan.period,
        plan=plan,
        user=user,
        action="evidence_removed",
        obj=evidence,
        summary=_("Bukti dukung %(title)s pada kegiatan %(activity)s dihapus.")
        % {"title": evidence.title, "activity": evidence.activity.letter},
    )
    name = evidence.file.name if evidence.file else ""
    evidence.delete()
    touch(plan)
    delete_files_on_commit([name] if name else [])
