"""Filter forms of the follow-up lists: meetings and the plans' activities."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skm_portal.listing import ListFilterForm
from surveys.models import Period

from .models import Activity, Meeting


class MeetingFilterForm(ListFilterForm):
    """Rapat dan FKP: search title/agenda/place, kind, meeting dates, sort."""

    search_fields = ("title", "agenda", "place", "subject")
    search_label = _("Cari rapat")
    search_placeholder = _("Judul, agenda, tempat")
    date_field = "date"
    sorts = {
        "date": (_("Tanggal"), ("date", "start_time", "pk")),
        "title": (_("Kegiatan"), ("title", "pk")),
        "number": (_("Nomor surat"), ("letter_year", "letter_number", "pk")),
        "attendees": (_("Hadir"), ("attendee_count", "pk")),
    }
    default_sort = "-date"

    jenis = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua")), *Meeting.Kind.choices])

    field_order = ["q", "jenis", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].error_messages["invalid_choice"] = _("Jenis kegiatan itu tidak ada.")

    def filter_queryset(self, queryset, data):
        return queryset.filter(kind=data["jenis"]) if data.get("jenis") else queryset


class ActivityFilterForm(ListFilterForm):
    """Daftar rencana tindak lanjut: each plan's programs/activities with their status."""

    search_fields = ("title", "plan__element_name", "plan__element_code", "plan__person_in_charge", "plan__time_frame")
    search_label = _("Cari rencana")
    search_placeholder = _("Kegiatan, unsur, penanggung jawab")
    sorts = {
        "period": (
            _("Periode"),
            ("plan__period__start_date", "plan__rank", "plan__element_code", "position", "pk"),
            ("-plan__period__start_date", "plan__rank", "plan__element_code", "position", "pk"),
        ),
        "element": (_("Prioritas unsur"), ("plan__element_name", "position", "pk")),
        "title": (_("Program/kegiatan"), ("title", "pk")),
        "status": (_("Status"), ("status", "plan__period__start_date", "position", "pk")),
    }
    default_sort = "-period"

    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.order_by("-start_date", "-end_date"),
        required=False,
        empty_label=_("Semua"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua")), *Activity.Status.choices])

    field_order = ["q", "period", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].error_messages["invalid_choice"] = _("Periode itu tidak ada.")
        self.fields["status"].error_messages["invalid_choice"] = _("Status itu tidak ada.")

    def filter_queryset(self, queryset, data):
        if data.get("period"):
            queryset = queryset.filter(plan__period=data["period"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset
