"""Admin: read-mostly views for administrators. Changes belong in the follow-up screens,
which write the portal's audit log (skm_portal.audit)."""

from django.contrib import admin

from skm_portal.audit_admin import AuditedModelAdmin

from .models import Activity, Evidence, FollowUpPlan, LetterCounter, LetterNumberRange, RealisationStep


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["position", "title", "status"]
    readonly_fields = ["status"]
    extra = 0


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(AuditedModelAdmin):
    list_display = ["period", "rank", "element_code", "element_name", "time_frame", "person_in_charge", "updated_at"]
    list_filter = ["period"]
    search_fields = ["element_code", "element_name", "person_in_charge"]
    inlines = [ActivityInline]
    readonly_fields = ["index_at_confirmation", "grade_at_confirmation", "was_proposed", "proposal_reason"]


class StepInline(admin.TabularInline):
    model = RealisationStep
    fields = ["position", "description", "started_on", "ended_on"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["plan", "position", "title", "status"]
    list_filter = ["status", "plan__period"]
    readonly_fields = ["status"]
    inlines = [StepInline]


@admin.register(Evidence)
class EvidenceAdmin(AuditedModelAdmin):
    list_display = ["title", "kind", "activity", "content_type", "size", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["file", "original_name", "content_type", "size", "sha256", "uploaded_by", "created_at"]


class _ReadOnly(admin.ModelAdmin):
    """Letter numbering is changed only on the Nomor surat page (locked and audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterCounter)
class LetterCounterAdmin(_ReadOnly):
    list_display = ["year", "first_number", "last"]


@admin.register(LetterNumberRange)
class LetterNumberRangeAdmin(_ReadOnly):
    list_display = ["year", "first", "last", "next_number", "note"]
    list_filter = ["year"]
