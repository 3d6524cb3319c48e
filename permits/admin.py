"""Administrator screens for permit master data and the office's days off."""

from django.contrib import admin

from skm_portal.audit_admin import AuditedModelAdmin

from .models import (
    Agency,
    AgencyMembership,
    Complaint,
    ComplaintConsultation,
    OfficeDayOff,
    PermitApplication,
    PermitType,
    ProcessLogEntry,
    RequiredDocument,
)


class MembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1


@admin.register(PermitType)
class PermitTypeAdmin(AuditedModelAdmin):
    list_display = ["name", "service_days", "agency", "survey_service", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [RequiredDocumentInline]


@admin.register(OfficeDayOff)
class OfficeDayOffAdmin(AuditedModelAdmin):
    list_display = ["date", "description"]
    date_hierarchy = "date"


class ProcessLogInline(admin.TabularInline):
    model = ProcessLogEntry
    extra = 0
    can_delete = False
    fields = ["at", "step", "user", "note", "duration", "offtime"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PermitApplication)
class PermitApplicationAdmin(AuditedModelAdmin):
    """Read-only: the step changes only through the workflow screens."""

    list_display = ["number", "permit_type", "applicant", "step", "submitted_at", "deadline_at"]
    list_filter = ["step", "permit_type"]
    search_fields = ["number", "applicant__username"]
    inlines = [ProcessLogInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsultationInline(admin.TabularInline):
    model = ComplaintConsultation
    extra = 0
    can_delete = False
    fields = ["held_at", "agency", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(AuditedModelAdmin):
    """Read-only: the status changes only through the complaint screens."""

    list_display = ["number", "subject", "status", "filed_at", "deadline_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["number", "subject", "name", "email"]
    inlines = [ConsultationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
