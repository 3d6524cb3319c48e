"""Filter forms of the officers' survey lists (responses and suggestions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skm_portal.listing import ListFilterForm

from .models import Counter, Period, Response, Service


class ResponseFilterForm(ListFilterForm):
    """Jawaban dan saran: search in suggestions, service, period, dates, only with a suggestion."""

    search_fields = ("suggestion", "occupation_other")
    search_label = _("Cari saran")
    search_placeholder = _("Kata dalam saran responden")
    date_field = "survey_date"
    sorts = {
        "date": (_("Tanggal"), ("survey_date", "pk")),
        "service": (_("Layanan"), ("service__order", "service__name", "-survey_date", "-pk")),
        "age": (_("Usia"), ("age", "pk")),
    }
    default_sort = "-date"

    service = forms.ModelChoiceField(
        label=_("Layanan"), queryset=Service.objects.order_by("order", "name"), required=False, empty_label=_("Semua")
    )
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.order_by("-start_date", "-end_date"),
        required=False,
        empty_label=_("Semua"),
    )
    channel = forms.ChoiceField(
        label=_("Sumber"), required=False, choices=[("", _("Semua")), *Response.Channel.choices]
    )
    counter = forms.ModelChoiceField(
        label=_("Loket kiosk"), queryset=Counter.objects.order_by("name"), required=False, empty_label=_("Semua")
    )
    with_suggestion = forms.BooleanField(label=_("Hanya yang berisi saran"), required=False)

    field_order = ["q", "service", "period", "channel", "counter", "date_from", "date_to", "sort", "with_suggestion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_suggestion"].widget.attrs["class"] = "form-check-input"
        for name, message in (
            ("service", _("Layanan itu tidak ada.")),
            ("period", _("Periode itu tidak ada.")),
            ("counter", _("Loket itu tidak ada.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
        self.fields["channel"].error_messages["invalid_choice"] = _("Sumber itu tidak ada.")

    def filter_queryset(self, queryset, data):
        if data.get("service"):
            queryset = queryset.filter(service=data["service"])
        if data.get("period"):
            period = data["period"]
            queryset = queryset.filter(survey_date__range=(period.start_date, period.end_date))
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("counter"):
            queryset = queryset.filter(counter=data["counter"])
        if data.get("with_suggestion"):
            queryset = queryset.exclude(suggestion="")
        return queryset
