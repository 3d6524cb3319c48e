"""What every follow-up write shares, in both halves (plans and meetings): the permission
check, the audit line, field diffs, renumbering, and private uploads with their cleanup.

Do services check permissions? Yes: every service that changes data takes the acting
`user` and calls `require(user, action)` first (see CONVENTIONS.md), so a command, a task
or a test that calls a service directly is held to the same rule as a view.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from skm_portal import audit, uploads
from skm_portal.models import AuditEntry
from skm_portal.permissions import has_permission

from .storage import evidence_max_bytes, evidence_storage

VIEW = "followup.view"
MANAGE = "followup.manage"
SIGN = "followup.sign"


def require(user, action: str = MANAGE, obj=None) -> None:
    """PermissionDenied unless `user` may do `action` (to `obj`)."""
    if not has_permission(user, action, obj):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data tindak lanjut."))


def audit_record(
    *, period, user, action: str, obj, summary: str, plan=None, meeting=None, changes: dict | None = None
) -> AuditEntry:
    """Append one line to the portal's audit log (`skm_portal.audit.audit_record`), linked to
    the period, plan and meeting whose history pages show it. Call it inside the change's
    transaction."""
    return audit.audit_record(
        actor=user,
        action=action,
        obj=obj,
        summary=summary,
        changes=changes,
        app="followup",
        links=(period, plan, meeting),
    )


def diff(instance, values: dict) -> dict[str, list[str]]:
    """Apply `values` to `instance`; return {field label: [old, new]} of what changed."""
    changes = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            label = str(instance._meta.get_field(field).verbose_name)
            changes[label] = ["" if old is None else str(old), "" if new is None else str(new)]
            setattr(instance, field, new)
    return changes


def renumber(items, field: str = "position") -> None:
    """Close the gaps in an ordered list: 1, 2, 3, ... in the given order."""
    for position, item in enumerate(items, start=1):
        if getattr(item, field) != position:
            setattr(item, field, position)
            item.save(update_fields=[field])


def delete_files_on_commit(names: list[str]) -> None:
    """Remove private files once the transaction that dropped their rows has committed."""
    names = [name for name in names if name]
    if not names:
        return
    storage = evidence_storage()

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def upload_checked(upload: UploadedFile) -> uploads.CheckedUpload:
    """Read a private upload and check it: a name without a path, at most
    FOLLOWUP_EVIDENCE_MAX_BYTES, PDF/JPEG/PNG by content. ValidationError otherwise."""
    try:
        return uploads.upload_check(upload, max_bytes=evidence_max_bytes())
    except uploads.RefusedFile as refused:
        raise ValidationError({"file": str(refused)}) from refused
