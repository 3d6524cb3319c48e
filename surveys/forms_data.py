"""Forms of the data-management screens (petugas SKM): import, services, periods, aggregates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .masterdata import parse_index
from .models import Element, Period, Service


class XlsxFileField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Pilih berkas Excel berakhiran .xlsx."))
        return upload


class ImportForm(forms.Form):
    file = XlsxFileField(label=_("Berkas .xlsx"))
    create_missing_services = forms.BooleanField(
        label=_("Buat jenis layanan baru bila nama layanan belum terdaftar"), required=False
    )


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "code", "order", "is_active"]
        help_texts = {"code": _("Dipakai di alamat formulir survei, mis. e-ptsp (huruf kecil, angka, tanda -).")}


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["name", "kind", "start_date", "end_date", "service_users", "is_public", "source"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class IndexField(forms.CharField):
    """An element index 25-100 with up to 3 decimals; '94,79' and '94.79' both accepted."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_index(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Indeks %(problem)s.") % {"problem": exc}) from None


class PublishedForm(forms.Form):
    """Respondents, source note and one index per element, typed or from an .xlsx file."""

    respondents = forms.IntegerField(label=_("Jumlah responden"), min_value=1)
    source_note = forms.CharField(
        label=_("Sumber data"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mis. laporan dan tabel asal angka ini."),
    )
    file = XlsxFileField(
        label=_("atau unggah berkas .xlsx (kolom: kode, indeks)"),
        required=False,
        help_text=_("Bila berkas diunggah, isian indeks di atas diabaikan."),
    )

    def __init__(self, *args, elements: list[Element], **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        for element in elements:
            self.fields[self.field_name(element.code)] = IndexField(
                label=f"{element.code} {element.name}",
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "94,79"}),
            )
        # Index fields first, then the file: the order people fill the form in.
        order = ["respondents", "source_note", *(self.field_name(e.code) for e in elements), "file"]
        self.order_fields(order)

    @staticmethod
    def field_name(code: str) -> str:
        return f"index_{code}"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file"):
            for element in self.elements:
                name = self.field_name(element.code)
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Isi indeks unsur ini (25-100), atau unggah berkas."))
        return cleaned

    def typed_indices(self) -> dict:
        return {e.code: self.cleaned_data[self.field_name(e.code)] for e in self.elements}
