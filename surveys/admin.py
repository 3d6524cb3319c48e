"""Administrators maintain the questionnaire and master data here; officers use the portal pages."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from skm_portal.audit_admin import AuditedModelAdmin

from .models import MAX_ELEMENTS, Element, Period, PublishedElementResult, Questionnaire, Service, SurveyToken


class ElementFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if self.instance.pk and self.instance.responses.exists():
            changed = [
                f
                for f in self.forms
                if f.has_changed() and ({"slot", "code"} & set(f.changed_data) or f.cleaned_data.get("DELETE"))
            ]
            if changed or len(kept) != self.instance.elements.count():
                raise ValidationError(
                    _(
                        "Kuesioner ini sudah punya jawaban: kode, kolom nilai dan jumlah unsur tidak boleh diubah. Buat kuesioner baru."
                    )
                )
        if sum(f.cleaned_data.get("weight") or 0 for f in kept) <= 0:
            raise ValidationError(_("Jumlah bobot unsur harus lebih dari nol."))
        if len(kept) > MAX_ELEMENTS:
            raise ValidationError(_("Paling banyak %(n)d unsur.") % {"n": MAX_ELEMENTS})


class ElementInline(admin.TabularInline):
    model = Element
    formset = ElementFormSet
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "question",
        "label_1",
        "label_2",
        "label_3",
        "label_4",
        "weight",
        "slot",
        "source",
    ]


@admin.register(Questionnaire)
class QuestionnaireAdmin(AuditedModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    inlines = [ElementInline]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "is_active", "order"]
    list_editable = ["is_active", "order"]


class PublishedInline(admin.TabularInline):
    model = PublishedElementResult
    extra = 0


@admin.register(Period)
class PeriodAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "start_date", "end_date", "source", "is_public"]
    list_filter = ["kind", "source"]
    inlines = [PublishedInline]


@admin.register(SurveyToken)
class SurveyTokenAdmin(AuditedModelAdmin):
    list_display = ["reference", "service", "created_at", "expires_at", "used_at"]
    readonly_fields = ["token", "used_at"]
