from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .audit_admin import AuditedAdminMixin, AuditedModelAdmin
from .models import AuditEntry, OfficeProfile


@admin.register(OfficeProfile)
class OfficeProfileAdmin(AuditedModelAdmin):
    list_display = ["name", "head_name"]


# Users and their roles (groups) are kept in the admin: every change is audited.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    pass


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written only by the services."""

    list_display = ["at", "actor_display", "app", "action", "summary"]
    list_filter = ["app", "action"]
    search_fields = ["summary", "actor_display", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
