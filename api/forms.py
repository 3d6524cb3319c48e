from django import forms
from django.utils.translation import gettext_lazy as _


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Nama sistem"), max_length=120, help_text=_("Mis. SiCantik Kaltim, OSS daerah, Portal Data.")
    )
    description = forms.CharField(label=_("Keterangan"), max_length=300, required=False)
