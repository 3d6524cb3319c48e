"""Django admin changes go into the portal's audit log too (users and roles live only there).

`AuditedModelAdmin` (or the mixin, for admins with another base such as `UserAdmin`)
writes one audit line beside Django's own LogEntry for every addition, change and
deletion, inside the admin's transaction.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _

from .audit import audit_record

USER_ACTIONS = {"created": "user_created", "updated": "user_updated", "deleted": "user_deleted"}


class AuditedAdminMixin:
    def _audit(self, request, obj, verb: str, message: str = "") -> None:
        auth = obj._meta.app_label == "auth"
        action = USER_ACTIONS[verb] if auth and obj._meta.model_name == "user" else verb
        summary = {
            "created": _("%(type)s \u201c%(obj)s\u201d ditambahkan lewat halaman admin."),
            "updated": _("%(type)s \u201c%(obj)s\u201d diubah lewat halaman admin."),
            "deleted": _("%(type)s \u201c%(obj)s\u201d dihapus lewat halaman admin."),
        }[verb] % {"type": str(obj._meta.verbose_name).capitalize(), "obj": obj}
        if message:
            summary = f"{summary} {message}"
        audit_record(actor=request.user, action=action, obj=obj, summary=summary)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "created")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, "updated", entry.get_change_message() if entry is not None else "")
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted")
        return super().log_deletions(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass
