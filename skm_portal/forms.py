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


class AuditFilterForm(forms.Form):
    """Search and filters of the audit log page; every field optional."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    user = forms.CharField(label=_("Pengguna"), required=False, max_length=150)
    app = forms.ChoiceField(label=_("Bagian"), required=False)
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # A whitelist: the URL names a key, never a field.
    SORTS = {
        "": (_("Terbaru dahulu"), ("-at", "-pk")),
        "lama": (_("Terlama dahulu"), ("at", "pk")),
        "pengguna": (_("Pengguna (A-Z)"), ("actor_display", "-at", "-pk")),
        "bagian": (_("Bagian, lalu terbaru"), ("app", "-at", "-pk")),
    }
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=[(k, v[0]) for k, v in SORTS.items()])

    def __init__(self, *args, apps: list[tuple[str, str]], actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].choices = [("", _("Semua bagian")), *apps]
        self.fields["action"].choices = [("", _("Semua tindakan")), *actions]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
        return data

    def order(self) -> tuple[str, ...]:
        """The chosen order's fields (newest first unless a valid other order was chosen)."""
        key = self.cleaned_data.get("sort", "") if self.is_bound and self.is_valid() else ""
        return self.SORTS[key][1]
