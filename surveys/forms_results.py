"""GET forms of the results pages: a date range and an optional service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Service

DATE_ERRORS = {
    "invalid": _("Tanggal tidak valid. Tulis sebagai TTTT-BB-HH, mis. 2025-01-31."),
    "required": _("Tanggal wajib diisi."),
}


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return obj.name


def _service_field() -> ServiceChoiceField:
    return ServiceChoiceField(
        label=_("Jenis layanan"),
        queryset=Service.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua layanan"),
        error_messages={"invalid_choice": _("Jenis layanan tidak dikenal.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ServiceFilterForm(forms.Form):
    layanan = _service_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layanan"] = _service_field()


class DateRangeForm(ServiceFilterForm):
    dari = forms.DateField(
        label=_("Dari tanggal"),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    field_order = ["dari", "sampai", "layanan"]

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
