from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OfficeProfile
from .nip import normalise_nip, validate_nip


class OfficeProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("laman"), required=False, assume_scheme="https")

    class Meta:
        model = OfficeProfile
        fields = [
            "government",
            "name",
            "short_name",
            "address",
            "city",
            "phone",
            "other_phones",
            "email",
            "website",
            "logo",
            "head_title",
            "head_name",
            "head_rank",
            "head_nip",
        ]
        widgets = {"other_phones": forms.Textarea(attrs={"rows": 3})}

    def clean_head_nip(self) -> str:
        value = normalise_nip(self.cleaned_data.get("head_nip", ""))
        if value:
            validate_nip(value)
        return value
