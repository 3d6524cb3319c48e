"""Forms of the counter kiosk: a counter's settings and the tablet's pairing code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .kiosk_models import Counter
from .models import Service


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ["name", "service", "layout", "idle_seconds", "min_seconds", "unlock_mode", "is_active"]
        widgets = {
            "layout": forms.RadioSelect,
            "unlock_mode": forms.RadioSelect,
            "idle_seconds": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "min_seconds": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        error_messages = {
            "name": {"unique": _("Nama loket ini sudah dipakai."), "required": _("Isi nama loket.")},
            "service": {"required": _("Pilih jenis layanan loket ini.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["name"].widget.attrs["maxlength"] = 80


class PairForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pasangan dari petugas"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "class": "kiosk-code"}
        ),
        help_text=_("Delapan huruf/angka yang tampil di halaman loket pada aplikasi."),
        error_messages={"required": _("Isi kode pasangan.")},
    )
